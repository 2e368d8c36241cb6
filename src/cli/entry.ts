/** Process entry of the bundled CLI (dist/cli.js): runs {@link main} and exits with its code. */
import { main } from './main.js';

main(process.argv.slice(2)).then(
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
