/**
 * The text `laneboard init` writes: a lanes.yaml for a discovered repository, with the
 * keys an operator wants next (`command`, `restart`, `steer`, `on`, `worktree_setup`)
 * shown commented out. Pure (no I/O). The result parses with `parseConfig` to the same
 * lanes the discovered board shows (test/cli/init.test.ts).
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { Discovery } from '../discover.js';
import { laneIdsFor } from '../discover.js';

/** One YAML scalar (quoted only when YAML needs it), on one line. */
function yamlScalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** `p` relative to `dir` (`.` for `dir` itself); absolute when that is shorter to read. */
export function relativePath(dir: string, p: string): string {
  const rel = path.relative(dir, p);
  if (rel === '') return '.';
  return rel.split(path.sep).filter((s) => s === '..').length > 3 ? p : rel;
}

/**
 * The lanes.yaml text for discovery `d`, to be written at `<dir>/lanes.yaml`.
 * Paths are written relative to `dir`. A detached worktree gets `branch: HEAD` with a
 * comment asking for the branch the lane works on.
 */
export function initText(d: Discovery, dir: string): string {
  const ids = laneIdsFor(d.worktrees.map((w) => w.path));
  const out: string[] = [
    `# lanes.yaml: the lanes of ${d.repo}, written by \`laneboard init\`.`,
    '# The board re-reads this file when it changes (no restart needed).',
    '# Reference (every key, its default and what is refused): docs/lanes-yaml.md.',
    'version: 1',
    '',
    '# settings:',
    '#   worktree_setup: # for worktrees made by `laneboard add`',
    '#     command: npm ci # run in the new worktree',
    '#     copy: [.env] # git-ignored files copied from the main worktree',
    '',
    'defaults:',
    `  repo: ${yamlScalar(relativePath(dir, d.repo))}`,
    `  base: ${yamlScalar(d.base)} # freshness (ahead/behind) is measured against this ref`,
    '  # restart: on-failure # never | on-failure | always',
    '  # steer: inbox # inbox | stdin | { command: [tmux, send-keys, -t, mylane, "{message}", Enter] }',
    '',
    'lanes:',
  ];
  d.worktrees.forEach((w, i) => {
    const id = ids[i] ?? `lane-${i + 1}`;
    out.push(`  - id: ${yamlScalar(id)}`);
    out.push(`    worktree: ${yamlScalar(relativePath(dir, w.path))}`);
    if (w.branch !== null) out.push(`    branch: ${yamlScalar(w.branch)}`);
    else
      out.push(
        `    branch: HEAD # detached HEAD${w.head !== null ? ` at ${w.head.slice(0, 7)}` : ''}: name the branch this lane works on`,
      );
    out.push('    # command: claude # the worker; without one the lane is observe-only');
    out.push('    # restart: on-failure');
    out.push('    # steer: inbox');
    out.push(
      '    # on: { blocked: notify-send "lane blocked" } # run a command when the lane changes',
    );
  });
  return `${out.join('\n')}\n`;
}
