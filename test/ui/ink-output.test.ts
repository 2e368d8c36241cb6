/**
 * The bundle's drop-ins for Ink internals (src/ui/ink-patch/, substituted by
 * scripts/build.mjs) give exactly what Ink's own code gives: the Output class on random
 * frames of styled, wide, multi-line, clipped, overlapping and off-screen writes —
 * including sequences of frames that differ in one write, so the cross-frame line cache
 * is hit and must not return a stale line — and widest-line on the same texts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import inkWidestLine from 'widest-line';
import FastOutput from '../../src/ui/ink-patch/output.js';
import fastWidestLine from '../../src/ui/ink-patch/widest-line.js';
import { rng } from '../helpers/rng.js';

const TEXTS = [
  'plain',
  'lane-042  fresh',
  '\u001b[32mrun 4242\u001b[39m',
  '\u001b[1m\u001b[33mwarn\u001b[39m\u001b[22m tail',
  '漢字の列',
  'ok 👍 done',
  'two\nlines',
  '\u001b[31mred\nstill red\u001b[39m',
  'x',
  '…',
  '\u001b[90m—\u001b[39m',
  '\u001b[2m\u001b[1mdim bold\u001b[22m plain',
  '\u001b[44m\u001b[37mon blue\u001b[39m bg only\u001b[49m',
  '\u001b[7m\u001b[32msel\u001b[39m\u001b[27m',
];

type Op =
  | { kind: 'write'; x: number; y: number; text: string; upper: boolean }
  | { kind: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number }
  | { kind: 'unclip' };

function randomOp(r: () => number, w: number, h: number): Op {
  const p = r();
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  if (p < 0.1) {
    const both = r() < 0.5;
    return {
      kind: 'clip',
      ...(r() < 0.7 || both ? { x1: int(0, w / 2), x2: int(w / 2, w) } : {}),
      ...(r() < 0.5 || !both ? { y1: int(0, h / 2), y2: int(h / 2, h) } : {}),
    };
  }
  if (p < 0.15) return { kind: 'unclip' };
  const text = TEXTS[int(0, TEXTS.length - 1)]!;
  return { kind: 'write', x: int(-2, w + 2), y: int(-1, h + 1), text, upper: r() < 0.1 };
}

interface OutputLike {
  write(x: number, y: number, text: string, o: { transformers: ((s: string) => string)[] }): void;
  clip(c: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}

function frame(
  Make: new (o: { width: number; height: number }) => OutputLike,
  w: number,
  h: number,
  ops: readonly Op[],
): { output: string; height: number } {
  const out = new Make({ width: w, height: h });
  const upper = (s: string): string => s.toUpperCase();
  for (const op of ops) {
    if (op.kind === 'write') {
      out.write(op.x, op.y, op.text, { transformers: op.upper ? [upper] : [] });
    } else if (op.kind === 'clip') {
      out.clip({ x1: op.x1, x2: op.x2, y1: op.y1, y2: op.y2 });
    } else {
      out.unclip();
    }
  }
  return out.get();
}

describe('ink-patch drop-ins', () => {
  it('Output: same screen string as Ink on random frames and one-write changes between them', () => {
    const r = rng(17);
    let compared = 0;
    for (let seq = 0; seq < 60; seq += 1) {
      const w = 8 + Math.floor(r() * 40);
      const h = 2 + Math.floor(r() * 10);
      let ops = Array.from({ length: 4 + Math.floor(r() * 20) }, () => randomOp(r, w, h));
      // A sequence of frames, each one op different from the one before (as a board frame
      // after one lane's update): unchanged lines come from the cache.
      for (let step = 0; step < 8; step += 1) {
        expect(frame(FastOutput, w, h, ops)).toEqual(frame(InkOutput, w, h, ops));
        compared += 1;
        const i = Math.floor(r() * ops.length);
        ops = ops.map((op, j) => (j === i ? randomOp(r, w, h) : op));
      }
    }
    expect(compared).toBe(480);
  });

  it('Output: same screen string as Ink on rows of cells side by side (gaps of 0-2 blanks)', () => {
    const r = rng(23);
    // Plus texts whose style is still open at their end (a neighbour then changes it).
    const oneLine = [
      ...TEXTS.filter((t) => !t.includes('\n')),
      '\u001b[1mbold open',
      '\u001b[1m\u001b[32mgreen bold open',
      '\u001b[32mgreen open',
    ];
    for (let f = 0; f < 300; f += 1) {
      const w = 10 + Math.floor(r() * 60);
      const ops: Op[] = [];
      for (let y = 0; y < 4; y += 1) {
        // Cells up to the frame's edge; one row in five also has one that crosses it.
        const over = r() < 0.2;
        for (let x = Math.floor(r() * 3); ;) {
          const text = oneLine[Math.floor(r() * oneLine.length)]!;
          if (x + fastWidestLine(text) > w && !over) break;
          ops.push({ kind: 'write', x, y, text, upper: r() < 0.1 });
          x += fastWidestLine(text) + Math.floor(r() * 3);
          if (x > w) break;
        }
      }
      expect(frame(FastOutput, w, 4, ops)).toEqual(frame(InkOutput, w, 4, ops));
    }
  });

  it('widest-line: same widths as the package (and again from its cache)', () => {
    for (const t of [...TEXTS, '', 'a\n漢字\n👍👍👍', '\u001b[1mbold\u001b[22m\nxy']) {
      expect(fastWidestLine(t)).toBe(inkWidestLine(t));
      expect(fastWidestLine(t)).toBe(inkWidestLine(t));
    }
  });

  it('the built bundle renders with them (scripts/build.mjs substitutes them)', () => {
    const install = inject('laneboardInstall');
    expect(install, 'npm run build failed (see global setup)').not.toBe('');
    const dist = join(install, 'dist');
    const js = readdirSync(dist)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .join('\n');
    // Names only the drop-ins have (esbuild keeps top-level names of bundled modules).
    expect(js).toContain('charsCache');
    expect(js).not.toContain('class OutputCaches');
  });
});
