import { describe, expect, it } from 'vitest';
import {
  agentBlockers,
  EMPTY_FOLD,
  foldEvent,
  foldEvents,
  normalizeEvent,
  normalizeResultDoc,
  normalizeStateDoc,
} from '../../../src/state/dialects/index.js';
import type { EventFold } from '../../../src/state/types.js';
import { listFixtures, readFixtureJson, readFixtureLines } from '../../helpers/dialect-fixtures.js';

const ctx = { worktreePaths: ['/home/dev/wt/lane-a'] };

/** Every JSON value found in every fixture file, with how to read it. */
function allDocs(): { rel: string; kind: 'state' | 'result' | 'event'; value: unknown }[] {
  const out: { rel: string; kind: 'state' | 'result' | 'event'; value: unknown }[] = [];
  for (const rel of listFixtures()) {
    if (rel.endsWith('.jsonl')) {
      for (const { value } of readFixtureLines(rel)) out.push({ rel, kind: 'event', value });
    } else if (rel.endsWith('.json')) {
      out.push({
        rel,
        kind: rel.endsWith('result.json') ? 'result' : 'state',
        value: readFixtureJson(rel),
      });
    }
  }
  return out;
}

const SWAPS: unknown[] = [
  null,
  42,
  -1,
  'garbage',
  '',
  true,
  [],
  {},
  [[[['x']]]],
  { 'blocked.x': { y: 1 } },
  '1e400',
  '2026-02-30T00:00:00Z',
];

describe('every dialect fixture (test/fixtures/dialects)', () => {
  it('includes the dialect samples this suite asserts in detail', () => {
    expect(listFixtures()).toEqual(
      expect.arrayContaining([
        'claude-code-hooks/captured-2.1.330-stopfailure.jsonl',
        'claude-code-hooks/captured-2.1.330-turn.jsonl',
        'claude-code-hooks/hook-events.jsonl',
        'claw-code/lane-events.jsonl',
        'claw-code/worker-state.json',
        'live-bridge/result.json',
        'live-bridge/state.json',
      ]),
    );
  });

  it('every document and line is read without an error', () => {
    const docs = allDocs();
    expect(docs.length).toBeGreaterThanOrEqual(25);
    for (const { rel, kind, value } of docs) {
      const r =
        kind === 'event'
          ? normalizeEvent(value, { file: rel, line: 1, at: 1, dialect: 'auto' })
          : kind === 'result'
            ? normalizeResultDoc(value, { file: rel, at: 1, dialect: 'auto' })
            : normalizeStateDoc(value, { file: rel, at: 1, dialect: 'auto' });
      expect('error' in r ? `${rel}: ${r.error}` : 'ok').toBe('ok');
    }
  });

  it('each field (and each nested field) swapped for a hostile value never throws', () => {
    let fold: EventFold = EMPTY_FOLD;
    let variants = 0;
    for (const { kind, value } of allDocs()) {
      if (typeof value !== 'object' || value === null) continue;
      const rec = value as Record<string, unknown>;
      const paths: string[][] = [];
      for (const [k, v] of Object.entries(rec)) {
        paths.push([k]);
        if (typeof v === 'object' && v !== null && !Array.isArray(v))
          for (const k2 of Object.keys(v)) paths.push([k, k2]);
      }
      for (const path of paths) {
        for (const swap of SWAPS) {
          const copy = structuredClone(rec);
          const [a, b] = path;
          if (a !== undefined && b === undefined) copy[a] = swap;
          if (a !== undefined && b !== undefined) (copy[a] as Record<string, unknown>)[b] = swap;
          variants++;
          if (kind === 'event') {
            const ev = normalizeEvent(copy, { file: 'e', line: variants, at: 1, dialect: 'auto' });
            if (!('error' in ev)) fold = foldEvent(fold, ev, ctx);
          } else if (kind === 'result') {
            normalizeResultDoc(copy, { file: 'r', at: 1, dialect: 'auto' });
          } else {
            const s = normalizeStateDoc(copy, { file: 's', at: 1, dialect: 'auto' });
            if (!('error' in s)) agentBlockers(s, Date.now());
          }
        }
      }
    }
    expect(variants).toBeGreaterThan(1000);
    expect(fold.count).toBeGreaterThan(0);
    expect(() => JSON.stringify(fold)).not.toThrow();
  });
});

describe('foldEvents', () => {
  it('equals folding one by one, for every fixture file, in chunks of any size', () => {
    for (const rel of listFixtures().filter((r) => r.endsWith('.jsonl'))) {
      const evs = readFixtureLines(rel).flatMap(({ line, value }) => {
        const ev = normalizeEvent(value, { file: 'f', line, at: 1_000, dialect: 'auto' });
        return 'error' in ev ? [] : [ev];
      });
      // Repeat the file so the recent ring (50) overflows.
      const many = Array.from({ length: 4 }, () => evs).flat();
      const oneByOne = many.reduce((f, ev) => foldEvent(f, ev, ctx), EMPTY_FOLD);
      for (const size of [1, 3, 50, many.length]) {
        let fold: EventFold = EMPTY_FOLD;
        for (let i = 0; i < many.length; i += size) {
          fold = foldEvents(fold, many.slice(i, i + size), ctx);
        }
        expect(fold, `${rel} in chunks of ${size}`).toEqual(oneByOne);
      }
    }
  });
});
