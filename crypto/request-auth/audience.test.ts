import { describe, expect, it } from 'vitest';
import { audienceOfUrl } from './audience.js';

describe('audienceOfUrl', () => {
  it('gives one audience for every spelling of a base URL', () => {
    for (const url of [
      'https://kh1.spx.example',
      'https://kh1.spx.example/',
      'HTTPS://KH1.spx.Example:443',
      'https://kh1.spx.example//',
      ' https://kh1.spx.example/ ',
    ]) {
      expect(audienceOfUrl(url)).toBe('https://kh1.spx.example');
    }
  });

  it('keeps a port other than the default, a path prefix, and an IPv6 host in brackets', () => {
    expect(audienceOfUrl('http://127.0.0.1:7310')).toBe('http://127.0.0.1:7310');
    expect(audienceOfUrl('http://127.0.0.1:80/')).toBe('http://127.0.0.1');
    expect(audienceOfUrl('https://gw.example.org/keyholders/kh1/')).toBe(
      'https://gw.example.org/keyholders/kh1',
    );
    expect(audienceOfUrl('https://gw.example.org/a/../kh1')).toBe('https://gw.example.org/kh1');
    expect(audienceOfUrl('http://[::1]:7310/')).toBe('http://[::1]:7310');
  });

  it('tells apart keyholders that differ by host, port or path', () => {
    const urls = [
      'https://kh1.spx.example',
      'https://kh2.spx.example',
      'https://kh1.spx.example:8443',
      'http://kh1.spx.example',
      'https://gw.spx.example/kh1',
      'https://gw.spx.example/kh2',
    ];
    expect(new Set(urls.map(audienceOfUrl)).size).toBe(urls.length);
  });

  it('refuses what is not a plain http(s) base URL, naming the field', () => {
    for (const url of [
      'spx-keyholder',
      '',
      'ftp://kh1.spx.example',
      'https://user:pw@kh1.spx.example',
      'https://kh1.spx.example/?',
      'https://kh1.spx.example/?a=1',
      'https://kh1.spx.example/#',
      `https://kh1.spx.example/${'a'.repeat(250)}`,
    ]) {
      expect(() => audienceOfUrl(url), url).toThrow(
        expect.objectContaining({ code: 'AUTH_MALFORMED', field: 'baseUrl' }),
      );
    }
  });
});
