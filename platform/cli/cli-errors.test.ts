import { describe, expect, it } from 'vitest';
import { CodedError, CryptoError, isCryptoError } from '../../crypto/errors.js';
import { ConfigError } from '../config/config.js';
import { PlatformError } from '../errors.js';
import { cliRunner, toCliError } from './cli-errors.js';
import { CliError } from './cli-io.js';

const asCli = (e: unknown) => toCliError(e, isCryptoError);
const shown = (e: unknown) => {
  const c = asCli(e);
  return c instanceof CliError ? `${c.code}: ${c.message}` : c;
};

describe('a CLI failure', () => {
  it('keeps the code of domain and platform errors, naming the field the message does not', () => {
    expect(shown(new CryptoError('KEY_INVALID', 'not 32 bytes', { field: 'seed' }))).toBe(
      'KEY_INVALID: seed: not 32 bytes',
    );
    expect(shown(new PlatformError('DB_LOCKED', 'dataDir is locked', { field: 'dataDir' }))).toBe(
      'DB_LOCKED: dataDir is locked',
    );
    const config = new ConfigError([{ variable: 'SPX_A', code: 'required', message: 'required' }]);
    expect(shown(config)).toBe('CONFIG_INVALID: SPX_A: required');
  });

  it('leaves other errors, even coded ones of another domain, for INTERNAL_ERROR', () => {
    const foreign = new CodedError('OTHER', 'secret detail');
    expect(asCli(foreign)).toBe(foreign);
    const cli = new CliError('X', 'y', { exitCode: 2 });
    expect(asCli(cli)).toBe(cli);
  });

  it('is what a wrapped action throws', async () => {
    const run = cliRunner(isCryptoError);
    const action = run(async () => {
      throw new CryptoError('KEY_INVALID', 'bad');
    });
    await expect(action()).rejects.toMatchObject({ name: 'CliError', code: 'KEY_INVALID' });
  });
});
