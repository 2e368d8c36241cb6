/**
 * What each column of a lane row says, as plain text plus a {@link Tone}: a pure function
 * of a {@link LaneView}. Every worker-written string passes through `sanitizeText` here,
 * so a row can never carry an escape sequence to the terminal. Meaning is always in the
 * words too (e.g. "stale"), never only in colour (NO_COLOR).
 */
import {
  countdownChangeAt,
  formatCountdown,
  formatRowAge,
  rowAgeChangeAt,
  shortSha,
} from '../state/format.js';
import { sanitizeText } from '../state/sanitize.js';
import { selectActivity } from '../state/select-activity.js';
import type { LaneView, TestsView, WorkerView } from '../state/view-types.js';
import type { ColumnKey } from './columns.js';
import type { Tone } from './theme.js';
import type { Cell } from './cell-fit.js';

export { cutToWidth, fitCell, type Cell, type CellTag } from './cell-fit.js';

/** Longest text a row cell keeps before Ink truncates it to the column (code points). */
const CELL_MAX = 200;
const clean = (s: unknown): string => sanitizeText(s, CELL_MAX);

/** Abbreviations of the claw-code green levels (unknown levels are shown verbatim). */
const LEVEL_SHORT: Readonly<Record<string, string>> = {
  none: 'none',
  targeted_tests: 'tgt',
  targeted: 'tgt',
  package: 'pkg',
  workspace: 'ws',
  merge_ready: 'merge',
};

/** The worker column: `run 4242 ↻2`, `backoff 3s`, `crash_loop`, `exit 1`, `failed`, `—`. */
export function workerCell(w: WorkerView): Cell {
  const restarts = w.restarts > 0 ? ` ↻${w.restarts}` : '';
  switch (w.state) {
    case 'none':
      return { text: '—', tone: 'muted' };
    case 'running':
      return { text: `run ${w.pid ?? '?'}${restarts}`, short: `run ${w.pid ?? '?'}`, tone: 'ok' };
    case 'starting':
      return { text: `starting${restarts}`, tone: 'info' };
    case 'stopping':
      return { text: 'stopping', tone: 'warn' };
    case 'stopped':
      return { text: 'stopped', tone: 'muted' };
    case 'backoff': {
      // Narrow columns keep the countdown, which is what the operator waits for.
      const inMs = formatCountdown(w.nextStartInMs);
      return { text: `backoff ${inMs}${restarts}`, short: `↻ in ${inMs}`, tone: 'warn' };
    }
    case 'parked': {
      // Rate limited: no restart until the resume (docs/agents.md "Resume at usage-limit reset").
      if (w.nextStartInMs === null) return { text: 'parked', tone: 'warn' };
      const inMs = formatCountdown(w.nextStartInMs);
      return { text: `parked ${inMs}${restarts}`, short: `⏸ ${inMs}`, tone: 'warn' };
    }
    case 'crash_loop':
      return { text: 'crash_loop', tone: 'bad' };
    case 'failed_to_start':
      return { text: 'failed', tone: 'bad' };
    case 'exited': {
      if (w.signal !== null) return { text: `sig ${clean(w.signal)}`, tone: 'bad' };
      const code = w.exitCode ?? '?';
      return { text: `exit ${code}`, tone: code === 0 ? 'muted' : 'bad' };
    }
    default:
      return { text: clean(w.state), tone: 'plain' };
  }
}

/** The base column: `↑2 ↓3 diverged`, `↑0 ↓0 fresh`, `? unknown`. */
function freshCell(v: LaneView): Cell {
  const g = v.git;
  const counts = g.ahead === null || g.behind === null ? '?' : `↑${g.ahead} ↓${g.behind}`;
  const tone: Tone =
    g.freshness === 'fresh'
      ? 'ok'
      : g.freshness === 'stale'
        ? 'warn'
        : g.freshness === 'diverged'
          ? 'bad'
          : 'muted';
  const abbr = { fresh: 'ok', stale: 'stale', diverged: 'div', unknown: '?' }[g.freshness];
  const compact = g.ahead === null || g.behind === null ? '?' : `↑${g.ahead}↓${g.behind}`;
  return { text: `${counts} ${g.freshness}`, tone, short: `${compact} ${abbr}` };
}

/** The branch column: the checked-out branch (or `@sha` when detached) and dirty count. */
function branchCell(v: LaneView): Cell {
  const g = v.git;
  const name = g.detached ? `@${shortSha(g.head)}` : (g.branch ?? v.branch);
  const dirty = g.dirty !== null && g.dirty > 0 ? ` ~${g.dirty}` : '';
  const other = !g.detached && g.branch !== null && g.branch !== v.branch;
  return { text: clean(`${name}${dirty}`), tone: other ? 'warn' : 'plain' };
}

/** The agent column: verbatim status, with the heartbeat liveness when it is not healthy. */
function agentCell(v: LaneView): Cell {
  const a = v.agent;
  if (a.status === null) return { text: '—', tone: 'muted' };
  const live = a.heartbeat.liveness;
  const suffix = live === 'stale' || live === 'dead' ? ` (${live})` : '';
  const tone: Tone =
    a.kind === 'failed'
      ? 'bad'
      : a.kind === 'blocked'
        ? 'warn'
        : a.kind === 'finished'
          ? 'ok'
          : a.kind === 'running'
            ? 'info'
            : 'plain';
  return { text: clean(`${a.status}${suffix}`), tone: suffix !== '' ? 'warn' : tone };
}

