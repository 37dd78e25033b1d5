/**
 * Vectors for the audience of a service addressed by its base URL (docs/protocol.md §7.2.1):
 * a node and a keyholder must derive the same `aud` from the URL they each configured. Every
 * expected value is written by hand from the spec's rules; nothing here is computed.
 */
import type { RequestAuthErrorCode } from '../../../crypto/errors.js';

export type AudienceCase =
  | { name: string; baseUrl: string; audience: string }
  | { name: string; baseUrl: string; code: RequestAuthErrorCode };

export interface AudienceVectors {
  description: string;
  valid: Extract<AudienceCase, { audience: string }>[];
  invalid: Extract<AudienceCase, { code: string }>[];
}

export function buildAudienceVectors(): AudienceVectors {
  return {
    description:
      'The aud of a service addressed by its base URL (docs/protocol.md §7.2.1): ' +
      'audienceOfUrl(baseUrl) gives `audience`, or fails with `code` (field baseUrl).',
    valid: [
      {
        name: 'plain https origin',
        baseUrl: 'https://kh1.spx.example',
        audience: 'https://kh1.spx.example',
      },
      {
        name: 'trailing slash removed',
        baseUrl: 'https://kh1.spx.example/',
        audience: 'https://kh1.spx.example',
      },
      {
        name: 'every trailing slash removed',
        baseUrl: 'https://kh1.spx.example///',
        audience: 'https://kh1.spx.example',
      },
      {
        name: 'scheme and host lower-cased',
        baseUrl: 'HTTPS://KH1.Spx.Example',
        audience: 'https://kh1.spx.example',
      },
      {
        name: 'default https port dropped',
        baseUrl: 'https://kh1.spx.example:443/',
        audience: 'https://kh1.spx.example',
      },
      {
        name: 'default http port dropped',
        baseUrl: 'http://kh1.spx.example:80',
        audience: 'http://kh1.spx.example',
      },
      {
        name: 'other port kept',
        baseUrl: 'http://127.0.0.1:7310',
        audience: 'http://127.0.0.1:7310',
      },
      {
        name: 'https on port 80 keeps it',
        baseUrl: 'https://kh1.spx.example:80',
        audience: 'https://kh1.spx.example:80',
      },
      {
        name: 'path prefix kept, without its trailing slash',
        baseUrl: 'https://gw.spx.example/keyholders/kh2/',
        audience: 'https://gw.spx.example/keyholders/kh2',
      },
      {
        name: 'dot segments resolved',
        baseUrl: 'https://gw.spx.example/a/../kh2',
        audience: 'https://gw.spx.example/kh2',
      },
      {
        name: 'IPv6 host in brackets, compressed',
        baseUrl: 'http://[0:0:0:0:0:0:0:1]:7310/',
        audience: 'http://[::1]:7310',
      },
      {
        name: 'internationalized host in punycode',
        baseUrl: 'https://schlüssel.example',
        audience: 'https://xn--schlssel-95a.example',
      },
    ],
    invalid: [
      {
        name: 'not a URL (the retired shared audience)',
        baseUrl: 'spx-keyholder',
        code: 'AUTH_MALFORMED',
      },
      { name: 'another scheme', baseUrl: 'ftp://kh1.spx.example', code: 'AUTH_MALFORMED' },
      { name: 'user info', baseUrl: 'https://op@kh1.spx.example', code: 'AUTH_MALFORMED' },
      { name: 'a query', baseUrl: 'https://kh1.spx.example/?x=1', code: 'AUTH_MALFORMED' },
      { name: 'an empty query', baseUrl: 'https://kh1.spx.example/?', code: 'AUTH_MALFORMED' },
      { name: 'a fragment', baseUrl: 'https://kh1.spx.example/#kh1', code: 'AUTH_MALFORMED' },
      {
        name: 'audience longer than 256 characters',
        baseUrl: `https://kh1.spx.example/${'p'.repeat(240)}`,
        code: 'AUTH_MALFORMED',
      },
    ],
  };
}
