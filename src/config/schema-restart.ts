/**
 * The lane key `restart` (docs/lanes-yaml.md): a policy word (`never | on-failure |
 * always`) or a map that adds usage-limit handling:
 *
 * ```yaml
 * restart:
 *   policy: on-failure          # as the word form
 *   on_rate_limit: resume       # policy | park | resume
 *   resume_command: [claude, -p, --resume, '{session}', continue]
 *   resume_message: continue    # to a worker that still runs (steering channel)
 *   probe: 5m                   # no reset time known: first retry after, doubled
 *   probe_max: 30m              # cap of the doubling
 *   jitter: 1m                  # 0…jitter added to each due time
 * ```
 *
 * Pure (zod, plus {@link resolveRestart}); the parsers for argv and durations come from ./schema.ts as arguments, so
 * the two modules do not import each other.
 */
import { DEFAULT_RATE_LIMIT } from '../state/config-types.js';
import type { RateLimitAction, RateLimitConfig, RestartPolicy } from '../state/config-types.js';
import { byKind, mapOf, oneOf, value, FAIL } from './schema-kit.js';
import type { Parser } from './schema-kit.js';

/** `restart` as written: every key optional (defaults merge under the lane key by key). */
export interface RawRestart {
  readonly policy?: RestartPolicy;
  readonly onRateLimit?: RateLimitAction;
  readonly resumeCommand?: string[] | null;
  readonly resumeMessage?: string;
  readonly probeMs?: number;
  readonly probeMaxMs?: number;
  readonly jitterMs?: number;
}

const POLICIES: readonly RestartPolicy[] = ['never', 'on-failure', 'always'];

/**
 * The `restart` parser, built from ./schema.ts's `command` (argv / shell string / null)
 * and `duration` (ms) parsers. Bad values are reported at their key like any other.
 */
export function restartSetting(parts: {
  readonly command: Parser<string[] | null>;
  readonly duration: Parser<number>;
}): Parser<RawRestart> {
  const message = value('a non-empty text without NUL', (v) =>
    typeof v === 'string' && v.trim() !== '' && !v.includes('\0') ? v : FAIL,
  );
  return byKind<RawRestart, RawRestart>(
    'one of never | on-failure | always, or a map { policy, on_rate_limit, resume_command, resume_message, probe, probe_max, jitter }',
    oneOf<RestartPolicy>(POLICIES).transform((policy): RawRestart => ({ policy })),
    mapOf({
      policy: oneOf<RestartPolicy>(POLICIES).optional(),
      on_rate_limit: oneOf<RateLimitAction>(['policy', 'park', 'resume']).optional(),
      resume_command: parts.command.optional(),
      resume_message: message.optional(),
      probe: parts.duration.optional(),
      probe_max: parts.duration.optional(),
      jitter: parts.duration.optional(),
    }).transform(
      (m): RawRestart =>
        Object.fromEntries(
          Object.entries({
            policy: m.policy,
            onRateLimit: m.on_rate_limit,
            resumeCommand: m.resume_command,
            resumeMessage: m.resume_message,
            probeMs: m.probe,
            probeMaxMs: m.probe_max,
            jitterMs: m.jitter,
          }).filter(([, v]) => v !== undefined),
        ) as RawRestart,
    ),
  );
}

/**
 * Resolve `restart` for one lane: the lane's map over the defaults' map, key by key (a
 * word form sets only the policy). Policy default `on-failure`; the rest defaults to
 * {@link DEFAULT_RATE_LIMIT} (no `rateLimit` at all when only the policy is set). A probe cap below the probe interval is raised to it.
 */
export function resolveRestart(
  defs: RawRestart | undefined,
  own: RawRestart | undefined,
): { restart: RestartPolicy; rateLimit?: RateLimitConfig } {
  const r: RawRestart = { ...defs, ...own };
  const d = DEFAULT_RATE_LIMIT;
  const probeMs = r.probeMs ?? d.probeMs;
  const restart = r.policy ?? 'on-failure';
  // Only the policy given: the lane carries no rate-limit settings (the defaults apply).
  if (Object.keys(r).every((k) => k === 'policy')) return { restart };
  return {
    restart,
    rateLimit: {
      action: r.onRateLimit ?? d.action,
      resumeCommand: r.resumeCommand ?? d.resumeCommand,
      resumeMessage: r.resumeMessage ?? d.resumeMessage,
      probeMs,
      probeMaxMs: Math.max(probeMs, r.probeMaxMs ?? d.probeMaxMs),
      jitterMs: r.jitterMs ?? d.jitterMs,
    },
  };
}
