/**
 * lanes.yaml edits keep every byte outside the changed entry: comments (above, inside and
 * after entries), blank lines, quoting, flow maps and CRLF-free layout; the result parses.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { appendLane, LanesEditError, removeLane } from '../../src/config/edit-lanes.js';

/** The `lanes` list of a YAML text. */
function lanesOf(text: string): unknown {
  return (parseDocument(text).toJS() as { lanes: unknown }).lanes;
}

const FILE = `# my lanes — hand-written
version: 1
settings:
  stop_grace: 2s   # quick

defaults:
  repo: ../app # the repository
  base: origin/main

lanes:
  # the auth work
  - id: auth
    worktree: { path: ../wt/auth, create: true }   # flow map kept
    branch: 'lane/auth'
    command: [claude, -p, "Fix it"]
    # restart: always

  - id: docs # observe only
    worktree: ../wt/docs
    branch: lane/docs

# end of lanes; nothing below is a lane
`;

const AUTH = `  # the auth work
  - id: auth
    worktree: { path: ../wt/auth, create: true }   # flow map kept
    branch: 'lane/auth'
    command: [claude, -p, "Fix it"]
    # restart: always
`;

describe('appendLane', () => {
  it('inserts after the last entry and changes nothing else', () => {
    const out = appendLane(FILE, {
      id: 'fix-login',
      worktree: '../wt/fix-login',
      branch: 'fix-login',
      command: 'claude',
    });
    const entry =
      '  - id: fix-login\n    worktree: ../wt/fix-login\n    branch: fix-login\n    command: claude\n';
    const cut = FILE.indexOf('    branch: lane/docs\n') + '    branch: lane/docs\n'.length;
    expect(out).toBe(FILE.slice(0, cut) + entry + FILE.slice(cut));
    const lanes = lanesOf(out) as { id: string }[];
    expect(lanes.map((l) => l.id)).toEqual(['auth', 'docs', 'fix-login']);
  });

  it('quotes values YAML needs quoted', () => {
    const out = appendLane(FILE, {
      id: 'x',
      worktree: '../wt/x',
      branch: 'x',
      command: 'echo "a: b" # not a comment',
    });
    const lanes = lanesOf(out) as { id: string; command: string }[];
    expect(lanes[2]?.command).toBe('echo "a: b" # not a comment');
  });

  it('refuses a taken id', () => {
    expect(() => appendLane(FILE, { id: 'docs' })).toThrow(LanesEditError);
  });

  it('a flow-sequence lanes list is edited through the Document API', () => {
    const out = appendLane('lanes: [{ id: a, worktree: w, branch: b }] # one\n', {
      id: 'c',
      worktree: 'v',
      branch: 'd',
    });
    expect((lanesOf(out) as { id: string }[]).map((l) => l.id)).toEqual(['a', 'c']);
    expect(out).toContain('# one');
  });
});

describe('removeLane', () => {
  it('removes the entry with its own comments, keeping every other byte', () => {
    const out = removeLane(FILE, 'auth');
    expect(out).toBe(FILE.replace(`${AUTH}\n`, ''));
  });

  it('removing an entry between blank lines leaves one blank line, not two', () => {
    const out = removeLane(FILE, 'docs');
    expect(out).toBe(
      FILE.replace(
        '  - id: docs # observe only\n    worktree: ../wt/docs\n    branch: lane/docs\n\n',
        '',
      ),
    );
  });

  it('an appended then removed lane gives back the original text', () => {
    const out = removeLane(appendLane(FILE, { id: 'tmp', worktree: 't', branch: 't' }), 'tmp');
    expect(out).toBe(FILE);
  });

  it('refuses an unknown id and a file that is not YAML', () => {
    expect(() => removeLane(FILE, 'nope')).toThrow(/no lane 'nope'/);
    expect(() => removeLane('lanes: [\n', 'a')).toThrow(LanesEditError);
  });
});
