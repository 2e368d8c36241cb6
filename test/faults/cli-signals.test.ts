/**
 * Board-level process faults through the REAL CLI (the built bundle, `node
 * bin/laneboard.js`, in a tmux pane): quitting with q + y, SIGINT, SIGTERM and SIGHUP each
 * leave no worker and no descendant — the workers fork a child and a grandchild in their
 * group plus a child that left the group (its own session), and every one of them traps
 * SIGTERM (test/fixtures/workers/tree.cjs), so only the process-tree stop with SIGKILL
 * after the grace period gets them. A board killed with SIGKILL leaves its workers; the
 * next board adopts them (same pids shown, no duplicate started) and its quit stops them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { cleanupTempDirs, commitFile, git, tempDir } from '../helpers/git-fixtures.js';
import { until } from '../helpers/faults-pipeline.js';
import {
  alivePids,
  hasTmux,
  killAll,
  startTmuxBoard,
  treePids,
  type TmuxBoard,
} from '../helpers/faults-tmux.js';

const TREE = resolve(import.meta.dirname, '../fixtures/workers/tree.cjs');
const LANES = ['alpha', 'beta'] as const;

function laneboardBin(): string {
  const error = inject('laneboardBuildError');
  const install = inject('laneboardInstall');
  if (error !== '' || install === '') throw new Error(`build failed in global setup:\n${error}`);
  return join(install, 'bin', 'laneboard.js');
}

/** Pids of live processes running tree.cjs with a pid file under `dir` (from /proc cmdlines). */
function treeProcesses(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const ours = argv.includes(TREE) && argv.some((a) => a.startsWith(`${dir}/`));
      if (ours && alivePids([Number(name)]).length === 1) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

interface Project {
  dir: string;
  config: string;
  pidFile: (lane: string) => string;
}

/** A repo with a worktree per lane and a lanes.yaml whose workers are tree.cjs. */
function project(): Project {
  const dir = tempDir('lb-faults-cli-');
  const repo = join(dir, 'repo');
  git(dir, 'init', '-q', '-b', 'main', repo);
  commitFile(repo, 'initial');
  mkdirSync(join(dir, 'pids'));
  const pidFile = (lane: string): string => join(dir, 'pids', `${lane}.txt`);
  const lanes = LANES.map((id) => {
    git(repo, 'worktree', 'add', '-q', '-b', `lane/${id}`, join(dir, 'wt', id), 'main');
    return [
      `  - id: ${id}`,
      `    worktree: wt/${id}`,
      `    branch: lane/${id}`,
      `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(TREE)}, ${JSON.stringify(pidFile(id))}]`,
    ].join('\n');
  });
  const config = join(dir, 'lanes.yaml');
  writeFileSync(
    config,
    [
      'version: 1',
      'settings:',
      '  stop_grace: 500ms',
      '  orphans: adopt',
      'defaults:',
      '  repo: repo',
      '  restart: on-failure',
      'lanes:',
      ...lanes,
      '',
    ].join('\n'),
  );
  return { dir, config, pidFile };
}

const boards: TmuxBoard[] = [];
const spawned: number[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) b.kill();
  const left = spawned.splice(0);
  killAll(left); // only after a failure: the tests expect them gone already
  await until(() => alivePids(left).length === 0, 'leftover workers gone', 5_000);
  cleanupTempDirs();
});

/** Start a board and wait until both workers run with their whole tree recorded (4 each). */
async function startWithWorkers(p: Project): Promise<{ board: TmuxBoard; pids: number[] }> {
  const board = startTmuxBoard({ bin: laneboardBin(), cwd: p.dir, config: p.config });
  boards.push(board);
  await until(
    () => LANES.every((id) => treePids(p.pidFile(id)).length === 4),
    'both worker trees (root, child, grandchild, escaped) recorded',
    20_000,
    () => board.capture(),
  );
  const pids = LANES.flatMap((id) => treePids(p.pidFile(id)).map(([, pid]) => pid));
  spawned.push(...pids);
  const roots = LANES.map((id) => treePids(p.pidFile(id)).find(([r]) => r === 'root')?.[1]);
  await board.waitFor(
    (f) => roots.every((pid) => f.includes(`run ${pid}`)),
    'both workers shown running with their pids',
  );
  expect(alivePids(pids)).toHaveLength(8);
  return { board, pids };
}

