/**
 * Helpers for the batch-probe tests: git with a controllable committer/author date (so
 * tests choose where commit dates tie and where they interleave), and a comparison of
 * {@link probeLanes} with {@link probeLane} lane by lane.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { probeLanes, type BatchProbeOptions } from '../../src/runtime/git/batch-probe.js';
import { probeLane } from '../../src/runtime/git/probe.js';
import type { Action } from '../../src/state/actions.js';
import type { LaneConfig } from '../../src/state/config-types.js';
import { GIT_TEST_ENV } from './git-fixtures.js';

/** The fake clock of {@link gitAt} (epoch s), after the real-time initial commit of makeRepo. */
let clockS = 2_000_000_000;

/** Move the commit clock forward by `s` seconds (0 keeps the next commits on the same date). */
export function tick(s = 1): void {
  clockS += s;
}

/** Run git in `cwd` with author and committer dates at the fake clock; returns trimmed stdout. */
export function gitAt(cwd: string, ...args: string[]): string {
  const date = `@${clockS} +0000`;
  return execFileSync('git', args, {
    cwd,
    env: { ...GIT_TEST_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).replace(/\n$/, '');
}

/** Write `file` (default `<subject>.txt`-ish) and commit everything at the fake clock; returns the sha. */
export function commitAt(cwd: string, subject: string, file?: string): string {
  const name = file ?? `${subject.replace(/[^A-Za-z0-9]+/g, '-') || 'empty'}.txt`;
  writeFileSync(path.join(cwd, name), `${subject}\n${clockS}\n`);
  gitAt(cwd, 'add', '-A');
  gitAt(cwd, 'commit', '-q', '--allow-empty-message', '-m', subject);
  return gitAt(cwd, 'rev-parse', 'HEAD');
}

/** An action without its `at` (the only field allowed to differ between the two probes). */
function withoutAt(a: Action | undefined): unknown {
  if (a === undefined) return undefined;
  const { at: _at, ...rest } = a;
  return rest;
}

/**
 * Probe `lanes` with probeLanes and with probeLane one by one, expect the same actions
 * (lane order, `at` ignored), and return the batch result for further checks.
 */
export async function expectSameAsSingle(
  lanes: readonly LaneConfig[],
  opts: Partial<BatchProbeOptions> = {},
): Promise<Awaited<ReturnType<typeof probeLanes>> & { chunks: Action[][] }> {
  const o = { timeoutMs: 10_000, at: () => 1, ...opts };
  const chunks: Action[][] = [];
  const batch = await probeLanes(lanes, o, (actions) => chunks.push([...actions]));
  const single: Action[] = [];
  for (const lane of lanes) single.push(await probeLane(lane, o));
  for (const [i, lane] of lanes.entries()) {
    expect({ lane: lane.id, action: withoutAt(batch.actions[i]) }).toEqual({
      lane: lane.id,
      action: withoutAt(single[i]),
    });
  }
  // Every lane was reported through onResult exactly once.
  expect(
    chunks
      .flat()
      .map((a) => ('laneId' in a ? a.laneId : ''))
      .sort(),
  ).toEqual(lanes.map((l) => l.id).sort());
  return { ...batch, chunks };
}
