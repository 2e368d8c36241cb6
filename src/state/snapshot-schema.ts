/**
 * The `laneboard.snapshot/1` contract, defined once (zod 4, `zod/v4`). Three things come
 * from it:
 * - the TypeScript types {@link Snapshot}, {@link LaneSnapshot} (what src/state/snapshot.ts
 *   builds; a field the builder forgets or adds is a type error),
 * - the published JSON Schema `schema/snapshot.schema.json` ({@link snapshotJsonSchema},
 *   written by `npm run gen:schema`; a test fails when the checked-in file differs),
 * - the field descriptions (in the schema; README's `--json` section explains them).
 *
 * Fields added by other parts keep their place here: `origin` (control endpoint and
 * `--json`: who computed it), `git.diff` (attention: diff stats), `host`/`hostOnline`/`seq`
 * per lane and `hosts` at the top (fleet mode). Adding an optional field is a minor
 * change; renaming or removing one is a new major schema.
 *
 * Only tests and the generator import this module at run time; the builder imports its
 * types alone, so the board does not load zod for the snapshot.
 */
import { z } from 'zod/v4';
import { compactNullable } from './json-schema-compact.js';
import { WORKER_PHASES } from './types.js';

const nstr = z.string().nullable();
const nint = z.number().int().nullable();
const nnum = z.number().nullable();
const count = z.number().int().min(0);

const source = z
  .strictObject({
    file: z.string(),
    at: nstr,
    line: nint,
    event: nstr,
    via: nstr
      .optional()
      .describe(
        'Who said it, for agent facts from an events file: hook, transcript (Claude Code transcript), worker output (a headless worker\u2019s json/stream-json output), rollout (Codex rollout file), notify (Codex notify); null when the line names none. Optional: older boards leave it out.',
      ),
  })
  .nullable()
  .describe(
    'Where a fact came from: a bridge file (relative to the bridge dir), or supervisor / git / board; when it was observed; the events-file line and event name when from an event; who said it (via).',
  );

const git = z.strictObject({
  head: nstr.describe('Full HEAD sha; null until git answered'),
  branch: nstr.describe('Checked-out branch; null when detached or unknown'),
  detached: z.boolean(),
  ahead: nint.describe(
    'Commits on HEAD not on base (git rev-list --left-right --count base...HEAD, right side)',
  ),
  behind: nint.describe('Commits on base not on HEAD (left side)'),
  dirty: nint.describe('Total dirty paths: staged + unstaged + untracked + conflicted'),
  dirtyDetail: z
    .strictObject({
      staged: z.number().int(),
      unstaged: z.number().int(),
      untracked: z.number().int(),
      conflicted: z.number().int(),
    })
    .nullable(),
  freshness: z
    .enum(['fresh', 'stale', 'diverged', 'unknown'])
    .describe(
      'fresh = behind 0; stale = behind > 0, ahead 0; diverged = both > 0; unknown on any git error',
    ),
  base: z.string().describe('Base ref measured against'),
  missingCommits: z
    .array(z.string())
    .describe('Subjects of the first (oldest) base commits missing from HEAD, at most 5'),
  upstream: nstr,
  upstreamAhead: nint,
  upstreamBehind: nint,
  diff: z
    .strictObject({ files: count, insertions: count, deletions: count })
    .nullable()
    .optional()
    .describe(
      "Size of the lane's change against the merge base with its base ref: committed plus uncommitted changes to tracked files (git diff --shortstat $(git merge-base <base> HEAD)); null when unknown. Optional: older boards leave it out.",
    ),
  error: nstr.describe('Git problem in words, or null'),
});

const worker = z.strictObject({
  state: z.enum(WORKER_PHASES).describe('none = observe-only lane (no command)'),
  pid: nint,
  restarts: count,
  exitCode: nint,
  signal: nstr,
  nextStartInMs: nnum.describe(
    'During backoff: ms until the next start; parked (rate limited): ms until the resume, null when not scheduled',
  ),
  error: nstr,
  adopted: z.boolean().describe('Worker adopted from a board that died'),
});

const agent = z.strictObject({
  status: nstr.describe(
    'Agent status verbatim (WorkerStatus, live-bridge status, or hook-derived)',
  ),
  kind: z.enum([
    'starting',
    'ready',
    'running',
    'blocked',
    'idle',
    'finished',
    'failed',
    'unknown',
  ]),
  phase: nstr,
  sessionId: nstr,
  dialect: z.enum(['native', 'claw-code', 'live-bridge', 'claude-hooks']).nullable(),
  heartbeat: z.strictObject({
    at: nstr,
    ageMs: nnum,
    liveness: z.enum(['healthy', 'warn', 'stale', 'dead', 'unknown']),
  }),
  notes: z.record(z.string(), z.string()),
  source,
});

const tests = z.strictObject({
  status: z.enum(['green', 'red', 'unknown']),
  level: nstr.describe(
    'Green level: none < targeted_tests < package < workspace < merge_ready (or verbatim)',
  ),
  stale: z.boolean().describe("True when the result's commit is not the worktree's HEAD"),
  commit: nstr,
  passed: nint,
  failed: nint,
  source,
});

