/**
 * Test helpers for the end-to-end dialect tests (test/integration/dialects-e2e*.test.ts):
 * a real temp git repository with one lane worktree and bridge dir, shared fixtures copied
 * into it (with the fixtures' `/home/dev/wt/<name>` placeholder paths mapped into the temp
 * dir), and the real bridge reader + git probe feeding a real board store.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LaneBridge, readBridgeOnce } from '../../src/runtime/bridge/index.js';
import { probeLane } from '../../src/runtime/git/index.js';
import type { BoardSettings, LaneConfig } from '../../src/state/config-types.js';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { selectSnapshot } from '../../src/state/snapshot.js';
import { createBoardStore, type BoardStore } from '../../src/state/store.js';
import type { LaneView } from '../../src/state/view-types.js';
import { FIXTURES } from './dialect-fixtures.js';
import { GIT_TEST_ENV, commitFile, git } from './git-fixtures.js';

/** A lane set up for real: repo, worktree (on `lane/<name>`), bridge dir, config, store. */
export interface LaneEnv {
  /** Temp root (realpath). */
  readonly root: string;
  readonly repo: string;
  readonly worktree: string;
  readonly bridge: string;
  readonly lane: LaneConfig;
  /** The lane's store (replace it with {@link freshStore} to re-read from scratch). */
  store: BoardStore;
}

const roots: string[] = [];

/** Remove every temp root made by {@link makeLaneEnv} (call in afterEach). */
export function cleanupLaneEnvs(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

/**
 * Create `<root>/repo` (branch main, one commit) and a worktree `<root>/wt/<name>` on
 * branch `lane/<name>`, bridge `<root>/bridge/<name>`, a lane config for it (lane id =
 * `name`) and a store configured with that lane at time `at` (epoch ms).
 */
export function makeLaneEnv(
  name: string,
  at: number,
  over: Partial<LaneConfig> = {},
  settings: BoardSettings = DEFAULT_SETTINGS,
): LaneEnv {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-')));
  roots.push(root);
  const repo = path.join(root, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env: GIT_TEST_ENV });
  commitFile(repo, 'initial', 'README.md');
  const worktree = path.join(root, 'wt', name);
  git(repo, 'worktree', 'add', '-q', '-b', `lane/${name}`, worktree, 'main');
  // claw-code's state dir is not part of the work (claw-code users ignore it too).
  appendFileSync(path.join(repo, '.git', 'info', 'exclude'), '.claw/\n');
  const bridge = path.join(root, 'bridge', name);
  mkdirSync(bridge, { recursive: true });
  const lane: LaneConfig = {
    id: name,
    repo,
    worktree,
    worktreeRealpath: worktree,
    branch: `lane/${name}`,
    base: 'main',
    command: null,
    env: {},
    bridge,
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
    ...over,
  };
  const env: LaneEnv = { root, repo, worktree, bridge, lane, store: createBoardStore() };
  freshStore(env, at, settings);
  return env;
}

/** Give `env` a new store holding only its lane (configured at `at`); returns it. */
export function freshStore(
  env: LaneEnv,
  at: number,
  settings: BoardSettings = DEFAULT_SETTINGS,
): BoardStore {
  env.store = createBoardStore();
  env.store.dispatch({ type: 'lanes/configured', lanes: [env.lane], settings, at });
  return env.store;
}

/**
 * Copy shared fixture `rel` to `dest`, mapping the placeholder worktree paths
 * `/home/dev/wt/<x>` to `<root>/wt/<x>` (the fixtures' README: home and worktree paths were
 * replaced by `/home/dev/...`). Other content is byte-for-byte the fixture; `lines` keeps
 * only the first N non-empty lines of a JSONL fixture.
 */
export function copyFixture(env: LaneEnv, rel: string, dest: string, lines?: number): void {
  let text = readFileSync(path.join(FIXTURES, rel), 'utf8');
  if (lines !== undefined) {
    text = `${text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, lines)
      .join('\n')}\n`;
  }
  mkdirSync(path.dirname(dest), { recursive: true });
  writeFileSync(dest, text.replaceAll('/home/dev/wt/', `${env.root}/wt/`));
}

/** Write `value` as JSON to `<bridge>/<name>` (whole file). */
export function writeBridgeJson(env: LaneEnv, name: string, value: unknown): void {
  writeFileSync(path.join(env.bridge, name), `${JSON.stringify(value)}\n`);
}

/** Append `values` as JSON lines to `<bridge>/<name>`. */
export function appendBridgeLines(env: LaneEnv, name: string, ...values: unknown[]): void {
  appendFileSync(path.join(env.bridge, name), values.map((v) => `${JSON.stringify(v)}\n`).join(''));
}

/** Read the lane's bridge once with the real reader, dispatch what it produced and set the clock to `at`. */
export async function readInto(env: LaneEnv, at: number): Promise<void> {
  const actions = await readBridgeOnce(env.lane, env.store.getState().settings, at);
  env.store.dispatchAll([...actions, { type: 'clock/tick', at }]);
}

/** Probe the lane's worktree with the real git probe and dispatch the result. */
export async function probeInto(env: LaneEnv, at: number): Promise<void> {
  env.store.dispatch(await probeLane(env.lane, { timeoutMs: 5_000, at: () => at }));
}

/** Advance the store's clock to `at`. */
export function tick(env: LaneEnv, at: number): void {
  env.store.dispatch({ type: 'clock/tick', at });
}

/** The lane's view now (the same selector the board and --json use). */
export function laneView(env: LaneEnv): LaneView {
  return selectLaneView(env.store.getState(), env.lane.id);
}

/** The lane's entry in the `--json` snapshot now. */
export function laneSnap(env: LaneEnv): SnapLane {
  const snap = selectSnapshot(env.store.getState()) as { lanes: SnapLane[] };
  const lane = snap.lanes[0];
  if (!lane) throw new Error('snapshot has no lane');
  return lane;
}

/** The parts of a snapshot lane the e2e tests read. */
export interface SnapLane {
  readonly agent: Record<string, unknown> & { status: string | null; kind: string };
  readonly blockers: {
    failureClass: string;
    detail: string;
    nextAction: string;
    source: { file: string; at: string | null; line: number | null; event: string | null };
    since: string | null;
    resetAt: string | null;
  }[];
  readonly mergeReady: boolean;
  readonly mergeReasons: string[];
  readonly lastEvent: {
    name: string;
    detail: string | null;
    source: { line: number | null };
  } | null;
  readonly tests: { status: string; stale: boolean; commit: string | null; level: string | null };
  readonly steering: { id: string; delivery: string }[];
  readonly raw: { state: unknown; result: unknown; claw: unknown; extras: Record<string, unknown> };
  readonly problems: string[];
}

/**
 * A persistent real bridge reader for the lane (what the watcher runs): each `read(at)`
 * re-reads the documents and only the new event lines, dispatching into `env.store`.
 */
export function bridgeReader(env: LaneEnv): { read(at: number): Promise<void>; close(): void } {
  let now = 0;
  const reader = new LaneBridge({
    lane: env.lane,
    settings: env.store.getState().settings,
    clock: { now: () => now },
    emit: (a) => env.store.dispatch(a),
  });
  return {
    async read(at: number) {
      now = at;
      await reader.scan(false);
      env.store.dispatch({ type: 'clock/tick', at });
    },
    close: () => reader.close(),
  };
}
