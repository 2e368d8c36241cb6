/**
 * The host's one-value copy of its lanes (src/runtime/fleet/host-lanes.ts): written after
 * lane writes settle, at most every `minIntervalMs`, and not while a command holds it (the
 * copy would share the connection and the server with the command's writes). The KV is a
 * recorder of `put` calls (the copy's scheduling is what is tested; the real bucket writes
 * are covered by test/runtime/fleet/fleet-wire.test.ts); time is vitest's fake clock.
 */
import type { KV } from '@nats-io/kv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHostLanes } from '../../../src/runtime/fleet/host-lanes.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('host lanes copy', () => {
  it('is held back while a command runs and written after the last release', async () => {
    vi.useFakeTimers();
    const puts: { key: string; lanes: unknown[] }[] = [];
    const kv = {
      put: (key: string, value: string) => {
        puts.push({ key, lanes: (JSON.parse(value) as { lanes: unknown[] }).lanes });
        return Promise.resolve(puts.length);
      },
    } as unknown as KV;
    const copy = createHostLanes({ kv, host: 'h', minIntervalMs: 250 });
    const lane = (rev: number): void => {
      copy.begin();
      copy.put('a', JSON.stringify({ rev }), rev);
    };
    lane(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(puts.map((p) => p.key)).toEqual(['lanes.h']);

    const release = copy.hold();
    lane(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(puts).toHaveLength(1);
    const inner = copy.hold();
    release();
    release(); // a second call is a no-op
    await vi.advanceTimersByTimeAsync(1_000);
    expect(puts).toHaveLength(1);
    inner();
    await vi.advanceTimersByTimeAsync(0);
    expect(puts).toHaveLength(2);
    expect(puts[1]?.lanes).toEqual([{ id: 'a', rev: 2, value: { rev: 2 } }]);

    // A copy already scheduled when the hold starts waits for the release too.
    lane(3);
    const late = copy.hold();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(puts).toHaveLength(2);
    late();
    await vi.advanceTimersByTimeAsync(0);
    expect(puts).toHaveLength(3);
    copy.dispose();
  });
});
