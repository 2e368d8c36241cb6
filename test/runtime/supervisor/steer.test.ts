import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { substituteArg } from '../../../src/runtime/supervisor/index.js';
import type { BoardConfig } from '../../../src/state/config-types.js';
import {
  testConfig,
  testLane,
  waitFor,
  workerFixture,
  supervisorHarness,
} from '../../helpers/supervisor-helpers.js';

const node = process.execPath;
const harness = supervisorHarness({ now: () => 1_700_000_000_000 });

function setup(build: (root: string) => BoardConfig) {
  const root = harness.tempRoot();
  const config = build(root);
  return { root, config, ...harness.board(config) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('steering', () => {
  it('inbox: appends {id,time,text} lines to <bridge>/inbox.jsonl and dispatches pending', async () => {
    const { rec, sup, config } = setup((root) => testConfig(root, [testLane(root, 'a')]));
    await sup.start();
    const m1 = await sup.steer('a', 'focus on the failing test');
    const m2 = await sup.steer('a', 'line "two"\nwith newline');
    expect(m1).toMatchObject({
      via: 'inbox',
      state: 'pending',
      error: null,
      ackAt: null,
      sentAt: 1_700_000_000_000,
    });
    expect(m1.id).toMatch(UUID);
    expect(m2.id).not.toBe(m1.id);
    const lines = readFileSync(join(config.lanes[0]!.bridge, 'inbox.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({
      id: m1.id,
      time: new Date(1_700_000_000_000).toISOString(),
      text: 'focus on the failing test',
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: m2.id, text: 'line "two"\nwith newline' });
    expect(rec.steers('a')).toEqual([m1, m2]);
  });

  it('stdin: writes text to the running worker; no worker ⇒ failed with a reason', async () => {
    const { rec, sup, config } = setup((root) =>
      testConfig(root, [
        testLane(root, 's', {
          steer: { mode: 'stdin' },
          command: [node, workerFixture('stdin-echo.cjs')],
        }),
      ]),
    );
    await sup.start();
    const early = await sup.steer('s', 'hello?');
    expect(early).toMatchObject({
      via: 'stdin',
      state: 'failed',
      error: 'no worker is running on this lane',
    });
    await sup.start('s');
    const m = await sup.steer('s', 'please rebase on main');
    expect(m).toMatchObject({ via: 'stdin', state: 'pending', error: null });
    const log = join(config.lanes[0]!.bridge, 'worker.log');
    await waitFor(
      () => existsSync(log) && readFileSync(log, 'utf8').includes('got: please rebase on main'),
    );
    expect(rec.steers('s').map((x) => x.state)).toEqual(['failed', 'pending']);
  });

  it('command: substitutes tokens as data and never runs shell metacharacters', async () => {
    const { root, sup, config } = setup((r) => {
      const out = join(r, 'args.json');
      return testConfig(r, [
        testLane(r, 'c', {
          steer: {
            mode: 'command',
            argv: [
              node,
              workerFixture('record-args.cjs'),
              out,
              '{message}',
              'id={id}',
              '{lane}:{worktree}',
              '{bridge}',
              '{other}',
            ],
          },
        }),
      ]);
    });
    await sup.start();
    const pwned = join(root, 'pwned');
    const text = `$(touch ${pwned}); \`touch ${pwned}\` | touch ${pwned} && touch ${pwned} ; {id}`;
    const m = await sup.steer('c', text);
    expect(m).toMatchObject({ via: 'command', state: 'pending', error: null });
    const lane = config.lanes[0]!;
    const args = JSON.parse(readFileSync(join(root, 'args.json'), 'utf8')) as string[];
    expect(args).toEqual([text, `id=${m.id}`, `c:${lane.worktree}`, lane.bridge, '{other}']);
    expect(existsSync(pwned)).toBe(false);
  });

  it('command: a non-zero exit is failed with the stderr tail; a missing command is failed', async () => {
    const { rec, sup } = setup((root) =>
      testConfig(root, [
        testLane(root, 'f', {
          steer: {
            mode: 'command',
            argv: [node, workerFixture('fail-stderr.cjs'), 'agent busy: {message}'],
          },
        }),
        testLane(root, 'm', { steer: { mode: 'command', argv: ['laneboard-no-such-steer-cmd'] } }),
        testLane(root, 'e', { steer: { mode: 'command', argv: [] } }),
      ]),
    );
    await sup.start();
    const f = await sup.steer('f', 'hi');
    expect(f).toMatchObject({
      state: 'failed',
      error: 'steer command exited with code 3: agent busy: hi',
    });
    const m = await sup.steer('m', 'hi');
    expect(m).toMatchObject({
      state: 'failed',
      error: 'steer command not found: laneboard-no-such-steer-cmd',
    });
    expect((await sup.steer('e', 'hi')).error).toBe('steer.argv is empty');
    expect((await sup.steer('zzz', 'hi')).error).toBe('unknown lane "zzz"');
    expect(rec.steers('f')).toHaveLength(1);
  });

  it('substituteArg replaces tokens in one pass', () => {
    const values = { message: '{id}', id: 'X', lane: 'l', worktree: '/w', bridge: '/b' };
    expect(substituteArg('a{message}b{id}{nope}', values)).toBe('a{id}bX{nope}');
  });
});