const blocker = z.strictObject({
  failureClass: z
    .string()
    .describe(
      'claw-code LaneFailureClass, rate_limit, input_required, permission, or a board class (stale_branch, crash_loop, worker_error, bridge_error, git_error, heartbeat, steer_undelivered); unknown values verbatim',
    ),
  detail: z.string(),
  source,
  nextAction: z.string(),
  since: nstr,
  resetAt: nstr,
  approval: z
    .strictObject({
      id: z
        .string()
        .describe('The request id: laneboard approve|deny <lane> --request ID, or POST …/approve'),
      until: nstr.describe(
        'Until when the hook waits for the board (ISO 8601); after that only the agent\u2019s own prompt answers',
      ),
    })
    .nullable()
    .optional()
    .describe(
      'permission blockers with approvals: board: the request the PermissionRequest hook waits on; null when only the agent can answer. Optional: older boards leave it out.',
    ),
});

const lastEvent = z.strictObject({ name: z.string(), detail: nstr, at: nstr, source }).nullable();

const steer = z.strictObject({
  id: z.string(),
  text: z.string(),
  sentAt: nstr,
  via: z.enum(['inbox', 'stdin', 'command']),
  delivery: z.enum(['pending', 'delivered', 'not_delivered', 'failed']),
  error: nstr,
});

const raw = z
  .strictObject({
    state: z.unknown(),
    result: z.unknown(),
    claw: z.unknown(),
    extras: z.record(z.string(), z.unknown()),
  })
  .describe(
    'Raw bridge documents as last read (untrusted, verbatim) and the fields the board does not understand',
  );

/** One lane of the snapshot (zod schema; the type is {@link LaneSnapshot}). */
export const laneSnapshotSchema = z.strictObject({
  id: z.string().describe('Lane id from lanes.yaml'),
  repo: z.string().describe('Absolute repository path'),
  worktree: z.string().describe('Absolute worktree path'),
  branch: z.string().describe('Configured branch'),
  git,
  worker,
  agent,
  tests,
  blockers: z.array(blocker).describe('Active blockers, most urgent first'),
  mergeReady: z.boolean(),
  mergeReasons: z.array(z.string()),
  lastEvent,
  steering: z.array(steer),
  problems: z.array(z.string()).describe('Problems reading this lane\u2019s inputs'),
  raw,
  host: z
    .string()
    .optional()
    .describe('Fleet mode (--nats): the host whose runtime owns this lane'),
  hostOnline: z
    .boolean()
    .optional()
    .describe(
      "Fleet mode: false when the lane's host is offline (the lane shows its last published state)",
    ),
  seq: z
    .number()
    .int()
    .optional()
    .describe("Fleet mode: the host's publish counter when this lane value was written"),
  publishedAt: z
    .string()
    .optional()
    .describe(
      "Fleet mode: when the host wrote this lane value, by the host's clock (ISO 8601); ages are carried from it, never compared across clocks",
    ),
});

/** The whole snapshot (zod schema; the type is {@link Snapshot}). */
export const snapshotSchema = z
  .strictObject({
    schema: z.literal('laneboard.snapshot/1'),
    origin: z
      .enum(['runtime', 'probe'])
      .optional()
      .describe(
        'Who computed the snapshot: the running runtime from its store (runtime), or the command itself by reading git and the bridge files (probe). Optional.',
      ),
    generatedAt: z.string().meta({ format: 'date-time' }),
    counts: z.strictObject({
      lanes: z.number().int(),
      red: z.number().int(),
      blocked: z.number().int(),
      stale: z.number().int(),
      crashed: z.number().int(),
      running: z.number().int(),
    }),
    lanes: z.array(laneSnapshotSchema),
    hosts: z
      .array(
        z.strictObject({
          id: z.string(),
          online: z.boolean(),
          lastSeen: nstr.describe("Server time of the host's latest liveness record"),
        }),
      )
      .optional()
      .describe('Fleet mode (--nats): every host seen in the fleet bucket'),
    notices: z.array(z.strictObject({ message: z.string(), at: nstr })),
  })
  .meta({
    $id: 'https://laneboard.dev/schema/snapshot-1.json',
    title: 'laneboard snapshot',
    description: 'Output of `laneboard --json` (and each line of `laneboard --json --watch`).',
  });

/** One lane of `laneboard.snapshot/1` (ISO-8601 strings for times, ms for ages). */
export type LaneSnapshot = z.infer<typeof laneSnapshotSchema>;
/** A whole `laneboard.snapshot/1` object. */
export type Snapshot = z.infer<typeof snapshotSchema>;

type Json = Record<string, unknown>;

/**
 * The published JSON Schema (draft-07) of {@link snapshotSchema}, as a plain object: what
 * `schema/snapshot.schema.json` holds (written by `npm run gen:schema`). Integers carry no
 * safe-integer bounds (zod adds them; the published schema never had them), and nullable
 * fields are written as type unions ({@link compactNullable}). Never throws.
 */
export function snapshotJsonSchema(): Record<string, unknown> {
  const js = z.toJSONSchema(snapshotSchema, {
    target: 'draft-7',
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Json;
      if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
      if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
      delete node.propertyNames;
    },
  });
  return compactNullable(js) as Record<string, unknown>;
}
