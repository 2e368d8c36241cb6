/**
 * The board as a list of display lines (repo group headings and lane rows) and the
 * scroll window over it. Pure: the Board component renders only the window, so a frame
 * is never taller than the terminal (Ink redraws the whole screen otherwise, docs/pitfalls.md).
 */

import type { RepoGroup } from '../state/selectors.js';

/** One display line of the board (a group heading carries its fleet host, if remote). */
export type BoardLine =
  | {
      readonly kind: 'group';
      readonly repo: string;
      readonly host?: string;
      readonly hostOnline?: boolean;
      readonly key: string;
    }
  | { readonly kind: 'lane'; readonly id: string; readonly key: string };

/** Repo groups as returned by `selectRepoGroups`. */
export type RepoGroups = readonly RepoGroup[];

/** Flatten groups into heading + lane lines (config order) and the lane ids in display order. */
export function boardLines(groups: RepoGroups): {
  lines: readonly BoardLine[];
  ids: readonly string[];
} {
  const lines: BoardLine[] = [];
  const ids: string[] = [];
  groups.forEach((g, i) => {
    lines.push({
      kind: 'group',
      repo: g.repo,
      ...(g.host !== undefined ? { host: g.host, hostOnline: g.hostOnline !== false } : {}),
      key: `group:${i}`,
    });
    for (const id of g.laneIds) {
      lines.push({ kind: 'lane', id, key: `lane:${id}` });
      ids.push(id);
    }
  });
  return { lines, ids };
}

/**
 * The first visible line so that the selected line is visible, moving as little as
 * possible from `prevOffset`; when the selection is the first lane of a group its heading
 * is shown too.
 * @param total Number of lines.
 * @param selected Index of the selected line, or -1 for none.
 * @param height Visible lines (≥ 1).
 * @param prevOffset Offset of the previous frame.
 * @param headingBefore True when the line before `selected` is a group heading.
 * @returns Offset in [0, max(0, total - height)].
 */
export function scrollOffset(
  total: number,
  selected: number,
  height: number,
  prevOffset: number,
  headingBefore: boolean,
): number {
  const h = Math.max(1, height);
  const max = Math.max(0, total - h);
  let off = Math.min(max, Math.max(0, prevOffset));
  if (selected < 0) return off;
  const top = headingBefore ? selected - 1 : selected;
  if (top < off) off = Math.max(0, top);
  if (selected >= off + h) off = selected - h + 1;
  return Math.min(max, Math.max(0, off));
}
