/**
 * Helpers for the control tests (test/e2e/serve.test.ts, test/e2e/control-*.test.ts): a
 * temp project whose supervised lanes run test/fixtures/e2e/worker.mjs (bridge files,
 * inbox acknowledgements, two grandchildren of which one leaves the process group), the
 * pids each worker recorded, and cleanup that leaves no process of the project behind.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive, killLeftovers, runCli, startCli, waitFor, type RunningCli } from './e2e-cli.js';
import { processesUnder } from './e2e-frame.js';
import { makeProject, type Project } from './e2e-project.js';

/** The fixture worker. */
export const WORKER = fileURLToPath(new URL('../fixtures/e2e/worker.mjs', import.meta.url));

/**
 * A project with supervised lanes `ids` (default alpha, beta) running the fixture worker
 * (restart on-failure, stop grace 2 s) plus `extra` lanes.yaml lines appended to `lanes:`.
 */
export function controlProject(ids: readonly string[] = ['alpha', 'beta']): Project {
  const p = makeProject(1);
  for (const id of ids) p.addLane(id, `lane/${id}`);
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
      ...ids.flatMap((id) => [`  - id: ${id}`, `    worktree: wt/${id}`, `    branch: lane/${id}`]),
      '',
    ].join('\n'),
  );
  return p;
}

/** Every pid the fixture workers of lanes `ids` recorded: workers and their grandchildren. */
export function recordedPids(p: Project, ids: readonly string[] = ['alpha', 'beta']): number[] {
  const all: number[] = [];
  for (const id of ids) {
    let names: string[] = [];
    try {
      names = readdirSync(p.bridge(id)).filter((n) => /^pids-\d+\.json$/.test(n));
    } catch {
      continue;
    }
    for (const n of names) {
      try {
        const rec = JSON.parse(readFileSync(path.join(p.bridge(id), n), 'utf8')) as {
          pid: number;
          grandchildren: number[];
        };
        all.push(rec.pid, ...rec.grandchildren);
      } catch {
        // being written
      }
    }
  }
  return all;
}

/** Live pids among `pids`. */
export function alive(pids: readonly number[]): number[] {
  return pids.filter((pid) => isAlive(pid));
}

/** Wait (≤ 8 s) for every process of `p` to be gone, then SIGKILL whatever is left. */
export async function reapProject(p: Project, ids?: readonly string[]): Promise<void> {
  await waitFor(() => processesUnder(p.root).length === 0, 'the project processes to stop', {
    timeoutMs: 8_000,
  }).catch(() => undefined);
  killLeftovers(recordedPids(p, ids));
  killLeftovers(processesUnder(p.root));
}

/** `laneboard <args> --config <p.config>` run in the project root. */
export const projectCli = (p: Project, ...args: string[]): ReturnType<typeof runCli> =>
  runCli([...args, '--config', p.config], { cwd: p.root });

/**
 * Start `laneboard serve` on the project (pushed to `running` for cleanup) and wait
 * (≤ 15 s) until every supervised lane's worker runs: every lane but those in `observeOnly`.
 */
export async function serveProject(
  p: Project,
  running: RunningCli[],
  observeOnly: readonly string[] = [],
): Promise<RunningCli> {
  const s = startCli(['serve', '--config', p.config], { cwd: p.root });
  running.push(s);
  await waitFor(
    async () => {
      const r = await projectCli(p, 'status', '--json');
      if (r.code !== 0) return false;
      const lanes = (JSON.parse(r.stdout) as { lanes: { id: string; worker: { state: string } }[] })
        .lanes;
      return lanes
        .filter((l) => !observeOnly.includes(l.id))
        .every((l) => l.worker.state === 'running');
    },
    'serve to run every supervised worker',
    { timeoutMs: 15_000, intervalMs: 200, detail: () => s.stderr() },
  );
  return s;
}
