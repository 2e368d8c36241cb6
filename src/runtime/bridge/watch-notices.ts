/**
 * The operator notice for a failed directory watch of the bridge watcher (./watcher.ts):
 * which text, and the key under which it is shown once.
 */
import { errnoCode, errorText } from './text.js';

/** errno codes that mean a watch/fd limit was reached (the lanes are polled instead). */
const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/** A `board/notice` to show once per `key`. */
export interface WatchNotice {
  readonly key: string;
  readonly message: string;
}

/**
 * The notice for a watch of `path` (covering `lanes` lanes) that failed with `error`;
 * `pollMs` is the fallback poll period. Limit errors (ENOSPC / EMFILE / ENFILE) get one
 * notice per path with the advice to raise the limit; other errors one per (path, code).
 */
export function watchErrorNotice(
  path: string,
  lanes: number,
  error: unknown,
  pollMs: number,
): WatchNotice {
  const code = errnoCode(error);
  const fallback = `polling bridge files of ${lanes} lane${lanes === 1 ? '' : 's'} every ${pollMs / 1000} s`;
  if (code !== undefined && LIMIT_CODES.has(code)) {
    const advice =
      code === 'ENOSPC'
        ? 'raise fs.inotify.max_user_watches'
        : 'raise the open-file limit (ulimit -n)';
    return {
      key: `limit:${path}`,
      message: `file watch limit reached (${code}) under ${path}: ${fallback} instead; ${advice}`,
    };
  }
  return {
    key: `error:${path}:${code ?? errorText(error)}`,
    message: `file watcher error under ${path}: ${errorText(error)}; ${fallback} as a fallback`,
  };
}
