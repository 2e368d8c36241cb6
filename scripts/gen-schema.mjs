// Writes schema/snapshot.schema.json (JSON Schema draft-07) for the `laneboard --json`
// snapshot, "laneboard.snapshot/1". Edit here, run `node scripts/gen-schema.mjs`, commit both.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const str = { type: 'string' };
const nstr = { type: ['string', 'null'] };
const nint = { type: ['integer', 'null'] };
const nnum = { type: ['number', 'null'] };
const bool = { type: 'boolean' };
const obj = (properties, required = Object.keys(properties), extra = {}) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
});
const source = {
  type: ['object', 'null'],
  description:
    'Where a fact came from: a bridge file (relative to the bridge dir), or supervisor / git / board; when it was observed; the events-file line and event name when from an event.',
  properties: { file: str, at: nstr, line: nint, event: nstr },
  required: ['file', 'at', 'line', 'event'],
  additionalProperties: false,
};

const lane = obj({
  id: { ...str, description: 'Lane id from lanes.yaml' },
  repo: { ...str, description: 'Absolute repository path' },
  worktree: { ...str, description: 'Absolute worktree path' },
  branch: { ...str, description: 'Configured branch' },
  git: obj({
    head: { ...nstr, description: 'Full HEAD sha; null until git answered' },
    branch: { ...nstr, description: 'Checked-out branch; null when detached or unknown' },
    detached: bool,
    ahead: {
      ...nint,
      description:
        'Commits on HEAD not on base (git rev-list --left-right --count base...HEAD, right side)',
    },
    behind: { ...nint, description: 'Commits on base not on HEAD (left side)' },
    dirty: {
      ...nint,
      description: 'Total dirty paths: staged + unstaged + untracked + conflicted',
    },
    dirtyDetail: {
      type: ['object', 'null'],
      properties: {
        staged: { type: 'integer' },
        unstaged: { type: 'integer' },
        untracked: { type: 'integer' },
        conflicted: { type: 'integer' },
      },
      required: ['staged', 'unstaged', 'untracked', 'conflicted'],
      additionalProperties: false,
    },
    freshness: {
      enum: ['fresh', 'stale', 'diverged', 'unknown'],
      description:
        'fresh = behind 0; stale = behind > 0, ahead 0; diverged = both > 0; unknown on any git error',
    },
    base: { ...str, description: 'Base ref measured against' },
    missingCommits: {
      type: 'array',
      items: str,
      description: 'Subjects of the first (oldest) base commits missing from HEAD, at most 5',
    },
    upstream: nstr,
    upstreamAhead: nint,
    upstreamBehind: nint,
    error: { ...nstr, description: 'Git problem in words, or null' },
  }),
  worker: obj({
    state: {
      enum: [
        'none',
        'stopped',
        'starting',
        'running',
        'stopping',
        'exited',
        'backoff',
        'crash_loop',
        'failed_to_start',
      ],
      description: 'none = observe-only lane (no command)',
    },
    pid: nint,
    restarts: { type: 'integer', minimum: 0 },
    exitCode: nint,
    signal: nstr,
    nextStartInMs: { ...nnum, description: 'During backoff: ms until the next start' },
    error: nstr,
    adopted: { ...bool, description: 'Worker adopted from a board that died' },
  }),
  agent: obj({
    status: {
      ...nstr,
      description: 'Agent status verbatim (WorkerStatus, live-bridge status, or hook-derived)',
    },
    kind: {
      enum: ['starting', 'ready', 'running', 'blocked', 'idle', 'finished', 'failed', 'unknown'],
    },
    phase: nstr,
    sessionId: nstr,
    dialect: {
      type: ['string', 'null'],
      enum: ['native', 'claw-code', 'live-bridge', 'claude-hooks', null],
    },
    heartbeat: obj({
      at: nstr,
      ageMs: nnum,
      liveness: { enum: ['healthy', 'warn', 'stale', 'dead', 'unknown'] },
    }),
    notes: { type: 'object', additionalProperties: str },
    source,
  }),
  tests: obj({
    status: { enum: ['green', 'red', 'unknown'] },
    level: {
      ...nstr,
      description:
        'Green level: none < targeted_tests < package < workspace < merge_ready (or verbatim)',
    },
    stale: { ...bool, description: "True when the result's commit is not the worktree's HEAD" },
    commit: nstr,
    passed: nint,
    failed: nint,
    source,
  }),
  blockers: {
    type: 'array',
    description: 'Active blockers, most urgent first',
    items: obj({
      failureClass: {
        ...str,
        description:
          'claw-code LaneFailureClass, rate_limit, input_required, permission, or a board class (stale_branch, crash_loop, worker_error, bridge_error, git_error, heartbeat, steer_undelivered); unknown values verbatim',
      },
      detail: str,
      source,
      nextAction: str,
      since: nstr,
      resetAt: nstr,
    }),
  },
  mergeReady: bool,
  mergeReasons: { type: 'array', items: str },
  lastEvent: {
    type: ['object', 'null'],
    properties: { name: str, detail: nstr, at: nstr, source },
    required: ['name', 'detail', 'at', 'source'],
    additionalProperties: false,
  },
  steering: {
    type: 'array',
    items: obj({
      id: str,
      text: str,
      sentAt: nstr,
      via: { enum: ['inbox', 'stdin', 'command'] },
      delivery: { enum: ['pending', 'delivered', 'not_delivered', 'failed'] },
      error: nstr,
    }),
  },
  problems: { type: 'array', items: str, description: 'Problems reading this lane\u2019s inputs' },
  raw: {
    type: 'object',
    description:
      'Raw bridge documents as last read (untrusted, verbatim) and the fields the board does not understand',
    properties: { state: {}, result: {}, claw: {}, extras: { type: 'object' } },
    required: ['state', 'result', 'claw', 'extras'],
    additionalProperties: false,
  },
});

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://laneboard.dev/schema/snapshot-1.json',
  title: 'laneboard snapshot',
  description: 'Output of `laneboard --json` (and each line of `laneboard --json --watch`).',
  ...obj({
    schema: { const: 'laneboard.snapshot/1' },
    generatedAt: { type: 'string', format: 'date-time' },
    counts: obj({
      lanes: { type: 'integer' },
      red: { type: 'integer' },
      blocked: { type: 'integer' },
      stale: { type: 'integer' },
      crashed: { type: 'integer' },
      running: { type: 'integer' },
    }),
    lanes: { type: 'array', items: lane },
    notices: { type: 'array', items: obj({ message: str, at: nstr }) },
  }),
};

const out = new URL('../schema/snapshot.schema.json', import.meta.url);
const options = (await resolveConfig(out.pathname)) ?? {};
writeFileSync(out, await format(JSON.stringify(schema), { ...options, parser: 'json' }));
