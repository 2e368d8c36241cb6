/**
 * Stop a whole worker process tree: its process group plus any descendants that left the
 * group (setsid / setpgid), found by walking `/proc/<pid>/stat` ppid links BEFORE the first
 * signal (once a parent dies its children are re-parented and the link is lost).
 * SIGTERM first, SIGKILL after the grace period; zombies count as gone (docs/pitfalls.md:
 * "do not treat pid exists as alive"). With a worker token, every process carrying it in
 * its environment is part of the tree too (./env-token.ts: daemons that left the session
 * and were re-parented to init).
 *
 * What a stop reads (docs/performance.md, "Fleet, session 7"): one full process table
 * before the first signal (with the environment sweep), the own stat of each known pid
 * while waiting, and one full table (with a sweep) each time the known pids are seen gone
 * or `pollMs` passed — so the last look before returning has always swept, and a daemon
 * forked while the tree went down is signalled before the caller starts anything new.
 * The sweep reads only the environments of processes that started no earlier than the
 * tree's root (./env-token.ts).
 */
import {
  findDescendants,
  groupMembers,
  isLiveState,
  isProcessAlive,
  ownProcessGroup,
  snapshotProcs,
  statsOf,
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

/** Shortest interval of the environment sweep while known pids are still alive (ms). */
const TOKEN_SWEEP_MS = 200;

/**
 * Add group members, token carriers (when `sweep`; only processes that started no earlier
 * than the root, ./env-token.ts) and descendants of live tracked pids; returns the newly
 * added pids.
 */
function collect(
  snap: ProcSnapshot,
  target: TreeTarget,
  tracked: Tracked,
  sweep: boolean,
): number[] {
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
    for (const p of pidsWithToken(snap, target.token, target.startTime)) {
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

/**
 * Signal the group, then each of `pids` that is (still the same process and) outside the
 * group now: its own stat is read after the group signal, so a process that left the group
 * before it is signalled too.
 */
function signalAll(
  target: TreeTarget,
  pids: Iterable<number>,
  tracked: Tracked,
  signal: NodeJS.Signals,
): void {
  signalGroup(target.pgid, signal);
  const list = [...pids];
  const stats = statsOf(list);
  for (const pid of list) {
    const stat = stats.get(pid);
    if (stat === undefined || stat.startTime !== tracked.get(pid)) continue;
    // Group members already got the group signal; signal the ones that left the group.
    if (stat.pgrp !== target.pgid) signalPid(pid, signal);
  }
}

/** When the environment sweep last ran (epoch ms), shared by both waits of one stop. */
interface SweepClock {
  at: number;
}

async function waitGone(
  target: TreeTarget,
  tracked: Tracked,
  deadline: number,
  pollMs: number,
  signal: NodeJS.Signals,
  swept: SweepClock,
): Promise<number[]> {
  let left = [...tracked.keys()];
  for (;;) {
    const gone = await sleepUntilGone(
      left,
      tracked,
      Math.min(pollMs, Math.max(0, deadline - Date.now())),
    );
    // The known pids went (or pollMs passed): look at /proc as it is now. A process forked
    // meanwhile gets the same signal; the environment sweep runs on every look that finds
    // nothing left (so the wait never ends unswept), else at most every TOKEN_SWEEP_MS.
    const snap = snapshotProcs(0);
    let sweep = gone || Date.now() - swept.at >= TOKEN_SWEEP_MS;
    const added = collect(snap, target, tracked, sweep);
    if (!sweep && alive(snap, target, tracked).length === 0) {
      sweep = true;
      added.push(...collect(snap, target, tracked, true));
    }
    if (sweep) swept.at = Date.now();
    if (added.length > 0) signalAll(target, added, tracked, signal);
    left = alive(snap, target, tracked);
    if (left.length === 0 || Date.now() >= deadline) return left;
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
 * Stop the tree of `target`: collect the group, all descendants and the token carriers,
 * SIGTERM them, wait up to `graceMs` for every one to be gone (or a zombie), then SIGKILL
 * the rest and wait up to `killWaitMs`. Never throws; signals to processes that vanished
 * are ignored.
 */
export async function terminateTree(
  target: TreeTarget,
  opts: TerminateOptions,
): Promise<TerminateResult> {
  const pollMs = opts.pollMs ?? 40;
  const tracked: Tracked = new Map();
  const swept: SweepClock = { at: Date.now() };
  collect(snapshotProcs(0), target, tracked, true);
  signalAll(target, tracked.keys(), tracked, 'SIGTERM');
  let left = await waitGone(target, tracked, Date.now() + opts.graceMs, pollMs, 'SIGTERM', swept);
  if (left.length === 0) return { killed: false, survivors: [] };
  signalAll(target, left, tracked, 'SIGKILL');
  left = await waitGone(
    target,
    tracked,
    Date.now() + (opts.killWaitMs ?? 5000),
    pollMs,
    'SIGKILL',
    swept,
  );
  return { killed: true, survivors: left };
}
