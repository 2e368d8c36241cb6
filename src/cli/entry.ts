/**
 * Process entry of the bundled CLI (dist/cli.js, loaded by dist/fast.cjs or directly):
 * tries the lean client path first (./fast.ts: `--json`, `status`, lane operations and the
 * attached board answered by a running runtime), then
 * runs {@link main} (loaded only when needed) and exits with its code.
 */
import { runFast, type BoardStarter } from './fast.js';

const argv = process.argv.slice(2);
// dist/fast.cjs (./fast-entry.ts) already tried the lean path for everything but the board.
const tried = (globalThis as Record<symbol, unknown>)[Symbol.for('laneboard.fastTried')] === true;

const board: BoardStarter = {
  preload: () => import('./ink-loader.js').then((m) => m.importInk()),
  run: async (socket, health) =>
    (await import('./board-attach.js')).runAttachedBoard(socket, health),
};

runFast(argv, { board, boardOnly: tried })
  .then(async (fast) => fast ?? (await import('./main.js')).main(argv))
  .then(
    (code) => {
      process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(
        `laneboard: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
