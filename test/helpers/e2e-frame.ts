/**
 * Reading captured board frames (plain text from `tmux capture-pane -p`): find a lane's
 * row, the selected lane, a worker pid shown in a row, and display widths. Row layout per
 * src/ui: a selected row starts with `›`, other rows with spaces, then the lane id.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { isAlive } from './e2e-cli.js';

/** The frame's lines (the newline ending the last line does not start another). */
export function frameLines(frame: string): string[] {
  return frame.replace(/\n$/, '').split('\n');
}

/** The row of lane `id` (first line whose first word after an optional `›` is `id`), or null. */
export function rowOf(frame: string, id: string): string | null {
  for (const line of frameLines(frame)) {
    const m = /^[›>]?\s*(\S+)/u.exec(line);
    if (m?.[1] === id) return line;
  }
  return null;
}

/** Id of the selected lane (row starting with `›`), or null. */
export function selectedLane(frame: string): string | null {
  for (const line of frameLines(frame)) {
    const m = /^›\s*(\S+)/u.exec(line);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** Worker pid shown in lane `id`'s row (`run <pid>`), or null. */
export function pidOf(frame: string, id: string): number | null {
  const m = /\brun (\d+)/.exec(rowOf(frame, id) ?? '');
  return m?.[1] ? Number(m[1]) : null;
}

/** Width of a captured line in terminal cells (every character here is one cell wide). */
export function cellWidth(line: string): number {
  return [...line].length;
}

/**
 * Pids of live processes whose environment contains `needle` (e.g.
 * `LANEBOARD_BRIDGE_DIR=/tmp/lb-e2e-x/`): workers the board started and every descendant
 * that inherited their environment. Unreadable /proc entries are skipped.
 */
export function processesWithEnv(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let env: string;
    try {
      env = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (env.split('\0').some((kv) => kv.includes(needle)) && isAlive(pid)) out.push(pid);
  }
  return out;
}

/**
 * Wait (up to 8 s, never throwing) until no process runs under `root`: a hung-up board
 * stops its workers and writes its record before the project may be removed.
 */
export async function settleProject(root: string): Promise<void> {
  const deadline = Date.now() + 8_000;
  while (processesUnder(root).length > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
}

/**
 * Pids of live processes that belong to the temp project at `root`: their working
 * directory is inside it or their environment names a path inside it (the board, its
 * workers and their descendants, the tmux pane's shell). For waiting until a test's
 * processes are gone before its directory is removed.
 */
export function processesUnder(root: string): number[] {
  const prefix = `${root}/`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let hit = false;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      hit = cwd === root || cwd.startsWith(prefix);
    } catch {
      // exited, or not ours to read
    }
    if (!hit) {
      try {
        hit = readFileSync(`/proc/${name}/environ`, 'latin1').includes(prefix);
      } catch {
        // exited, or not ours to read
      }
    }
    if (hit && isAlive(pid)) out.push(pid);
  }
  return out;
}
