/**
 * Bridge dialect readers (pure): normalize JSON-parsed bridge documents and event lines
 * of every supported dialect (native laneboard, claw-code, live-bridge, Claude Code hooks;
 * docs/bridge-contract.md) into the shared state types, fold events, and
 * derive agent blockers. No fs, no timers; bad input becomes `{error}` or a kept-verbatim
 * field, never an exception.
 */
export type { DocContext, EventContext, FoldContext, ReadError } from './context.js';
export { normalizeClawState, normalizeResultDoc, normalizeStateDoc } from './docs.js';
export { normalizeEvent } from './events.js';
export { EMPTY_FOLD, foldEvent, foldEvents, isMeaningful } from './fold.js';
export { agentBlockers } from './blockers.js';
export { isInsidePath } from './paths.js';
export { parseTimestamp } from './time.js';
export { nextActionFor, normalizeLevel, STICKY_CLASSES } from './vocab.js';
export { RECENT_LIMIT } from './fold-base.js';
export { bounded } from './util.js';
export {
  APPROVAL_ANSWERED,
  APPROVAL_EXPIRED,
  APPROVAL_FIELD,
  pendingApproval,
  type AnswerableRequest,
} from './fold-approval.js';
