/**
 * When a rate-limited lane is resumed (pure; lanes.yaml `restart.on_rate_limit: resume`,
 * docs/agents.md "Resume at usage-limit reset"):
 *
 * - a known reset time still ahead: at the reset time;
 * - a known reset time already past, first try: now;
 * - otherwise (no reset time — API-key accounts get none — or a retry that hit the limit
 *   again): a probe after `probeMs · 2^(attempt-1)`, capped at `probeMaxMs` (first try:
 *   `probeMs`);
 *
 * plus a random delay of 0…`jitterMs`, then moved on by whole seconds until it is at least
 * 1 s away from every other lane's due time, so lanes that share an account never fire in
 * the same second.
 */
import type { RateLimitConfig } from '../../state/config-types.js';

/** Minimum distance between two lanes' resumes (ms). */
const RESUME_SPACING_MS = 1_000;

/** What {@link resumeDue} decides from. Times are epoch ms. */
export interface ResumeInput {
  readonly now: number;
  /** The limit's reset time, when any source gave one. */
  readonly resetAt: number | null;
  /** Resumes already tried for this lane since its last good turn (count, ≥ 0). */
  readonly attempt: number;
  readonly config: Pick<RateLimitConfig, 'probeMs' | 'probeMaxMs' | 'jitterMs'>;
  /** Random source in [0, 1). */
  readonly random: () => number;
  /** Due times of the other lanes' pending resumes. */
  readonly taken: readonly number[];
}

/** The due time and what it rests on. */
export interface ResumePlan {
  /** Epoch ms. */
  readonly due: number;
  /** `reset`: the reset time; `probe`: the probe interval (no usable reset time). */
  readonly basis: 'reset' | 'probe';
}

/** The probe delay for `attempt` (ms): probeMs · 2^max(0, attempt-1), at most probeMaxMs. */
export function probeDelay(
  config: Pick<RateLimitConfig, 'probeMs' | 'probeMaxMs'>,
  attempt: number,
): number {
  const n = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(Math.max(config.probeMs, config.probeMaxMs), config.probeMs * 2 ** n);
}

/** Decide when to resume (see the module doc). Never throws; NaN inputs count as 0. */
export function resumeDue(input: ResumeInput): ResumePlan {
  const { now, resetAt, attempt, config } = input;
  let base: number;
  let basis: ResumePlan['basis'];
  if (resetAt !== null && resetAt > now) {
    base = resetAt;
    basis = 'reset';
  } else if (resetAt !== null && attempt === 0) {
    base = now;
    basis = 'reset';
  } else {
    base = now + probeDelay(config, attempt);
    basis = 'probe';
  }
  const r = input.random();
  const unit = Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
  let due = Math.round(base + unit * Math.max(0, config.jitterMs));
  for (let i = 0; i <= 2 * input.taken.length; i++) {
    if (!input.taken.some((t) => Math.abs(t - due) < RESUME_SPACING_MS)) break;
    due += RESUME_SPACING_MS;
  }
  return { due, basis };
}
