/**
 * Fault 2 (issue #12): the Stop hook never re-sends a steering message it already
 * delivered, however much was appended to the events files since (the old lookup only
 * saw the last 1 MiB of hook-events.jsonl). Real built CLI (`laneboard hook`) as a child
 * process per hook event, a real bridge dir, real files.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laneboardBin } from '../helpers/e2e-cli.js';
import { supervisorHarness } from '../helpers/supervisor-helpers.js';

const harness = supervisorHarness();

function hook(bridge: string, payload: object): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, [laneboardBin(), 'hook'], {
    input: JSON.stringify(payload),
    env: { ...process.env, LANEBOARD_BRIDGE_DIR: bridge },
    encoding: 'utf8',
    timeout: 20_000,
    maxBuffer: 8 * 1024 * 1024,
  });
  return { stdout: r.stdout, status: r.status };
}

function steer(bridge: string, id: string, text: string): void {
  appendFileSync(
    join(bridge, 'inbox.jsonl'),
    `${JSON.stringify({ id, time: new Date().toISOString(), text })}\n`,
  );
}

const stop = { hook_event_name: 'Stop', session_id: 's1' };

describe('steering is delivered once (fault 2)', () => {
  it('after megabytes of tool payloads, Stop does not send an acknowledged message again', () => {
    const bridge = join(harness.tempRoot(), 'bridge');
    mkdirSync(bridge);
    steer(bridge, 'm1', 'rebase on main first');
    const first = hook(bridge, stop);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ decision: 'block', reason: 'rebase on main first' });
    expect(existsSync(join(bridge, 'inbox.delivered.json'))).toBe(true);

    // One large tool result through the hook, then more as the hook writes them (~900 KB
    // each): the acknowledgement is now more than 2 MiB back.
    const big = (i: number) => ({
      hook_event_name: 'PostToolUse',
      session_id: 's1',
      tool_response: { stdout: `${i}`.repeat(900_000) },
    });
    expect(hook(bridge, big(0)).status).toBe(0);
    for (let i = 1; i < 3; i++) {
      appendFileSync(join(bridge, 'hook-events.jsonl'), `${JSON.stringify(big(i))}\n`);
    }
    expect(statSync(join(bridge, 'hook-events.jsonl')).size).toBeGreaterThan(2.5 * 1024 * 1024);

    expect(hook(bridge, stop).stdout).toBe('');
    // A new message is delivered, alone.
    steer(bridge, 'm2', 'and run the tests');
    expect(JSON.parse(hook(bridge, stop).stdout)).toEqual({
      decision: 'block',
      reason: 'and run the tests',
    });
    expect(hook(bridge, stop).stdout).toBe('');
    const acks = readFileSync(join(bridge, 'hook-events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('steer.acknowledged'))
      .map((l) => (JSON.parse(l) as { data: { id: string } }).data.id);
    expect(acks).toEqual(['m1', 'm2']);
  });

  it('a replaced inbox (new file) starts over; a corrupt delivery file falls back to the events', () => {
    const bridge = join(harness.tempRoot(), 'bridge');
    mkdirSync(bridge);
    steer(bridge, 'a1', 'one');
    expect(JSON.parse(hook(bridge, stop).stdout)).toMatchObject({ reason: 'one' });
    appendFileSync(join(bridge, 'inbox.delivered.json'), 'garbage');
    // Corrupt state: a1 is still known acknowledged from the events tail.
    expect(hook(bridge, stop).stdout).toBe('');
    // The board replaced the inbox (e.g. a planted symlink): its messages are new.
    spawnSync('mv', [join(bridge, 'inbox.jsonl'), join(bridge, 'old-inbox.jsonl')]);
    steer(bridge, 'b1', 'two');
    expect(JSON.parse(hook(bridge, stop).stdout)).toMatchObject({ reason: 'two' });
    expect(hook(bridge, stop).stdout).toBe('');
  });
});
