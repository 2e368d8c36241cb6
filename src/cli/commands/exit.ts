/**
 * The exit-code table and {@link CliError}, with no other imports, so the lean client
 * path (src/cli/fast.ts: verbs and `--json` answered by a running runtime) can use them
 * without loading the config parser. src/cli/commands/context.ts re-exports both.
 *
 * Exit codes (kept by every command; documented in README.md and docs/control.md):
 * 0 ok · 1 runtime error (also: `wait` timed out, `steer --wait` not delivered) ·
 * 2 bad usage, bad lanes.yaml or unknown lane · 3 no runtime running for this lanes.yaml.
 */

/** The exit-code table. */
export const EXIT = { ok: 0, runtime: 1, usage: 2, noRuntime: 3 } as const;

/**
 * What each exit code means, as every command's `--help` ends with it (./help.ts) and
 * README.md "Command line" shows it (test/e2e/cli.test.ts holds the three together).
 */
export const EXIT_MEANINGS: readonly (readonly [code: number, meaning: string])[] = [
  [EXIT.ok, 'ok'],
  [EXIT.runtime, 'runtime error (also: wait timed out, steer --wait not delivered)'],
  [EXIT.usage, 'bad usage, bad lanes.yaml or unknown lane'],
  [EXIT.noRuntime, 'no runtime running for this lanes.yaml (start one: laneboard serve)'],
];

/** An error with its exit code and a one-line message for stderr (no stack). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
