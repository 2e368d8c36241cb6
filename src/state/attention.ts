/**
 * The operator's attention, derived purely from lane views: which lanes need the operator
 * now ({@link needsAttention}, the header's "need you" count and the "attention first"
 * order), which lanes only finished their turn ({@link isFinishedTurn}, the header's
 * "finished" count: done, nothing waits on the operator), and the
 * transitions between two board states that notify the operator or run `on:` commands
 * ({@link attentionTransitions}). The runtime (src/runtime/attention) turns transitions
 * into terminal notifications and commands; nothing here does I/O.
 */
import type { NotifyKind, OnEvent } from './config-types.js';
import { selectBoardView } from './board-view.js';
import type { BoardState } from './types.js';
import type { LaneView } from './view-types.js';

export type { NotifyKind, OnEvent } from './config-types.js';

/** Blocker classes that wait for the operator's answer (permission prompt, input, trust). */
const INPUT_CLASSES: ReadonlySet<string> = new Set(['permission', 'input_required', 'trust_gate']);
/** Agent statuses that wait for the operator (claw-code WorkerStatus). */
const INPUT_STATUSES: ReadonlySet<string> = new Set(['tool_permission_required', 'trust_required']);
/**
 * Agent status of a turn stopped before its end (Claude Code Esc, pi-crew cancel, the native
 * `lane.interrupted` event): the agent waits for the operator, who usually caused it, so it
 * counts as "need you" but does not notify.
 */
const INTERRUPTED = 'interrupted';
/**
 * Agent status of a finished turn whose agent waits for your next prompt (Claude Code's
 * `idle_prompt`, sent a while after `Stop`): the turn is done, so it is counted as
 * "finished" (not "need you": nothing went wrong and nothing is asked), never a blocker,
 * no notification.
 */
const WAITING = 'waiting_for_input';

/** What the transitions are computed from: a few facts per lane (plain data). */
export interface LaneFacts {
  /** Why the lane waits for the operator's input (blocker detail), or null. */
  readonly input: string | null;
  readonly blocked: boolean;
  readonly rateLimited: boolean;
  /** Test verdict on the current HEAD ('unknown' when stale or unknown). */
  readonly tests: 'green' | 'red' | 'unknown';
  readonly finished: boolean;
  readonly crashLoop: boolean;
  /** The worker ended without the operator asking: `exit 1`, `SIGSEGV`, `failed to start`; null otherwise. */
  readonly exited: string | null;
}

const factsCache = new WeakMap<LaneView, LaneFacts>();

/** The facts of one lane view (memoized per view object). */
export function laneFacts(v: LaneView): LaneFacts {
  const hit = factsCache.get(v);
  if (hit !== undefined) return hit;
  const facts = computeFacts(v);
  factsCache.set(v, facts);
  return facts;
}

function computeFacts(v: LaneView): LaneFacts {
  const input = v.blockers.find((b) => INPUT_CLASSES.has(b.failureClass));
  let inputText: string | null = null;
  if (input !== undefined) inputText = `${input.failureClass}: ${input.detail}`;
  else if (v.agent.status !== null && INPUT_STATUSES.has(v.agent.status))
    inputText = v.agent.status;
  const w = v.worker;
  let exited: string | null = null;
  if (!w.operatorStopped) {
    if (w.state === 'failed_to_start') exited = `failed to start${w.error ? `: ${w.error}` : ''}`;
    else if (w.state === 'exited' && w.signal !== null) exited = `killed by ${w.signal}`;
    else if (w.state === 'exited' && w.exitCode !== 0) exited = `exit ${w.exitCode ?? '?'}`;
  }
  return {
    input: inputText,
    blocked: v.blockers.length > 0,
    rateLimited: v.blockers.some((b) => b.failureClass === 'rate_limit'),
    tests: v.tests.stale ? 'unknown' : v.tests.status,
    finished: v.agent.kind === 'finished',
    crashLoop: w.state === 'crash_loop',
    exited,
  };
}

/**
 * True when the lane waits for the operator: an input / permission / trust prompt, an
 * interrupted turn, a crash loop, or a worker that ended unexpectedly (what the header
 * counts as "need you" and the "attention first" order puts first; docs/attention.md).
 * A lane that only finished its turn is not counted here ({@link isFinishedTurn}).
 */
export function needsAttention(v: LaneView): boolean {
  const f = laneFacts(v);
  return f.input !== null || f.crashLoop || f.exited !== null || v.agent.status === INTERRUPTED;
}

/**
 * True when the lane's agent finished its turn and nothing else is asked of the operator:
 * the agent reports `finished`, or idles waiting for its next prompt (`idle_prompt`), and
 * the lane does not {@link needsAttention}. The header counts these as "finished".
 */
