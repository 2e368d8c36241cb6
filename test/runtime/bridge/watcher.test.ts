import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { appendFile, mkdir, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBridgeWatcher,
  type BridgeWatcher,
  type BridgeWatcherOptions,
  type WatchListener,
} from '../../../src/runtime/bridge/watcher.js';
import type { LaneConfig } from '../../../src/state/config-types.js';
import {
  collector,
  laneAt,
  makeLaneDirs,
  makeTempDir,
  removeDir,
  testSettings,
  waitFor,
  writeAtomic,
} from '../../helpers/bridge-helpers.js';

type Col = ReturnType<typeof collector>;

const rawOf = (col: Col, laneId: string, kind = 'state'): unknown =>
  col
    .of('bridge/doc', laneId)
    .filter((a) => a.kind === kind)
    .at(-1)?.raw;
const nOf = (col: Col, laneId: string, kind = 'state'): number | undefined =>
  (rawOf(col, laneId, kind) as { n?: number } | undefined)?.n;
const eventNs = (col: Col, laneId: string): number[] =>
  col
    .of('bridge/events', laneId)
    .flatMap((a) => a.lines)
    .map((l) => (l.ok ? (l.value as { n: number }).n : -1));
const ev = (n: number): string => JSON.stringify({ event: 'lane.started', n });
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('createBridgeWatcher', () => {
  let root: string;
  let lane: LaneConfig;
  let col: Col;
  let watcher: BridgeWatcher | null = null;
  let activity: string[];

  const startWatcher = async (over: Partial<BridgeWatcherOptions> = {}): Promise<BridgeWatcher> => {
    watcher = createBridgeWatcher({
      lanes: [lane],
      settings: testSettings(),
      dispatch: col.dispatch,
      clock: { now: () => Date.now() },
      onActivity: (id) => activity.push(id),
      rescanMs: 60_000, // the safety net must not mask what the event path does
      ...over,
    });
    await watcher.start();
    return watcher;
  };

  beforeEach(async () => {
    root = await makeTempDir();
    lane = laneAt(root, 'a');
    await makeLaneDirs(lane);
    col = collector();
    activity = [];
  });
  afterEach(async () => {
    await watcher?.dispose();
    watcher = null;
    await removeDir(root);
  });

  it('reads every file once at start and stamps actions with clock.now()', async () => {
    await writeFile(join(lane.bridge, 'state.json'), '{"n":1}');
    await writeFile(join(lane.bridge, 'events.jsonl'), `${ev(1)}\n`);
    await startWatcher({ clock: { now: () => 4242 } });
    expect(col.of('bridge/doc', 'a')).toEqual([
      {
        type: 'bridge/doc',
        laneId: 'a',
        kind: 'state',
        file: 'state.json',
        raw: { n: 1 },
        at: 4242,
      },
    ]);
    expect(
      col
        .of('bridge/missing', 'a')
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['claw', 'result']);
    expect(eventNs(col, 'a')).toEqual([1]);
    expect(col.of('bridge/dirError')).toEqual([]);
    expect(col.actions.every((a) => a.at === 4242)).toBe(true);
    expect(activity).toEqual([]); // the initial read is not "activity"
  });

  it('sees atomic tmp+rename writes and never reports the *.tmp files', async () => {
    await startWatcher();
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    await waitFor(() => nOf(col, 'a') === 1, 5000, 'state n=1');
    await writeAtomic(join(lane.bridge, 'result.json'), '{"ok":true}');
    await waitFor(() => rawOf(col, 'a', 'result') !== undefined, 5000, 'result');
    expect(col.of('bridge/docError')).toEqual([]);
    expect(activity).toContain('a');
  });

  it('ends on the LAST content after 20 rapid writes 5 ms apart (3 trials)', async () => {
    await startWatcher();
    for (let trial = 0; trial < 3; trial += 1) {
      const base = trial * 100;
      for (let i = 0; i < 20; i += 1) {
        await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n: base + i }));
        await pause(5); // the write cadence under test, not a wait for a result
      }
      await waitFor(() => nOf(col, 'a') === base + 19, 5000, `last write of trial ${trial}`);
    }
  });

  it('yields events appended in pieces exactly once, with correct line numbers', async () => {
    await startWatcher();
    const events = join(lane.bridge, 'events.jsonl');
    const text = [1, 2, 3, 4, 5].map(ev).join('\n') + '\n';
    const cuts = [0, 7, 30, 31, 60, 95, text.length];
    for (let i = 1; i < cuts.length; i += 1) {
      await appendFile(events, text.slice(cuts[i - 1], cuts[i]));
      await pause(3);
    }
    await waitFor(() => eventNs(col, 'a').length >= 5, 5000, '5 events');
    await watcher?.rescan('a');
    const lines = col.of('bridge/events', 'a').flatMap((a) => a.lines);
    expect(lines.map((l) => [l.line, l.ok])).toEqual([1, 2, 3, 4, 5].map((n) => [n, true]));
    expect(eventNs(col, 'a')).toEqual([1, 2, 3, 4, 5]);
  });

  it('handles truncation and rotation of events.jsonl without duplicates', async () => {
    const events = join(lane.bridge, 'events.jsonl');
    await writeFile(events, `${ev(1)}\n${ev(2)}\n${ev(3)}\n`);
    await startWatcher();
    expect(eventNs(col, 'a')).toEqual([1, 2, 3]);
    await rename(events, `${events}.1`);
    await writeFile(events, `${ev(4)}\n${ev(5)}\n`);
    await waitFor(() => eventNs(col, 'a').length >= 5, 5000, 'rotated events');
    await truncate(events, 0);
    await appendFile(events, `${ev(6)}\n`);
    await waitFor(() => eventNs(col, 'a').length >= 6, 5000, 'event after truncate');
    await watcher?.rescan('a');
    expect(eventNs(col, 'a')).toEqual([1, 2, 3, 4, 5, 6]);
    const lines = col.of('bridge/events', 'a').flatMap((a) => a.lines.map((l) => l.line));
    expect(lines).toEqual([1, 2, 3, 1, 2, 1]);
  });

  it('shows an oversize state.json as a docError, then recovers', async () => {
    await writeFile(join(lane.bridge, 'state.json'), '{"n":1}');
    await startWatcher();
    const tmp = join(lane.bridge, 'big.tmp');
    await writeFile(tmp, '');
    await truncate(tmp, 110_000_000);
    await rename(tmp, join(lane.bridge, 'state.json'));
    await waitFor(() => col.last('bridge/docError', 'a'), 5000, 'oversize error');
    expect(col.last('bridge/docError', 'a')).toMatchObject({
      kind: 'state',
      message: 'state.json is 104.9 MB, over the 4 MB read limit',
    });
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":2}');
    await waitFor(() => nOf(col, 'a') === 2, 5000, 'recovery');
  });

  it('reports invalid UTF-8 and half-written JSON as docErrors', async () => {
    await startWatcher();
    await writeFile(join(lane.bridge, 'state.json'), Buffer.from([0x7b, 0xff, 0x7d]));
    await waitFor(
      () => col.last('bridge/docError', 'a')?.message === 'state.json is not valid UTF-8',
      5000,
      'utf8 error',
    );
    await writeFile(join(lane.bridge, 'result.json'), '{"ok": tr');
    await waitFor(
      () =>
        col
          .of('bridge/docError', 'a')
          .some(
            (a) => a.kind === 'result' && a.message.startsWith('result.json is not valid JSON'),
          ),
      5000,
      'json error',
    );
  });

  it('keeps working when the bridge dir is deleted and recreated (twice)', async () => {
    await writeFile(join(lane.bridge, 'state.json'), '{"n":1}');
    await startWatcher();
    for (const n of [2, 4]) {
      await rm(lane.bridge, { recursive: true });
      await waitFor(
        () =>
          col.last('bridge/dirError', 'a')?.message === `bridge dir ${lane.bridge} does not exist`,
        5000,
        'dir error',
      );
      await mkdir(lane.bridge);
      await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n }));
      await waitFor(() => nOf(col, 'a') === n, 5000, `state after recreate n=${n}`);
      await waitFor(
        () => col.last('bridge/dirError', 'a')?.message === null,
        5000,
        'dir error cleared',
      );
      await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n: n + 1 }));
      await waitFor(() => nOf(col, 'a') === n + 1, 5000, 'later update still seen');
    }
  });

  it('reports a bridge dir replaced by a file, and recovers when it is a dir again', async () => {
    await startWatcher();
    await rm(lane.bridge, { recursive: true });
    await writeFile(lane.bridge, 'not a dir');
    await waitFor(
      () =>
        col.last('bridge/dirError', 'a')?.message ===
        `bridge dir ${lane.bridge} is not a directory`,
      5000,
      'not a directory',
    );
    await rm(lane.bridge);
    await mkdir(lane.bridge);
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":7}');
    await waitFor(() => nOf(col, 'a') === 7, 5000, 'state after dir is back');
    expect(col.last('bridge/dirError', 'a')?.message).toBeNull();
  });

  it('notices a bridge dir recreated without any watch event (the sweep)', async () => {
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(join(lane.bridge, 'state.json'), '{"n":1}');
    // A real watcher that looks at an unrelated dir: the lane gets no events at all, and it
    // is not polled either (every watch is live): only the board-wide sweep can see it.
    await startWatcher({
      watch: (_path, listener) => fsWatch(elsewhere, { encoding: 'utf8' }, listener),
      rescanMs: 100,
    });
    expect(watcher?.pollingLanes()).toEqual([]);
    expect(nOf(col, 'a')).toBe(1);
    await rm(lane.bridge, { recursive: true });
    await mkdir(lane.bridge);
    await writeFile(join(lane.bridge, 'state.json'), '{"n":2}');
    await waitFor(() => nOf(col, 'a') === 2, 5000, 'state of the recreated dir');
  });

  it('finds bridge file changes no event reported, in batches over many lanes (the sweep)', async () => {
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    const lanes = [lane, ...['b', 'c', 'd', 'e', 'f'].map((id) => laneAt(root, id))];
    for (const l of lanes) await makeLaneDirs(l);
    // Every watch looks at an unrelated dir: no lane gets an event, none is polled.
    await startWatcher({
      lanes,
      watch: (_path, listener) => fsWatch(elsewhere, { encoding: 'utf8' }, listener),
      rescanMs: 300, // one tick per 300 ms visits all 6 lanes
    });
    expect(watcher?.pollingLanes()).toEqual([]);
    for (const l of lanes) await writeAtomic(join(l.bridge, 'state.json'), '{"n":3}');
    await appendFile(join(lane.bridge, 'events.jsonl'), `${ev(1)}\n`);
    for (const l of lanes) await waitFor(() => nOf(col, l.id) === 3, 5000, `state of ${l.id}`);
    await waitFor(() => eventNs(col, 'a').includes(1), 5000, 'the appended event');
  });

  it('does not follow symlinks (to outside files, or loops)', async () => {
    const outside = await makeTempDir();
    try {
      await writeFile(join(outside, 'secret.json'), '{"secret":true}');
      await startWatcher();
      await symlink(join(outside, 'secret.json'), join(lane.bridge, 'state.json'));
      await symlink(join(lane.bridge, 'events.jsonl'), join(lane.bridge, 'events.jsonl.loop'));
      await symlink(join(lane.bridge, 'events.jsonl.loop'), join(lane.bridge, 'events.jsonl'));
      await symlink(join(lane.bridge, 'x'), join(lane.bridge, 'x'));
      await waitFor(
        () => col.last('bridge/docError', 'a')?.message === 'state.json is a symlink; not followed',
        5000,
        'symlink docError',
      );
      await waitFor(
        () =>
          col.last('bridge/eventsError', 'a')?.message ===
          'events.jsonl is a symlink; not followed',
        5000,
        'symlink eventsError',
      );
      expect(JSON.stringify(col.actions)).not.toContain('secret');
    } finally {
      await removeDir(outside);
    }
  });

  it("reads claw-code's .claw/worker-state.json from the worktree, created after start", async () => {
    await startWatcher();
    await mkdir(join(lane.worktree, '.claw'));
    await writeAtomic(
      join(lane.worktree, '.claw', 'worker-state.json'),
      '{"worker_id":"w1","status":"spawning"}',
    );
    await waitFor(() => rawOf(col, 'a', 'claw'), 5000, 'claw doc');
    expect(col.of('bridge/doc', 'a').find((a) => a.kind === 'claw')).toMatchObject({
      file: '.claw/worker-state.json',
      raw: { worker_id: 'w1', status: 'spawning' },
    });
  });

  it('reports a file that disappears as missing and calls onActivity', async () => {
    await writeFile(join(lane.bridge, 'result.json'), '{"ok":true}');
    await startWatcher();
    await rm(join(lane.bridge, 'result.json'));
    await waitFor(
      () => col.of('bridge/missing', 'a').some((a) => a.kind === 'result'),
      5000,
      'missing',
    );
    expect(activity).toContain('a');
  });

  it('does not count state.json heartbeats as activity (no git probe per heartbeat)', async () => {
    await startWatcher();
    await writeFile(join(lane.bridge, 'state.json'), '{"status":"running","updatedAt":1}');
    await waitFor(() => col.of('bridge/doc', 'a').some((a) => a.kind === 'state'), 5000, 'state');
    await writeFile(join(lane.bridge, 'result.json'), '{"ok":true}');
    await waitFor(() => col.of('bridge/doc', 'a').some((a) => a.kind === 'result'), 5000, 'result');
    expect(activity).toEqual(['a']);
  });

  it('covers many lanes sharing one parent, and a bridge parent created after start', async () => {
    const lanes = ['l1', 'l2', 'l3'].map((id) => laneAt(join(root, 'later'), id));
    watcher = createBridgeWatcher({
      lanes: [lane, ...lanes],
      settings: testSettings(),
      dispatch: col.dispatch,
      clock: { now: () => Date.now() },
      rescanMs: 150,
      pollMs: 100,
    });
    await watcher.start();
    for (const l of lanes) {
      expect(col.last('bridge/dirError', l.id)?.message).toBe(
        `bridge dir ${l.bridge} does not exist`,
      );
    }
    for (const l of lanes) {
      await makeLaneDirs(l);
      await writeAtomic(join(l.bridge, 'state.json'), JSON.stringify({ n: 1 }));
    }
    for (const l of lanes)
      await waitFor(() => nOf(col, l.id) === 1, 5000, `lane ${l.id} first state`);
    // Once the new root is watched, updates arrive through events too.
    for (const l of lanes)
      await writeAtomic(join(l.bridge, 'state.json'), JSON.stringify({ n: 2 }));
    for (const l of lanes) await waitFor(() => nOf(col, l.id) === 2, 5000, `lane ${l.id} update`);
    expect(col.last('bridge/dirError', 'l1')?.message).toBeNull();
  });

  it('polls a lane whose bridge dir is a symlink', async () => {
    const real = join(root, 'real-bridge');
    await mkdir(real);
    const linked = laneAt(root, 'sym', { bridge: join(root, 'sym-bridge') });
    await symlink(real, linked.bridge);
    lane = linked;
    await makeLaneDirs(lane);
    const w = await startWatcher({ pollMs: 100 });
    expect(w.pollingLanes()).toEqual(['sym']);
    await writeAtomic(join(real, 'state.json'), '{"n":3}');
    await waitFor(() => nOf(col, 'sym') === 3, 5000, 'state via polling');
  });

  it('falls back to polling with a notice when the watcher reports ENOSPC', async () => {
    const created: FSWatcher[] = [];
    const watch = (path: string, listener: WatchListener): FSWatcher => {
      const w = fsWatch(path, { encoding: 'utf8' }, listener);
      created.push(w);
      return w;
    };
    const w = await startWatcher({ watch, pollMs: 100 });
    expect(w.pollingLanes()).toEqual([]);
    const enospc = Object.assign(
      new Error('ENOSPC: System limit for number of file watchers reached'),
      {
        code: 'ENOSPC',
      },
    );
    // Simulate the inotify limit: the watchers report it and stop delivering events.
    for (const c of created) {
      c.emit('error', enospc);
      c.close();
    }
    const notices = col.of('board/notice');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]?.message).toMatch(
      /^file watch limit reached \(ENOSPC\) under .*: polling bridge files of 1 lane every 0\.1 s instead; raise fs\.inotify\.max_user_watches$/,
    );
    expect(w.pollingLanes()).toEqual(['a']);
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":9}');
    await waitFor(() => nOf(col, 'a') === 9, 5000, 'state via polling fallback');
  });

  it('dispose closes every watcher and timer (no active handles left), even mid-activity', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const w = await startWatcher({ rescanMs: 50, pollMs: 20 });
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    await appendFile(join(lane.bridge, 'events.jsonl'), `${ev(1)}\n`);
    await waitFor(() => nOf(col, 'a') === 1, 5000, 'state');
    await w.dispose();
    watcher = null;
    const count = col.actions.length;
    // fs.watch handles are released by libuv a tick after close(): await that, do not sleep.
    const handles = (): string[] =>
      process
        .getActiveResourcesInfo()
        .filter((r) => r === 'FSEventWrap' || r === 'Timeout' || r === 'StatWatcher');
    const baseline = before.filter(
      (r) => r === 'FSEventWrap' || r === 'Timeout' || r === 'StatWatcher',
    );
    const timers = (list: string[]): number => list.filter((r) => r === 'Timeout').length;
    // The wait's own timers (vi.waitFor) are live while it checks: count watches there,
    // and the watcher's timers once it is over.
    await waitFor(
      () => handles().length - timers(handles()) <= baseline.length - timers(baseline),
      2000,
      'watch handles released',
    );
    expect(timers(handles())).toBeLessThanOrEqual(timers(baseline));
    expect(handles().filter((r) => r === 'FSEventWrap')).toEqual([]);
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":2}');
    await pause(200); // nothing may arrive after dispose: give it the chance to misbehave
    expect(col.actions.length).toBe(count);
  });

  it('dispose during start() does not hang or leak', async () => {
    const w = createBridgeWatcher({
      lanes: [lane],
      settings: testSettings(),
      dispatch: col.dispatch,
      clock: { now: () => Date.now() },
    });
    const starting = w.start();
    await w.dispose();
    await starting;
    await waitFor(
      () => !process.getActiveResourcesInfo().includes('FSEventWrap'),
      2000,
      'fs.watch handles released',
    );
    const count = col.actions.length;
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    await pause(200); // nothing may arrive after dispose
    expect(col.actions.length).toBe(count);
  });
});
