/**
 * The fleet verbs' exit codes and the mapping from a sent command's outcome to the
 * lines and the exit code the CLI reports, shared by the full verb (./verb.ts) and the
 * lean one (./verb-lean.ts) so both print and exit the same.
 */
import type { SendOutcome } from '../../runtime/fleet/sender.js';
import { sanitizeText } from '../../state/sanitize.js';

/** Exit codes of the fleet verbs: 0 done · 1 failed / no connection · 2 usage or unknown lane · 3 no runtime answered. */
export const FLEET_EXIT = { ok: 0, failed: 1, usage: 2, noRuntime: 3 } as const;

/**
 * Report `out` of `verb` on `name` (`<host>/<lane>`) through `write` (one line each) and
 * return the exit code: `done` 0; `failed` 2 for an unknown lane on the host, else 1;
 * claimed but no result 1; not delivered 3.
 */
export function reportOutcome(
  out: SendOutcome,
  verb: string,
  name: string,
  write: (line: string) => void,
): number {
  switch (out.state) {
    case 'done':
      return FLEET_EXIT.ok;
    case 'failed': {
      const error = sanitizeText(out.receipt.error ?? 'failed', 300);
      write(`${verb} ${name}: failed: ${error}`);
      return error.startsWith('no lane ') ? FLEET_EXIT.usage : FLEET_EXIT.failed;
    }
    case 'delivered':
      write(`${verb} ${name}: delivered, no result yet`);
      return FLEET_EXIT.failed;
    case 'not_delivered':
      write(`${verb} ${name}: not delivered (${out.reason})`);
      return FLEET_EXIT.noRuntime;
  }
}