export function isFinishedTurn(v: LaneView): boolean {
  if (needsAttention(v)) return false;
  return laneFacts(v).finished || v.agent.status === WAITING;
}

/** Header counts: lanes that need the operator, and lanes that only finished their turn. */
export interface AttentionCounts {
  readonly needYou: number;
  readonly finished: number;
}

/** Lanes needing attention and lanes that only finished (counts) — see {@link needsAttention}, {@link isFinishedTurn}. */
export function selectAttentionCounts(s: BoardState): AttentionCounts {
  let needYou = 0;
  let finished = 0;
  for (const id of s.order) {
    const v = selectBoardView(s, id);
    if (needsAttention(v)) needYou++;
    else if (isFinishedTurn(v)) finished++;
  }
  return { needYou, finished };
}

/** Lanes needing attention (count) — see {@link needsAttention}. */
export function selectAttentionCount(s: BoardState): number {
  return selectAttentionCounts(s).needYou;
}

/** One transition of one lane: the `on:` event it fires and the notification it makes. */
export interface Transition {
  readonly laneId: string;
  /** `on:` event, or null (a transition that only notifies, e.g. rate limit lifted). */
  readonly event: OnEvent | null;
  /** Notification kind, or null (a transition that only fires `on:`, e.g. green). */
  readonly notify: NotifyKind | null;
  /** One line for the notification, e.g. `auth needs input: permission: Bash`. Untrusted parts included: sanitize before writing. */
  readonly text: string;
}

/**
 * The transitions from `prev` to `next` facts of lane `id` (each fires once, on the edge):
 * - input prompt appears → `attention` (notify attention);
 * - any blocker appears → `blocked`;
 * - a rate limit is lifted → notify rate_limit;
 * - tests turn red → `red` (notify only when they were green: "red after green");
 * - tests turn green → `green`;
 * - the agent finishes → `finished` (notify);
 * - the worker enters crash_loop → `crash_loop` (notify);
 * - the worker ends unexpectedly → `exited` (notify).
 */
function laneTransitions(id: string, prev: LaneFacts, next: LaneFacts): Transition[] {
  const out: Transition[] = [];
  const add = (event: OnEvent | null, notify: NotifyKind | null, text: string) =>
    out.push({ laneId: id, event, notify, text: `${id} ${text}` });
  if (next.input !== null && prev.input === null)
    add('attention', 'attention', `needs input: ${next.input}`);
  if (next.blocked && !prev.blocked) add('blocked', null, 'is blocked');
  if (!next.rateLimited && prev.rateLimited) add(null, 'rate_limit', 'rate limit lifted');
  if (next.tests === 'red' && prev.tests !== 'red')
    add(
      'red',
      prev.tests === 'green' ? 'red' : null,
      prev.tests === 'green' ? 'red after green' : 'is red',
    );
  if (next.tests === 'green' && prev.tests !== 'green') add('green', null, 'is green');
  if (next.finished && !prev.finished) add('finished', 'finished', 'finished');
  if (next.crashLoop && !prev.crashLoop) add('crash_loop', 'crash_loop', 'is in a crash loop');
  if (next.exited !== null && prev.exited === null)
    add('exited', 'exited', `worker ended: ${next.exited}`);
  return out;
}

/** Facts of every lane, by id. */
export type BoardFacts = ReadonlyMap<string, LaneFacts>;

/**
 * The facts of every lane of `s`. With `since` (epoch ms, when the board started): a lane
 * whose agent report has a heartbeat at or after `since` reported it during this run, so
 * its agent facts (input, blocked, finished) are left out of the baseline and fire on the
 * next look — a lane its new worker blocks while the first reads are still going notifies
 * like one that blocks later. Reports from before (or without a heartbeat) stay baseline.
 */
export function boardFacts(s: BoardState, since: number | null = null): Map<string, LaneFacts> {
  const m = new Map<string, LaneFacts>();
  for (const id of s.order) {
    const v = selectBoardView(s, id);
    const f = laneFacts(v);
    const fresh = since !== null && v.agent.heartbeat.at !== null && v.agent.heartbeat.at >= since;
    m.set(id, fresh ? { ...f, input: null, blocked: false, finished: false } : f);
  }
  return m;
}

/**
 * Transitions of every lane between `prev` facts and state `next`, in lane order, and the
 * facts of `next` (pass them as `prev` next time). A lane absent from `prev` (new, or the
 * first look) is a baseline: it fires nothing.
 */
export function attentionTransitions(
  prev: BoardFacts,
  next: BoardState,
): { facts: Map<string, LaneFacts>; transitions: Transition[] } {
  const facts = boardFacts(next);
  const transitions: Transition[] = [];
  for (const [id, f] of facts) {
    const p = prev.get(id);
    if (p !== undefined && p !== f) transitions.push(...laneTransitions(id, p, f));
  }
  return { facts, transitions };
}
