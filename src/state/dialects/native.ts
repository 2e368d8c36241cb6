/**
 * Native bridge documents (bridge contract v1): `state.json` with `schema:
 * "laneboard.state/…"` and camelCase fields, and `result.json` (`ok, finishedAt, summary,
 * tests{…}, failureClass, detail, commit{commit,branch}`). Wrong-typed fields are coerced
 * or dropped; unknown fields go to `extras` verbatim.
 */
import type { AgentReport, Blocker, ResultReport, Source, TestReport } from '../types.js';
import type { DocContext } from './context.js';
import { docSource } from './context.js';
import { isoOf, parseTimestamp } from './time.js';
import { asBool, asCount, asInt, asString, isRecord, pickExtras, prop } from './util.js';
import type { JsonRecord } from './util.js';
import { kindOf, nextActionFor, normalizeLevel } from './vocab.js';

const STATE_KEYS = new Set([
  'schema',
  'status',
  'phase',
  'sessionId',
  'workspaceRoot',
  'branch',
  'headCommit',
  'blocker',
  'checkpoint',
  'pid',
  'updatedAt',
]);

/**
 * A native blocker object (`failureClass, detail, since, resetAt, nextAction`) → Blocker,
 * or null when `x` is not an object. A missing class becomes `unknown`; a missing
 * nextAction comes from the class table.
 */
function parseBlocker(x: unknown, source: Source): Blocker | null {
  if (!isRecord(x)) return null;
  const failureClass =
    asString(prop(x, 'failureClass')) ?? asString(prop(x, 'failure_class')) ?? 'unknown';
  const detail = asString(prop(x, 'detail')) ?? asString(prop(x, 'message')) ?? failureClass;
  const resetAt = parseTimestamp(prop(x, 'resetAt') ?? prop(x, 'reset_at'));
  return {
    failureClass,
    detail,
    nextAction: asString(prop(x, 'nextAction')) ?? nextActionFor(failureClass),
    source,
    since: parseTimestamp(prop(x, 'since')),
    ...(resetAt !== null ? { resetAt } : {}),
  };
}

/** Notes from the native state's understood-but-unslotted fields (checkpoint, branch, …). */
function nativeNotes(raw: JsonRecord): Record<string, string> {
  const notes: Record<string, string> = {};
  const cp = prop(raw, 'checkpoint');
  if (isRecord(cp)) {
    const summary = asString(prop(cp, 'summary'));
    const at = parseTimestamp(prop(cp, 'at'));
    if (summary) notes.checkpoint = summary;
    if (at !== null) notes.checkpointAt = isoOf(at);
  } else if (asString(cp)) {
    notes.checkpoint = asString(cp) ?? '';
  }
  for (const key of ['branch', 'headCommit', 'pid'] as const) {
    const v = asString(prop(raw, key));
    if (v !== null) notes[key] = v;
  }
  return notes;
}

/**
 * Normalize a native state.json object. A missing or non-scalar `status` becomes
 * `unknown` (kind unknown); the rest of the document is kept.
 */
export function normalizeNativeState(raw: JsonRecord, ctx: DocContext): AgentReport {
  const source = docSource(ctx);
  const status = asString(prop(raw, 'status')) ?? 'unknown';
  const blocker = parseBlocker(prop(raw, 'blocker'), source);
  const notes = nativeNotes(raw);
  if (blocker?.since != null) notes.since = isoOf(blocker.since);
  return {
    dialect: 'native',
    status,
    kind: kindOf(status),
    phase: asString(prop(raw, 'phase')),
    sessionId: asString(prop(raw, 'sessionId')),
    workspaceRoot: asString(prop(raw, 'workspaceRoot')),
    heartbeatAt: parseTimestamp(prop(raw, 'updatedAt')),
    blocker,
    notes,
    extras: pickExtras(raw, STATE_KEYS),
    source,
  };
}

const TEST_STATUS: Readonly<Record<string, 'green' | 'red'>> = {
  green: 'green',
  passed: 'green',
  pass: 'green',
  ok: 'green',
  success: 'green',
  red: 'red',
  failed: 'red',
  fail: 'red',
  failure: 'red',
  error: 'red',
};

/**
 * A native `tests` object → TestReport, or null when `x` is not an object. `status`
 * green/red (and passed/failed spellings); otherwise derived from `failed` > 0 (red), else
 * unknown. Level through {@link normalizeLevel} (pi-crew `targeted` accepted).
 */
function parseTests(x: unknown, source: Source): TestReport | null {
  if (!isRecord(x)) return null;
  const rawStatus = asString(prop(x, 'status'))?.toLowerCase() ?? null;
  const failed = asCount(prop(x, 'failed'));
  const mapped =
    rawStatus !== null && Object.prototype.hasOwnProperty.call(TEST_STATUS, rawStatus)
      ? TEST_STATUS[rawStatus]
      : undefined;
  const status =
    mapped ?? (rawStatus === null && failed !== null && failed > 0 ? 'red' : 'unknown');
  return {
    status,
    level: normalizeLevel(prop(x, 'level')),
    passed: asCount(prop(x, 'passed')),
    failed,
    skipped: asCount(prop(x, 'skipped')),
    command: asString(prop(x, 'command')),
    exitCode: asInt(prop(x, 'exitCode') ?? prop(x, 'exit_code')),
    commit: asString(prop(x, 'commit')),
    source,
  };
}

const RESULT_KEYS = new Set([
  'schema',
  'ok',
  'finishedAt',
  'summary',
  'tests',
  'failureClass',
  'detail',
  'commit',
  'sessionId',
]);

/**
 * Normalize a native result.json object. `commit` may be `{commit, branch}` or a plain
 * sha string; a branch inside it is kept in extras as `commit.branch`; a `tests.status`
 * outside green/red is kept verbatim in extras as `tests.status`.
 */
export function normalizeNativeResult(raw: JsonRecord, ctx: DocContext): ResultReport {
  const source = docSource(ctx);
  const extras = pickExtras(raw, RESULT_KEYS);
  const commitRaw = prop(raw, 'commit');
  let commit: string | null = asString(commitRaw);
  if (isRecord(commitRaw)) {
    commit = asString(prop(commitRaw, 'commit')) ?? asString(prop(commitRaw, 'sha'));
    const branch = asString(prop(commitRaw, 'branch'));
    if (branch !== null) extras['commit.branch'] = branch;
  }
  const tests = parseTests(prop(raw, 'tests'), source);
  const testsRaw = prop(raw, 'tests');
  if (tests?.status === 'unknown' && isRecord(testsRaw) && prop(testsRaw, 'status') !== undefined) {
    extras['tests.status'] = prop(testsRaw, 'status');
  }
  return {
    dialect: 'native',
    ok: asBool(prop(raw, 'ok')),
    finishedAt: parseTimestamp(prop(raw, 'finishedAt')),
    summary: asString(prop(raw, 'summary')),
    tests,
    failureClass: asString(prop(raw, 'failureClass')),
    detail: asString(prop(raw, 'detail')),
    commit,
    sessionId: asString(prop(raw, 'sessionId')),
    extras,
    source,
  };
}
