/**
 * Footer hints at the widths a user has: the way to the help overlay and out of the board
 * stays on screen, and the quit hint names a key that quits in that context.
 */
import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/ui/help-lines.js';
import { fitHints, hintsFor, keyList } from '../../src/ui/hints.js';
import { KEYMAP } from '../../src/ui/keymap.js';

describe('footer hints', () => {
  it('keep ? help and q quit on the board at 80 and 120 columns, in table order', () => {
    for (const w of [80, 120]) {
      const line = fitHints(hintsFor('board'), w);
      expect(line.length).toBeLessThanOrEqual(w);
      expect(line).toMatch(/^↑↓\/jk select {2}Enter details {2}s steer/);
      expect(line.endsWith('? help  q quit')).toBe(true);
    }
  });

  it('keep Esc close in the detail pane at 80 columns', () => {
    const line = fitHints(hintsFor('detail'), 80);
    expect(line).toContain('Esc close');
    expect(line).toContain('? help');
    expect(line.endsWith('q quit')).toBe(true);
  });

  it('hint Ctrl-C to quit where q is text (steer prompt, filter)', () => {
    for (const ctx of ['prompt', 'filter'] as const) {
      const line = fitHints(hintsFor(ctx), 80);
      expect(line).toContain('Ctrl-C quit');
      expect(line).not.toContain('q quit');
    }
    expect(fitHints(hintsFor('board'), 200)).not.toContain('Ctrl-C');
  });

  it('never exceeds the width, down to nothing', () => {
    const all = hintsFor('board');
    for (let w = 0; w <= 160; w++) expect(fitHints(all, w).length).toBeLessThanOrEqual(w);
    expect(fitHints(all, 3)).toBe('');
  });

  it('lists every board key for --help (nothing the help overlay has is missing)', () => {
    const list = keyList('board');
    for (const b of KEYMAP.filter((x) => x.contexts.includes('board') && x.command !== 'down')) {
      const shown = b.command === 'up' ? '↑↓/jk' : b.keys.map((k) => k.display).join('/');
      expect(list, b.command).toContain(`${shown} `);
    }
  });
});

describe('help overlay lines at 80 columns', () => {
  it('wrap long help texts under their key; no line is wider than the terminal', () => {
    const lines = helpLines(80).map((l) => l.text);
    for (const l of lines) expect(l.length).toBeLessThan(80);
    const joined = lines.map((l) => l.trim()).join(' ');
    for (const b of KEYMAP) expect(joined).toContain(b.help);
    expect(lines).toContain('                   allow once, n deny');
  });

  it('show only Ctrl-C as the quit key where q does not quit (prompt, filter, confirmations)', () => {
    const sections = new Map<string, string[]>();
    let at = '';
    for (const l of helpLines(80)) {
      if (l.heading === true) sections.set((at = l.text), []);
      else sections.get(at)?.push(l.text);
    }
    const quitKeys = (heading: string): string | undefined =>
      sections
        .get(heading)
        ?.find((l) => / {2,}quit \(/.test(l))
        ?.trim()
        .split(/ {2,}/)[0];
    expect(quitKeys('In the board')).toBe('q / Ctrl-C');
    expect(quitKeys('In the help')).toBe('q / Ctrl-C');
    const typing = [...sections.keys()].filter((h) =>
      /prompt|filter|confirmation|permission/.test(h),
    );
    expect(typing).toHaveLength(4);
    for (const h of typing) expect(quitKeys(h), h).toBe('Ctrl-C');
  });
});
