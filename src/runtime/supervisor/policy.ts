/**
 * Restart policy decisions (pure): what happens when a worker exits without an operator
 * stop. Rules (lanes.yaml `restart`, settings `backoff`, `crashLoop`, `stableMs`):
 * - `never` ⇒ exited; `on-failure` ⇒ restart only on a non-zero code or a signal;
 *   `always` ⇒ restart.
 * - delay = min(maxMs, initialMs · factor^n) · (1 ± jitter), n = consecutive quick exits;
 *   a run longer than `stableMs` resets n to 0.
 * - more than `crashLoop.maxRestarts` policy restarts within `crashLoop.windowMs` ⇒
 *   crash_loop (no more restarts until the operator starts/restarts the lane).
 */
import type { BoardSettings, RestartPolicy } from '../../state/config-types.js';

/** Backoff memory of one lane. */
export interface BackoffMemory {
  /** Consecutive quick exits (the exponent n). */
  readonly n: number;
  /** Epoch ms of recent policy restarts (oldest first). */
  readonly restartTimes: readonly number[];
}

/** A fresh memory (also what an operator start/restart resets to). */
export const FRESH_BACKOFF: BackoffMemory = { n: 0, restartTimes: [] };

/** How the run ended and how long it lasted. */
export interface ExitFacts {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** How long the run lasted (ms); null when unknown (adopted worker). */
  readonly runMs: number | null;
  /** When the exit was seen (epoch ms). */
  readonly now: number;
}

/** The decision. */
export type ExitDecision =
  | { readonly kind: 'exited' }
  | { readonly kind: 'crash_loop'; readonly reason: string; readonly memory: BackoffMemory }
  | { readonly kind: 'backoff'; readonly delayMs: number; readonly memory: BackoffMemory };

/**
 * Backoff delay for exponent `n` (ms, integer ≥ 0); `random` returns [0, 1).
 */
export function backoffDelay(
  backoff: BoardSettings['backoff'],
  n: number,
  random: () => number,
): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * Math.pow(backoff.factor, n));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0.5;
  const jitter = Math.max(0, backoff.jitter) * (2 * unit - 1);
  return Math.max(0, Math.round(base * (1 + jitter)));
}

/** True when the policy restarts a worker that ended this way. */
function wantsRestart(
  policy: RestartPolicy,
  exitCode: number | null,
  signal: string | null,
): boolean {
  if (policy === 'always') return true;
  if (policy === 'on-failure') return signal !== null || exitCode !== 0;
  return false;
}

/**
 * Decide what follows an exit that was not an operator stop.
 * @returns `exited` (no restart), `crash_loop`, or `backoff` with the delay and the new
 *   memory (n incremented; the restart time itself is added when the restart happens).
 */
export function decideExit(
  policy: RestartPolicy,
  settings: Pick<BoardSettings, 'backoff' | 'crashLoop' | 'stableMs'>,
  memory: BackoffMemory,
  exit: ExitFacts,
  random: () => number,
): ExitDecision {
  if (!wantsRestart(policy, exit.exitCode, exit.signal)) return { kind: 'exited' };
  const n = exit.runMs !== null && exit.runMs > settings.stableMs ? 0 : memory.n;
  const windowStart = exit.now - settings.crashLoop.windowMs;
  const recent = memory.restartTimes.filter((t) => t > windowStart);
  if (recent.length >= settings.crashLoop.maxRestarts) {
    const secs = Math.round(settings.crashLoop.windowMs / 1000);
    return {
      kind: 'crash_loop',
      reason: `crash loop: ${recent.length} restarts within ${secs}s; start or restart to try again`,
      memory: { n, restartTimes: recent },
    };
  }
  return {
    kind: 'backoff',
    delayMs: backoffDelay(settings.backoff, n, random),
    memory: { n: n + 1, restartTimes: recent },
  };
}
