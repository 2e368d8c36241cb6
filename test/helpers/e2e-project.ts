/**
 * End-to-end helpers for building a real laneboard project in a temp directory: a git
 * repository on `main`, lane branches ahead of / behind it, linked worktrees, a lanes.yaml
 * and bridge files written the way a worker writes them (tmp + rename, appended lines).
 * Every project made here is removed by {@link cleanupProjects}.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Environment for test-side git: fixed identity, no user or system config. */
export const E2E_GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@laneboard.invalid',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@laneboard.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

/** Run git in `cwd`; returns stdout without the trailing newline; throws on a non-zero exit. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: E2E_GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).replace(/\n$/, '');
}

/** Write `file` (relative to `cwd`) and commit everything with `subject`. */
export function commit(
  cwd: string,
  subject: string,
  file = `${subject.replace(/\W+/g, '-')}.txt`,
): void {
  writeFileSync(path.join(cwd, file), `${subject}\n`);
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', subject);
}

/**
 * `git rev-list --left-right --count <base>...HEAD` in `worktree`, which prints
 * "behind<TAB>ahead" (left = base side). Throws when git fails.
 */
export function revListCounts(worktree: string, base: string): { ahead: number; behind: number } {
  const out = git(worktree, 'rev-list', '--left-right', '--count', `${base}...HEAD`);
  const [behind, ahead] = out.split(/\s+/).map(Number);
  if (behind === undefined || ahead === undefined || Number.isNaN(behind) || Number.isNaN(ahead)) {
    throw new Error(`unexpected rev-list output: ${JSON.stringify(out)}`);
  }
  return { ahead, behind };
}

const made: string[] = [];

/** A new temp directory (realpath'd), removed by {@link cleanupProjects}. */
export function tempRoot(prefix = 'lb-e2e-proj-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** Remove every directory made by {@link tempRoot} (call in afterEach, after processes are gone). */
export function cleanupProjects(): void {
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  }
}

/** A temp project: `<root>/repo` on main plus helpers bound to it. */
export interface Project {
  /** Temp root; lanes.yaml, worktrees (`wt/<name>`) and `.laneboard/` live here. */
  readonly root: string;
  /** The repository's main worktree. */
  readonly repo: string;
  /** Path of lanes.yaml (written by {@link Project.writeConfig}). */
  readonly config: string;
  /**
   * Create branch `branch` at `from` (default main) with `ahead` extra commits, checked
   * out in a new worktree `<root>/wt/<name>`; returns the worktree path.
   */
  addLane(name: string, branch: string, opts?: { from?: string; ahead?: number }): string;
  /** Write lanes.yaml with `text`; returns its path. */
  writeConfig(text: string): string;
  /** Default bridge directory of lane `id` (`<root>/.laneboard/lanes/<id>`). */
  bridge(id: string): string;
  /** Write a bridge JSON document atomically (tmp + rename), as the contract asks of workers. */
  writeDoc(id: string, name: 'state.json' | 'result.json', value: unknown): void;
  /** Append one event line to the lane's events.jsonl. */
  appendEvent(id: string, event: Record<string, unknown>): void;
}

/**
 * Make a project: a repo on `main` with `mainCommits` commits (at least 1). Lanes are
 * added with {@link Project.addLane}; move main on afterwards with {@link commit}.
 */
export function makeProject(mainCommits = 1): Project {
  const root = tempRoot();
  const repo = path.join(root, 'repo');
  git(root, 'init', '-q', '-b', 'main', repo);
  git(repo, 'config', 'commit.gpgsign', 'false');
  for (let i = 0; i < Math.max(1, mainCommits); i++) commit(repo, `main ${i + 1}`);
  const config = path.join(root, 'lanes.yaml');
  const bridge = (id: string): string => path.join(root, '.laneboard', 'lanes', id);
  return {
    root,
    repo,
    config,
    addLane(name, branch, opts = {}) {
      const wt = path.join(root, 'wt', name);
      git(repo, 'worktree', 'add', '-q', '-b', branch, wt, opts.from ?? 'main');
      for (let i = 0; i < (opts.ahead ?? 0); i++) commit(wt, `${name} work ${i + 1}`);
      return wt;
    },
    writeConfig(text) {
      writeFileSync(config, text);
      return config;
    },
    bridge,
    writeDoc(id, name, value) {
      const dir = bridge(id);
      mkdirSync(dir, { recursive: true });
      const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, path.join(dir, name));
    },
    appendEvent(id, event) {
      const dir = bridge(id);
      mkdirSync(dir, { recursive: true });
      appendFileSync(path.join(dir, 'events.jsonl'), `${JSON.stringify(event)}\n`);
    },
  };
}
