/**
 * Health check of a lane's bridge directory (bridge contract "Where the bridge lives").
 * The bridge dir itself may be a symlink (operators relocate it); files inside never are
 * followed (see ./read-json.ts).
 */
import { constants as fsc, type Stats } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LaneConfig } from '../../state/config-types.js';
import { isDefaultBridge } from './anchor.js';
import { identityOf } from './identity.js';
import { errnoCode, errorText, isMissing } from './text.js';

/** Outcome of {@link checkBridgeDir}. */
export type DirCheck =
  | {
      readonly ok: true;
      /** The path is a symlink to a directory (the watcher polls such lanes). */
      readonly symlink: boolean;
      /** `dev:ino:birthtime` of the directory: a change means it was deleted and recreated (or replaced). */
      readonly id: string;
    }
  | {
      readonly ok: false;
      /** One line for the operator, e.g. `bridge dir /x/lanes/a does not exist`. */
      readonly message: string;
      /**
       * Nothing is at the path (not even a dangling symlink): its creation is an event in
       * the parent directory, which the bridge watcher watches (./watch-set.ts).
       */
      readonly absent: boolean;
    };

/** The message of a bridge dir with nothing at its path (not a dangling symlink). */
const absentMessage = (dir: string): string => `bridge dir ${dir} does not exist`;

/** A failed check of something that is at the path. */
const fail = (message: string): DirCheck => ({ ok: false, message, absent: false });

/**
 * Checks that `dir` is an existing, readable directory (following a symlink at `dir`).
 * @returns `{ok:true}` or `{ok:false, message}` for: missing, dangling symlink, symlink
 *   loop, not a directory (e.g. replaced by a file), not readable (EACCES). Never throws.
 */
export async function checkBridgeDir(dir: string): Promise<DirCheck> {
  let st: Stats;
  let symlink = false;
  try {
    st = await lstat(dir);
    if (st.isSymbolicLink()) {
      symlink = true;
      st = await stat(dir);
    }
  } catch (error) {
    const code = errnoCode(error);
    if (isMissing(code)) {
      return symlink
        ? fail(`bridge dir ${dir} is a dangling symlink`)
        : { ok: false, message: absentMessage(dir), absent: true };
    }
    if (code === 'ELOOP') return fail(`bridge dir ${dir} is a symlink loop`);
    if (code === 'EACCES' || code === 'EPERM') {
      return fail(`bridge dir ${dir} is not accessible: permission denied`);
    }
    return fail(`bridge dir ${dir} cannot be checked: ${errorText(error)}`);
  }
  if (!st.isDirectory()) return fail(`bridge dir ${dir} is not a directory`);
  try {
    await access(dir, fsc.R_OK | fsc.X_OK);
  } catch (error) {
    const code = errnoCode(error);
    if (isMissing(code)) return { ok: false, message: absentMessage(dir), absent: !symlink };
    return fail(`bridge dir ${dir} is not readable: permission denied`);
  }
  return { ok: true, symlink, id: identityOf(st) };
}

/**
 * Whether a missing bridge dir of `lane` is "nothing reported yet" rather than a problem:
 * true for an observe-only lane (no command, so no worker of ours writes a bridge) whose
 * bridge is the default place `<config dir>/.laneboard/lanes/<id>` (discovered lanes and
 * lanes made by `laneboard init` / `add`). Their dir is read as soon as something creates
 * it. A dangling symlink, or a bridge path the operator chose, stays a `bridge dir` error.
 */
export function quietAbsence(lane: LaneConfig, check: DirCheck): boolean {
  if (check.ok || check.message !== absentMessage(lane.bridge) || lane.command !== null)
    return false;
  return isDefaultBridge(lane.bridge) && path.basename(path.resolve(lane.bridge)) === lane.id;
}
