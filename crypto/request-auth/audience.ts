/**
 * The audience of a service that callers address by its base URL (docs/protocol.md §7.2.1):
 * every keyholder. A keyholder's `aud` is the URL the node is configured to call it at, in one
 * normal form, so that each keyholder of a set has an audience of its own without anyone
 * choosing a name — two keyholders cannot share a base URL — and a token one keyholder received
 * is refused by every other (§7.6 scopes replay stores by audience).
 *
 * The caller derives the audience from the URL it sends to; the receiver from the URLs its
 * operator says it is reached at. Both use this function, so `https://KH.example:443/` and
 * `https://kh.example` name one audience; the verifier then compares strings byte for byte.
 */
import { CryptoError } from '../errors.js';
import { MAX_IDENTIFIER_LENGTH } from './request-token.js';

/**
 * `scheme://host[:port][/path]` of an http(s) base URL as the WHATWG URL Standard serializes it
 * (host lower-cased and IDNA-encoded, IPv6 in brackets, the scheme's default port dropped, dot
 * segments resolved), without any trailing `/`. Throws CryptoError AUTH_MALFORMED (field
 * `baseUrl`) for anything that is not a plain http(s) base URL: another scheme, user info, a
 * query or fragment (even an empty one), or an audience longer than 256 characters.
 */
export function audienceOfUrl(baseUrl: string): string {
  const bad = (message: string) => new CryptoError('AUTH_MALFORMED', message, { field: 'baseUrl' });
  if (typeof baseUrl !== 'string') throw bad('a base URL must be a string');
  // Checked on the text: the URL object forgets an empty query or fragment.
  if (/[?#]/.test(baseUrl)) throw bad('a base URL has no query and no fragment');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('not an http(s) URL');
  if (url.username !== '' || url.password !== '') throw bad('a base URL carries no user info');
  const audience = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  if (audience.length > MAX_IDENTIFIER_LENGTH) {
    throw bad(`the audience of a base URL is at most ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  return audience;
}
