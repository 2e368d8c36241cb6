import { describe, expect, it } from 'vitest';
import { firstLines, parseLeftRightCount, parseStatusV2 } from '../../../src/runtime/git/parse.js';

const sha = 'c956f78c956f78c956f78c956f78c956f78c956';

describe('parseStatusV2', () => {
  it('reads branch headers and counts every entry kind', () => {
    const out = [
      `# branch.oid ${sha}`,
      '# branch.head lane/auth',
      '# branch.upstream origin/lane/auth',
      '# branch.ab +3 -1',
      '1 M. N... 100644 100644 100644 aaa bbb staged.txt',
      '1 .M N... 100644 100644 100644 aaa aaa unstaged.txt',
      '1 MM N... 100644 100644 100644 aaa bbb both.txt',
      // A rename: its original path is the next NUL field and must not be read as a record.
      '2 R. N... 100644 100644 100644 aaa aaa R100 new name.txt',
      '? trick',
      'u UU N... 100644 100644 100644 100644 a b c conflict.txt',
      '? untracked one.txt',
      '! ignored.log',
      '',
    ].join('\0');
    expect(parseStatusV2(out)).toEqual({
      head: sha,
      branch: 'lane/auth',
      upstream: 'origin/lane/auth',
      upstreamAhead: 3,
      upstreamBehind: 1,
      staged: 3,
      unstaged: 2,
      untracked: 1,
      conflicted: 1,
    });
  });

  it('maps (detached), (initial) and a gone upstream to null', () => {
    expect(parseStatusV2(`# branch.oid ${sha}\0# branch.head (detached)\0`)).toMatchObject({
      head: sha,
      branch: null,
      upstream: null,
    });
    expect(parseStatusV2('# branch.oid (initial)\0# branch.head main\0')).toMatchObject({
      head: null,
      branch: 'main',
    });
    expect(
      parseStatusV2(`# branch.oid ${sha}\0# branch.head x\0# branch.upstream origin/x\0`),
    ).toMatchObject({
      upstream: 'origin/x',
      upstreamAhead: null,
      upstreamBehind: null,
    });
  });

  it('survives garbage', () => {
    expect(parseStatusV2('\0\0zzz\0# branch.ab nonsense\0')).toMatchObject({
      head: null,
      staged: 0,
    });
  });
});

describe('parseLeftRightCount', () => {
  it('reads behind first, then ahead', () => {
    expect(parseLeftRightCount('3\t2\n')).toEqual({ behind: 3, ahead: 2 });
  });
  it('rejects anything else', () => {
    expect(parseLeftRightCount('')).toBeNull();
    expect(parseLeftRightCount('3\n')).toBeNull();
    expect(parseLeftRightCount('-1 2')).toBeNull();
  });
});

describe('firstLines', () => {
  it('limits and drops a possibly partial last line when truncated', () => {
    expect(firstLines('a\nb\nc\n', 2)).toEqual(['a', 'b']);
    expect(firstLines('a\nb\npart', 5, true)).toEqual(['a', 'b']);
  });
});
