/** lanes.yaml `restart`: the word form and the map with usage-limit handling. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, parseConfig } from '../../src/config/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function parse(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lb-restart-'));
  dirs.push(dir);
  return parseConfig(text, path.join(dir, 'lanes.yaml'), { checkRepos: false });
}

describe('restart', () => {
  it('the word form sets only the policy (no rate-limit settings on the lane)', () => {
    const cfg = parse('lanes:\n  - { id: a, repo: r, worktree: w, branch: b, restart: always }\n');
    expect(cfg.lanes[0]?.restart).toBe('always');
    expect(cfg.lanes[0]?.rateLimit).toBeUndefined();
  });

  it('the map merges over defaults key by key, durations and argv parsed', () => {
    const cfg = parse(
      [
        'defaults:',
        '  repo: r',
        '  restart: { on_rate_limit: resume, probe: 2m, jitter: 10s }',
        'lanes:',
        '  - id: a',
        '    worktree: w',
        '    branch: b',
        '    restart:',
        '      policy: never',
        "      resume_command: [claude, -p, --resume, '{session}', continue]",
        '      probe_max: 10m',
        '  - { id: c, worktree: x, branch: d }',
        '',
      ].join('\n'),
    );
    expect(cfg.lanes[0]?.restart).toBe('never');
    expect(cfg.lanes[0]?.rateLimit).toEqual({
      action: 'resume',
      resumeCommand: ['claude', '-p', '--resume', '{session}', 'continue'],
      resumeMessage: 'continue',
      probeMs: 120_000,
      probeMaxMs: 600_000,
      jitterMs: 10_000,
    });
    expect(cfg.lanes[1]?.restart).toBe('on-failure');
    expect(cfg.lanes[1]?.rateLimit?.action).toBe('resume');
    expect(cfg.lanes[1]?.rateLimit?.probeMaxMs).toBe(1_800_000);
  });

  it('reports a bad on_rate_limit at its line and column', () => {
    let err: unknown;
    try {
      parse(
        'lanes:\n  - id: a\n    repo: r\n    worktree: w\n    branch: b\n    restart: { on_rate_limit: wait }\n',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(formatConfigError(err as ConfigError)).toMatch(
      /6:\d+: lanes\[0\]\.restart\.on_rate_limit: expected one of policy \| park \| resume, got "wait"/,
    );
  });
});
