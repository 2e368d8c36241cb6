import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfigError, parseConfig } from '../../src/config/index.js';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import {
  cleanupTempDirs,
  expectConfigError,
  gitInit,
  makeTempDir,
  writeFile,
} from '../helpers/config-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
  gitInit(path.join(dir, 'app'));
});
afterEach(() => cleanupTempDirs());

const YAML = `version: 1
settings:
  notify:
    finished: false
    command: [notify-send, laneboard]
  on_timeout: 5s
defaults:
  repo: app
  on:
    attention: 'echo needs you'
    red: [./hooks/red.sh, --lane]
lanes:
  - id: a
    worktree: wt/a
    branch: lane/a
    on:
      red: null
      green: [./hooks/green.sh]
  - id: b
    worktree: wt/b
    branch: lane/b
`;

describe('lanes.yaml: notify, on_timeout and on:', () => {
  it('resolves kinds over the defaults and merges on: event by event (null removes)', () => {
    const cfg = parseConfig(YAML, writeFile(dir, 'lanes.yaml', YAML));
    expect(cfg.settings.notify).toEqual({
      kinds: { ...DEFAULT_SETTINGS.notify.kinds, finished: false },
      terminal: true,
      command: ['notify-send', 'laneboard'],
    });
    expect(cfg.settings.onTimeoutMs).toBe(5_000);
    expect(cfg.lanes[0]?.on).toEqual({
      attention: ['/bin/sh', '-c', 'echo needs you'],
      green: ['./hooks/green.sh'],
    });
    expect(cfg.lanes[1]?.on).toEqual({
      attention: ['/bin/sh', '-c', 'echo needs you'],
      red: ['./hooks/red.sh', '--lane'],
    });
  });

  it('refuses an unknown event and a wrong type, with positions', () => {
    const bad = YAML.replace('    attention:', '    attentoin:').replace(
      'finished: false',
      'finished: 3',
    );
    const e = expectConfigError(() => parseConfig(bad, writeFile(dir, 'lanes.yaml', bad)));
    const text = formatConfigError(e);
    expect(text).toMatch(
      /defaults\.on\.attentoin: unknown key "attentoin" \(did you mean "attention"\?\)/,
    );
    expect(text).toMatch(/settings\.notify\.finished: .*true or false/);
  });
});
