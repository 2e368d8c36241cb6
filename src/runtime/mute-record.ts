/**
 * The muted lanes (`m` on the board, `POST /v1/lanes/<id>/mute`) kept across runtime
 * restarts: `<stateDir>/muted.json` (`muted.<name>.json` for a config file not named
 * lanes.yaml, ./config-key.ts), `{"version":1,"muted":["lane-id",…]}`. Read once at
 * start (those lanes are muted again before the first notification can fire), written
 * atomically (temp file + rename) after every batch of actions holding a `lane/mute`.
 * A missing, unreadable or malformed file means nothing is muted; a failed write is one
 * board notice and the runtime carries on.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Action } from '../state/actions.js';
import type { BoardState } from '../state/types.js';
import { KEYED_STATE_FILE } from '../state/state-files.js';
import { keyedName } from './config-key.js';
import type { Clock, Dispatch, Service } from './types.js';

/** Path of the muted-lanes file of config `configFile` in `stateDir`. */
function muteRecordPath(stateDir: string, configFile: string): string {
  return join(stateDir, keyedName(KEYED_STATE_FILE.muted, configFile));
}

/** Lane ids in `path` (a missing or malformed file: none). Never throws. */
async function readMuted(path: string): Promise<string[]> {
  try {
    const doc = JSON.parse(await readFile(path, 'utf8')) as { muted?: unknown };
    return Array.isArray(doc.muted) ? doc.muted.filter((v) => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Options of {@link createMuteRecord}. */
export interface MuteRecordOptions {
  readonly stateDir: string;
  readonly configFile: string;
  readonly getState: () => BoardState;
  readonly dispatch: Dispatch;
  /** Subscribe to every batch of actions the store applied; returns unsubscribe. */
  readonly onActions: (listener: (actions: readonly Action[]) => void) => () => void;
  readonly clock: Clock;
}

/** Keep the muted lanes in the state dir (see the module doc). */
export function createMuteRecord(opts: MuteRecordOptions): Service {
  const path = muteRecordPath(opts.stateDir, opts.configFile);
  let unsubscribe: (() => void) | null = null;
  let last = '';
  let writing: Promise<void> = Promise.resolve();
  let warned = false;
  const save = (): void => {
    const s = opts.getState();
    const muted = s.order.filter((id) => s.lanes[id]?.muted === true);
    const text = `${JSON.stringify({ version: 1, muted })}\n`;
    if (text === last) return;
    last = text;
    writing = writing.then(async () => {
      const tmp = `${path}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, text);
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => undefined);
        if (!warned) {
          warned = true;
          const message = `cannot keep muted lanes in ${path}: ${err instanceof Error ? err.message : String(err)}`;
          opts.dispatch({ type: 'board/notice', message, at: opts.clock.now() });
        }
      }
    });
  };
  return {
    async start() {
      const muted = await readMuted(path);
      const known = new Set(opts.getState().order);
      for (const id of muted) {
        if (known.has(id))
          opts.dispatch({ type: 'lane/mute', laneId: id, muted: true, at: opts.clock.now() });
      }
      last = `${JSON.stringify({ version: 1, muted: muted.filter((id) => known.has(id)) })}\n`;
      unsubscribe = opts.onActions((actions) => {
        if (actions.some((a) => a.type === 'lane/mute')) save();
      });
    },
    async dispose() {
      unsubscribe?.();
      unsubscribe = null;
      await writing;
    },
  };
}
