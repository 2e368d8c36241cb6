/**
 * pi-crew run event lines (pure). pi-crew appends one `TeamEvent` per line to its run's
 * `events.jsonl` (`{time, type, runId, taskId?, message?, data?, metadata?: {seq, …}}`,
 * types such as `run.running`, `run.completed`, `run.failed`, `run.cancelled`,
 * `run.blocked`, `task.started`, `task.waiting`, `task.completed`, `task.failed`,
 * `task.cancelled`, `task.needs_attention`, `mailbox.timeout`; source: pi-crew's
 * `src/state/contracts.ts` TEAM_EVENT_TYPES and `src/state/event-log/event-log.ts`). A lane
 * whose `bridge` is the run's state root reads that file as its events.
 *
 * A run or task outcome — `data.outcome` (or `outcome`) of `ok`, `cancelled`,
 * `deadletter`, `failed`, `timeout`, `aborted`, else the one the type's suffix implies
 * (`completed` → ok, `failed` → failed, `cancelled` → cancelled) — becomes a lane state:
 * ok → finished; cancelled / aborted → interrupted (stopped before the end, waits for
 * you); failed → failed `tool_runtime`; timeout → failed `timeout`; deadletter → failed
 * `deadletter` (a message or task given up after its retries). Progress (`run.running`,
 * `task.started`, `task.resumed`, `async.started`) → running; `task.waiting` → blocker
 * `input_required`; `run.blocked` / `task.needs_attention` → blocked; `mailbox.timeout` →
 * blocker `prompt_delivery`. Everything else is kept as `pi-crew.<type>` and changes no
 * state. The mapping only produces native LaneEvent names (`lane.*`, folded by
 * ./fold-lane.ts).
 */
import { asString, clip, isRecord, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** What a pi-crew event means as a native lane event. */
export interface PiCrewMeaning {
  /** Native name: lane.started, lane.finished, lane.failed, lane.blocked, lane.interrupted, or `pi-crew.<type>`. */
  readonly name: string;
  readonly status: string | null;
  readonly failureClass: string | null;
  readonly detail: string | null;
}

/** True when `raw` looks like a pi-crew TeamEvent line (`type` "<area>.<what>" and `runId`). */
export function isPiCrewEvent(raw: JsonRecord): boolean {
  const type = asString(prop(raw, 'type'));
  return (
    type !== null &&
    /^[a-z_]+\.[a-z_]+$/.test(type) &&
    typeof prop(raw, 'runId') === 'string' &&
    prop(raw, 'event') === undefined
  );
}

function outcomeOf(raw: JsonRecord, type: string): string | null {
  const data = prop(raw, 'data');
  const given =
    asString(prop(raw, 'outcome')) ?? (isRecord(data) ? asString(prop(data, 'outcome')) : null);
  if (given !== null) return given.toLowerCase();
  if (/\.(completed)$/.test(type)) return 'ok';
  if (/\.(failed)$/.test(type)) return 'failed';
  if (/\.(cancelled)$/.test(type)) return 'cancelled';
  return null;
}

const FAILED_CLASS: Readonly<Record<string, string>> = {
  failed: 'tool_runtime',
  timeout: 'timeout',
  deadletter: 'deadletter',
};

/** The lane meaning of a pi-crew event (see the module doc). Never throws. */
export function piCrewMeaning(raw: JsonRecord): PiCrewMeaning {
  const type = asString(prop(raw, 'type')) ?? 'unknown';
  const task = asString(prop(raw, 'taskId'));
  const message = asString(prop(raw, 'message'));
  const who = task !== null ? `task ${clip(task, 80)}` : 'run';
  const say = (what: string): string =>
    `${who} ${what}${message !== null ? `: ${clip(message, 240)}` : ''}`;
  const isEnd = /^(run|task|async)\.(completed|failed|cancelled|skipped)$/.test(type);
  const outcome = isEnd || prop(raw, 'outcome') !== undefined ? outcomeOf(raw, type) : null;
  if (outcome === 'ok')
    return {
      name: type.startsWith('run.') ? 'lane.finished' : `pi-crew.${type}`,
      status: type.startsWith('run.') ? 'finished' : null,
      failureClass: null,
      detail: say('ok'),
    };
  if (outcome === 'cancelled' || outcome === 'aborted')
    return {
      name: 'lane.interrupted',
      status: 'interrupted',
      failureClass: null,
      detail: say(outcome),
    };
  if (outcome !== null && FAILED_CLASS[outcome] !== undefined)
    return {
      name: 'lane.failed',
      status: 'failed',
      failureClass: FAILED_CLASS[outcome] ?? null,
      detail: say(outcome),
    };
  switch (type) {
    case 'run.running':
    case 'task.started':
    case 'task.resumed':
    case 'async.started':
      return {
        name: 'lane.started',
        status: 'running',
        failureClass: null,
        detail: say('running'),
      };
    case 'task.waiting':
      return {
        name: 'lane.blocked',
        status: 'blocked',
        failureClass: 'input_required',
        detail: say('waits for an answer'),
      };
    case 'run.blocked':
    case 'task.needs_attention':
      return {
        name: 'lane.blocked',
        status: 'blocked',
        failureClass: 'blocked',
        detail: say('needs attention'),
      };
    case 'mailbox.timeout':
      return {
        name: 'lane.blocked',
        status: 'blocked',
        failureClass: 'prompt_delivery',
        detail: say('mailbox message not delivered in time'),
      };
    default:
      return {
        name: `pi-crew.${clip(type, 80)}`,
        status: null,
        failureClass: null,
        detail: message !== null ? clip(message, 240) : null,
      };
  }
}
