/**
 * Surfaces problems of `laneboard hook` that no lane could own (a payload whose cwd
 * matches no lane) as board notices: polls `<stateDir>/hook-errors.jsonl` (size only,
 * every `intervalMs`, default 2 000 ms) and, when it grew, reads the new tail (at most
 * 64 KiB) and dispatches one `board/notice` for the newest entry. Lines are written by
 * src/cli/hook.ts as `{"event":"laneboard.hook_error","detail":…}`.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_FILE } from '../state/state-files.js';
import { pollService } from './poll-service.js';
import { tailLines } from './read-range.js';
import type { Clock, Dispatch, Service } from './types.js';

const TAIL_BYTES = 64 * 1024;

/** The `detail` of the newest entry written at or after byte `from`, or null (none). */
async function newestDetail(file: string, from: number): Promise<string | null> {
  const lines = (await tailLines(file, TAIL_BYTES, from)).filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  if (last === undefined) return null;
  try {
    const v = JSON.parse(last) as { detail?: unknown };
    return typeof v.detail === 'string' ? v.detail : 'unreadable hook error entry';
  } catch {
    return 'unreadable hook error entry';
  }
}

/**
 * Create the poller. Entries already in the file at `start()` are history and are not
 * announced. Never throws; a missing file is simply nothing to report.
 */
export function createHookErrorWatcher(opts: {
  stateDir: string;
  dispatch: Dispatch;
  clock: Clock;
  intervalMs?: number;
}): Service {
  const file = join(opts.stateDir, STATE_FILE.hookErrors);
  let size = 0;
  const sizeNow = async (): Promise<number> => (await stat(file).catch(() => null))?.size ?? 0;
  const poll = async (): Promise<void> => {
    const now = await sizeNow();
    if (now > size) {
      const detail = await newestDetail(file, size);
      if (detail !== null) {
        opts.dispatch({ type: 'board/notice', message: `hook: ${detail}`, at: opts.clock.now() });
      }
    }
    size = now;
  };
  return pollService({
    intervalMs: opts.intervalMs ?? 2_000,
    tick: poll,
    prepare: async () => {
      size = await sizeNow();
    },
  });
}

/**
 * The newest unroutable hook problem in `<stateDir>/hook-errors.jsonl` as a board notice
 * (`hook: <detail>`, at the file's modification time, epoch ms), or null when the file is
 * missing or empty. For the one-pass `laneboard --json`, which runs no watcher. Never throws.
 */
export async function newestHookError(
  stateDir: string,
): Promise<{ readonly message: string; readonly at: number } | null> {
  const file = join(stateDir, STATE_FILE.hookErrors);
  const st = await stat(file).catch(() => null);
  if (st === null || !st.isFile() || st.size === 0) return null;
  const detail = await newestDetail(file, 0);
  return detail === null ? null : { message: `hook: ${detail}`, at: Math.round(st.mtimeMs) };
}
