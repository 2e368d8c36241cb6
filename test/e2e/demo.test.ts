/**
 * The shipped demo end to end, in a temp copy (lanes.yaml, examples/, scripts/ copied to
 * a temp dir, so the repository's own .laneboard/ is never touched): `node
 * scripts/demo-setup.mjs` builds the demo repo there, the board runs on the shipped
 * lanes.yaml in tmux (no --config: the default ./lanes.yaml) and creates the worktrees and
 * starts the five stand-in agents. Checks what issue #2 promises of the demo (green, red,
 * behind, crashy restarted, blocked unblocked by steering), `r` gives a new pid, `--json`
 * from a second process validates and its ahead/behind equal `git rev-list`, and `q` `y`
 * leaves no worker or descendant.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killLeftovers, laneboardInstall, runCli, waitFor } from '../helpers/e2e-cli.js';
import {
  pidOf,
  processesUnder,
  processesWithEnv,
  rowOf,
  selectedLane,
} from '../helpers/e2e-frame.js';
import { cleanupProjects, revListCounts, tempRoot } from '../helpers/e2e-project.js';
import { loadSnapshotValidator, type SnapshotValidator } from '../helpers/e2e-schema.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LANES = ['green', 'red', 'behind', 'crashy', 'blocked'] as const;

let validate: SnapshotValidator;
const terms: BoardTerm[] = [];
let root: string | null = null;

beforeAll(() => {
  if (!hasTmux()) throw new Error('the demo e2e test needs tmux on PATH (apt-get install tmux)');
  validate = loadSnapshotValidator(path.join(laneboardInstall(), 'schema', 'snapshot.schema.json'));
});

afterEach(async () => {
  for (const t of terms.splice(0)) t.kill();
  if (root !== null) {
    const r = root;
    await waitFor(() => processesUnder(r).length === 0, 'the demo processes to stop', {
      timeoutMs: 8_000,
    }).catch(() => undefined);
    killLeftovers(processesUnder(r));
    root = null;
  }
  cleanupProjects();
});

/** A temp copy of the shipped demo with its repository set up; returns the copy's root. */
function demoCopy(): string {
  const dir = tempRoot('lb-e2e-demo-');
  for (const entry of ['lanes.yaml', 'examples', 'scripts']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  execFileSync(process.execPath, [path.join(dir, 'scripts', 'demo-setup.mjs')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  root = dir;
  return dir;
}

interface DemoLane {
  id: string;
  worktree: string;
  git: { ahead: number | null; behind: number | null; freshness: string };
  worker: { state: string; pid: number | null; restarts: number };
}

describe('the shipped lanes.yaml (demo) in tmux', () => {
  it('runs five real lanes: green, red, behind, crashy restarted, blocked unblocked by s', async () => {
    const dir = demoCopy();
    expect(existsSync(path.join(dir, '.laneboard', 'demo', 'repo', '.git'))).toBe(true);
    const term = startBoard({ cwd: dir, args: [], cols: 120, rows: 40 });
    terms.push(term);

    // All five lanes with their worker pids (worktrees were created by the board).
    let frame = await term.waitForFrame(
      (f) => LANES.every((id) => rowOf(f, id) !== null) && pidOf(f, 'green') !== null && f,
      'the five demo lanes',
      20_000,
    );
    expect(frame).toContain('5 lanes');
    const crashyFirst = pidOf(frame, 'crashy');
    for (const id of LANES)
      expect(existsSync(path.join(dir, '.laneboard', 'demo', 'wt', id))).toBe(true);

    // Live: tests run and report; the crashy worker is restarted with a new pid.
    frame = await term.waitForFrame(
      (f) =>
        /green pkg/.test(rowOf(f, 'green') ?? '') &&
        /red pkg/.test(rowOf(f, 'red') ?? '') &&
        /↑0 ↓3 stale/.test(rowOf(f, 'behind') ?? '') &&
        /blocked/.test(rowOf(f, 'blocked') ?? '') &&
        /input_required/.test(rowOf(f, 'blocked') ?? '') &&
        f,
      'green, red, behind and blocked lanes to show their state',
      25_000,
    );
    await term.waitForFrame(
      (f) => {
        const pid = pidOf(f, 'crashy');
        return pid !== null && pid !== crashyFirst;
      },
      'the crashy worker to be restarted',
      25_000,
    );

    // Steer the blocked lane: select it (one key at a time), s, text, Enter.
    for (let i = 0; selectedLane(term.capture()) !== 'blocked' && i < LANES.length; i++) {
      const at = selectedLane(term.capture());
      await term.press('j', (f) => selectedLane(f) !== at, 'the selection to move down');
    }
    expect(selectedLane(term.capture())).toBe('blocked');
    await term.press('s', (f) => f.includes('steer blocked'), 'the steer prompt');
    await term.type('exponential', 'steer blocked › ');
    await term.press(
      'Enter',
      (f) => /\bdelivered\b/.test(f) && !/not delivered/.test(f),
      'the steering message to be delivered',
    );
    await term.waitForFrame((f) => {
      const row = rowOf(f, 'blocked') ?? '';
      return !/input_required/.test(row) && /\b(ready|running|finished)\b/.test(row);
    }, 'the blocked lane to unblock');

    // r on green gives it a new pid.
    for (let i = 0; selectedLane(term.capture()) !== 'green' && i < LANES.length; i++) {
      const at = selectedLane(term.capture());
      await term.press('k', (f) => selectedLane(f) !== at, 'the selection to move up');
    }
    frame = term.capture();
    expect(selectedLane(frame)).toBe('green');
    const greenPid = pidOf(frame, 'green');
    frame = await term.press(
      'r',
      (f) => pidOf(f, 'green') !== null && pidOf(f, 'green') !== greenPid,
      'green to show a new pid after r',
    );
    const newGreen = pidOf(frame, 'green');

    // --json from a second process (default ./lanes.yaml) while the board runs.
    const r = await runCli(['--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as { lanes: DemoLane[] };
    expect(validate(snap)).toEqual([]);
    expect(snap.lanes.map((l) => l.id)).toEqual([...LANES]);
    for (const lane of snap.lanes) {
      const counts = revListCounts(lane.worktree, 'main');
      expect({ id: lane.id, ahead: lane.git.ahead, behind: lane.git.behind }).toEqual({
        id: lane.id,
        ...counts,
      });
    }
    const byId = new Map(snap.lanes.map((l) => [l.id, l]));
    expect(byId.get('behind')?.git).toMatchObject({ ahead: 0, behind: 3, freshness: 'stale' });
    expect(byId.get('green')?.git).toMatchObject({ ahead: 1, behind: 0, freshness: 'fresh' });
    expect(byId.get('green')?.worker).toMatchObject({ state: 'running', pid: newGreen });
    expect(byId.get('crashy')?.worker.restarts).toBeGreaterThanOrEqual(1);

    // q asks, y quits; no worker or descendant of the demo is left.
    await term.press(
      'q',
      (f) => /Quit and stop the \d+ running workers?\?/.test(f),
      'the quit confirmation',
    );
    await term.press('y', () => term.exitCode() !== null, 'the board to exit');
    expect(term.exitCode()).toBe(0);
    expect(processesWithEnv(`LANEBOARD_BRIDGE_DIR=${dir}/`)).toEqual([]);
  });
});
