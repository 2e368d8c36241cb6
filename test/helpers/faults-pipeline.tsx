/**
 * Fault-injection harness: the REAL bridge pipeline of the board, in-process — real temp
 * bridge dirs, the real bridge watcher (fs.watch), the real batching dispatch, the real
 * store and selectors, and the real Ink `<App>` rendered by ink-testing-library (mono
 * theme, so any ESC in a frame can only come from worker text). The clock is the system
 * clock plus an offset the test can advance (to step past grace periods without sleeping).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { createBatchedDispatch, type BatchedDispatch } from '../../src/runtime/batch.js';
import { createBridgeWatcher, type BridgeWatcher } from '../../src/runtime/bridge/index.js';
import { createGitWatcher, type GitWatcher } from '../../src/runtime/git/index.js';
import type { Clock } from '../../src/runtime/types.js';
import type { BoardSettings, LaneConfig } from '../../src/state/config-types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { createBoardStore, type BoardStore } from '../../src/state/store.js';
import type { LaneView } from '../../src/state/view-types.js';
import { App } from '../../src/ui/App.js';
import { monoTheme } from '../../src/ui/theme.js';
import { laneAt, makeTempDir, removeDir, testSettings, writeAtomic } from './bridge-helpers.js';
import { KEYS, recordingControls, resize } from './ui-fixtures.js';
import { eventually } from './wait.js';

type Rendered = ReturnType<typeof render>;

/**
 * Code points a terminal would interpret, as hex strings: C0 controls except LF, DEL, C1
 * (0x80-0x9f), bidi embeddings/overrides/isolates (U+202A-202E, U+2066-2069) and the
 * marks U+200E/200F/061C. Empty ⇒ the text is inert.
 */
export function controlsIn(s: string): string[] {
  const bad: string[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const control = (cp < 0x20 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f);
    const bidi =
      (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069) ||
      cp === 0x200e ||
      cp === 0x200f ||
      cp === 0x061c;
    if (control || bidi) bad.push(cp.toString(16));
  }
  return bad;
}

/**
 * Poll `cond` every 10 ms (vi.waitFor, ./wait.ts) until it returns a truthy value; throws after `timeoutMs` with
 * `what` and, when given, `detail()` (e.g. the last frame).
 */
export async function until<T>(
  cond: () => T | Promise<T>,
  what: string,
  timeoutMs = 5_000,
  detail?: () => string,
): Promise<NonNullable<T>> {
  const v = await eventually(cond, {
    timeoutMs,
    message: (ms) => `timed out after ${ms} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`,
  });
  return v as NonNullable<T>;
}

/** The board row of lane `id` in `frame` (line whose first cell is the id), or undefined. */
export function rowOf(frame: string, id: string): string | undefined {
  return frame.split('\n').find((l) => l.replace(/^[›\s]+/, '').split(/\s+/)[0] === id);
}

/** Options of {@link startPipeline}. */
export interface PipelineOptions {
  /** Settings overrides (e.g. a small `maxBridgeFileBytes`). */
  readonly settings?: Partial<BoardSettings>;
  /** Per-lane config overrides. */
  readonly lane?: (id: string) => Partial<LaneConfig>;
  /** Terminal size. @default 220 × max(lanes + 20, 160) (tall enough for a whole detail pane) */
  readonly columns?: number;
  readonly rows?: number;
  /** Create the bridge dirs. @default true */
  readonly makeDirs?: boolean;
  /** Watcher safety-net rescan period (ms). @default 2000 (the production default) */
  readonly rescanMs?: number;
  /** Use this existing root (lanes under `<root>/lanes`, never removed) instead of a temp dir. */
  readonly root?: string;
  /** Also run the real git watcher over the lanes' worktrees (extra env for git, retry period ms). */
  readonly git?: { readonly env?: NodeJS.ProcessEnv; readonly retryMs?: number };
}

