/**
 * A drop-in for Ink 6.8's internal `build/log-update.js` (how a frame string reaches the
 * terminal), substituted into the bundle by scripts/build.mjs. The standard mode is Ink's
 * own, unchanged. The incremental mode (`render(…, {incrementalRendering: true})`) rewrites
 * only the lines that differ from the frame on screen: one lane's update costs one row
 * (~0.4 KB) instead of the whole screen (~12 KB at 200×60), for the terminal and for
 * whatever carries its bytes (ssh, tmux).
 *
 * Why not Ink's incremental mode: in 6.8 it moves the cursor up one line too few before
 * redrawing a frame that ends with a newline (every frame shorter than the terminal), so
 * each update drew the frame one line lower and left the old first line above it
 * (duplicated header rows on this board in tmux).
 *
 * Here a frame is diffed only when the one on screen was drawn by this module with the same
 * number of lines and a trailing newline, and no cursor position is in play (the board
 * never places the cursor); any other case (first frame, a height change, after `clear`,
 * `sync` or `done`, a full-screen frame) is handed to Ink's standard renderer, which then
 * knows what is on screen again. Checked end to end in a real terminal
 * (test/e2e/board.test.ts: a frame after live updates holds each line once).
 */
// Ink does not export its log-update module; this is the file its own ink.js imports.
import inkLogUpdate from '../../../node_modules/ink/build/log-update.js';
import type { LogUpdate } from '../../../node_modules/ink/build/log-update.js';
import type { Writable } from 'node:stream';

const CSI = '\u001b[';
/** Move the cursor down one line to column 1 (CNL). */
const NEXT_LINE = `${CSI}E`;
/** Erase from the cursor to the end of the line (EL). */
const ERASE_END = `${CSI}K`;

/**
 * Create a frame writer for `stream`, same contract as Ink's `logUpdate.create`.
 * @param stream The terminal.
 * @param options `showCursor` (keep the cursor visible), `incremental` (see module doc).
 */
function create(
  stream: Writable,
  { showCursor = false, incremental = false }: { showCursor?: boolean; incremental?: boolean } = {},
): LogUpdate {
  const std = inkLogUpdate.create(stream, { showCursor });
  if (!incremental) return std;
  /** Lines (split on '\n', so the last is '') of the frame on screen, when diffable. */
  let shown: string[] | null = null;
  let shownText = '';
  /** Set once anything positions the cursor: from then on Ink's renderer does it all. */
  let cursorUsed = false;

  const full = (str: string): boolean => {
    const wrote = std(str);
    shown = !cursorUsed && str.endsWith('\n') ? str.split('\n') : null;
    shownText = str;
    return wrote;
  };
  const render = (str: string): boolean => {
    if (shown === null || cursorUsed || std.isCursorDirty() || !str.endsWith('\n')) {
      return full(str);
    }
    if (str === shownText) return false;
    const next = str.split('\n');
    if (next.length !== shown.length) return full(str);
    // The cursor sits on the line below the frame (it ends with a newline): go to its top.
    const visible = next.length - 1;
    let out = visible > 0 ? `${CSI}${visible}A` : '';
    for (let i = 0; i < visible; i++) {
      out += next[i] === shown[i] ? NEXT_LINE : `\r${next[i]}${ERASE_END}\n`;
    }
    stream.write(out);
    // Ink's renderer learns the frame without writing (it answers `willRender` and draws
    // the frames this module hands back to it).
    std.sync(str);
    shown = next;
    shownText = str;
    return true;
  };
  return Object.assign(render, {
    clear: () => {
      shown = null;
      std.clear();
    },
    done: () => {
      shown = null;
      std.done();
    },
    sync: (str: string) => {
      shown = null;
      std.sync(str);
    },
    setCursorPosition: (position: Parameters<LogUpdate['setCursorPosition']>[0]) => {
      cursorUsed = true;
      std.setCursorPosition(position);
    },
    isCursorDirty: () => std.isCursorDirty(),
    willRender: (str: string) => std.willRender(str),
  });
}

export default { create };
