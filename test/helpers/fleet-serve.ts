/**
 * Real fleet hosts for the CLI-level tests: each is `laneboard serve --nats URL --host
 * NAME` (the built CLI as a child process) on its own temp git repo and lanes.yaml, with
 * one worktree per lane and a real sleeping worker (test/fixtures/workers/sleep.cjs).
 * `cleanup()` stops every host (SIGTERM, then SIGKILL) and kills any worker a SIGKILLed
 * host left behind (by pid, read from the fleet snapshot while it ran).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli, type RunningCli } from './e2e-cli.js';
import { killHard, makeTempDir, removeDir, waitFor, workerFixture } from './supervisor-helpers.js';

/** One running `serve --nats` host. */
export interface ServeHost {
  readonly name: string;
  /** Directory holding lanes.yaml, the repo and the worktrees. */
  readonly root: string;
  readonly cli: RunningCli;
  /** The bridge dir of a lane (`<root>/.laneboard/lanes/<id>`). */
  bridge(laneId: string): string;
}

/** A fleet snapshot as the tests read it. */
export interface FleetSnap {
  readonly lanes: readonly {
    readonly id: string;
    readonly host: string;
    readonly hostOnline: boolean;
    readonly worker: { readonly state: string; readonly pid: number | null };
  }[];
  readonly hosts: readonly { readonly id: string; readonly online: boolean }[];
}

/** `laneboard --json --nats URL` from an empty directory. */
export async function fleetJson(url: string, cwd: string): Promise<FleetSnap> {
  const r = await runCli(['--json', '--nats', url], { cwd });
  if (r.code !== 0) throw new Error(`--json --nats exited ${String(r.code)}: ${r.stderr}`);
  return JSON.parse(r.stdout) as FleetSnap;
}

/** Hosts started by {@link serveHosts}; call `cleanup()` in afterEach (before stopping nats). */
export function serveHosts() {
  const hosts: ServeHost[] = [];
  const pids = new Set<number>();
  const dirs: string[] = [];
  return {
    /** A scratch directory removed by cleanup. */
    dir(prefix = 'lb-fleet-'): string {
      const d = makeTempDir(prefix);
      dirs.push(d);
      return d;
    },
    /** Start a host with `laneIds` and wait until each lane's worker runs in the fleet. */
    async start(name: string, url: string, laneIds: readonly string[]): Promise<ServeHost> {
      const root = this.dir(`lb-serve-${name}-`);
      const repo = join(root, 'repo');
      const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, stdio: 'ignore' });
      execFileSync('git', ['init', '-q', '-b', 'main', repo]);
      git(
        '-c',
        'user.email=t@t',
        '-c',
        'user.name=t',
        'commit',
        '-q',
        '--allow-empty',
        '-m',
        'init',
      );
      for (const id of laneIds) {
        git('worktree', 'add', '-q', '-b', `lane/${id}`, join(root, `wt-${id}`));
      }
      return this.serve(name, url, root, laneIds);
    },
    /**
     * Stop `host` (SIGTERM, wait for its exit), write its lanes.yaml with only `laneIds`
     * (worktrees made by `start`) and start it again; resolves once they run in the fleet.
     */
    async restart(host: ServeHost, url: string, laneIds: readonly string[]): Promise<ServeHost> {
      host.cli.child.kill('SIGTERM');
      await host.cli.exited;
      hosts.splice(hosts.indexOf(host), 1);
      return this.serve(host.name, url, host.root, laneIds);
    },
    /** Write `<root>/lanes.yaml` for `laneIds`, run `serve` there, wait for its lanes. */
    async serve(
      name: string,
      url: string,
      root: string,
      laneIds: readonly string[],
    ): Promise<ServeHost> {
      const repo = join(root, 'repo');
      const lines = ['lanes:'];
      for (const id of laneIds) {
        lines.push(
          `  - id: ${id}`,
          `    repo: ${repo}`,
          `    worktree: ${join(root, `wt-${id}`)}`,
          `    branch: lane/${id}`,
          `    command: ["${process.execPath}", "${workerFixture('sleep.cjs')}"]`,
          '    autostart: true',
        );
      }
      writeFileSync(join(root, 'lanes.yaml'), `${lines.join('\n')}\n`);
      const cli = startCli(['serve', '--nats', url, '--host', name], { cwd: root });
      const host: ServeHost = {
        name,
        root,
        cli,
        bridge: (id) => join(root, '.laneboard', 'lanes', id),
      };
      hosts.push(host);
      const probe = this.dir('lb-probe-');
      await waitFor(
        async () => {
          const s = await fleetJson(url, probe);
          const mine = s.lanes.filter((l) => l.host === name && l.worker.state === 'running');
          for (const l of mine) if (l.worker.pid !== null) pids.add(l.worker.pid);
          return mine.length === laneIds.length;
        },
        60_000, // a --json --nats read can time out (5 s) while a host starts: see docs/fleet.md, "Not done yet"
        `${name}'s lanes running in the fleet (serve stderr: ${cli.stderr()})`,
      );
      return host;
    },
    /** Remember a worker pid to kill at cleanup (a host that was SIGKILLed leaves it). */
    track(pid: number | null): void {
      if (pid !== null) pids.add(pid);
    },
    async cleanup(): Promise<void> {
      for (const h of hosts.splice(0)) {
        if (h.cli.child.exitCode === null && h.cli.child.signalCode === null) {
          h.cli.child.kill('SIGTERM');
          const t = setTimeout(() => h.cli.kill(), 5_000);
          await h.cli.exited;
          clearTimeout(t);
        }
      }
      killHard(pids);
      for (const d of dirs.splice(0)) removeDir(d);
    },
  };
}
