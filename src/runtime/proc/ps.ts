/**
 * The portable process table: `ps` (POSIX `-o` keywords plus `lstart`, which both procps
 * on Linux and BSD/macOS `ps` have) for platforms without a Linux `/proc` (macOS, the
 * BSDs). Gives the same {@link ProcStat} records as ./procfs.ts, so group members and
 * ppid descendants are found the same way; what it cannot give is other processes'
 * environments (no token sweep, ./env-token.ts) and a session id (always 0).
 *
 * Start time: `lstart` (e.g. `Sat Dec  5 21:26:55 2026`, read with `LC_ALL=C`) as epoch
 * seconds — unlike /proc's clock ticks, but it is only ever compared with values read the
 * same way on the same machine (pid reuse within one second goes unnoticed).
 *
 * Nothing here throws: `ps` missing or failing reads as no process.
 */
import { execFileSync } from 'node:child_process';
import type { ProcStat } from './procfs.js';

/** The `ps -o` columns read, in order (`=` suppresses the header). */
const COLUMNS = 'pid=,ppid=,pgid=,stat=,lstart=,comm=';

/**
 * Parse one line of `ps -o pid=,ppid=,pgid=,stat=,lstart=,comm=`:
 * `pid ppid pgid stat Www Mmm dd hh:mm:ss yyyy comm…` (comm may contain spaces).
 * @returns the record (session 0, startTime in epoch seconds), or null for any other text.
 */
export function parsePsLine(line: string): ProcStat | null {
  const t = line.trim().split(/\s+/);
  if (t.length < 10) return null;
  const [pid, ppid, pgrp] = [Number(t[0]), Number(t[1]), Number(t[2])];
  const state = t[3] ?? '';
  const started = Date.parse(t.slice(4, 9).join(' '));
  if (![pid, ppid, pgrp].every((n) => Number.isInteger(n) && n >= 0) || state === '') return null;
  if (!Number.isFinite(started)) return null;
  return {
    pid,
    comm: t.slice(9).join(' '),
    state: state.charAt(0),
    ppid,
    pgrp,
    session: 0,
    startTime: Math.floor(started / 1000),
  };
}

function runPs(args: string[]): string {
  try {
    return execFileSync('ps', args, {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    // `ps -p <gone pid>` exits 1 with no output: no such process.
    const out = (e as { stdout?: unknown }).stdout;
    return typeof out === 'string' ? out : '';
  }
}

/** Every process `ps -ax` lists, by pid (empty when `ps` cannot run). */
export function psSnapshot(): Map<number, ProcStat> {
  const snap = new Map<number, ProcStat>();
  for (const line of runPs(['-axo', COLUMNS]).split('\n')) {
    const stat = parsePsLine(line);
    if (stat !== null) snap.set(stat.pid, stat);
  }
  return snap;
}

/** One process by pid (`ps -p`), or null when it does not exist or `ps` cannot run. */
export function psStat(pid: number): ProcStat | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const line = runPs(['-o', COLUMNS, '-p', String(pid)]).split('\n')[0] ?? '';
  const stat = parsePsLine(line);
  return stat?.pid === pid ? stat : null;
}
