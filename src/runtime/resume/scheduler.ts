/**
 * The resume scheduler (lanes.yaml `restart.on_rate_limit: park | resume`; docs/agents.md
 * "Resume at usage-limit reset"). It follows the store: when a lane with that setting
 * shows a `rate_limit` blocker (from any source: hooks, transcript, the worker's own
 * output), it
 *
 * 1. plans the resume (./plan.ts: the reset time when known, else a probe interval
 *    doubling per retry up to a cap; plus jitter; at least 1 s from every other lane);
 * 2. parks the lane's worker if it is not running (phase `parked`, the due time as its
 *    countdown; no restart policy into an exhausted window) and says so once as a notice;
 * 3. with `resume`, at the due time: a worker that still runs gets `resumeMessage`
 *    (default "continue") through the lane's steering channel; otherwise the worker is
 *    started with `resumeCommand` (`{session}` = the agent's session id, `{id}`,
 *    `{worktree}`, `{bridge}`), or its own command when none is set or the session is
 *    unknown.
 *
 * A blocker that goes away cancels the plan (and un-parks); one that stays after a resume
 * is tried again after the next probe step; a new rate limit after a resume plans again
 * with the next probe step; a good turn (agent `idle` / `finished`
 * without the blocker) resets the step. `park` plans and parks but never fires (the
 * operator starts the lane). Timers use the real clock for delays and `clock.now()` for
 * times, so tests use short configured intervals.
 */
import { DEFAULT_RATE_LIMIT } from '../../state/config-types.js';
import type { BoardConfig, LaneConfig, RateLimitConfig } from '../../state/config-types.js';
import { selectLaneView } from '../../state/selectors.js';
import type { BoardStore } from '../../state/store.js';
import type { Parking } from '../supervisor/supervisor.js';
import type { Clock, Dispatch, Service } from '../types.js';
import { resumeDue } from './plan.js';

/** What the scheduler needs from the supervisor. */
export interface ResumeTarget {
  parking(laneId: string): Parking | null;
  steer(laneId: string, text: string): Promise<unknown>;
}

/** Options of {@link createResumeScheduler}. */
export interface ResumeSchedulerOptions {
  /** The current config (follows live reloads). */
  readonly config: () => BoardConfig;
  readonly store: BoardStore;
  readonly target: ResumeTarget;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Random source in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
}

interface Plan {
  /** Identity of the blocker the plan is for (its `since` and source). */
  key: string | null;
  attempt: number;
  due: number | null;
  timer: NodeJS.Timeout | null;
}

function blockerKey(b: { since: number | null; source: { at: number; line?: number } }): string {
  return `${b.since ?? '-'}|${b.source.at}|${b.source.line ?? '-'}`;
}

/** `argv` with `{session}`, `{id}`, `{worktree}`, `{bridge}` filled in. */
function resumeArgv(argv: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return argv.map((a) =>
    a.replace(/\{(session|id|worktree|bridge)\}/g, (tok, name: string) => values[name] ?? tok),
  );
}

