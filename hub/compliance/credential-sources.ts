/**
 * Credential standings for the compliance report (protocol/credential-standing.ts) when the hub
 * has no credential store configured: tribal agencies are `exempt` (EO 13929 sec. 2 exempts
 * tribes from the credentialing condition, so their standing needs no record), and every other
 * agency is `none` — nothing on record, which bars grant eligibility (credential_missing). The
 * hub uses this source until credentialing (issue 12 part 2) provides one that reads the
 * credentials and affirmations the hub holds.
 */
import type {
  CredentialStanding,
  CredentialStandingSource,
} from '../../protocol/credential-standing.js';
import type { HubDatabase } from '../database.js';
import { complianceRepository } from './compliance.repository.js';

/** The standing of `ori` when nothing is on record: exempt when tribal, otherwise none. */
export function standingWithoutRecord(ori: string, tribal: boolean): CredentialStanding {
  return {
    ori,
    standing: tribal ? 'exempt' : 'none',
    id: null,
    body: null,
    assessedOn: null,
    validUntil: null,
    mandatoryMet: null,
    standards: [],
  };
}

/** The source without a credential store: tribal agencies exempt, everyone else none. */
export function noCredentialsSource(db: HubDatabase): CredentialStandingSource {
  const repo = complianceRepository(db);
  return async (oris) => {
    const tribal = await repo.tribalAgencies();
    return new Map(oris.map((ori) => [ori, standingWithoutRecord(ori, tribal.has(ori))]));
  };
}
