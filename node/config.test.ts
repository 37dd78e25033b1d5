import { describe, expect, it } from 'vitest';
import {
  formatVerifierKey,
  noteSigner,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  type NoteSignatureType,
} from '../crypto/note/index.js';
import { isConfigError, type Env } from '../platform/config/config.js';
import { seedFor } from './clients/test-support/deterministic.js';
import { parseNodeConfig } from './config.js';

const BASE: Env = {
  SPX_NODE_ORI: 'CA0194200',
  SPX_NODE_KEY_FILE: 'agency.jwk',
  SPX_NODE_ADMIN_TOKEN: 'a-long-enough-admin-token-for-tests-0001',
};
const witness = (
  label: string,
  ori: string,
  type: NoteSignatureType = SIGNATURE_TYPE_COSIGNATURE_V1,
) => formatVerifierKey(noteSigner(`spx-witness/${ori}`, seedFor(label), type).key);

function issues(env: Env): string[] {
  try {
    parseNodeConfig({ ...BASE, ...env });
    return [];
  } catch (e) {
    if (!isConfigError(e)) throw e;
    return e.issues.map((i) => `${i.variable}: ${i.message}`);
  }
}

describe('the node’s server limits', () => {
  it('wait longer for a whole request than the hub does: imports send up to 64 MiB', () => {
    expect(parseNodeConfig(BASE).limits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 300_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 512,
    });
    expect(parseNodeConfig({ ...BASE, SPX_NODE_MAX_CONNECTIONS: '16' }).limits.maxConnections).toBe(
      16,
    );
  });
});

describe('the node’s log configuration', () => {
  it('defaults to a first-seen origin, no witnesses, and a pass every five minutes', () => {
    expect(parseNodeConfig(BASE).log).toEqual({
      origin: undefined,
      witnesses: [],
      quorum: 0,
      witness: false,
      monitorIntervalMs: 300_000,
    });
  });

  it('reads pinned origin, witness keys, quorum and the witness switch', () => {
    const keys = [witness('w1', 'CA0340000'), witness('w2', 'AZ0100300')];
    const { log } = parseNodeConfig({
      ...BASE,
      SPX_NODE_LOG_ORIGIN: 'hub.example.gov/log',
      SPX_NODE_LOG_WITNESSES: keys.join(', '),
      SPX_NODE_LOG_WITNESS_QUORUM: '2',
      SPX_NODE_WITNESS: 'true',
      SPX_NODE_MONITOR_INTERVAL_MS: '60000',
    });
    expect(log.origin).toBe('hub.example.gov/log');
    expect(log.witnesses.map((k) => k.name)).toEqual([
      'spx-witness/CA0340000',
      'spx-witness/AZ0100300',
    ]);
    expect([log.quorum, log.witness, log.monitorIntervalMs]).toEqual([2, true, 60_000]);
    // Listing witnesses without a quorum asks for one of them.
    expect(parseNodeConfig({ ...BASE, SPX_NODE_LOG_WITNESSES: keys[0]! }).log.quorum).toBe(1);
  });

  it('names a bad witness key, a repeated one, a plain signing key and an impossible quorum', () => {
    const key = witness('w1', 'CA0340000');
    expect(issues({ SPX_NODE_LOG_WITNESSES: `${key},nonsense` })).toEqual([
      'SPX_NODE_LOG_WITNESSES: item 2 is not a C2SP verifier key',
    ]);
    expect(issues({ SPX_NODE_LOG_WITNESSES: `${key},${key}` })).toEqual([
      'SPX_NODE_LOG_WITNESSES: item 2 repeats a witness key',
    ]);
    expect(
      issues({ SPX_NODE_LOG_WITNESSES: witness('w3', 'CA0340000', SIGNATURE_TYPE_ED25519) }),
    ).toEqual(['SPX_NODE_LOG_WITNESSES: item 1 is not a cosignature (0x04) key']);
    expect(issues({ SPX_NODE_LOG_WITNESSES: key, SPX_NODE_LOG_WITNESS_QUORUM: '2' })).toEqual([
      'SPX_NODE_LOG_WITNESS_QUORUM: must not exceed the number of SPX_NODE_LOG_WITNESSES',
    ]);
    expect(issues({ SPX_NODE_LOG_ORIGIN: 'has space' })[0]).toMatch(/^SPX_NODE_LOG_ORIGIN: /);
    expect(issues({ SPX_NODE_MONITOR_INTERVAL_MS: '10' })[0]).toMatch(
      /^SPX_NODE_MONITOR_INTERVAL_MS: /,
    );
  });
});

