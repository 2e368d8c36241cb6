/**
 * Process entry of the bundled CLI (dist/cli.js): tries the lean client path first
 * (./fast.ts: `--json`, `status` and lane operations answered by a running runtime), then
 * runs {@link main} (loaded only when needed) and exits with its code.
 */
import { runFast } from './fast.js';

const argv = process.argv.slice(2);

runFast(argv)
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
