/**
 * Console passwords: Argon2id through @node-rs/argon2 (prebuilt napi binaries, no install
 * script; docs/dependencies.md) at its defaults — m = 19 MiB, t = 2, p = 1, OWASP's first
 * recommended setting — stored as PHC strings, so stronger parameters later verify old hashes.
 *
 * The rule for a new password follows NIST SP 800-63B §5.1.1.2: long rather than complex
 * (12 to 256 characters, any characters), no composition rules, no expiry.
 */
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** false for a wrong password or a hash it cannot read; never throws on either. */
  verify(phc: string, password: string): Promise<boolean>;
}

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (phc, password) => {
    try {
      return await verify(phc, password);
    } catch {
      return false;
    }
  },
};

/**
 * A hash of no one's password, verified when the login is unknown so that an unknown login
 * takes as long to refuse as a wrong password (no user enumeration by timing).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(hasher: PasswordHasher): Promise<string> {
  return (decoy ??= hasher.hash('spx-console-decoy-password'));
}