/** The tests column: `green pkg`, `red 2✗`, stale results as `green* pkg (stale)`, `—`. */
export function testsCell(t: TestsView): Cell {
  if (t.status === 'unknown' && t.level === null && t.failed === null) {
    return { text: '—', tone: 'muted' };
  }
  const level = t.level === null ? '' : ` ${LEVEL_SHORT[t.level] ?? clean(t.level)}`;
  const failed = t.status === 'red' && t.failed !== null && t.failed > 0 ? ` ${t.failed}✗` : '';
  const star = t.stale ? '*' : '';
  const stale = t.stale ? ' (stale)' : '';
  const tone: Tone = t.stale
    ? 'muted'
    : t.status === 'green'
      ? 'ok'
      : t.status === 'red'
        ? 'bad'
        : 'plain';
  return {
    text: `${t.status}${star}${level}${failed}${stale}`,
    tone,
    short: `${t.status}${star}${level}${failed}`,
  };
}

/**
 * The blocker column: the most urgent blocker (with its reset countdown for rate limits)
 * and its next action, or merge readiness. `now` is the board clock (epoch ms).
 */
function blockerCell(v: LaneView, now: number): Cell {
  const b = v.blockers[0];
  if (b === undefined) {
    return v.mergeReady ? { text: 'merge-ready', tone: 'ok' } : { text: '', tone: 'muted' };
  }
  const more = v.blockers.length > 1 ? ` (+${v.blockers.length - 1})` : '';
  const reset =
    b.resetAt !== undefined && b.resetAt !== null
      ? ` (resets ${formatCountdown(b.resetAt - now)})`
      : '';
  const next = b.nextAction ? ` → ${b.nextAction}` : '';
  return { text: clean(`${b.failureClass}${more}${reset}${next}`), tone: 'bad' };
}

/**
 * The diff column: `+12 −3` (lines inserted / deleted against the merge base with the base
 * ref, committed plus uncommitted), muted when the lane has no change of its own; `—`
 * while unknown. The number of files is in the detail pane and --json.
 */
function diffCell(v: LaneView): Cell {
  const d = v.git.diff;
  if (d === null) return { text: '—', tone: 'muted' };
  return {
    text: `+${d.insertions} \u2212${d.deletions}`,
    tone: d.files === 0 ? 'muted' : 'plain',
  };
}

/** The activity column: the agent's phase, last tool call or last message (sanitized). */
function activityCell(v: LaneView): Cell {
  const failed = v.problems.find((p) => p.startsWith('on '));
  if (failed !== undefined) return { text: clean(failed), tone: 'bad' };
  const a = selectActivity(v);
  if (a === null) return { text: '', tone: 'muted' };
  return { text: a.text, tone: a.kind === 'phase' || a.kind === 'tool' ? 'info' : 'plain' };
}

/** Row ages advance in steps of this many ms, on the same wall-clock boundaries for all rows. */
export const ROW_AGE_STEP_MS = 10_000;

/**
 * The last-event column: `20s lane.red` — age first, so a narrow column still shows how
 * old the event is; the `lane.` prefix is dropped (every claw-code lane event has it).
 * The age is measured to the last {@link ROW_AGE_STEP_MS} boundary of `now` (epoch ms), so
 * every row's age changes at the same tick: on a board of many lanes that were active at
 * different moments, one frame per 10 s instead of one per second (issue #5 idle; each
 * Ink frame rebuilds the whole screen). Shown ages are at most 10 s younger than exact
 * ones; the detail pane shows exact ages.
 */
export function eventCell(v: LaneView, now: number): Cell {
  const e = v.lastEvent;
  if (e === null) return { text: '—', tone: 'muted' };
  const name = e.name.startsWith('lane.') ? e.name.slice(5) : e.name;
  const age = e.at === null ? null : stepFloor(now) - e.at;
  return { text: clean(`${formatRowAge(age)} ${name}`), tone: 'plain' };
}

/** `now` (epoch ms) down to its {@link ROW_AGE_STEP_MS} boundary. */
const stepFloor = (now: number): number =>
  now - (((now % ROW_AGE_STEP_MS) + ROW_AGE_STEP_MS) % ROW_AGE_STEP_MS);

/**
 * Every cell of a lane row at screen time `now` (epoch ms). `viewAt` is the time the view
 * was built at (src/state/board-view.ts: a board view is reused while its time facts hold):
 * ages come from absolute times, the restart countdown is moved on by `now - viewAt`.
 */
export function laneCells(
  v: LaneView,
  now: number,
  viewAt: number = now,
): Readonly<Record<ColumnKey, Cell>> {
  const w = v.worker;
  const worker =
    w.nextStartInMs === null || viewAt === now
      ? w
      : { ...w, nextStartInMs: w.nextStartInMs - (now - viewAt) };
  return {
    id: { text: clean(v.id), tone: 'plain' },
    branch: branchCell(v),
    fresh: freshCell(v),
    diff: diffCell(v),
    worker: workerCell(worker),
    agent: agentCell(v),
    tests: testsCell(v.tests),
    blocker: blockerCell(v, now),
    activity: activityCell(v),
    event: eventCell(v, now),
  };
}

/**
 * When (epoch ms) {@link laneCells} of the same view next differ as screen time moves on
 * from `now` — a last-event age step, a restart or rate-limit countdown — or `Infinity`
 * (the row's text depends on nothing time-bound). `viewAt` as for {@link laneCells}.
 */
export function rowChangeAt(v: LaneView, now: number, viewAt: number = now): number {
  let next = Infinity;
  const at = v.lastEvent?.at ?? null;
  if (at !== null) next = rowAgeChangeAt(at, now, ROW_AGE_STEP_MS);
  const w = v.worker;
  if (w.state === 'backoff' && w.nextStartInMs !== null)
    next = Math.min(next, countdownChangeAt(viewAt + w.nextStartInMs, now));
  const reset = v.blockers[0]?.resetAt;
  if (typeof reset === 'number') next = Math.min(next, countdownChangeAt(reset, now));
  return next;
}
