/**
 * Linux `/proc` readers used to supervise process trees: parse `/proc/<pid>/stat`, take a
 * snapshot of every process, find descendants by ppid links and tell live processes from
 * zombies. Format: proc(5) — `pid (comm) state ppid pgrp session … starttime(22) …`;
 * `comm` may contain spaces and parentheses, so fields are parsed after the LAST `)`.
 *
 * Platform seam ({@link procSource}): where `/proc` is missing (macOS, the BSDs) the same
 * records come from `ps` (./ps.ts), so stopping a tree still finds its process group and
 * ppid descendants; only the environment sweep of ./env-token.ts needs `/proc`.
 *
 * Nothing here throws: an unreadable or vanished process reads as `null` / absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { psSnapshot, psStat } from './ps.js';

let source: 'proc' | 'ps' | null = null;

/**
 * Where process facts come from: `proc` (Linux, `/proc/self/stat` readable) or `ps`
 * (./ps.ts) elsewhere. `LANEBOARD_PROC_SOURCE=ps` in the environment forces `ps` (to run
 * the portable path on Linux: tests, or a /proc that is mounted but not usable).
 * Decided once per process.
 */
export function procSource(): 'proc' | 'ps' {
  source ??=
    process.env.LANEBOARD_PROC_SOURCE !== 'ps' && existsSync('/proc/self/stat') ? 'proc' : 'ps';
  return source;
}

/** The fields of `/proc/<pid>/stat` the supervisor needs. */
export interface ProcStat {
  readonly pid: number;
  /** Executable name as the kernel reports it (at most 15 chars, may contain spaces/parens). */
  readonly comm: string;
  /** One-letter state: R, S, D, Z (zombie), T, t, X (dead), I… */
  readonly state: string;
  readonly ppid: number;
  /** Process group id. */
  readonly pgrp: number;
  readonly session: number;
  /** Field 22: start time in clock ticks since boot; with the pid it identifies a process. */
  readonly startTime: number;
}

/**
 * Parse the text of one `/proc/<pid>/stat` file.
 * @returns the parsed fields, or null when the text is not in proc(5) stat format.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // After ')': field 3 (state) is index 0, so field N is index N - 3.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const session = Number(rest[3]);
  const startTime = Number(rest[19]);
  if (
    !Number.isInteger(pid) ||
    state === undefined ||
    state.length === 0 ||
    ![ppid, pgrp, session, startTime].every((n) => Number.isInteger(n) && n >= 0)
  ) {
    return null;
  }
  return { pid, comm, state, ppid, pgrp, session, startTime };
}

/**
 * Read `/proc/<pid>/stat` synchronously (a tiny kernel-generated file; sync keeps a
 * snapshot consistent and avoids hundreds of pending reads).
 * @returns the parsed stat, or null when the process does not exist or cannot be read.
 */
export function readProcStat(pid: number): ProcStat | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (procSource() === 'ps') return psStat(pid);
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** True when a process in this state is running or can run (zombies `Z` and dead `X` are not). */
export function isLiveState(state: string): boolean {
  return state !== 'Z' && state !== 'X' && state !== 'x';
}

/**
 * Whether `pid` names a live (non-zombie) process, and — when `startTime` is given — the
 * same process that was recorded (a reused pid has a different start time).
 */
export function isProcessAlive(pid: number, startTime?: number | null): boolean {
  const stat = readProcStat(pid);
  if (stat === null || !isLiveState(stat.state)) return false;
  return startTime === undefined || startTime === null || stat.startTime === startTime;
}

/** Every process visible in `/proc` at one moment, by pid. */
export type ProcSnapshot = ReadonlyMap<number, ProcStat>;

let cached: { at: number; snap: ProcSnapshot } | null = null;

/**
 * Read every `/proc/<pid>/stat` (or run `ps -ax` without /proc). Concurrent callers within `maxAgeMs` (default 25 ms)
 * share one snapshot, so many lanes stopping at once do not each scan /proc.
 * @returns a map pid → stat (empty when /proc cannot be listed).
 */
export function snapshotProcs(maxAgeMs = 25): ProcSnapshot {
  const now = Date.now();
  if (cached !== null && now - cached.at <= maxAgeMs) return cached.snap;
  if (procSource() === 'ps') {
    cached = { at: now, snap: psSnapshot() };
    return cached.snap;
  }
  const snap = new Map<number, ProcStat>();
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    names = [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat !== null) snap.set(stat.pid, stat);
  }
  cached = { at: now, snap };
  return snap;
}

/**
 * The stats of a few known pids as they are now: each pid's own `/proc/<pid>/stat` (no
 * full scan), or one `ps` snapshot where there is no /proc (one `ps` run instead of one
 * per pid). Pids that do not exist are absent from the result.
 */
export function statsOf(pids: readonly number[]): ProcSnapshot {
  if (procSource() === 'ps') return pids.length === 0 ? new Map() : snapshotProcs(0);
  const out = new Map<number, ProcStat>();
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (stat !== null) out.set(pid, stat);
  }
  return out;
}

/**
 * Every descendant of the given roots (children, grandchildren…) by ppid links in `snap`,
 * including ones that moved to another process group or session. Roots are not included.
 * @returns descendant stats, in breadth-first order.
 */
export function findDescendants(snap: ProcSnapshot, roots: Iterable<number>): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of snap.values()) {
    const list = children.get(stat.ppid);
    if (list === undefined) children.set(stat.ppid, [stat]);
    else list.push(stat);
  }
  const seen = new Set<number>();
  const queue = [...roots];
  const out: ProcStat[] = [];
  for (const root of queue) seen.add(root);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** Live (non-zombie) members of process group `pgid` in `snap`. */
export function groupMembers(snap: ProcSnapshot, pgid: number): ProcStat[] {
  const out: ProcStat[] = [];
  for (const stat of snap.values()) {
    if (stat.pgrp === pgid && isLiveState(stat.state)) out.push(stat);
  }
  return out;
}

let ownPgrp: number | null = null;

/** This process's own process group (never signalled as a worker group). */
export function ownProcessGroup(): number {
  if (ownPgrp === null) ownPgrp = readProcStat(process.pid)?.pgrp ?? -1;
  return ownPgrp;
}
