/**
 * Observe-only lanes at the default bridge place (`<dir>/.laneboard/lanes/<id>`, as
 * discovered, `init` and `add` make them) have no worker writing a bridge: a missing dir
 * is "nothing reported yet", not a `bridge dir` problem — also once `.laneboard/lanes`
 * exists (init → add). A lane with a command, a custom bridge path or a dangling symlink
 * still reports it.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBridgeOnce } from '../../src/runtime/bridge/once.js';
import { laneAt, testSettings } from '../helpers/bridge-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lb-obs-'));
  dirs.push(d);
  return d;
}

async function dirErrors(lane: ReturnType<typeof laneAt>): Promise<(string | null)[]> {
  const actions = await readBridgeOnce(lane, testSettings(), Date.now());
  return actions.flatMap((a) => (a.type === 'bridge/dirError' ? [a.message] : []));
}

describe('observe-only lanes without a bridge dir', () => {
  it('are quiet at the default place, with and without .laneboard/lanes', async () => {
    const root = tmp();
    const lane = laneAt(root, 'fix-login', {
      bridge: path.join(root, '.laneboard', 'lanes', 'fix-login'),
    });
    expect((await dirErrors(lane)).filter((m) => m !== null)).toEqual([]);
    mkdirSync(path.join(root, '.laneboard', 'lanes', 'other'), { recursive: true });
    expect((await dirErrors(lane)).filter((m) => m !== null)).toEqual([]);
  });

  it('still report a missing dir with a command, at a custom path, or behind a dangling symlink', async () => {
    const root = tmp();
    const bridge = path.join(root, '.laneboard', 'lanes', 'a');
    const withCommand = laneAt(root, 'a', { bridge, command: ['true'] });
    expect((await dirErrors(withCommand)).join()).toMatch(/does not exist/);
    const custom = laneAt(root, 'b');
    expect((await dirErrors(custom)).join()).toMatch(/does not exist/);
    mkdirSync(path.join(root, '.laneboard', 'lanes'), { recursive: true });
    symlinkSync(path.join(root, 'nowhere'), path.join(root, '.laneboard', 'lanes', 'c'));
    const dangling = laneAt(root, 'c', { bridge: path.join(root, '.laneboard', 'lanes', 'c') });
    expect((await dirErrors(dangling)).join()).toMatch(/dangling symlink/);
  });
});