/** A running pipeline. */
export interface Pipeline {
  readonly root: string;
  readonly lanes: Readonly<Record<string, LaneConfig>>;
  readonly store: BoardStore;
  readonly watcher: BridgeWatcher;
  /** The git watcher when `opts.git` was given, else null. */
  readonly git: GitWatcher | null;
  readonly batch: BatchedDispatch;
  readonly clock: Clock;
  readonly ui: Rendered;
  /** The bridge dir of lane `id`. */
  bridge(id: string): string;
  /** Path of `file` in lane `id`'s bridge dir. */
  file(id: string, file: string): string;
  /** Write `state.json` (object → JSON) atomically. */
  writeState(id: string, doc: unknown): Promise<void>;
  /** The lane's view from the store now. */
  view(id: string): LaneView;
  /** The last frame ('' before the first). */
  frame(): string;
  /** Wait until `cond(frame)` holds; throws with the last frame. */
  waitForFrame(cond: (f: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Advance the board clock by `ms` and dispatch a clock tick (ages, grace periods). */
  advance(ms: number): void;
  /**
   * Write a fresh state for the healthy lane `id` (status alternates running/idle, phase
   * `step <n>`) and wait until both the store and its board row show it.
   */
  bumpHealthy(id: string): Promise<void>;
  /** Select lane `id` (j/k from the current selection) and open its detail pane; returns the frame. */
  openDetail(id: string, until?: (f: string) => boolean): Promise<string>;
  /** Close the detail pane (Esc) and wait for the board. */
  closeDetail(): Promise<string>;
  /** Every frame rendered so far. */
  frames(): readonly string[];
  /** Stop everything and remove the temp dir. */
  dispose(): Promise<void>;
}

/** Start the pipeline for lanes `ids` under a fresh temp dir. */
export async function startPipeline(
  ids: readonly string[],
  opts: PipelineOptions = {},
): Promise<Pipeline> {
  const root = opts.root ?? (await makeTempDir('lb-faults-'));
  const settings = testSettings(opts.settings);
  const lanes: Record<string, LaneConfig> = {};
  for (const id of ids) {
    lanes[id] = laneAt(root, id, opts.lane?.(id) ?? {});
    if (opts.makeDirs !== false) await mkdir(lanes[id].bridge, { recursive: true });
  }
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset };
  const store = createBoardStore();
  const laneList = ids.map((id) => lanes[id] as LaneConfig);
  store.dispatch({ type: 'lanes/configured', lanes: laneList, settings, at: clock.now() });
  const batch = createBatchedDispatch((actions) => store.dispatchAll(actions));
  const watcher = createBridgeWatcher({
    lanes: laneList,
    settings,
    dispatch: batch.dispatch,
    clock,
    ...(opts.rescanMs !== undefined ? { rescanMs: opts.rescanMs } : {}),
  });
  const git =
    opts.git === undefined
      ? null
      : createGitWatcher({
          lanes: laneList,
          settings,
          dispatch: batch.dispatch,
          clock,
          ...(opts.git.env !== undefined ? { env: opts.git.env } : {}),
          ...(opts.git.retryMs !== undefined ? { retryMs: opts.git.retryMs } : {}),
        });
  await Promise.all([watcher.start(), git?.start()]);
  batch.flush();
  const ui = render(
    <App
      store={store}
      controls={recordingControls()}
      title="laneboard faults"
      onExit={() => undefined}
      theme={monoTheme}
      home={null}
      readLogTail={() => Promise.resolve('')}
    />,
  );
  resize(ui.stdout, opts.columns ?? 220, opts.rows ?? Math.max(ids.length + 20, 160));
  const frame = (): string => ui.lastFrame() ?? '';
  const waitForFrame = (cond: (f: string) => boolean, what: string, timeoutMs = 5_000) =>
    until(
      () => {
        const f = frame();
        return cond(f) ? f : '';
      },
      what,
      timeoutMs,
      () => `last frame:\n${frame()}`,
    );
  const steps = new Map<string, number>();
  const selected = (): string | undefined => {
    const line = frame()
      .split('\n')
      .find((l) => l.startsWith('›'));
    return line?.slice(1).trim().split(/\s+/)[0];
  };
  const view = (id: string): LaneView => selectLaneView(store.getState(), id);

  const p: Pipeline = {
    root,
    lanes,
    store,
    watcher,
    git,
    batch,
    clock,
    ui,
    bridge: (id) => (lanes[id] as LaneConfig).bridge,
    file: (id, file) => join((lanes[id] as LaneConfig).bridge, file),
    writeState: (id, doc) => writeAtomic(p.file(id, 'state.json'), JSON.stringify(doc)),
    view,
    frame,
    waitForFrame,
    advance(ms) {
      offset += ms;
      store.dispatch({ type: 'clock/tick', at: clock.now() });
    },
    async bumpHealthy(id) {
      const n = (steps.get(id) ?? 0) + 1;
      steps.set(id, n);
      const status = n % 2 === 0 ? 'running' : 'idle';
      await p.writeState(id, {
        schema: 'laneboard.state/1',
        status,
        phase: `step ${n}`,
        updatedAt: new Date(clock.now()).toISOString(),
      });
      await until(
        () => view(id).agent.phase === `step ${n}`,
        `${id} phase "step ${n}" in the store`,
      );
      await waitForFrame(
        (f) => (rowOf(f, id) ?? '').includes(status),
        `${id} row to show "${status}" (step ${n})`,
      );
    },
    async openDetail(id, cond) {
      const order = ids.indexOf(id);
      for (let guard = 0; selected() !== id && guard < ids.length * 2; guard += 1) {
        const cur = ids.indexOf(selected() ?? '');
        const before = selected();
        ui.stdin.write(cur < order ? 'j' : 'k');
        await until(() => selected() !== before, `selection to move towards ${id}`);
      }
      ui.stdin.write(KEYS.enter);
      return waitForFrame(
        (f) => f.includes(`Lane ${id}`) && (cond === undefined || cond(f)),
        `detail pane of ${id}`,
      );
    },
    async closeDetail() {
      ui.stdin.write(KEYS.escape);
      return waitForFrame((f) => !f.includes('Raw bridge data'), 'board after Esc');
    },
    frames: () => ui.frames,
    async dispose() {
      ui.unmount();
      await Promise.all([watcher.dispose(), git?.dispose()]);
      batch.dispose();
      if (opts.root === undefined) await removeDir(root);
    },
  };
  await waitForFrame((f) => ids.every((id) => rowOf(f, id) !== undefined), 'every lane row');
  return p;
}

/** Write raw bytes to `path` (not atomic: a misbehaving worker). */
export async function writeRaw(path: string, data: string | Buffer): Promise<void> {
  await writeFile(path, data);
}

/** Remove `path` recursively (no error when missing). */
export async function removePath(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
