import { EventEmitter } from 'node:events';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDirWatchSet,
  nodeWatch,
  type DirWatchKind,
  type DirWatchSet,
  type DirWatchSetOptions,
  type WatchFn,
} from '../../../src/runtime/git/dir-watches.js';
import { cleanupTempDirs, commitFile, git, makeRepo, waitFor } from '../../helpers/git-fixtures.js';

interface Report {
  kind: DirWatchKind;
  dir: string;
  rel: string;
}

let set: DirWatchSet | undefined;
afterEach(async () => {
  await set?.close();
  set = undefined;
  cleanupTempDirs();
});

/** A watch set recording every change and error. */
function recorder(extra: Partial<DirWatchSetOptions> = {}) {
  const reports: Report[] = [];
  const errors: { dir: string; error: Error }[] = [];
  set = createDirWatchSet({
    onChange: (kind, dir, rel) => reports.push({ kind, dir, rel }),
    onError: (dir, error) => errors.push({ dir, error }),
    ...extra,
  });
  const seen = (kind: DirWatchKind, dir: string, rel: string) =>
    reports.some((r) => r.kind === kind && r.dir === dir && r.rel === rel);
  const count = (kind: DirWatchKind, dir: string, rel: string) =>
    reports.filter((r) => r.kind === kind && r.dir === dir && r.rel === rel).length;
  return { set, reports, errors, seen, count };
}

/** Repo with one linked worktree on lane/a; the lane's git dir, common dir and refs dir. */
function laneRepo() {
  const { root, repo } = makeRepo();
  const wt = path.join(root, 'wt-a');
  git(repo, 'worktree', 'add', '-q', '-b', 'lane/a', wt, 'main');
  const common = path.join(repo, '.git');
  return { root, repo, wt, common, gitDir: path.join(common, 'worktrees', 'wt-a') };
}

/** Acquire the three watches a lane holds (as the git watcher does). */
async function acquireLane(s: DirWatchSet, l: ReturnType<typeof laneRepo>, holder = 'a') {
  await Promise.all([
    s.acquire('meta', l.gitDir, holder),
    s.acquire('meta', l.common, holder),
    s.acquire('refs', `${l.common}/refs`, holder),
  ]);
}

