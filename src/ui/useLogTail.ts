/**
 * Load the tail of a lane's `worker.log` through the caller-supplied reader (the UI does
 * no file I/O itself). Reloads when `laneId` or `refreshKey` changes; a reader that
 * throws or rejects becomes an `error` state, never a crash.
 */
import { useEffect, useState } from 'react';
import type { LogTail } from './detail-lines.js';
import { errorMessage } from '../state/error-text.js';

/** Reads the tail of a lane's worker.log (text, untrusted). */
export type ReadLogTail = (laneId: string) => Promise<string>;

/**
 * The log tail state of `laneId`.
 * @param read The reader, or undefined (state `none`).
 * @param refreshKey Any string; a change triggers a reload.
 */
export function useLogTail(
  laneId: string,
  read: ReadLogTail | undefined,
  refreshKey: string,
): LogTail {
  const [tail, setTail] = useState<LogTail>(
    read === undefined ? { state: 'none' } : { state: 'loading' },
  );
  useEffect(() => {
    if (read === undefined) {
      setTail({ state: 'none' });
      return;
    }
    let live = true;
    Promise.resolve()
      .then(() => read(laneId))
      .then(
        (text) => {
          if (live) setTail({ state: 'ok', text: typeof text === 'string' ? text : '' });
        },
        (e: unknown) => {
          if (live) setTail({ state: 'error', message: errorMessage(e) });
        },
      )
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [laneId, read, refreshKey]);
  return tail;
}
