/**
 * What the keyholder operator's commands do that a running keyholder can do for them
 * (docs/keyholder.md, "Operator commands beside a running keyholder"), as one interface with
 * two implementations: `localOperations` on a database handle — the CLI's own when it can open
 * the database, the running keyholder's behind its operator socket — and `operatorClient`
 * (operator.client.ts) sending them to the running keyholder. The CLI prints the same results
 * and the same errors either way.
 *
 * Quotas, admissions, the public half of the key records, and retiring an epoch (a status
 * change: evaluation looks its active key up per request, so the next request sees it). The
 * commands that store keys (`init`, `import-share`) are not here: they read a seed, a share
 * file and the KEK and handle a secret key in the operator's own process, which the socket
 * would have to carry to the service; they still ask for the service to be stopped
 * (docs/keyholder.md).
 */
import {
  admissionsRepository,
  type Admission,
  type AdmissionEvent,
} from '../admissions.repository.js';
import { keyRepository, type KeyholderDatabase, type PublicKeyRecord } from '../key-repository.js';
import { quotaRepository, utcDay } from '../quota-repository.js';

/** An agency's allowance: `allowance` null when it has the default, `defaultDaily`. */
export interface QuotaView {
  readonly ori: string;
  /** The UTC day `used` counts, by the clock of the process that read it. */
  readonly day: string;
  readonly used: number;
  readonly allowance: number | null;
  readonly defaultDaily: number;
}

/** `daily`: set this allowance; `clear`: back to the default; neither: only read. */
export type QuotaChange = { readonly daily: number } | { readonly clear: true } | undefined;

export interface KeyholderOperations {
  quota(ori: string, change: QuotaChange): Promise<QuotaView>;
  /** False when that key was already admitted (nothing changed). */
  admit(ori: string, kid: string, note: string | null): Promise<boolean>;
  /** The kids revoked now: none when the agency has no admitted key (or not that one). */
  revoke(ori: string, kid: string | undefined, note: string | null): Promise<string[]>;
  admissions(): Promise<Admission[]>;
  admissionEvents(): Promise<AdmissionEvent[]>;
  /** The public half of every key record, never a secret. */
  listKeys(): Promise<PublicKeyRecord[]>;
  /** Throws KeyholderError EPOCH_UNKNOWN. `changed` false when it was already retired. */
  retire(epoch: number): Promise<{ record: PublicKeyRecord; changed: boolean }>;
}

export interface LocalOperationsDeps {
  readonly now: () => Date;
  /** The default daily allowance of the keyholder whose database this is (SPX_KEYHOLDER_DAILY_QUOTA). */
  readonly dailyQuota: number;
  readonly rng: (n: number) => Uint8Array;
}

/** The operations on `db`, timed by `now` (the process that writes is the one whose clock counts). */
export function localOperations(
  db: KeyholderDatabase,
  deps: LocalOperationsDeps,
): KeyholderOperations {
  const { now } = deps;
  const admissions = admissionsRepository(db);
  return {
    async quota(ori, change) {
      const at = now();
      const quota = quotaRepository(db);
      if (change !== undefined && 'daily' in change)
        await quota.setAllowance(ori, change.daily, at);
      if (change !== undefined && 'clear' in change) await quota.clearAllowance(ori);
      const day = utcDay(at);
      return {
        ori,
        day,
        used: await quota.used(ori, day),
        allowance: (await quota.allowance(ori)) ?? null,
        defaultDaily: deps.dailyQuota,
      };
    },
    admit: (ori, kid, note) => admissions.admit(ori, kid, now(), note),
    revoke: (ori, kid, note) => admissions.revoke(ori, kid, now(), note),
    admissions: () => admissions.list(),
    admissionEvents: () => admissions.events(),
    listKeys: () => keyRepository(db, { rng: deps.rng }).list(),
    retire: (epoch) => keyRepository(db, { rng: deps.rng }).retire(epoch, now()),
  };
}
