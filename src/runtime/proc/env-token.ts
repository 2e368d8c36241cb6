/**
 * Tracking every process a worker starts, including ones that leave its process group
 * and its session and re-parent to init (a daemonizing grandchild: `setsid`, a double
 * fork, `nohup`, dev servers) — they cannot be found by process group or ppid links.
 * Each worker run gets a unique token in their environment ({@link TOKEN_ENV}); the
 * environment is inherited by everything they start, so on stop the supervisor sweeps
 * `/proc/<pid>/environ` for it.
 *
 * Platform seam: on Linux (a readable `/proc/self/environ`) the sweep finds them; on
 * other platforms (and with `LANEBOARD_PROC_SOURCE=ps`, ./procfs.ts) {@link tokenSweepSupported} is false and {@link pidsWithToken} returns
 * nothing — stopping then covers the process group and ppid descendants only (README,
 * docs/faults.md). A process that clears its own environment (`env -i`) or is started
 * outside the worker (e.g. by a system service manager) is not found either way.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { procSource, type ProcSnapshot, type ProcStat } from './procfs.js';

/** Environment variable carrying the lane's worker token. */
export const TOKEN_ENV = 'LANEBOARD_WORKER_TOKEN';

/** A fresh token (a random UUID); one per worker run, kept in supervisor.json for adoption. */
export function newWorkerToken(): string {
  return randomUUID();
}

let supported: boolean | null = null;

/** True when this platform lets the sweep read other processes' environments (Linux /proc). */
export function tokenSweepSupported(): boolean {
  if (supported === null) {
    if (procSource() === 'ps') return (supported = false);
    try {
      readFileSync('/proc/self/environ');
      supported = true;
    } catch {
      supported = false;
    }
  }
  return supported;
}

/**
 * Processes of `snap` whose environment holds `TOKEN_ENV=<token>` (this process excluded;
 * unreadable environments — other users' processes when not root, processes that just
 * exited — are skipped).
 *
 * With `notBefore` (the start time, `/proc/<pid>/stat` field 22, of the process the token
 * was given to), processes that started earlier are not read: the token enters an
 * environment only at that process's spawn and is inherited from there, so every carrier
 * is that process or was started after it (start times are clock ticks since boot, so a
 * child never has a smaller one). On a busy machine this skips nearly every environment.
 * @param token the lane's token; an empty token matches nothing.
 * @param notBefore the token's first carrier's start time; null reads every environment.
 * @returns their stats (empty on platforms without /proc).
 */
export function pidsWithToken(
  snap: ProcSnapshot,
  token: string,
  notBefore: number | null = null,
): ProcStat[] {
  if (token === '' || !tokenSweepSupported()) return [];
  const needle = Buffer.from(`${TOKEN_ENV}=${token}\0`);
  const out: ProcStat[] = [];
  for (const stat of snap.values()) {
    if (stat.pid === process.pid) continue;
    if (notBefore !== null && stat.startTime < notBefore) continue;
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${stat.pid}/environ`);
    } catch {
      continue;
    }
    const at = env.indexOf(needle);
    if (at === 0 || (at > 0 && env[at - 1] === 0)) out.push(stat);
  }
  return out;
}