describe('createDirWatchSet (node:fs watch)', () => {
  it('reports a commit and a branch switch in a lane worktree', async () => {
    const l = laneRepo();
    const r = recorder();
    await acquireLane(r.set, l);
    expect(r.set.size()).toBe(3);
    commitFile(l.wt, 'work', 'a.txt');
    const refs = `${l.common}/refs`;
    await waitFor(() => r.seen('refs', refs, 'heads/lane/a'), 5_000, 'heads/lane/a reported');
    await waitFor(() => r.seen('meta', l.gitDir, 'index'), 5_000, 'index of the lane reported');
    git(l.wt, 'switch', '-q', '-c', 'lane/b');
    await waitFor(() => r.seen('meta', l.gitDir, 'HEAD'), 5_000, 'HEAD of the lane reported');
    expect(r.reports.every((x) => !x.rel.endsWith('.lock'))).toBe(true);
    expect(r.errors).toEqual([]);
  });

  it('watches a nested branch created after acquire, then reports its updates', async () => {
    const l = laneRepo();
    const r = recorder();
    const refs = `${l.common}/refs`;
    await r.set.acquire('refs', refs, 'a');
    const before = r.set.handles();
    git(l.repo, 'branch', 'feature/x/y');
    await waitFor(() => r.seen('refs', refs, 'heads/feature/x/y'), 5_000, 'new nested ref');
    expect(r.set.handles()).toBe(before + 2); // heads/feature and heads/feature/x
    const n = r.count('refs', refs, 'heads/feature/x/y');
    commitFile(l.repo, 'main moves', 'm.txt');
    git(l.repo, 'branch', '-f', 'feature/x/y', 'main');
    await waitFor(() => r.count('refs', refs, 'heads/feature/x/y') > n, 5_000, 'ref update');
    // A second update of the same (now known) ref is reported too.
    const m = r.count('refs', refs, 'heads/feature/x/y');
    git(l.repo, 'branch', '-f', 'feature/x/y', 'main~1');
    await waitFor(() => r.count('refs', refs, 'heads/feature/x/y') > m, 5_000, 'second update');
    // Deleting it removes the empty dirs: their watches are closed.
    git(l.repo, 'branch', '-D', 'feature/x/y');
    await waitFor(() => r.set.handles() === before, 5_000, 'watches of removed dirs closed');
  });

  it('picks up refs/remotes created after acquire', async () => {
    const l = laneRepo();
    const r = recorder();
    const refs = `${l.common}/refs`;
    await r.set.acquire('refs', refs, 'a');
    git(l.repo, 'update-ref', 'refs/remotes/origin/main', 'main');
    await waitFor(() => r.seen('refs', refs, 'remotes/origin/main'), 5_000, 'remote ref');
    git(l.repo, 'update-ref', 'refs/tags/v1', 'main');
    git(l.repo, 'update-ref', 'refs/remotes/origin/other', 'main');
    await waitFor(() => r.seen('refs', refs, 'remotes/origin/other'), 5_000, 'second ref');
    expect(r.reports.some((x) => x.rel.includes('tags'))).toBe(false);
  });

  it('reports git pack-refs --all through packed-refs', async () => {
    const l = laneRepo();
    const r = recorder();
    await acquireLane(r.set, l);
    git(l.repo, 'pack-refs', '--all');
    await waitFor(() => r.seen('meta', l.common, 'packed-refs'), 5_000, 'packed-refs');
    // The loose refs it pruned are reported as changed refs.
    await waitFor(() => r.seen('refs', `${l.common}/refs`, 'heads/main'), 5_000, 'pruned ref');
  });

  it('ignores *.lock files and other entries', async () => {
    const l = laneRepo();
    const r = recorder();
    await acquireLane(r.set, l);
    const refs = `${l.common}/refs`;
    writeFileSync(path.join(l.gitDir, 'HEAD.lock'), 'x');
    writeFileSync(path.join(l.gitDir, 'ORIG_HEAD'), 'x');
    writeFileSync(path.join(refs, 'heads', 'lane', 'zz.lock'), 'x');
    writeFileSync(path.join(l.gitDir, 'index'), 'sentinel');
    writeFileSync(path.join(refs, 'heads', 'lane', 'sentinel'), git(l.repo, 'rev-parse', 'main'));
    await waitFor(() => r.seen('meta', l.gitDir, 'index'), 5_000, 'meta sentinel');
    await waitFor(() => r.seen('refs', refs, 'heads/lane/sentinel'), 5_000, 'refs sentinel');
    expect([...new Set(r.reports.map((x) => x.rel))].sort()).toEqual([
      'heads/lane/sentinel',
      'index',
    ]);
  });

  it('is reference-counted: release closes watches nobody holds', async () => {
    const l = laneRepo();
    const r = recorder();
    await acquireLane(r.set, l, 'a');
    await acquireLane(r.set, l, 'b');
    expect(r.set.size()).toBe(3);
    const handles = r.set.handles();
    expect(handles).toBeGreaterThanOrEqual(5); // 2 meta + refs, heads, heads/lane
    await r.set.release('a');
    expect(r.set.size()).toBe(3);
    expect(r.set.handles()).toBe(handles);
    await r.set.release('b');
    expect(r.set.size()).toBe(0);
    expect(r.set.handles()).toBe(0);
    commitFile(l.wt, 'unseen', 'u.txt');
    await r.set.acquire('meta', l.common, 'c'); // a later acquire works again
    writeFileSync(path.join(l.common, 'index'), 'x');
    await waitFor(() => r.seen('meta', l.common, 'index'), 5_000, 'index after re-acquire');
    expect(r.reports.filter((x) => x.dir !== l.common || x.kind !== 'meta')).toEqual([]);
  });

  it('reports a lane git dir that is moved away or deleted, without errors', async () => {
    const l = laneRepo();
    const r = recorder({ reviveMs: 50 });
    await acquireLane(r.set, l);
    // A move gives only the directory's own event.
    renameSync(l.gitDir, `${l.gitDir}-moved`);
    await waitFor(() => r.seen('meta', l.gitDir, 'HEAD'), 5_000, 'moved git dir reported');
    renameSync(`${l.gitDir}-moved`, l.gitDir);
    // Once back it is watched again (retried every reviveMs) and reported.
    const n = r.count('meta', l.gitDir, 'index');
    await waitFor(() => r.count('meta', l.gitDir, 'index') > n, 5_000, 'revived git dir');
    writeFileSync(path.join(l.gitDir, 'index'), 'x');
    const m = r.count('meta', l.gitDir, 'index');
    await waitFor(() => r.count('meta', l.gitDir, 'index') > m, 5_000, 'index after revival');
    // Deleting the whole repository's metadata does not throw.
    rmSync(l.common, { recursive: true, force: true });
    await waitFor(() => r.seen('refs', `${l.common}/refs`, ''), 5_000, 'refs dir gone');
    await waitFor(() => r.seen('meta', l.common, 'HEAD'), 5_000, 'common dir gone');
    expect(r.errors).toEqual([]);
    await r.set.release('a');
    expect(r.set.handles()).toBe(0);
  });

  it('a directory that cannot be watched goes to onError and acquire still resolves', async () => {
    const { root } = makeRepo();
    const r = recorder();
    const missing = path.join(root, 'nope');
    await r.set.acquire('meta', missing, 'a');
    await r.set.acquire('refs', `${missing}/refs`, 'a');
    expect(r.errors.map((e) => [e.dir, (e.error as NodeJS.ErrnoException).code])).toEqual([
      [missing, 'ENOENT'],
      [`${missing}/refs`, 'ENOENT'],
    ]);
    await r.set.release('a');
    expect(r.set.size()).toBe(0);
  });

  it('a watch failing at the inotify limit (thrown or emitted) goes to onError', async () => {
    const l = laneRepo();
    let emitter: EventEmitter | undefined;
    const watch: WatchFn = (dir, listener) => {
      if (dir.endsWith(`${path.sep}lane`)) {
        throw Object.assign(new Error(`ENOSPC: System limit reached, watch '${dir}'`), {
          code: 'ENOSPC',
        });
      }
      if (dir === l.gitDir) {
        const fake = new EventEmitter();
        emitter = fake;
        return Object.assign(fake, { close: () => fake.removeAllListeners() });
      }
      return nodeWatch(dir, listener);
    };
    const r = recorder({ watch });
    await acquireLane(r.set, l);
    expect(r.errors.map((e) => (e.error as NodeJS.ErrnoException).code)).toEqual(['ENOSPC']);
    expect(r.errors[0]?.dir).toBe(`${l.common}/refs`);
    emitter?.emit('error', new Error('EPERM on a live watch'));
    expect(r.errors.map((e) => e.error.message)).toContain('EPERM on a live watch');
    expect(r.seen('meta', l.gitDir, 'HEAD')).toBe(true); // its holders re-probe
  });

  it('an event without a file name is reported as an unknown change', async () => {
    const l = laneRepo();
    const watch: WatchFn = (dir, listener) => nodeWatch(dir, (type) => listener(type, null));
    const r = recorder({ watch });
    await acquireLane(r.set, l);
    mkdirSync(path.join(l.common, 'refs', 'heads', 'new'));
    writeFileSync(path.join(l.gitDir, 'index'), 'x');
    await waitFor(() => r.seen('meta', l.gitDir, 'packed-refs'), 5_000, 'meta: all entries');
    await waitFor(() => r.seen('refs', `${l.common}/refs`, ''), 5_000, 'refs: unknown ref');
    await waitFor(() => r.set.handles() === 6, 5_000, 'the new directory watched');
  });
});
