/**
 * Stop a whole worker process tree: its process group plus any descendants that left the
 * group (setsid / setpgid), found by walking `/proc/<pid>/stat` ppid links BEFORE the first
 * signal (once a parent dies its children are re-parented and the link is lost).
 * SIGTERM first, SIGKILL after the grace period; zombies count as gone (docs/pitfalls.md:
 * "do not treat pid exists as alive"). With a worker token, every process carrying it in
 * its environment is part of the tree too (./env-token.ts: daemons that left the session
 * and were re-parented to init).
 */
import {
  findDescendants,
  groupMembers,
  isLiveState,
  isProcessAlive,
  ownProcessGroup,
  snapshotProcs,
  type ProcSnapshot,
} from './procfs.js';
import { pidsWithToken } from './env-token.js';

/** The tree to stop: its root pid, its process group and the root's start time (field 22). */
export interface TreeTarget {
  readonly pid: number;
  readonly pgid: number;
  /** Start time of `pid` when known; a pid with a different start time is not ours. */
  readonly startTime: number | null;
  /** The lane's worker token (./env-token.ts), when the workers carry one. */
  readonly token?: string | null;
}

/** Timing of {@link terminateTree}; all ms. */
export interface TerminateOptions {
  /** SIGTERM → SIGKILL grace period. */
  readonly graceMs: number;
  /** How long to wait for processes to vanish after SIGKILL. @default 5000 */
  readonly killWaitMs?: number;
  /** /proc poll interval. @default 40 */
  readonly pollMs?: number;
}

/** What happened. */
export interface TerminateResult {
  /** True when SIGKILL had to be sent. */
  readonly killed: boolean;
  /** Pids still alive at the end (normally empty; e.g. uninterruptible `D` state). */
  readonly survivors: readonly number[];
}

/** Send `signal` to a process group; false when it does not exist or must not be signalled. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // Never signal init's group or our own group (that would kill the board itself).
  if (!Number.isInteger(pgid) || pgid <= 1 || pgid === ownProcessGroup()) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Send `signal` to one pid; false when it does not exist or is not ours to signal. */
function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** pid → start time of every process we consider part of the tree. */
type Tracked = Map<number, number>;

function isTrackedAlive(snap: ProcSnapshot, pid: number, startTime: number): boolean {
  const stat = snap.get(pid);
  return stat !== undefined && stat.startTime === startTime && isLiveState(stat.state);
}

/** Interval of the environment sweep while waiting for a tree to go (ms). */
const TOKEN_SWEEP_MS = 200;

/**
 * Add group members, token carriers (when `sweep`) and descendants of live tracked pids;
 * returns the newly added pids.
 */
function collect(snap: ProcSnapshot, target: TreeTarget, tracked: Tracked, sweep = true): number[] {
  const added: number[] = [];
  const add = (pid: number, startTime: number): void => {
    if (tracked.has(pid) || pid === process.pid) return;
    tracked.set(pid, startTime);
    added.push(pid);
  };
  const root = snap.get(target.pid);
  if (
    root !== undefined &&
    isLiveState(root.state) &&
    (target.startTime === null || root.startTime === target.startTime)
  ) {
    add(root.pid, root.startTime);
  }
  for (const member of groupMembers(snap, target.pgid)) add(member.pid, member.startTime);
  if (sweep && target.token) {
    for (const p of pidsWithToken(snap, target.token)) {
      if (isLiveState(p.state)) add(p.pid, p.startTime);
    }
  }
  const roots = [...tracked].filter(([pid, st]) => isTrackedAlive(snap, pid, st)).map(([p]) => p);
  for (const d of findDescendants(snap, roots)) {
    if (isLiveState(d.state)) add(d.pid, d.startTime);
  }
  return added;
}

function alive(snap: ProcSnapshot, target: TreeTarget, tracked: Tracked): number[] {
  const out = [...tracked].filter(([pid, st]) => isTrackedAlive(snap, pid, st)).map(([p]) => p);
  for (const member of groupMembers(snap, target.pgid)) {
    if (!out.includes(member.pid) && member.pid !== process.pid) out.push(member.pid);
  }
  return out;
}

function signalAll(target: TreeTarget, pids: Iterable<number>, signal: NodeJS.Signals): void {
  signalGroup(target.pgid, signal);
  const snap = snapshotProcs(0);
  for (const pid of pids) {
    // Group members already got the group signal; signal the ones that left the group.
    if (snap.get(pid)?.pgrp !== target.pgid) signalPid(pid, signal);
  }
}

async function waitGone(
  target: TreeTarget,
  tracked: Tracked,
  deadline: number,
  pollMs: number,
  signal: NodeJS.Signals,
): Promise<number[]> {
  let fresh = false;
  let swept = 0;
  for (;;) {
    // After the quick check saw every known pid go, look at /proc as it is now (no cache).
    const snap = snapshotProcs(fresh ? 0 : Math.min(pollMs / 2, 25));
    // A process forked during the grace period gets the same signal (the environment
    // sweep reads every process's environ, so it runs at most every TOKEN_SWEEP_MS).
    const sweep = Date.now() - swept >= TOKEN_SWEEP_MS;
    if (sweep) swept = Date.now();
    const added = collect(snap, target, tracked, sweep);
    if (added.length > 0) signalAll(target, added, signal);
    const left = alive(snap, target, tracked);
    if (left.length === 0 || Date.now() >= deadline) return left;
    fresh = await sleepUntilGone(
      left,
      tracked,
      Math.min(pollMs, Math.max(0, deadline - Date.now())),
    );
  }
}

/** Fast re-check period while waiting for known pids to go (ms): one stat read per pid. */
const QUICK_CHECK_MS = 4;

/**
 * Wait up to `ms`, returning early once every pid of `left` is gone or a zombie (checked
 * every {@link QUICK_CHECK_MS} by reading only their own `/proc/<pid>/stat`; true when they
 * went, false when `ms` ran out). The caller
 * then takes a full snapshot, which also catches processes forked meanwhile: a worker that
 * exits at once on SIGTERM is seen gone in a few ms instead of a whole `pollMs`.
 */
async function sleepUntilGone(
  left: readonly number[],
  tracked: Tracked,
  ms: number,
): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    const now = Date.now();
    if (now >= until) return false;
    await sleep(Math.min(QUICK_CHECK_MS, until - now));
    if (left.every((pid) => !isProcessAlive(pid, tracked.get(pid) ?? null))) return true;
  }
}

/**
 * Stop the tree of `target`: collect the group and all descendants, SIGTERM them, wait up
 * to `graceMs` for every one to be gone (or a zombie), then SIGKILL the rest and wait up to
 * `killWaitMs`. Never throws; signals to processes that vanished are ignored.
 */
export async function terminateTree(
  target: TreeTarget,
  opts: TerminateOptions,
): Promise<TerminateResult> {
  const pollMs = opts.pollMs ?? 40;
  const tracked: Tracked = new Map();
  collect(snapshotProcs(0), target, tracked);
  signalAll(target, tracked.keys(), 'SIGTERM');
  let left = await waitGone(target, tracked, Date.now() + opts.graceMs, pollMs, 'SIGTERM');
  if (left.length === 0) return { killed: false, survivors: [] };
  signalAll(target, left, 'SIGKILL');
  left = await waitGone(target, tracked, Date.now() + (opts.killWaitMs ?? 5000), pollMs, 'SIGKILL');
  return { killed: true, survivors: left };
}
