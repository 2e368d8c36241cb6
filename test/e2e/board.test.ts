/**
 * The board in a real terminal (tmux), end to end: a temp project with two supervised
 * lanes (test/fixtures/e2e/worker.mjs: writes bridge files, acknowledges inbox messages,
 * keeps two grandchildren, one outside its process group) and one observe-only lane whose
 * bridge file the test rewrites. Drives keys one at a time and reads frames:
 * lanes with freshness, a live update, `r` gives a new pid (confirmed by `--json` from a
 * second process), `s` + text + Enter is acknowledged, `q` `y` exits and leaves no worker
 * or descendant alive. A second run at 80 columns checks that no line is wider than 80.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, killLeftovers, runCli, waitFor } from '../helpers/e2e-cli.js';
import {
  cellWidth,
  frameLines,
  pidOf,
  processesUnder,
  processesWithEnv,
  rowOf,
  selectedLane,
} from '../helpers/e2e-frame.js';
import { cleanupProjects, commit, makeProject, type Project } from '../helpers/e2e-project.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';

const WORKER = fileURLToPath(new URL('../fixtures/e2e/worker.mjs', import.meta.url));

const terms: BoardTerm[] = [];
let project: Project | null = null;

beforeAll(() => {
  if (!hasTmux()) throw new Error('the board e2e tests need tmux on PATH (apt-get install tmux)');
});

afterEach(async () => {
  for (const t of terms.splice(0)) t.kill();
  if (project) {
    // Killing tmux hangs up the board, whose shutdown stops the workers; wait for the
    // board, its workers and their descendants to be gone, then make sure nothing of this
    // project survives a failed test.
    const root = project.root;
    await waitFor(() => processesUnder(root).length === 0, 'the project processes to stop', {
      timeoutMs: 8_000,
    }).catch(() => undefined);
    killLeftovers(workerPids(project).all);
    killLeftovers(processesUnder(root));
    project = null;
  }
  cleanupProjects();
});

/** Every pid the fixture workers of `p` recorded (pids-<pid>.json in each bridge dir). */
function workerPids(p: Project): { workers: number[]; all: number[] } {
  const workers: number[] = [];
  const all: number[] = [];
  for (const id of ['alpha', 'beta']) {
    let names: string[] = [];
    try {
      names = readdirSync(p.bridge(id)).filter((n) => /^pids-\d+\.json$/.test(n));
    } catch {
      continue;
    }
    for (const n of names) {
      // Written atomically (test/fixtures/e2e/worker.mjs): whole or absent.
      const rec = JSON.parse(readFileSync(path.join(p.bridge(id), n), 'utf8')) as {
        pid: number;
        grandchildren: number[];
      };
      workers.push(rec.pid);
      all.push(rec.pid, ...rec.grandchildren);
    }
  }
  return { workers, all };
}

/**
 * The pids worker `pid` of lane `id` recorded: itself and its two grandchildren. Waits for
 * the record: the board can show a new worker's pid before the worker has written it.
 */
async function pidsOf(p: Project, id: string, pid: number): Promise<number[]> {
  const file = path.join(p.bridge(id), `pids-${pid}.json`);
  const rec = await waitFor(
    () =>
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; grandchildren: number[] }),
    `worker ${pid} of ${id} to record its pids`,
  );
  return [rec.pid, ...rec.grandchildren];
}

/**
 * main has 2 commits; `alpha` is 1 ahead and 1 behind (diverged), `beta` and the
 * observe-only `obs` are 1 behind (stale). alpha and beta run the fixture worker.
 */
