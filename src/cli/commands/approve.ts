/**
 * Registers `laneboard approve <lane> [--request ID]` and `laneboard deny <lane>
 * [--message M] [--request ID]`: answer the permission request a lane's agent waits on
 * (`approvals: board`, docs/agents.md "Approvals") through the control endpoint
 * (`POST /v1/lanes/<id>/approve|deny`, docs/control.md). Behaviour in ../verbs/approve.ts.
 * Exit codes: 0 answered · 1 no request waiting for the board (or another one named),
 * runtime error · 2 bad usage, unknown lane · 3 no runtime running for this lanes.yaml.
 */
import type { Command } from 'commander';
import type { runDecision } from '../verbs/approve.js';
import { type CliContext } from './context.js';
import { laneVerb } from './verbs.js';

const HELP = `
The lane's agent must be waiting for the board: lanes.yaml \`approvals: board\` on the lane
(or in defaults) and the hooks from \`laneboard hooks install\`. The decision is written to
the lane's bridge; the agent's PermissionRequest hook answers the agent with it.

Examples:
  laneboard approve api
  laneboard deny api --message "not in this lane: use the staging database"

Exit 1 also when no request waits for the board (or --request names another one).`;

/** Add `approve` and `deny` to `program`. */
export function register(program: Command, ctx: CliContext): void {
  const request: readonly [string, string] = [
    '--request <id>',
    'answer only this request (refused when another one waits)',
  ];
  const decide = async (...args: Parameters<typeof runDecision>): Promise<number> =>
    (await import('../verbs/approve.js')).runDecision(...args);
  laneVerb<{ request?: string }>(program, ctx, {
    name: 'approve',
    description: 'allow once the permission request the lane\u2019s agent waits on',
    options: [request],
    help: HELP,
    run: (c, lane, o) => decide(c, lane, 'approve', o),
  });
  laneVerb<{ request?: string; message?: string }>(program, ctx, {
    name: 'deny',
    description: 'deny the permission request the lane\u2019s agent waits on',
    options: [['-m, --message <text>', 'tell the agent why (it goes on with this)'], request],
    help: HELP,
    run: (c, lane, o) => decide(c, lane, 'deny', o),
  });
}
