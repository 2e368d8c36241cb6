/**
 * Bridge part of the reducer: normalizes bridge documents and event lines through the
 * dialect readers (./dialects) and folds them into the lane. Keeps the last good value of
 * every document while the file is unreadable (bridge contract: "unreadable now" is not
 * "gone").
 */
import type { ActionOf } from './actions.js';
import {
  bounded,
  foldEvents,
  normalizeEvent,
  normalizeResultDoc,
  normalizeStateDoc,
  STICKY_CLASSES,
} from './dialects/index.js';
import type { FoldContext } from './dialects/index.js';
import { boundedRecord, isRecord } from './dialects/util.js';
import type { BridgeState, EventFold, FileSlot, LaneEvent, LaneState } from './types.js';

/** The action types {@link laneBridgeReducer} handles (the reducer routes them here). */
export const BRIDGE_ACTION_TYPES = [
  'bridge/doc',
  'bridge/missing',
  'bridge/docError',
  'bridge/events',
  'bridge/eventsError',
  'bridge/dirError',
  'bridge/writeProblem',
  'lane/clearBlockers',
] as const;

type BridgeAction = ActionOf<(typeof BRIDGE_ACTION_TYPES)[number]>;

/** Paths that count as "inside the lane's worktree" for workspace checks. */
export function worktreePaths(lane: LaneState): string[] {
  const { worktree, worktreeRealpath } = lane.config;
  return worktreeRealpath && worktreeRealpath !== worktree
    ? [worktree, worktreeRealpath]
    : [worktree];
}

function withSlot<T>(slot: FileSlot<T>, patch: Partial<FileSlot<T>>): FileSlot<T> {
  return { ...slot, ...patch };
}

function slotError<T>(slot: FileSlot<T>, message: string, at: number): FileSlot<T> {
  const since = slot.error && slot.error.message === message ? slot.error.since : at;
  return withSlot(slot, { error: { message, since }, missing: false });
}

/** Apply `fn` to one document slot, whatever its value type. */
function patchSlot(
  bridge: BridgeState,
  kind: 'state' | 'result' | 'claw',
  fn: <T>(slot: FileSlot<T>) => FileSlot<T>,
): BridgeState {
  if (kind === 'result') return { ...bridge, result: fn(bridge.result) };
  return kind === 'claw'
    ? { ...bridge, claw: fn(bridge.claw) }
    : { ...bridge, state: fn(bridge.state) };
}

function applyDoc(
  bridge: BridgeState,
  lane: LaneState,
  action: ActionOf<'bridge/doc'>,
): BridgeState {
  const { kind, file, at } = action;
  // Pathological nesting/size is replaced by a marker so --json and details cannot blow the
  // stack. Bounded per top-level field: one pathological field must not cost the document
  // its status, phase and the rest (it would otherwise become "not a JSON object").
  const raw = isRecord(action.raw) ? boundedRecord(action.raw) : bounded(action.raw);
  if (kind === 'result') {
    const res = normalizeResultDoc(raw, { file, at, dialect: lane.config.dialect });
    return 'error' in res
      ? { ...bridge, result: slotError(bridge.result, res.error, at) }
      : { ...bridge, result: { value: res, raw, readAt: at, error: null, missing: false } };
  }
  const dialect = kind === 'claw' ? 'claw-code' : lane.config.dialect;
  const rep = normalizeStateDoc(raw, { file, at, dialect });
  const prev = bridge[kind];
  const next: typeof prev =
    'error' in rep
      ? slotError(prev, rep.error, at)
      : { value: rep, raw, readAt: at, error: null, missing: false };
  return kind === 'claw' ? { ...bridge, claw: next } : { ...bridge, state: next };
}

function applyEvents(
  bridge: BridgeState,
  lane: LaneState,
  action: ActionOf<'bridge/events'>,
): BridgeState {
  const ctx: FoldContext = { worktreePaths: worktreePaths(lane) };
  const evs: LaneEvent[] = [];
  let eventsError = bridge.eventsError;
  for (const line of action.lines) {
    if (!line.ok) {
      eventsError = { message: `${line.file}: ${line.error}`, since: action.at, line: true };
      continue;
    }
    const ev = normalizeEvent(line.value, {
      file: line.file,
      line: line.line,
      at: action.at,
      dialect: lane.config.dialect,
    });
    if ('error' in ev) {
      eventsError = {
        message: `${line.file}${line.line > 0 ? ` line ${line.line}` : ''}: ${ev.error}`,
        since: action.at,
        line: true,
      };
      continue;
    }
    if (eventsError?.line) eventsError = null;
    evs.push(ev);
  }
  const fold = foldEvents(bridge.events, evs, ctx);
  return { ...bridge, events: fold, eventsError };
}

function clearSticky(fold: EventFold): EventFold {
  const blockers = Object.fromEntries(
    Object.entries(fold.blockers).filter(([cls]) => !STICKY_CLASSES.has(cls)),
  );
  return { ...fold, blockers };
}

function reduceBridge(bridge: BridgeState, lane: LaneState, action: BridgeAction): BridgeState {
  switch (action.type) {
    case 'bridge/doc':
      return applyDoc(bridge, lane, action);
    case 'bridge/missing':
      return patchSlot(bridge, action.kind, (slot) =>
        withSlot(slot, { missing: true, error: null }),
      );
    case 'bridge/docError':
      return patchSlot(bridge, action.kind, (slot) => slotError(slot, action.message, action.at));
    case 'bridge/events':
      return applyEvents(bridge, lane, action);
    case 'bridge/eventsError':
      return {
        ...bridge,
        eventsError:
          action.message === null
            ? null
            : { message: action.message, since: bridge.eventsError?.since ?? action.at },
      };
    case 'bridge/dirError':
      return {
        ...bridge,
        dirError:
          action.message === null
            ? null
            : { message: action.message, since: bridge.dirError?.since ?? action.at },
      };
    case 'bridge/writeProblem':
      return { ...bridge, writeProblem: { message: action.message, since: action.at } };
    case 'lane/clearBlockers':
      return { ...bridge, events: clearSticky(bridge.events), writeProblem: null };
  }
}

/** Apply a bridge action (or an operator clear) to one lane. Pure. */
export function laneBridgeReducer(lane: LaneState, action: BridgeAction): LaneState {
  const bridge = reduceBridge(lane.bridge, lane, action);
  const clearedAt = action.type === 'lane/clearBlockers' ? action.at : lane.clearedAt;
  return { ...lane, bridge, clearedAt };
}

/** Re-exported for tests that build lanes by hand. */
