/**
 * Test support: the hub's /v1/log endpoints (docs/transparency.md) over a fake log
 * (node/tlog/test-support/fake-log.ts). Reads are public; the viewer (for a split view) is
 * read, unverified, from the request token the node's client sends anyway. Cosignatures need
 * an agency with the witness role and must verify under its registered key.
 */
import type { Hono } from 'hono';
import { fromBase64url } from '../../../crypto/encoding.js';
import {
  noteVerifierKey,
  parseSignatureLine,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  verifyNote,
} from '../../../crypto/note/index.js';
import { decodeMessage } from '../../../protocol/decode.js';
import { CosignatureSubmissionSchema, witnessKeyName } from '../../../protocol/tlog.js';
import type { AgencyRole, RegistryEntry } from '../../../protocol/registry-entry.js';
import { FakeLogError, viewerOf, type FakeLog } from '../../tlog/test-support/fake-log.js';
import { problemJson, requireAgency, type AuthEnv } from './federation.js';

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : undefined;
}

export interface FakeLogRouteOptions {
  readonly log: FakeLog;
  readonly registry: () => readonly RegistryEntry[];
  readonly now: () => Date;
  readonly seen: { issuer: string; method: string; path: string }[];
  /** Cosignatures accepted, as the hub stored them. */
  readonly cosignatures: { ori: string; size: number; line: string }[];
}

export function registerFakeLogRoutes(app: Hono<AuthEnv>, o: FakeLogRouteOptions): void {
  const { log } = o;
  const refuse = (c: Parameters<typeof problemJson>[0], e: unknown) => {
    if (e instanceof FakeLogError) return problemJson(c, 'VALIDATION_FAILED', e.message);
    throw e;
  };

  app.get('/v1/log/checkpoint', (c) => {
    try {
      return c.text(log.checkpoint(viewerOf(c.req.header('authorization'))));
    } catch {
      // A tamper that throws stands for the hub's database being down.
      return problemJson(c, 'UNAVAILABLE', 'the log is unavailable');
    }
  });
  app.get('/v1/log/proof/inclusion', (c) => {
    const index = count(c.req.query('index'));
    const size = count(c.req.query('size'));
    if (index === undefined || size === undefined) {
      return problemJson(c, 'VALIDATION_FAILED', 'index and size');
    }
    try {
      return c.json(log.inclusion(index, size, viewerOf(c.req.header('authorization'))));
    } catch (e) {
      return refuse(c, e);
    }
  });
  app.get('/v1/log/proof/consistency', (c) => {
    const from = count(c.req.query('from'));
    const to = count(c.req.query('to'));
    if (from === undefined || to === undefined) {
      return problemJson(c, 'VALIDATION_FAILED', 'from and to');
    }
    try {
      return c.json(log.consistency(from, to, viewerOf(c.req.header('authorization'))));
    } catch (e) {
      return refuse(c, e);
    }
  });
  app.post(
    '/v1/log/cosignatures',
    requireAgency('spx-hub', o.registry, o.now, o.seen, 'witness' as AgencyRole),
    async (c) => {
      const ori = c.get('issuer');
      const body = decodeMessage(
        CosignatureSubmissionSchema,
        JSON.parse(new TextDecoder().decode(c.get('body'))),
      );
      const entry = o.registry().find((e) => e.ori === ori)!;
      const keys = entry.keys
        .filter((k) => k.status === 'active')
        .map((k) =>
          noteVerifierKey(
            witnessKeyName(ori),
            fromBase64url(k.jwk.x)!,
            SIGNATURE_TYPE_COSIGNATURE_V1,
          ),
        );
      const line = body.cosignature.replace(/\n$/, '');
      parseSignatureLine(line);
      const note = log.checkpoint(ori);
      const text = note.slice(0, note.indexOf('\n\n') + 1);
      if (!text.split('\n')[1] || Number(text.split('\n')[1]) !== body.size) {
        return problemJson(c, 'VALIDATION_FAILED', 'not the latest size');
      }
      const verified = verifyNote(`${text}\n${line}\n`, keys);
      if (!verified.ok) return problemJson(c, 'SIG_BAD_SIGNATURE', verified.error.code);
      log.addCosignature(body.size, line, ori);
      o.cosignatures.push({ ori, size: body.size, line });
      return c.json({
        size: body.size,
        keyName: witnessKeyName(ori),
        timestamp: verified.value.verifiedBy[0]!.timestamp!,
      });
    },
  );
}
