/**
 * The bridge watcher on `node:fs` `watch()`: fs.watch quirks (null file names, a watched dir
 * replaced, the root itself deleted), watch faults injected through the `watch` option
 * (ENOSPC when a watch is created, EMFILE reported by a live watch), burst pacing and
 * identical rewrites. Real temp dirs and real fs.watch handles throughout.
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileBounded } from '../../../src/runtime/bridge/read-json.js';
import { SERIAL_BURST } from '../../../src/runtime/bridge/serial.js';
import {
  createBridgeWatcher,
  type BridgeWatcher,
  type BridgeWatcherOptions,
  type WatchFn,
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

const statesOf = (col: Col, laneId: string): unknown[] =>
  col
    .of('bridge/doc', laneId)
    .filter((a) => a.kind === 'state')
    .map((a) => a.raw);
const nOf = (col: Col, laneId: string, kind = 'state'): number | undefined =>
  (
    col
      .of('bridge/doc', laneId)
      .filter((a) => a.kind === kind)
      .at(-1)?.raw as { n?: number } | undefined
  )?.n;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const errnoError = (code: string, message: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${message}`), { code });

/** A real fs.watch that records every watcher it creates and every close, by path. */
function recordingWatch(): {
  watch: WatchFn;
  created: { path: string; watcher: FSWatcher; closed: boolean }[];
} {
  const created: { path: string; watcher: FSWatcher; closed: boolean }[] = [];
  const watch: WatchFn = (path, listener) => {
    const watcher = fsWatch(path, { encoding: 'utf8' }, listener);
    const entry = { path, watcher, closed: false };
    const close = watcher.close.bind(watcher);
    watcher.close = () => {
      entry.closed = true;
      close();
    };
    created.push(entry);
    return watcher;
  };
  return { watch, created };
}