function boardProject(): Project {
  const p = makeProject(1);
  p.addLane('alpha', 'lane/alpha', { ahead: 1 });
  p.addLane('beta', 'lane/beta');
  p.addLane('obs', 'lane/obs');
  commit(p.repo, 'main 2');
  p.writeConfig(
    [
      'version: 1',
      'settings:',
      '  stop_grace: 2s',
      '  steer_timeout: 20s',
      'defaults:',
      '  repo: repo',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(WORKER)}]`,
      '  restart: on-failure',
      'lanes:',
      '  - id: alpha',
      '    worktree: wt/alpha',
      '    branch: lane/alpha',
      '  - id: beta',
      '    worktree: wt/beta',
      '    branch: lane/beta',
      '  - id: obs',
      '    worktree: wt/obs',
      '    branch: lane/obs',
      '    command: null',
      '',
    ].join('\n'),
  );
  p.writeDoc('obs', 'state.json', {
    schema: 'laneboard.state/1',
    status: 'idle',
    updatedAt: new Date().toISOString(),
  });
  project = p;
  return p;
}

/** Frame predicate: both workers show a pid and every lane shows its freshness. */
function lanesUp(f: string): boolean {
  return (
    pidOf(f, 'alpha') !== null &&
    pidOf(f, 'beta') !== null &&
    /↑1 ?↓1 div/.test(rowOf(f, 'alpha') ?? '') &&
    /↑0 ↓1 stale/.test(rowOf(f, 'beta') ?? '') &&
    /↑0 ↓1 stale/.test(rowOf(f, 'obs') ?? '')
  );
}

describe('the board in tmux', () => {
  it('shows lanes live; r restarts with a new pid; s steers; q y leaves no process', async () => {
    const p = boardProject();
    const term = startBoard({ cwd: p.root, args: ['--config', p.config], cols: 120, rows: 40 });
    terms.push(term);

    // Lanes appear, grouped under their repo, with freshness and worker pids.
    let frame = await term.waitForFrame((f) => lanesUp(f) && f, 'lanes with pids and freshness');
    expect(frame).toContain('3 lanes');
    expect(frame).toContain(p.repo);
    expect(selectedLane(frame)).toBe('alpha');
    const alphaPid = pidOf(frame, 'alpha') ?? 0;
    const betaPid = pidOf(frame, 'beta') ?? 0;
    // The board shows a pid as soon as the worker is spawned; its record of its own
    // descendants comes once it runs (read below, after r and at the end).
    await pidsOf(p, 'alpha', alphaPid);
    await pidsOf(p, 'beta', betaPid);

    // A bridge file written now shows up live.
    p.writeDoc('obs', 'state.json', {
      schema: 'laneboard.state/1',
      status: 'blocked',
      updatedAt: new Date().toISOString(),
      blocker: { failureClass: 'permission', detail: 'may I?', nextAction: 'answer it' },
    });
    frame = await term.waitForFrame(
      (f) => /blocked/.test(rowOf(f, 'obs') ?? '') && /permission/.test(rowOf(f, 'obs') ?? '') && f,
      'obs row to show the new state.json',
    );
    // Frames after the first are drawn incrementally (only changed lines): each line of the
    // board is still on screen exactly once, in its place (src/ui/ink-patch/log-update.ts).
    const lines = frameLines(frame);
    expect(lines.filter((l) => l.includes('3 lanes'))).toHaveLength(1);
    expect(lines[0]).toContain('3 lanes');
    for (const id of ['alpha', 'beta', 'obs']) {
      expect(lines.filter((l) => new RegExp(`^. ${id}\\b`).test(l))).toHaveLength(1);
    }

    // r on alpha: a new pid; the old worker and both its grandchildren are gone.
    frame = await term.press(
      'r',
      (f) => pidOf(f, 'alpha') !== null && pidOf(f, 'alpha') !== alphaPid,
      'alpha to show a new pid after r',
    );
    const newAlpha = pidOf(frame, 'alpha') ?? 0;
    expect(pidOf(frame, 'beta')).toBe(betaPid);
    const oldTree = await pidsOf(p, 'alpha', alphaPid);
    expect(oldTree).toHaveLength(3);
    expect(oldTree.filter((pid) => isAlive(pid))).toEqual([]);
    expect((await pidsOf(p, 'beta', betaPid)).filter((pid) => isAlive(pid))).toHaveLength(3);
    // A second process sees the same pid through the board's supervisor record.
    const json = await runCli(['--json', '--config', p.config], { cwd: p.root });
    expect(json.code).toBe(0);
    const snap = JSON.parse(json.stdout) as {
      lanes: { id: string; worker: { state: string; pid: number | null } }[];
    };
    expect(snap.lanes.find((l) => l.id === 'alpha')?.worker).toMatchObject({
      state: 'running',
      pid: newAlpha,
    });
    expect(snap.lanes.find((l) => l.id === 'beta')?.worker).toMatchObject({
      state: 'running',
      pid: betaPid,
    });
    expect(snap.lanes.find((l) => l.id === 'obs')?.worker.pid).toBeNull();

    // s, typed text, Enter: the worker acknowledges, the board shows it delivered.
    await term.press('s', (f) => f.includes('steer alpha'), 'the steer prompt');
    await term.type('use exponential backoff', 'steer alpha › ');
    frame = await term.press(
      'Enter',
      (f) => /\bdelivered\b/.test(f) && !/not delivered/.test(f),
      'the steering message to show as delivered',
    );
    const inbox = readFileSync(path.join(p.bridge('alpha'), 'inbox.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(inbox).toHaveLength(1);
    const msg = JSON.parse(inbox[0] ?? '{}') as { id: string; text: string };
    expect(msg.text).toBe('use exponential backoff');
    const events = readFileSync(path.join(p.bridge('alpha'), 'events.jsonl'), 'utf8');
    expect(events).toContain(`"data":{"id":"${msg.id}"}`);

    // q asks (workers are running), y quits; afterwards nothing the workers started lives.
    await term.press(
      'q',
      (f) => /Quit and stop the \d+ running workers?\?/.test(f),
      'the quit confirmation',
    );
    await term.press('y', () => term.exitCode() !== null, 'the board to exit');
    expect(term.exitCode()).toBe(0);
    const { workers, all } = workerPids(p);
    expect(workers).toEqual(expect.arrayContaining([alphaPid, newAlpha, betaPid]));
    expect(all.filter((pid) => isAlive(pid))).toEqual([]);
    expect(processesWithEnv(`LANEBOARD_BRIDGE_DIR=${p.root}/`)).toEqual([]);
  });

  it('closing the terminal (SIGHUP) stops every worker and descendant', async () => {
    const p = boardProject();
    const term = startBoard({ cwd: p.root, args: ['--config', p.config] });
    terms.push(term);
    await term.waitForFrame((f) => lanesUp(f) && f, 'lanes with pids');
    const { all } = await waitFor(
      () => workerPids(p).workers.length === 2 && workerPids(p),
      'both workers to record their pids',
    );
    expect(all.filter((pid) => isAlive(pid))).toHaveLength(6);
    term.kill();
    await waitFor(
      () => all.every((pid) => !isAlive(pid)),
      'the workers of a hung-up board to stop',
      {
        timeoutMs: 8_000,
        detail: () => `alive: ${all.filter((pid) => isAlive(pid)).join(' ')}`,
      },
    );
    expect(processesWithEnv(`LANEBOARD_BRIDGE_DIR=${p.root}/`)).toEqual([]);
  });

  it('fits 80 columns: header visible, no line wider than 80, also in help and details', async () => {
    const p = boardProject();
    const term = startBoard({ cwd: p.root, args: ['--config', p.config], cols: 80, rows: 24 });
    terms.push(term);
    const checkWidth = (frame: string, what: string): void => {
      const wide = frameLines(frame).filter((l) => cellWidth(l) > 80);
      expect(wide, `${what}: lines wider than 80`).toEqual([]);
    };
    let frame = await term.waitForFrame((f) => lanesUp(f) && f, 'lanes at 80 columns');
    expect(frameLines(frame)[0]).toMatch(/^laneboard\b.*3 lanes/);
    checkWidth(frame, 'board');
    expect(frameLines(frame).length).toBeLessThanOrEqual(24);

    frame = await term.press('?', (f) => /In the board/.test(f), 'the help overlay');
    checkWidth(frame, 'help');
    frame = await term.press('Escape', (f) => lanesUp(f), 'the board again');
    frame = await term.press('Enter', (f) => !lanesUp(f), 'the detail pane');
    checkWidth(frame, 'details');
    expect(frame).toContain('alpha');
    frame = await term.press('Escape', (f) => lanesUp(f), 'the board after details');

    await term.press(
      'q',
      (f) => /Quit and stop the \d+ running workers?\?/.test(f),
      'the quit confirmation',
    );
    await term.press('y', () => term.exitCode() !== null, 'the board to exit');
    expect(term.exitCode()).toBe(0);
    expect(processesWithEnv(`LANEBOARD_BRIDGE_DIR=${p.root}/`)).toEqual([]);
  });

  it('never draws more rows than the terminal has: 14 lanes in 12 rows scroll with j', async () => {
    const p = makeProject(1);
    project = p;
    const ids = Array.from({ length: 14 }, (_, i) => `lane${String(i + 1).padStart(2, '0')}`);
    const lanes = ids.flatMap((id) => {
      p.addLane(id, `lane/${id}`);
      return [`  - id: ${id}`, `    worktree: wt/${id}`, `    branch: lane/${id}`];
    });
    p.writeConfig(['version: 1', 'defaults: { repo: repo }', 'lanes:', ...lanes, ''].join('\n'));
    const term = startBoard({ cwd: p.root, args: ['--config', p.config], cols: 80, rows: 12 });
    terms.push(term);
    const fits = (f: string): boolean =>
      frameLines(f).length <= 12 && /^laneboard\b.*14 lanes/.test(frameLines(f)[0] ?? '');
    let frame = await term.waitForFrame(
      (f) => rowOf(f, 'lane01') !== null && /fresh/.test(rowOf(f, 'lane01') ?? '') && f,
      'the first lanes',
    );
    expect(fits(frame)).toBe(true);
    expect(rowOf(frame, 'lane14')).toBeNull();
    for (let i = 1; i < ids.length; i++) {
      const want = ids[i] ?? '';
      frame = await term.press('j', (f) => selectedLane(f) === want, `${want} to be selected`);
      expect(fits(frame), `frame after selecting ${want}:\n${frame}`).toBe(true);
    }
    expect(rowOf(frame, 'lane14')).not.toBeNull();
    expect(rowOf(frame, 'lane01')).toBeNull();
    // No workers: q quits without asking.
    await term.press('q', () => term.exitCode() !== null, 'the board to exit');
    expect(term.exitCode()).toBe(0);
  });
});
