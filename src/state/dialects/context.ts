/**
 * Context types passed to the dialect readers by the reducer, and the shared error shape.
 */
import type { DialectSetting } from '../config-types.js';
import type { Source } from '../types.js';

/** Context of a whole-file bridge document (state.json, result.json, worker-state.json). */
export interface DocContext {
  /** File name relative to the bridge dir (or worktree for claw), copied into Source. */
  readonly file: string;
  /** Observe time (epoch ms). */
  readonly at: number;
  /** The lane's dialect setting; `auto` detects by shape. */
  readonly dialect: DialectSetting;
}

/** Context of one events-file line. */
export interface EventContext {
  readonly file: string;
  /** 1-based line number inside the events file. */
  readonly line: number;
  /** Observe time (epoch ms). */
  readonly at: number;
  readonly dialect: DialectSetting;
}

/** What the event fold needs to know about the lane. */
export interface FoldContext {
  /** The lane's configured worktree path and its realpath (absolute POSIX paths). */
  readonly worktreePaths: readonly string[];
}

/** A reader's answer for input it cannot make sense of (becomes a bridge read problem). */
export interface ReadError {
  readonly error: string;
}

/** Source of a whole document read with `ctx`. */
export function docSource(ctx: DocContext): Source {
  return { file: ctx.file, at: ctx.at };
}

/** Short description of a JSON value's type for error messages (`array`, `null`, `string`…). */
export function jsonType(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}
