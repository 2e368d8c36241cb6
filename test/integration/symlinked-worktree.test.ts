/**
 * A lane whose worktree is configured through a symlink: hook payloads carry the real path
 * as `cwd`, which must not raise `workspace_mismatch` (paths are compared as realpaths);
 * a cwd really outside the worktree still does. Real git repo, real files, the real CLI.
 */
import { appendFileSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject } from '../helpers/e2e-project.js';

afterAll(() => cleanupProjects());

interface Lane {
  id: string;
  agent: { status: string };
  blockers: { failureClass: string }[];
}

describe('symlinked worktree', () => {
  it('a hook cwd at the real path is inside the lane; one outside is a mismatch', async () => {
    const p = makeProject();
    const real = p.addLane('a', 'lane/a');
    const real2 = p.addLane('b', 'lane/b');
    symlinkSync(path.join(p.root, 'wt'), path.join(p.root, 'link'));
    p.writeConfig(
      [
        'version: 1',
        'defaults: { repo: repo, base: main }',
        'lanes:',
        '  - { id: a, worktree: link/a, branch: lane/a }',
        '  - { id: b, worktree: link/b, branch: lane/b }',
        '',
      ].join('\n'),
    );
    const hook = (id: string, cwd: string): void => {
      mkdirSync(p.bridge(id), { recursive: true });
      const payload = {
        session_id: `s-${id}`,
        cwd,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'go',
      };
      appendFileSync(
        path.join(p.bridge(id), 'hook-events.jsonl'),
        `${JSON.stringify({ received_at: new Date().toISOString(), payload })}\n`,
      );
    };
    hook('a', path.join(real, 'src'));
    hook('b', path.dirname(real2));
    const r = await runCli(['--json', '--config', p.config], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const lanes = new Map((JSON.parse(r.stdout) as { lanes: Lane[] }).lanes.map((l) => [l.id, l]));
    expect(lanes.get('a')?.agent.status).toBe('running');
    expect(lanes.get('a')?.blockers.map((b) => b.failureClass)).not.toContain('workspace_mismatch');
    expect(lanes.get('b')?.blockers.map((b) => b.failureClass)).toContain('workspace_mismatch');
  }, 60_000);
});
