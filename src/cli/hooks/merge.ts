/**
 * Pure merging of laneboard's hook entries into an agent's settings document (the
 * Claude Code hooks shape, also used by Codex `hooks.json` and Gemini `settings.json`):
 * `{"hooks": {"<Event>": [{"matcher"?: "…", "hooks": [{"type": "command", "command":
 * "…", "timeout": N}]}]}}`. laneboard's entries are recognized by their command (the
 * capture marker, or a `laneboard … hook` call), so no extra keys are written into the
 * agent's schema. Everything else in the document — other keys, the user's own hooks for
 * the same events, their order — is kept as it is.
 */
import { CAPTURE_MARK } from './capture.js';

/** One command hook entry. */
export interface HookCommand {
  readonly type: 'command';
  readonly command: string;
  /** Claude Code / Codex: seconds; Gemini: ms. */
  readonly timeout: number;
}

/** One matcher group of an event. */
export interface HookGroup {
  readonly matcher?: string;
  readonly hooks: readonly HookCommand[];
}

/** Event name → laneboard's group for it. */
export type WantedHooks = Readonly<Record<string, HookGroup>>;

/** Result of a merge: the new document and what changed (event names). */
export interface MergeResult {
  readonly doc: Record<string, unknown>;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: boolean;
}

const LANEBOARD_HOOK_RE = /laneboard(?:\.js)?'?\s+hook(?:\s|$)/;

/** True when a hook entry's command is one of laneboard's (capture or `laneboard hook`). */
function isLaneboardEntry(entry: unknown): boolean {
  if (!entry || typeof entry !== 'object') return false;
  const cmd = (entry as Record<string, unknown>).command;
  return typeof cmd === 'string' && (cmd.includes(CAPTURE_MARK) || LANEBOARD_HOOK_RE.test(cmd));
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * Checks the document's shape. Throws an Error naming the problem when `doc` is not an
 * object, `hooks` is not an object, or an event's value is not an array (the file is then
 * left untouched by the caller).
 */
function hooksOf(doc: unknown): Record<string, unknown> {
  if (!isObj(doc)) throw new Error('the settings file is not a JSON object');
  const hooks = doc.hooks ?? {};
  if (!isObj(hooks)) throw new Error('"hooks" in the settings file is not an object');
  for (const [event, groups] of Object.entries(hooks))
    if (!Array.isArray(groups)) throw new Error(`"hooks.${event}" is not an array`);
  return hooks;
}

/** `groups` without laneboard's entries; groups left empty by that are dropped. */
function strip(groups: readonly unknown[]): { kept: unknown[]; removed: number } {
  let removed = 0;
  const kept: unknown[] = [];
  for (const g of groups) {
    if (!isObj(g) || !Array.isArray(g.hooks)) {
      kept.push(g);
      continue;
    }
    const own = g.hooks.filter((e) => !isLaneboardEntry(e));
    removed += g.hooks.length - own.length;
    if (own.length === g.hooks.length) kept.push(g);
    else if (own.length > 0) kept.push({ ...g, hooks: own });
  }
  return { kept, removed };
}

/**
 * `doc` with laneboard's entries replaced by `wanted` (one group appended per event after
 * the user's groups). Idempotent: merging the same `wanted` twice changes nothing the
 * second time (`changed: false`). Throws on a malformed document (see above).
 */
export function mergeHooks(doc: unknown, wanted: WantedHooks): MergeResult {
  const hooks = hooksOf(doc);
  const before = JSON.stringify(doc);
  const next: Record<string, unknown> = {};
  const added: string[] = [];
  const removed: string[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    const { kept, removed: n } = strip(groups as unknown[]);
    const want = wanted[event];
    if (want) kept.push(want);
    if (n > 0 && !want) removed.push(event);
    if (kept.length > 0) next[event] = kept;
  }
  for (const [event, want] of Object.entries(wanted)) {
    if (!(event in next)) next[event] = [want];
  }
  const out = { ...(doc as Record<string, unknown>), hooks: next };
  for (const event of Object.keys(wanted)) {
    const had = Array.isArray(hooks[event]) ? JSON.stringify(hooks[event]) : null;
    if (had !== JSON.stringify(next[event])) added.push(event);
  }
  return { doc: out, added, removed, changed: JSON.stringify(out) !== before };
}

/**
 * `doc` without any laneboard entry (events left without groups are removed, and
 * `hooks` itself when it ends up empty). Throws on a malformed document.
 */
export function removeHooks(doc: unknown): MergeResult {
  const hooks = hooksOf(doc);
  const next: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    const { kept, removed: n } = strip(groups as unknown[]);
    if (n > 0) removed.push(event);
    if (kept.length > 0) next[event] = kept;
  }
  const out: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  if (Object.keys(next).length > 0) out.hooks = next;
  else delete out.hooks;
  return { doc: out, added: [], removed, changed: removed.length > 0 };
}

/** Event names whose groups hold a laneboard entry (for `hooks status`). Never throws. */
export function installedEvents(doc: unknown): string[] {
  try {
    const hooks = hooksOf(doc);
    return Object.entries(hooks)
      .filter(([, groups]) =>
        (groups as unknown[]).some(
          (g) => isObj(g) && Array.isArray(g.hooks) && g.hooks.some(isLaneboardEntry),
        ),
      )
      .map(([e]) => e);
  } catch {
    return [];
  }
}
