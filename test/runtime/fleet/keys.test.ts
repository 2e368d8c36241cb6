import { describe, expect, it } from 'vitest';
import {
  commandKey,
  decodeToken,
  encodeToken,
  hostKey,
  laneKey,
  parseFleetKey,
  parseTarget,
} from '../../../src/runtime/fleet/keys.js';
import { checkServer, versionAtLeast } from '../../../src/runtime/fleet/connect.js';
import { redactUrl } from '../../../src/runtime/fleet/credentials.js';
import { readHostRecord } from '../../../src/runtime/fleet/liveness.js';

const KV_KEY = /^[-/_=.a-zA-Z0-9]+$/;

describe('fleet keys', () => {
  it('encodes any lane id and host name as one valid, reversible key token', () => {
    for (const name of ['a', 'lane.with.dots', '..x', '-_-', 'höst näme', 'a/b c*>', '日本']) {
      const t = encodeToken(name);
      expect(t).toMatch(/^[A-Za-z0-9_=-]+$/);
      expect(decodeToken(t)).toBe(name);
    }
    const key = laneKey('build box.local', 'lane.1');
    expect(key).toMatch(KV_KEY);
    expect(key.split('.')).toHaveLength(3);
    expect(parseFleetKey(key)).toEqual({ kind: 'lane', host: 'build box.local', laneId: 'lane.1' });
    expect(parseFleetKey(hostKey('h.1'))).toEqual({ kind: 'host', host: 'h.1' });
    expect(commandKey('h', 'id-1')).toBe('cmd.h.id-1');
    expect(() => encodeToken('')).toThrow(/empty/);
  });

  it('rejects tokens that are not canonical encodings and foreign keys', () => {
    expect(decodeToken('a=2')).toBeNull();
    expect(decodeToken('=61')).toBeNull(); // "a" is written plainly, never escaped
    expect(parseFleetKey('other.key')).toBeNull();
    expect(parseFleetKey('lane.only-host')).toBeNull();
  });

  it('parses <host>/<lane> targets at the last slash', () => {
    expect(parseTarget('box/lane-1')).toEqual({ host: 'box', laneId: 'lane-1' });
    expect(parseTarget('a/b/c')).toEqual({ host: 'a/b', laneId: 'c' });
    expect(parseTarget('nohost')).toBeNull();
    expect(parseTarget('/x')).toBeNull();
    expect(parseTarget('x/')).toBeNull();
  });
});

describe('server check and credentials', () => {
  it('refuses servers without JetStream or older than 2.9, and reports per-message TTL from 2.11', () => {
    expect(() => checkServer({ version: '2.8.4', jetstream: true })).toThrow(/2\.9\.0 or newer/);
    expect(() => checkServer({ version: '2.9.10', jetstream: false })).toThrow(/JetStream/);
    expect(checkServer({ version: '2.9.10', jetstream: true })).toEqual({
      version: '2.9.10',
      perMessageTtl: false,
    });
    expect(checkServer({ version: '2.11.1', jetstream: true }).perMessageTtl).toBe(true);
    expect(versionAtLeast('v2.10.0-beta', '2.9.9')).toBe(true);
    expect(versionAtLeast('junk', '2.9.0')).toBe(false);
  });

  it('redacts user info from URLs', () => {
    expect(redactUrl('nats://alice:s3cret@10.0.0.1:4222')).toBe('nats://***@10.0.0.1:4222');
    expect(redactUrl('tls://token@h:1')).toBe('tls://***@h:1');
    expect(redactUrl('nats://h:1')).toBe('nats://h:1');
  });
});

describe('host records', () => {
  it('reads what it can from an untrusted record: mistyped or missing fields as defaults, others dropped', () => {
    const good = { host: 'a', online: true, seq: 3, lanes: 250, version: '0.1.0' };
    expect(readHostRecord({ ...good, extra: 1 })).toEqual(good);
    expect(readHostRecord({ host: 7, online: 'yes', seq: '3', version: null })).toEqual({
      host: '',
      online: false,
      seq: 0,
      lanes: 0,
      version: '',
    });
  });
});
