/**
 * Process helpers for the benchmarks: a hi-res wall clock, running commands without
 * throwing, polling for a condition, and reading CPU time and RSS of a process tree
 * from /proc (Linux `proc(5)`: `/proc/<pid>/stat` fields 14-17 are utime, stime,
 * cutime, cstime in clock ticks; `/proc/<pid>/status` VmRSS is in kB).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Clock ticks per second (`getconf CLK_TCK`; 100 on every Linux this runs on). */
export const CLK_TCK = 100;

/**
 * Wall clock with sub-millisecond resolution, comparable across processes on one
 * machine (time origin + monotonic offset).
 * @returns {number} Epoch milliseconds (fractional).
 */
export function now() {
  return performance.timeOrigin + performance.now();
}

/**
 * Run a command to completion. Never throws and never rejects.
 * @param {string} cmd Executable.
 * @param {string[]} args Arguments (no shell).
 * @param {{cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number}} [opts]
 * @returns {Promise<{code: number|null, stdout: string, stderr: string, ms: number,
 *   error: string|null}>} `ms` is the wall time from spawn to exit; `error` is set when
 *   the command could not start, timed out or exited non-zero.
 */
export function run(cmd, args, opts = {}) {
  const t0 = now();
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const ms = now() - t0;
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        const error = err ? `${cmd} ${args.join(' ')}: ${err.message.split('\n')[0]}` : null;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ms, error });
      },
    );
  });
}

/**
 * Poll `cond` until it returns a truthy value or `timeoutMs` passes.
 * @template T
 * @param {() => T | Promise<T>} cond Checked every `intervalMs`; exceptions count as false.
 * @param {number} timeoutMs Give up after this many ms.
 * @param {number} [intervalMs] Poll interval (default 20 ms).
 * @returns {Promise<T|null>} The truthy value, or null on timeout.
 */
export async function waitFor(cond, timeoutMs, intervalMs = 20) {
  const end = now() + timeoutMs;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch {
      // not yet
    }
    if (now() >= end) return null;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Parse `/proc/<pid>/stat`.
 * @param {number} pid Process id.
 * @returns {{pid: number, comm: string, state: string, ppid: number, pgrp: number,
 *   ticks: number, selfTicks: number} | null} `ticks` = utime + stime + cutime +
 *   cstime, `selfTicks` = utime + stime (the process alone); null when the
 *   process is gone or the file is unreadable.
 */
export function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  const num = (n) => Number(f[n - 3] ?? 0);
  return {
    pid,
    comm,
    state: f[0] ?? '?',
    ppid: num(4),
    pgrp: num(5),
    ticks: num(14) + num(15) + num(16) + num(17),
    selfTicks: num(14) + num(15),
  };
}

/**
 * `pid` and all its live descendants.
 * @param {number} root Root pid.
 * @returns {number[]} Pids (root first); empty when the root is gone.
 */
export function processTree(root) {
  const children = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = readStat(Number(e));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(s.pid);
    children.set(s.ppid, list);
  }
  if (!readStat(root)) return [];
  const out = [root];
  for (let i = 0; i < out.length; i += 1) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/**
 * CPU time consumed so far by a process tree: each live process's own and reaped
 * children's time (so short-lived git children count once they are reaped).
 * @param {number} root Root pid.
 * @returns {number} Milliseconds of CPU (0 when the root is gone).
 */
export function treeCpuMs(root) {
  let ticks = 0;
  for (const pid of processTree(root)) ticks += readStat(pid)?.ticks ?? 0;
  return (ticks * 1000) / CLK_TCK;
}

/**
 * Like {@link treeCpuMs}, at nanosecond resolution instead of clock ticks (10 ms): each
 * live process's threads from `/proc/<pid>/task/<tid>/schedstat` (time on a CPU, ns),
 * plus its reaped children's time (ticks: only `/proc/<pid>/stat` has it). A figure of a
 * few ms per 5 s (an idle board: ~0.4 % of a core) is 2-3 ticks, so comparing two of them
 * within 10 % needs this. A process whose threads cannot be read counts by its ticks.
 * @param {number} root Root pid.
 * @returns {number} Milliseconds of CPU (0 when the root is gone).
 */
export function treeCpuPreciseMs(root) {
  let ms = 0;
  for (const pid of processTree(root)) {
    const st = readStat(pid);
    if (!st) continue;
    ms += ((st.ticks - st.selfTicks) * 1000) / CLK_TCK;
    let ns = 0;
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      }
    } catch {
      ns = Number.NaN;
    }
    ms += Number.isFinite(ns) ? ns / 1e6 : (st.selfTicks * 1000) / CLK_TCK;
  }
  return ms;
}

/**
 * CPU time of one process alone (no children).
 * @param {number} pid Process id.
 * @returns {number} Milliseconds (0 when gone).
 */
export function selfCpuMs(pid) {
  return ((readStat(pid)?.selfTicks ?? 0) * 1000) / CLK_TCK;
}

/**
 * Resident set size of one process.
 * @param {number} pid Process id.
 * @returns {number|null} kB (VmRSS), or null when gone.
 */
export function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Sum of VmRSS over a process tree (shared pages are counted in every process).
 * @param {number} root Root pid.
 * @returns {number} kB.
 */
export function treeRssKb(root) {
  return processTree(root).reduce((s, pid) => s + (rssKb(pid) ?? 0), 0);
}

/**
 * Is the process alive (exists and is not a zombie)?
 * @param {number} pid Process id.
 * @returns {boolean}
 */
export function alive(pid) {
  const s = readStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/**
 * SIGKILL every process of a tree (children first, then the root) and their process
 * groups. Errors (already gone, not ours) are ignored.
 * @param {number} root Root pid.
 */
export function killTree(root) {
  const pids = processTree(root).reverse();
  for (const pid of pids) {
    const s = readStat(pid);
    try {
      if (s && s.pgrp === pid) process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
