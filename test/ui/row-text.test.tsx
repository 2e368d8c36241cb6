import chalk from 'chalk';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { GAP, MARKER_WIDTH, layoutColumns } from '../../src/ui/columns.js';
import type { ColumnKey, ColumnLayout } from '../../src/ui/columns.js';
import { paint, rowSegments, rowText, truncateCell } from '../../src/ui/row-text.js';
import type { RowCell } from '../../src/ui/row-text.js';
import { colorTheme, monoTheme } from '../../src/ui/theme.js';
import type { Theme } from '../../src/ui/theme.js';

const chalkLevel = chalk.level;
const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
  chalk.level = chalkLevel;
});

type Cells = Partial<Record<ColumnKey, RowCell>>;

/**
 * The row as the board drew it before it was one string: a sized `Box` per cell with a
 * truncating `Text` in it (Ink's layout and cutting). The reference the string must match.
 */
function BoxRow(props: {
  layout: ColumnLayout;
  cells: Cells;
  selected: boolean;
  theme: Theme;
}): React.JSX.Element {
  const { layout, cells, selected, theme } = props;
  return (
    <Box width={layout.total} height={1}>
      <Box width={MARKER_WIDTH} flexShrink={0}>
        <Text bold>{selected ? '›' : ' '}</Text>
      </Box>
      {layout.columns.map((c, i) => {
        const cell = cells[c.key];
        return (
          <Box key={c.key} width={c.width} flexShrink={0} marginLeft={i === 0 ? 0 : GAP}>
            <Text wrap="truncate-end" bold={selected} color={theme.color(cell?.tone ?? 'muted')}>
              {cell?.text ?? ''}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}

/** Ink's frame of `node` in a terminal `columns` wide. */
function frame(node: React.JSX.Element, columns: number): string {
  const r = render(node);
  mounted.push(r);
  Object.defineProperty(r.stdout, 'columns', { configurable: true, get: () => columns });
  r.rerender(node);
  return r.lastFrame() ?? '';
}

// Hostile-to-layout but sanitized cell texts: wide characters on the cut, exact fits,
// emoji, combining marks, empty cells, one column left out.
const CELLS: Cells = {
  id: { text: 'ボード日本語レーン', tone: 'plain' },
  branch: { text: 'lane/日本-feature-with-a-long-name', tone: 'warn' },
  fresh: { text: '↑12 ↓3 diverged', tone: 'bad' },
  diff: { text: '+1234 \u22125678', tone: 'plain' },
  worker: { text: 'run 4242 ↻2', tone: 'ok' },
  agent: { text: 'e\u0301te\u0301 🚀🚀', tone: 'info' },
  tests: { text: '', tone: 'muted' },
  blocker: { text: 'input_required (+1) → answer the question with s', tone: 'bad' },
  event: { text: '20s red', tone: 'plain' },
};

describe('rowSegments / rowText: pre-coloured strings draw what the per-cell boxes drew', () => {
  for (const columns of [20, 37, 60, 80, 99, 120, 133, 200]) {
    for (const [name, theme, level] of [
      ['colour', colorTheme, 3],
      ['NO_COLOR', monoTheme, 3],
      ['no colour support', colorTheme, 0],
    ] as const) {
      it(`${columns} columns, ${name}, selected and not`, () => {
        chalk.level = level;
        const layout = layoutColumns(columns);
        for (const selected of [false, true]) {
          const boxes = frame(
            <BoxRow layout={layout} cells={CELLS} selected={selected} theme={theme} />,
            columns,
          );
          const opts = {
            marker: { text: selected ? '›' : ' ', bold: true },
            bold: selected,
            theme,
          };
          const segments = rowSegments(layout, (c) => CELLS[c.key], opts);
          // As src/ui/LaneRow.tsx draws it: one Text per segment, side by side.
          const texts = frame(
            <Box width={layout.total} height={1}>
              {segments.map((s) => (
                <Text key={s.key} wrap="truncate-end">
                  {s.text}
                </Text>
              ))}
            </Box>,
            columns,
          );
          expect(texts).toBe(boxes);
          // And as one Text (the column titles).
          const one = frame(
            <Box width={layout.total} height={1}>
              <Text wrap="truncate-end">{rowText(layout, (c) => CELLS[c.key], opts)}</Text>
            </Box>,
            columns,
          );
          expect(one).toBe(boxes);
          expect(boxes).toContain('ボード');
        }
      });
    }
  }

  it('column titles: no marker, muted', () => {
    chalk.level = 3;
    const layout = layoutColumns(120);
    const titles = rowText(layout, (c) => ({ text: c.title, tone: 'muted' }), {
      marker: null,
      bold: false,
      theme: colorTheme,
    });
    expect(titles.startsWith(' '.repeat(MARKER_WIDTH) + chalk.gray('LANE'))).toBe(true);
    expect(titles).not.toMatch(/ $/);
  });
});

describe('truncateCell and paint', () => {
  it('keeps text that fits, cuts with an ellipsis what does not', () => {
    expect(truncateCell('abc', 3)).toEqual({ text: 'abc', width: 3 });
    expect(truncateCell('abcdef', 4)).toEqual({ text: 'abc…', width: 4 });
  });
  it('cuts a wide character on the edge as Ink does (one cell over)', () => {
    expect(truncateCell('日本語', 4)).toEqual({ text: '日本…', width: 5 });
  });
  it('keeps a wide character cut in the last column inside the row', () => {
    const layout = layoutColumns(80);
    const lastCol = layout.columns.at(-1);
    const lastKey = lastCol?.key;
    // The cut alone would end one cell past the row (the column is an even number of cells).
    expect(truncateCell('日本語'.repeat(9), lastCol?.width ?? 0).width).toBe(
      (lastCol?.width ?? 0) + 1,
    );
    const text = rowText(
      layout,
      (c) => (c.key === lastKey ? { text: '日本語'.repeat(9), tone: 'plain' } : undefined),
      {
        marker: null,
        bold: false,
        theme: monoTheme,
      },
    );
    expect(stringWidth(text)).toBeLessThanOrEqual(layout.total);
    expect(text.endsWith('…')).toBe(true);
  });
  it('colours then bolds like Ink, and not at colour level 0', () => {
    chalk.level = 1;
    expect(paint('x', 'red', true)).toBe(chalk.bold(chalk.red('x')));
    expect(paint('x', undefined, false)).toBe('x');
    chalk.level = 0;
    expect(paint('x', 'red', true)).toBe('x');
  });
});

describe('rowSegments', () => {
  it('one segment per non-empty cell, the same string for the same cell on every row', () => {
    chalk.level = 3;
    const layout = layoutColumns(120);
    const row = (id: string) =>
      rowSegments(
        layout,
        (c) =>
          c.key === 'id'
            ? { text: id, tone: 'plain' }
            : c.key === 'worker'
              ? { text: 'stopped', tone: 'muted' }
              : c.key === 'event'
                ? { text: '—', tone: 'muted' }
                : undefined,
        { marker: { text: ' ', bold: true }, bold: false, theme: colorTheme },
      );
    const a = row('l001');
    const b = row('l002-longer');
    expect(a.map((s) => s.key)).toEqual(['id', 'worker', 'event']);
    expect(a[1]).toEqual(b[1]);
    expect(a[2]?.text).toBe(chalk.gray('—'));
  });
});