/** Create the scheduler; nothing runs until `start()`. Never throws into the store. */
export function createResumeScheduler(opts: ResumeSchedulerOptions): Service {
  const plans = new Map<string, Plan>();
  /** When resumes fired lately (epoch ms): a new plan keeps its distance from them too. */
  let fired: number[] = [];
  const random = opts.random ?? Math.random;
  let unsubscribe: (() => void) | null = null;
  let disposed = false;
  const notice = (message: string): void =>
    opts.dispatch({ type: 'board/notice', message, at: opts.clock.now() });

  const cancel = (p: Plan): void => {
    if (p.timer !== null) clearTimeout(p.timer);
    p.timer = null;
    p.due = null;
  };

  const fire = async (lane: LaneConfig, rl: RateLimitConfig, p: Plan): Promise<void> => {
    p.timer = null;
    p.due = null;
    p.attempt += 1;
    const parking = opts.target.parking(lane.id);
    if (parking === null || disposed) return;
    fired = [...fired.filter((t) => t > opts.clock.now() - 5_000), opts.clock.now()];
    // The same blocker still standing after the next probe step: try again then (a new
    // rate limit — a new blocker — replaces this plan; its end cancels it).
    const now = opts.clock.now();
    const again = resumeDue({
      now,
      resetAt: null,
      attempt: p.attempt,
      config: rl,
      random,
      taken: [],
    });
    p.due = again.due;
    p.timer = setTimeout(
      () => void fire(lane, rl, p).catch(() => undefined),
      Math.max(0, again.due - now),
    );
    if (parking.running) {
      await opts.target.steer(lane.id, rl.resumeMessage);
      return;
    }
    const view = selectLaneView(opts.store.getState(), lane.id);
    const session = view.agent.sessionId;
    const argv = rl.resumeCommand;
    if (argv !== null && (session !== null || !argv.some((a) => a.includes('{session}')))) {
      const values = { id: lane.id, worktree: lane.worktree, bridge: lane.bridge };
      await parking.resume(resumeArgv(argv, session === null ? values : { ...values, session }));
    } else {
      if (argv !== null)
        notice(`lane ${lane.id}: no session id known for the resume command; starting its command`);
      await parking.resume();
    }
  };

  const check = (): void => {
    if (disposed) return;
    const state = opts.store.getState();
    for (const lane of opts.config().lanes) {
      const rl = lane.rateLimit ?? DEFAULT_RATE_LIMIT;
      if (rl.action === 'policy') continue;
      let p = plans.get(lane.id);
      if (p === undefined) {
        p = { key: null, attempt: 0, due: null, timer: null };
        plans.set(lane.id, p);
      }
      const view = selectLaneView(state, lane.id);
      const b = view.blockers.find((x) => x.failureClass === 'rate_limit');
      const parking = opts.target.parking(lane.id);
      if (b === undefined) {
        if (p.key !== null || p.due !== null) {
          cancel(p);
          p.key = null;
          parking?.unpark();
        }
        if (view.agent.status === 'idle' || view.agent.status === 'finished') p.attempt = 0;
        continue;
      }
      const key = blockerKey(b);
      if (p.key === key) {
        // The worker exited after the plan was made: show the plan on the parked worker.
        if (p.due !== null && view.worker.state === 'parked' && view.worker.nextStartInMs === null)
          parking?.park(p.due, parkNote(rl, p.due));
        continue;
      }
      cancel(p);
      p.key = key;
      const now = opts.clock.now();
      const taken = [
        ...fired,
        ...[...plans.values()].flatMap((o) => (o !== p && o.due !== null ? [o.due] : [])),
      ];
      const plan = resumeDue({
        now,
        resetAt: b.resetAt ?? null,
        attempt: p.attempt,
        config: rl,
        random,
        taken,
      });
      if (rl.action === 'park') {
        parking?.park(null, parkNote(rl, null));
        notice(`lane ${lane.id}: rate limited; parked (restart.on_rate_limit: park)`);
        continue;
      }
      p.due = plan.due;
      parking?.park(plan.due, parkNote(rl, plan.due));
      const why = plan.basis === 'reset' ? 'at the reset time' : 'probe, no reset time known';
      notice(
        `lane ${lane.id}: rate limited; resuming at ${new Date(plan.due).toISOString()} (${why})`,
      );
      const planned = p;
      planned.timer = setTimeout(
        () => void fire(lane, rl, planned).catch(() => undefined),
        Math.max(0, plan.due - now),
      );
    }
  };

  return {
    start() {
      if (unsubscribe === null && !disposed) {
        unsubscribe = opts.store.subscribe(() => {
          try {
            check();
          } catch {
            // a bad lane state must not break the store's listeners
          }
        });
        check();
      }
      return Promise.resolve();
    },
    dispose() {
      disposed = true;
      unsubscribe?.();
      unsubscribe = null;
      for (const p of plans.values()) cancel(p);
      return Promise.resolve();
    },
  };
}

function parkNote(rl: RateLimitConfig, due: number | null): string {
  return rl.action === 'resume' && due !== null
    ? `rate limited: resumes at ${new Date(due).toISOString()}`
    : 'rate limited: parked until you start it';
}