/** Wait until the board exited and none of `pids` is alive; returns the exit code. */
async function expectAllGone(board: TmuxBoard, pids: number[]): Promise<number> {
  await board.waitFor((f) => /\[laneboard exited \d+\]/.test(f), 'the board to exit', 20_000);
  await until(
    () => alivePids(pids).length === 0,
    'every worker and descendant gone',
    10_000,
    () => `alive: ${alivePids(pids).join(' ')}`,
  );
  return board.exitCode() ?? -1;
}

describe.skipIf(!hasTmux())('quitting the real board stops every worker tree', () => {
  it('q then y (confirm while workers run)', async () => {
    const p = project();
    const { board, pids } = await startWithWorkers(p);
    board.key('q');
    await board.waitFor(
      (f) => f.includes('Quit and stop the 2 running workers? (y/n)'),
      'quit confirmation',
    );
    board.key('y');
    expect(await expectAllGone(board, pids)).toBe(0);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s to the board', async (sig, code) => {
    const p = project();
    const { board, pids } = await startWithWorkers(p);
    const pid = board.boardPid();
    expect(pid).not.toBeNull();
    process.kill(pid ?? 0, sig);
    expect(await expectAllGone(board, pids)).toBe(code);
  });
});

describe.skipIf(!hasTmux())('a board killed with SIGKILL', () => {
  it('leaves its workers; the next board adopts them (same pids, no duplicate) and stops them on quit', async () => {
    const p = project();
    const first = await startWithWorkers(p);
    const roots = LANES.map((id) => treePids(p.pidFile(id)).find(([r]) => r === 'root')?.[1]);
    const boardPid = first.board.boardPid();
    expect(boardPid).not.toBeNull();
    process.kill(boardPid ?? 0, 'SIGKILL');
    await first.board.waitFor((f) => f.includes('[laneboard exited 137]'), 'first board killed');
    expect(alivePids(first.pids)).toHaveLength(8); // nothing cleaned up by a SIGKILLed board

    const second = startTmuxBoard({ bin: laneboardBin(), cwd: p.dir, config: p.config });
    boards.push(second);
    const record = join(p.dir, '.laneboard', 'supervisor.json');
    await second
      .waitFor(
        (f) => roots.every((pid) => f.includes(`run ${pid}`)),
        'the second board shows the same worker pids',
      )
      .catch((err: unknown) => {
        // Say what the second board saw: the record it read and the processes alive.
        let rec = '(no record)';
        try {
          rec = readFileSync(record, 'utf8');
        } catch {
          // keep the placeholder
        }
        const msg = err instanceof Error ? err.message : String(err);
        throw new Error(
          `${msg}\nroots ${roots.join(',')}; alive tree ${treeProcesses(p.dir).join(',')}\nrecord: ${rec}`,
        );
      });
    // The supervisor starts (or adopts) before the first frame, so a duplicate would already
    // exist as a process now: exactly the 8 original tree processes run tree.cjs.
    expect(treeProcesses(p.dir).sort()).toEqual([...first.pids].sort());
    for (const id of LANES)
      expect(treePids(p.pidFile(id)).filter(([r]) => r === 'root')).toHaveLength(1);
    expect(alivePids(first.pids)).toHaveLength(8);
    // The detail pane says it is adopted.
    second.key('Enter');
    await second.waitFor((f) => /adopted/i.test(f), 'adopted shown in details');
    second.key('Escape');
    // Wait for the board before the next key: ESC followed at once by q reads as Alt+q.
    await second.waitFor((f) => !f.includes('adopted: yes'), 'detail pane closed');
    second.key('q');
    await second.waitFor(
      (f) => f.includes('Quit and stop the 2 running workers? (y/n)'),
      'quit confirmation',
    );
    second.key('y');
    expect(await expectAllGone(second, first.pids)).toBe(0);
  });
});
