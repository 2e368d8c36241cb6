import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { fleetSettings } from '../../src/cli/fleet/settings.js';
import { makeTempDir, removeDir } from '../helpers/supervisor-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

function lanesYaml(settings: string): string {
  const dir = makeTempDir('lb-fleet-cfg-');
  dirs.push(dir);
  execFileSync('git', ['init', '-q', dir]);
  const file = join(dir, 'lanes.yaml');
  writeFileSync(
    file,
    `settings:\n${settings}\nlanes:\n  - id: a\n    worktree: ${dir}\n    branch: main\n    repo: ${dir}\n    command: ["true"]\n`,
  );
  return file;
}

describe('fleet settings', () => {
  it('settings.fleet in lanes.yaml: nats, host and creds (relative to the file)', async () => {
    const file = lanesYaml(
      '  fleet:\n    nats: nats://10.0.0.5:4222\n    host: build-box\n    creds: secrets/host.creds',
    );
    const config = await loadConfig(file);
    expect(config.settings.fleet).toEqual({
      nats: 'nats://10.0.0.5:4222',
      host: 'build-box',
      creds: 'secrets/host.creds',
    });
    expect(fleetSettings({}, { fleet: config.settings.fleet, dir: config.dir }, {})).toEqual({
      url: 'nats://10.0.0.5:4222',
      host: 'build-box',
      creds: join(config.dir, 'secrets/host.creds'),
    });
  });

  it('an unknown key under settings.fleet is a config error naming it', async () => {
    const file = lanesYaml('  fleet:\n    url: nats://x:1');
    await expect(loadConfig(file)).rejects.toThrow(/settings\.fleet\.url: unknown key/);
  });

  it('flags win over lanes.yaml, which wins over LANEBOARD_NATS_URL; no URL ⇒ not fleet mode', () => {
    const env = { LANEBOARD_NATS_URL: 'nats://env:1', LANEBOARD_NATS_HOST: 'envhost' };
    const cfg = { fleet: { nats: 'nats://cfg:1' }, dir: '/x' };
    expect(fleetSettings({ nats: 'nats://flag:1' }, cfg, env)?.url).toBe('nats://flag:1');
    expect(fleetSettings({}, cfg, env)).toEqual({ url: 'nats://cfg:1', host: 'envhost' });
    expect(fleetSettings({}, null, env)?.url).toBe('nats://env:1');
    expect(fleetSettings({ host: 'h' }, null, {})).toBeNull();
  });
});
