/**
 * Hand a steering message to a lane's worker by the lane's steer mode (lanes.yaml `steer`,
 * bridge contract "What the board writes"):
 * - `inbox`: append `{"id","time","text"}\n` to `<bridge>/inbox.jsonl`.
 * - `stdin`: write `text\n` to the worker's stdin pipe.
 * - `command`: run `argv` with no shell; `{message}` `{id}` `{lane}` `{worktree}` `{bridge}`
 *   inside elements are replaced by the values, as data (never parsed by a shell).
 * Delivery here means "handed over"; acknowledgement comes later from a
 * `steer.acknowledged` event.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { LaneConfig } from '../../state/config-types.js';
import { isBridgeEscape } from '../bridge/anchor.js';
import { prepareBridgeDir } from '../bridge/own-dir.js';
import { appendLine } from '../bridge/safe-write.js';
import { errorMessage } from '../../state/error-text.js';
import { workerEnv } from './spawn-worker.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';

/**
 * Limits of a `command` steer: `timeoutMs`, how long the command may run (ms);
 * `stderrTailChars`, how many characters of its stderr a failure's error keeps.
 */
const STEER_COMMAND = { timeoutMs: 10_000, stderrTailChars: 400 } as const;

/** What {@link deliverSteer} needs besides the lane. */
export interface SteerRequest {
  readonly id: string;
  readonly text: string;
  /** Epoch ms (becomes the inbox line's ISO `time`). */
  readonly at: number;
  /** The live worker's stdin (stdin mode), or null when there is none. */
  readonly stdin: NodeJS.WritableStream | null;
  /** Why there is no usable stdin (no worker, adopted worker…), for the error. */
  readonly noStdinReason: string;
  /**
   * Called with a one-line description when a symlink (or other trap) at
   * `<bridge>/inbox.jsonl` was replaced by a new file instead of being appended through.
   */
  readonly onReplaced?: (message: string) => void;
}

/**
 * Substitute `{message}` `{id}` `{lane}` `{worktree}` `{bridge}` in one argv element, in a
 * single pass (a value containing `{id}` is not substituted again). Unknown tokens stay.
 */
export function substituteArg(arg: string, values: Readonly<Record<string, string>>): string {
  return arg.replace(
    /\{(message|id|lane|worktree|bridge)\}/g,
    (token, name: string) => values[name] ?? token,
  );
}

/**
 * Deliver one message. Never throws.
 * @returns null when handed over, else a one-line reason it failed.
 */
export async function deliverSteer(lane: LaneConfig, req: SteerRequest): Promise<string | null> {
  try {
    switch (lane.steer.mode) {
      case 'inbox':
        return await toInbox(lane, req);
      case 'stdin':
        return await toStdin(req);
      case 'command':
        return await toCommand(lane, lane.steer.argv, req);
      default:
        return `unknown steer mode ${JSON.stringify((lane.steer as { mode?: unknown }).mode)}`;
    }
  } catch (e) {
    return errorMessage(e);
  }
}

async function toInbox(lane: LaneConfig, req: SteerRequest): Promise<string | null> {
  const line = `${JSON.stringify({ id: req.id, time: new Date(req.at).toISOString(), text: req.text })}\n`;
  const path = join(lane.bridge, BRIDGE_FILE.inbox);
  try {
    await prepareBridgeDir(lane.bridge);
    // One write with O_APPEND (never through a symlink, all or nothing: ../bridge/safe-write.ts).
    const r = await appendLine(path, line);
    if (r.replaced !== null) req.onReplaced?.(r.replaced);
    return null;
  } catch (e) {
    if (isBridgeEscape(e)) req.onReplaced?.(e.message);
    return `cannot append to ${path}: ${errorMessage(e)}`;
  }
}

function toStdin(req: SteerRequest): Promise<string | null> {
  const stdin = req.stdin;
  if (stdin === null) return Promise.resolve(req.noStdinReason);
  const s = stdin as NodeJS.WritableStream & { writable?: boolean; destroyed?: boolean };
  if (s.destroyed === true || s.writable === false) {
    return Promise.resolve("the worker's stdin is closed");
  }
  return new Promise((resolve) => {
    stdin.write(`${req.text}\n`, (err) => {
      resolve(err ? `cannot write to the worker's stdin: ${err.message}` : null);
    });
  });
}

async function toCommand(
  lane: LaneConfig,
  argv: readonly string[],
  req: SteerRequest,
): Promise<string | null> {
  const values = {
    message: req.text,
    id: req.id,
    lane: lane.id,
    worktree: lane.worktree,
    bridge: lane.bridge,
  };
  const args = argv.map((a) => substituteArg(a, values));
  const file = args[0];
  if (file === undefined || file === '') return 'steer.argv is empty';
  const cwd = (await isDir(lane.worktree)) ? lane.worktree : undefined;
  const r = await execa(file, args.slice(1), {
    reject: false,
    timeout: STEER_COMMAND.timeoutMs,
    stdin: 'ignore',
    cwd,
    env: workerEnv(lane),
    shell: false,
    maxBuffer: 1024 * 1024,
  });
  if (!r.failed) return null;
  if (r.code === 'ENOENT') return `steer command not found: ${file}`;
  if (r.code === 'EACCES') return `steer command not executable: ${file}`;
  if (r.timedOut) return `steer command timed out after ${STEER_COMMAND.timeoutMs / 1000}s`;
  const how =
    r.signal !== undefined ? `killed by ${r.signal}` : `exited with code ${r.exitCode ?? '?'}`;
  const stderr = typeof r.stderr === 'string' ? r.stderr.trim() : '';
  const keep = STEER_COMMAND.stderrTailChars;
  const tail = stderr.length > keep ? `…${stderr.slice(-keep)}` : stderr;
  return tail === '' ? `steer command ${how}` : `steer command ${how}: ${tail}`;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
