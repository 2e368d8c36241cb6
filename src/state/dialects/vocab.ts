/**
 * Shared vocabularies: agent status → {@link AgentKind}, green levels, and the operator's
 * next action per failure class. Sources: claw-code WorkerStatus / LaneFailureClass, the
 * live-bridge statuses and the bridge contract v1 (docs/bridge-contract.md).
 */
import { GREEN_LEVELS } from '../config-types.js';
import type { AgentKind } from '../types.js';

const KINDS: Readonly<Record<string, AgentKind>> = {
  spawning: 'starting',
  trust_required: 'blocked',
  tool_permission_required: 'blocked',
  blocked: 'blocked',
  ready_for_prompt: 'ready',
  ready: 'ready',
  idle: 'idle',
  waiting_for_input: 'idle',
  interrupted: 'idle',
  running: 'running',
  finished: 'finished',
  completed: 'finished',
  failed: 'failed',
};

/**
 * Coarse kind of a verbatim status: spawning→starting; trust_required,
 * tool_permission_required, blocked→blocked; ready_for_prompt (and ready)→ready;
 * idle, waiting_for_input, interrupted→idle; running→running; finished, completed→finished; failed→failed; anything
 * else (including null) → unknown.
 */
export function kindOf(status: string | null): AgentKind {
  if (status === null) return 'unknown';
  return Object.prototype.hasOwnProperty.call(KINDS, status)
    ? (KINDS[status] ?? 'unknown')
    : 'unknown';
}

const LEVEL_ALIASES: Readonly<Record<string, string>> = {
  targeted: 'targeted_tests',
  'targeted-tests': 'targeted_tests',
  'merge-ready': 'merge_ready',
  mergeready: 'merge_ready',
  targetedtests: 'targeted_tests',
};

/**
 * Normalize a green level to claw-code's names (`none < targeted_tests < package <
 * workspace < merge_ready`): case-insensitive, pi-crew's `targeted` → `targeted_tests`,
 * `-` spellings accepted. Unknown strings are returned verbatim (trimmed); numbers as
 * text; empty, null and other types → null.
 */
export function normalizeLevel(x: unknown): string | null {
  if (typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x))) return null;
  const raw = String(x).trim();
  if (raw.length === 0) return null;
  const low = raw.toLowerCase();
  if ((GREEN_LEVELS as readonly string[]).includes(low)) return low;
  return Object.prototype.hasOwnProperty.call(LEVEL_ALIASES, low)
    ? (LEVEL_ALIASES[low] ?? raw)
    : raw.slice(0, 200);
}

/** Failure classes that stay until the operator clears them. */
export const STICKY_CLASSES: ReadonlySet<string> = new Set(['workspace_mismatch']);

/**
 * Failure classes of an agent's turn (Claude Code StopFailure, transcript API errors, a
 * headless worker's result): a SessionEnd of the same session never clears them; a new
 * session, a new prompt or a successful turn does.
 */
export const TURN_FAILURE_CLASSES: ReadonlySet<string> = new Set([
  'rate_limit',
  'auth',
  'billing',
  'server_error',
  'invalid_request',
  'infra',
]);

/** Failure classes about the code / branch, cleared by green or finished, not by a restart. */
export const CODE_CLASSES: ReadonlySet<string> = new Set(['branch_divergence', 'test', 'compile']);

const NEXT: Readonly<Record<string, string>> = {
  prompt_delivery: 'the prompt did not reach the agent: check its session and resend (s to steer)',
  trust_gate: "answer the trust prompt in the agent's session (or allowlist the worktree)",
  branch_divergence: 'merge or rebase the base branch into the lane, then rerun the tests',
  compile: 'fix the build errors, then rerun the build',
  test: 'fix the failing tests, then rerun them',
  plugin_startup: 'check the plugin configuration, then restart the worker (r)',
  mcp_startup: 'check the MCP server configuration, then restart the worker (r)',
  mcp_handshake: 'check that the MCP server starts and answers, then restart the worker (r)',
  gateway_routing: 'check the model gateway / provider routing, then resume',
  tool_runtime: 'read the tool error in the log, fix it, then resume the agent',
  workspace_mismatch:
    "check what the agent changed outside the lane's worktree, restart it in the worktree, then clear (c)",
  infra: "check the agent's API / network connectivity, then resume the session",
  rate_limit: 'wait for the limit to reset, then resume the same session',
  auth: 'log the agent in again (its API key or login was refused), then resume the session',
  billing: "check the account's billing / credit balance, then resume the session",
  server_error: 'the model API failed or was overloaded: resume the session (r) in a moment',
  invalid_request:
    'the API refused the request (e.g. prompt too long): compact or start a new session',
  input_required: 'send the next instruction (s to steer)',
  permission: "approve or deny the pending tool request in the agent's session",
  timeout:
    'the task ran past its time limit: look at its log, then rerun it with more time or a smaller scope',
  deadletter:
    'the task or message was given up after its retries: read why in the run log, then requeue it',
};

/** The operator's next action for a failure class; a generic hint for unknown classes. */
export function nextActionFor(failureClass: string): string {
  return Object.prototype.hasOwnProperty.call(NEXT, failureClass)
    ? (NEXT[failureClass] ?? '')
    : "inspect the lane's details and log, then restart (r) or steer (s)";
}
