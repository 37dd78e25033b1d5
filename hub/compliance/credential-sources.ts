/**
 * The standing of an agency with nothing on record (protocol/credential-standing.ts): tribal
 * agencies are `exempt` (EO 13929 sec. 2 exempts tribes from the credentialing condition, so
 * their standing needs no record), every other agency `none` — which bars grant eligibility
 * (credential_missing). Tests and the compliance benchmark build their fake sources from it; the
 * hub's own source is hub/credentials/credential-standing.ts.
 */
import type { CredentialStanding } from '../../protocol/credential-standing.js';

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
