/**
 * Test helpers for the dialect readers: read the dialect fixtures (test/fixtures/dialects,
 * read-only; its README says what each file is) and fold whole event files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_FOLD, foldEvent, normalizeEvent } from '../../src/state/dialects/index.js';
import type { FoldContext } from '../../src/state/dialects/index.js';
import type { EventFold, LaneEvent } from '../../src/state/types.js';

/**
 * Root of the dialect fixtures: `$LANEBOARD_FIXTURES` (another set laid out the same way),
 * else the repository's own `test/fixtures/dialects`.
 */
export const FIXTURES =
  process.env.LANEBOARD_FIXTURES ??
  resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/dialects');

/** Parsed JSON of a fixture file (path relative to {@link FIXTURES}). */
export function readFixtureJson(rel: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8')) as unknown;
}

/** Parsed JSON values of each non-empty line of a JSONL fixture, in line order (1-based `line`). */
export function readFixtureLines(rel: string): { line: number; value: unknown }[] {
  return readFileSync(join(FIXTURES, rel), 'utf8')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim().length > 0)
    .map((l) => ({ line: l.line, value: JSON.parse(l.text) as unknown }));
}

/** Every fixture file (relative paths), recursively. */
export function listFixtures(dir = ''): string[] {
  const out: string[] = [];
  for (const ent of readdirSync(join(FIXTURES, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFixtures(rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Normalize every line of a JSONL fixture; throws (failing the test) on a line the reader rejects. */
export function fixtureEvents(rel: string, at = 1_000): LaneEvent[] {
  const file = rel.split('/').pop() ?? rel;
  return readFixtureLines(rel).map(({ line, value }) => {
    const ev = normalizeEvent(value, { file, line, at, dialect: 'auto' });
    if ('error' in ev) throw new Error(`${rel}:${line}: ${ev.error}`);
    return ev;
  });
}

/** Fold events one by one; returns every intermediate fold (index i = after event i). */
export function foldAll(
  events: readonly LaneEvent[],
  ctx: FoldContext,
  start: EventFold = EMPTY_FOLD,
): EventFold[] {
  const out: EventFold[] = [];
  let fold = start;
  for (const ev of events) {
    fold = foldEvent(fold, ev, ctx);
    out.push(fold);
  }
  return out;
}