describe('bridge watcher on fs.watch', () => {
  let root: string;
  let lane: LaneConfig;
  let col: Col;
  let watcher: BridgeWatcher | null = null;

  const start = async (over: Partial<BridgeWatcherOptions> = {}): Promise<BridgeWatcher> => {
    watcher = createBridgeWatcher({
      lanes: [lane],
      settings: testSettings(),
      dispatch: col.dispatch,
      clock: { now: () => Date.now() },
      // The safety nets must not mask what the watch path does (tests lower them on purpose).
      rescanMs: 60_000,
      pollMs: 60_000,
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
  });
  afterEach(async () => {
    await watcher?.dispose();
    watcher = null;
    await removeDir(root);
  });

  it('reads the files of a dir whose events carry no file name (filename null)', async () => {
    const nameless: WatchFn = (path, listener) =>
      fsWatch(path, { encoding: 'utf8' }, (event) => listener(event, null));
    await start({ watch: nameless });
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    await waitFor(() => nOf(col, 'a') === 1, 3000, 'state n=1 from a nameless event');
    await writeFile(join(lane.bridge, 'events.jsonl'), '{"event":"lane.started"}\n');
    await waitFor(() => col.of('bridge/events', 'a').length === 1, 3000, 'event line');
  });

  it('falls back to polling when a bridge dir watch cannot be created (ENOSPC), without retrying it', async () => {
    let attempts = 0;
    const limited: WatchFn = (path, listener) => {
      if (path === lane.bridge) {
        attempts += 1;
        throw errnoError('ENOSPC', 'System limit for number of file watchers reached, watch');
      }
      return fsWatch(path, { encoding: 'utf8' }, listener);
    };
    const w = await start({ watch: limited, pollMs: 100 });
    expect(col.of('board/notice').map((a) => a.message)).toEqual([
      `file watch limit reached (ENOSPC) under ${lane.bridge}: polling bridge files of 1 lane every 0.1 s instead; raise fs.inotify.max_user_watches`,
    ]);
    expect(w.pollingLanes()).toEqual(['a']);
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":4}');
    await waitFor(() => nOf(col, 'a') === 4, 3000, 'state via polling');
    expect(attempts).toBe(1);
  });

  it('falls back to polling when a live bridge dir watch reports an error (EMFILE)', async () => {
    const rec = recordingWatch();
    const w = await start({ watch: rec.watch, pollMs: 100 });
    expect(w.pollingLanes()).toEqual([]);
    const dirWatch = rec.created.find((c) => c.path === lane.bridge);
    expect(dirWatch).toBeDefined();
    dirWatch?.watcher.emit('error', errnoError('EMFILE', 'too many open files, watch'));
    expect(dirWatch?.closed).toBe(true);
    expect(col.last('board/notice')?.message).toBe(
      `file watch limit reached (EMFILE) under ${lane.bridge}: polling bridge files of 1 lane every 0.1 s instead; raise the open-file limit (ulimit -n)`,
    );
    expect(w.pollingLanes()).toEqual(['a']);
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":5}');
    await waitFor(() => nOf(col, 'a') === 5, 3000, 'state via polling');
  });

  it('replaces the watch of a bridge dir that is deleted and recreated, closing the old one', async () => {
    const rec = recordingWatch();
    await start({ watch: rec.watch });
    for (const n of [1, 2, 3]) {
      await rm(lane.bridge, { recursive: true });
      await mkdir(lane.bridge);
      await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n }));
      await waitFor(() => nOf(col, 'a') === n, 3000, `state of recreated dir n=${n}`);
      // The new dir's own watch delivers the next write (polling is off).
      await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n: n + 10 }));
      await waitFor(() => nOf(col, 'a') === n + 10, 3000, `later write n=${n + 10}`);
    }
    const mine = rec.created.filter((c) => c.path === lane.bridge);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.filter((c) => !c.closed)).toHaveLength(1);
    expect(watcher?.pollingLanes()).toEqual([]);
  });

  it('recovers when the whole bridge root is deleted and recreated', async () => {
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    const w = await start({ pollMs: 100 });
    await rm(join(root, 'lanes'), { recursive: true });
    await waitFor(
      () =>
        col.last('bridge/dirError', 'a')?.message === `bridge dir ${lane.bridge} does not exist`,
      3000,
      'dir error',
    );
    await mkdir(lane.bridge, { recursive: true });
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":2}');
    await waitFor(() => nOf(col, 'a') === 2, 3000, 'state after the root is back');
    // The root and the bridge dir are watched again: the lane is no longer polled.
    await waitFor(() => w.pollingLanes().length === 0, 3000, 'watched again');
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":3}');
    await waitFor(() => nOf(col, 'a') === 3, 3000, 'later write through the new watches');
  });

  it('follows a .claw dir that is deleted and recreated (events only, no polling)', async () => {
    await start();
    const claw = join(lane.worktree, '.claw');
    await mkdir(claw);
    await writeAtomic(join(claw, 'worker-state.json'), '{"n":1}');
    await waitFor(() => nOf(col, 'a', 'claw') === 1, 3000, 'claw n=1');
    await rm(claw, { recursive: true });
    await waitFor(
      () => col.last('bridge/missing', 'a')?.kind === 'claw',
      3000,
      'claw missing after the dir is gone',
    );
    await mkdir(claw);
    await writeAtomic(join(claw, 'worker-state.json'), '{"n":2}');
    await waitFor(() => nOf(col, 'a', 'claw') === 2, 3000, 'claw n=2 in the recreated dir');
  });

  it('checks .claw of an active lane whose worktree does not exist yet, without waiting for a poll', async () => {
    await rm(lane.worktree, { recursive: true });
    await start();
    await writeFile(join(lane.bridge, 'events.jsonl'), '{"event":"lane.started"}\n');
    const claw = join(lane.worktree, '.claw');
    await mkdir(claw, { recursive: true });
    await writeFile(join(claw, 'worker-state.json'), '{"n":1}');
    await waitFor(() => nOf(col, 'a', 'claw') === 1, 2000, 'claw read after bridge activity');
  });

  it('reads a bridge dir created after start through the parent watch, never polling the lane', async () => {
    await rm(lane.bridge, { recursive: true });
    const w = await start();
    expect(col.last('bridge/dirError', 'a')?.message).toMatch(/does not exist$/);
    expect(w.pollingLanes()).toEqual([]); // issue #17: an absent bridge dir is not polled
    await mkdir(lane.bridge);
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    await waitFor(() => nOf(col, 'a') === 1, 3000, 'state of the new bridge dir');
    expect(col.last('bridge/dirError', 'a')?.message).toBeNull();
  });

  it('watches a worktree created after start once the dir check sees it', async () => {
    await rm(lane.worktree, { recursive: true });
    const w = await start({ pollMs: 100 });
    expect(w.pollingLanes()).toEqual(['a']);
    await mkdir(lane.worktree);
    await waitFor(() => w.pollingLanes().length === 0, 3000, 'worktree watched');
    const claw = join(lane.worktree, '.claw');
    await mkdir(claw);
    await writeAtomic(join(claw, 'worker-state.json'), '{"n":2}');
    await waitFor(() => nOf(col, 'a', 'claw') === 2, 3000, 'claw through the new watch');
  });

  it('reads a burst once per minReadGapMs, always its last write, and never re-dispatches identical content', async () => {
    await start({ minReadGapMs: 200 });
    const t0 = Date.now();
    for (let i = 1; i <= 40; i += 1) {
      await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n: i }));
      await pause(10); // the write cadence under test, not a wait for a result
    }
    await waitFor(() => nOf(col, 'a') === 40, 3000, 'last write of the burst');
    const elapsed = Date.now() - t0;
    const reads = statesOf(col, 'a').length;
    expect(reads).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + SERIAL_BURST);
    expect(reads).toBeGreaterThanOrEqual(2);

    // The same bytes again (a heartbeat that changed nothing), then a forced re-read.
    await writeAtomic(join(lane.bridge, 'state.json'), JSON.stringify({ n: 40 }));
    await writeAtomic(join(lane.bridge, 'result.json'), '{"ok":true}');
    await waitFor(() => col.of('bridge/doc', 'a').some((a) => a.kind === 'result'), 3000, 'result');
    await watcher?.rescan('a');
    expect(statesOf(col, 'a')).toHaveLength(reads);
  });

  it('ignores other entries of a bridge dir (tmp files, unknown names) without reading', async () => {
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":1}');
    await start();
    const before = col.actions.length;
    for (let i = 0; i < 20; i += 1) {
      await writeFile(join(lane.bridge, `junk-${i}.tmp`), 'x');
      await writeFile(join(lane.bridge, 'notes.txt'), String(i));
    }
    await writeAtomic(join(lane.bridge, 'state.json'), '{"n":2}');
    await waitFor(() => nOf(col, 'a') === 2, 3000, 'state n=2');
    expect(col.actions.slice(before).map((a) => a.type)).toEqual(['bridge/doc']);
  });
});

describe('readFileBounded', () => {
  let dir: string;
  let server: Server | null = null;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
    await removeDir(dir);
  });

  it('returns the bytes and stamp of a file', async () => {
    await writeFile(join(dir, 'state.json'), '{"n":1}');
    const r = await readFileBounded(join(dir, 'state.json'), 1024);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.bytes.toString()).toBe('{"n":1}');
    expect(r.stamp).toMatch(/^\d+:\d+:/);
  });

  it('reports a unix socket at a bridge path as not a regular file', async () => {
    const path = join(dir, 'state.json');
    const srv = createServer();
    server = srv;
    await new Promise<void>((r) => srv.listen(path, r));
    expect(await readFileBounded(path, 1024)).toMatchObject({
      kind: 'error',
      code: 'not_file',
      message: 'state.json is not a regular file',
    });
  });
});
