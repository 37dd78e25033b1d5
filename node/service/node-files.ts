/**
 * Files and inline JSON the node's configuration names (docs/node.md "Configuration"): the
 * agency's policy, the pinned keyholder key set and the pinned hub keys (read by
 * node/tlog/hub-keys.ts, as the CLI's --hub-keys). Read once at start-up;
 * a bad one stops the node with CONFIG_FILE_INVALID naming the variable and the member.
 */
import { readFile } from 'node:fs/promises';
import { readJsonInput } from '../../platform/fs/json-input.js';
import type { TlsFiles } from '../../platform/http/listen.js';
import { z } from 'zod';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { CheckPolicySchema, type CheckPolicy } from '../../protocol/check-request.js';
import { EpochSchema } from '../../protocol/common.js';
import { safeDecode } from '../../protocol/decode.js';
import { DEFAULT_CHECK_POLICY, type ConsoleConfig } from '../config.js';
import { NodeError } from '../errors.js';
import { readHubKeys } from '../tlog/hub-keys.js';
import type { PinnedKeySet } from '../tokenize/index.js';

const fileInvalid = (variable: string, message: string, cause?: unknown) =>
  new NodeError('CONFIG_FILE_INVALID', `${variable}: ${message}`, { field: variable, cause });

/** A value that starts with `{` is inline JSON; anything else is a path to a JSON file. */
async function jsonOf(variable: string, value: string): Promise<unknown> {
  const input = await readJsonInput(value);
  if (!input.ok) throw fileInvalid(variable, input.message);
  return input.json;
}

function decoded<S extends z.ZodType>(variable: string, schema: S, json: unknown): z.output<S> {
  const result = safeDecode(schema, json);
  if (result.ok) return result.value;
  const first = result.error.errors[0];
  throw fileInvalid(variable, first ? `${first.field}: ${first.message}` : 'invalid');
}

export async function loadPolicy(path: string | undefined): Promise<CheckPolicy> {
  if (path === undefined) return DEFAULT_CHECK_POLICY;
  return decoded(
    'SPX_NODE_POLICY_FILE',
    CheckPolicySchema,
    await jsonOf('SPX_NODE_POLICY_FILE', path),
  );
}

const PinnedKeySetSchema = z.strictObject({
  epoch: EpochSchema,
  threshold: z.int().min(1),
  publicKey: z.string().min(1),
  publicShares: z.array(z.string().min(1)).min(1),
});

/** The keyholders' key set as printed by `pinnedKeySetOf` (node/tokenize/README.md). */
export async function loadPinnedKeySet(
  value: string | undefined,
): Promise<PinnedKeySet | undefined> {
  if (value === undefined) return undefined;
  const json = await jsonOf('SPX_NODE_KEYHOLDER_KEYSET', value);
  return decoded('SPX_NODE_KEYHOLDER_KEYSET', PinnedKeySetSchema, json);
}

/** The hub's statement-signing keys (GET /v1/hub/keys copied by the operator; node/tlog/hub-keys.ts). */
export async function loadHubKeys(value: string | undefined): Promise<PublicKeyInfo[] | undefined> {
  if (value === undefined) return undefined;
  const keys = await readHubKeys(value);
  if (keys.ok) return keys.value;
  const { field, message } = keys.error;
  throw fileInvalid('SPX_NODE_HUB_KEYS', field === 'path' ? message : `${field}: ${message}`);
}

/** The console's TLS certificate and key (SPX_NODE_TLS_CERT_FILE, SPX_NODE_TLS_KEY_FILE). */
export async function loadTlsFiles(tls: ConsoleConfig['tls']): Promise<TlsFiles | undefined> {
  if (tls === undefined) return undefined;
  const read = async (variable: string, path: string) => {
    try {
      const text = await readFile(path, 'utf8');
      if (!text.includes('-----BEGIN ')) throw new Error('not a PEM file');
      return text;
    } catch (e) {
      throw fileInvalid(variable, `cannot read a PEM file at ${path}`, e);
    }
  };
  return {
    cert: await read('SPX_NODE_TLS_CERT_FILE', tls.certFile),
    key: await read('SPX_NODE_TLS_KEY_FILE', tls.keyFile),
  };
}