describe('the node’s peers and files', () => {
  it('reads the hub, the keyholders, the pinned key set and the policy file', () => {
    const config = parseNodeConfig({
      ...BASE,
      SPX_NODE_HUB_URL: 'https://hub.example.gov',
      SPX_NODE_KEYHOLDER_URLS: 'https://kh1.example.org, https://kh2.example.org',
      SPX_NODE_KEYHOLDER_KEYSET: '/etc/spx/keyset.json',
      SPX_NODE_POLICY_FILE: '/etc/spx/policy.json',
    });
    expect(config).toMatchObject({
      hubUrl: 'https://hub.example.gov',
      keyholderUrls: ['https://kh1.example.org', 'https://kh2.example.org'],
      keyholderKeySet: '/etc/spx/keyset.json',
      policyFile: '/etc/spx/policy.json',
    });
  });

  it('takes libsodium for the OPRF where it loads unless told otherwise, and refuses other names', () => {
    expect(parseNodeConfig(BASE).oprfBackend).toBe('auto');
    expect(parseNodeConfig({ ...BASE, SPX_NODE_OPRF_BACKEND: 'noble' }).oprfBackend).toBe('noble');
    expect(issues({ SPX_NODE_OPRF_BACKEND: 'openssl' })[0]).toMatch(/^SPX_NODE_OPRF_BACKEND: /);
  });

  it('still reads the names before the renaming', () => {
    const config = parseNodeConfig({
      ...BASE,
      SPX_HUB_URL: 'https://hub.example.gov',
      SPX_KEYHOLDER_URLS: 'https://kh1.example.org',
      SPX_KEYHOLDER_KEYSET: '/etc/spx/keyset.json',
      SPX_NODE_POLICY: '/etc/spx/policy.json',
    });
    expect(config).toMatchObject({
      hubUrl: 'https://hub.example.gov',
      keyholderUrls: ['https://kh1.example.org'],
      keyholderKeySet: '/etc/spx/keyset.json',
      policyFile: '/etc/spx/policy.json',
    });
  });

  it('refuses an old and a new name that disagree, naming both', () => {
    expect(
      issues({ SPX_NODE_KEYHOLDER_KEYSET: '/etc/a.json', SPX_KEYHOLDER_KEYSET: '/etc/b.json' }),
    ).toEqual([
      'SPX_NODE_KEYHOLDER_KEYSET: set as SPX_NODE_KEYHOLDER_KEYSET and as SPX_KEYHOLDER_KEYSET (deprecated) with different values: keep SPX_NODE_KEYHOLDER_KEYSET only',
    ]);
  });
});

describe('the console’s reach', () => {
  it('stays on loopback by default, with 30-minute idle and 12-hour sessions', () => {
    const config = parseNodeConfig(BASE);
    expect(config.host).toBe('127.0.0.1');
    expect(config.console).toEqual({
      tls: undefined,
      behindProxy: false,
      publicOrigin: undefined,
      idleMs: 30 * 60_000,
      absoluteMs: 12 * 3_600_000,
    });
  });

  it('refuses a host beyond loopback without TLS or a proxy, naming the settings that allow it', () => {
    const found = issues({ SPX_NODE_HOST: '0.0.0.0' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^SPX_NODE_HOST: /);
    for (const name of [
      'SPX_NODE_TLS_CERT_FILE',
      'SPX_NODE_TLS_KEY_FILE',
      'SPX_NODE_BEHIND_PROXY',
    ]) {
      expect(found[0]).toContain(name);
    }
  });

  it('binds beyond loopback with a certificate and key, or behind a declared proxy', () => {
    const tls = parseNodeConfig({
      ...BASE,
      SPX_NODE_HOST: '0.0.0.0',
      SPX_NODE_TLS_CERT_FILE: '/etc/spx/cert.pem',
      SPX_NODE_TLS_KEY_FILE: '/etc/spx/key.pem',
    });
    expect(tls.console.tls).toEqual({ certFile: '/etc/spx/cert.pem', keyFile: '/etc/spx/key.pem' });
    const proxied = parseNodeConfig({
      ...BASE,
      SPX_NODE_HOST: '10.0.0.8',
      SPX_NODE_BEHIND_PROXY: 'true',
      SPX_NODE_PUBLIC_ORIGIN: 'https://spx.agency.example/console',
    });
    expect(proxied.console).toMatchObject({
      behindProxy: true,
      publicOrigin: 'https://spx.agency.example',
    });
  });

  it('refuses a certificate without its key', () => {
    expect(issues({ SPX_NODE_TLS_CERT_FILE: '/etc/spx/cert.pem' })).toEqual([
      'SPX_NODE_TLS_KEY_FILE: SPX_NODE_TLS_CERT_FILE and SPX_NODE_TLS_KEY_FILE go together',
    ]);
  });
});
