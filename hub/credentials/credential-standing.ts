/**
 * The hub's CredentialStandingSource (protocol/credential-standing.ts): the credentials,
 * revocations and affirmations it holds, read per batch of agencies, through the pure rules of
 * protocol/credential-standing-rules.ts. The compliance report takes its standings from here.
 *
 * A body's status history is its current status and since when (bodies.table.ts): a body
 * suspended or retired counts as inactive from that day on; one reinstated counts as active
 * for every day again (the log keeps the full history; docs/hub.md "Credentialing bodies").
 *
 * With `asOf` (the compliance report's moment), credentials, revocations and affirmations the
 * hub received later do not count, and a body status set later is not applied. What this cannot
 * replay: a body suspended before `asOf` and reinstated after it reads as active at `asOf`.
 */
import type {
  CredentialStanding,
  CredentialStandingSource,
} from '../../protocol/credential-standing.js';
import { credentialStandingOn } from '../../protocol/credential-standing-rules.js';
import type { HubDatabase } from '../database.js';
import type { RegistryService } from '../registry/registry.service.js';
import { credentialsRepository } from './credentials.repository.js';

/** Agencies read per query: well under PostgreSQL's 65 535 bind parameters. */
const BATCH = 5_000;

export function credentialStandingSource(
  db: HubDatabase,
  registry: Pick<RegistryService, 'findMany'>,
): CredentialStandingSource {
  const repo = credentialsRepository(db);
  return async (oris, day, asOf) => {
    const by = (at: Date): boolean => asOf === undefined || at.getTime() <= asOf.getTime();
    const states = await repo.bodyStates();
    const bodyInactiveSince = new Map(
      states.map((b) => [
        b.id,
        b.status === 'active' || !by(b.statusSince)
          ? null
          : b.statusSince.toISOString().slice(0, 10),
      ]),
    );
    const out = new Map<string, CredentialStanding>();
    const unique = [...new Set(oris)];
    for (let i = 0; i < unique.length; i += BATCH) {
      const batch = unique.slice(i, i + BATCH);
      const [entries, credentials, affirmations] = await Promise.all([
        registry.findMany(batch),
        repo.listCredentials({ oris: batch }),
        repo.listAffirmations({ oris: batch }),
      ]);
      const credentialsOf = groupBy(
        credentials
          .filter(({ credential: c }) => by(c.receivedAt))
          .map(({ credential: c, revocation: r }) => ({
            id: c.id,
            body: c.body,
            ori: c.ori,
            assessedOn: c.assessedOn,
            standards: c.standards,
            mandatoryMet: c.mandatoryMet,
            revokedOn: r !== null && by(r.receivedAt) ? r.revokedOn : null,
          })),
      );
      const affirmationsOf = groupBy(affirmations.filter((a) => by(a.receivedAt)));
      for (const ori of batch) {
        out.set(
          ori,
          credentialStandingOn(
            {
              ori,
              jurisdiction: entries.get(ori)?.jurisdiction,
              credentials: credentialsOf.get(ori) ?? [],
              affirmations: affirmationsOf.get(ori) ?? [],
              bodyInactiveSince,
            },
            day,
          ),
        );
      }
    }
    return out;
  };
}

function groupBy<T extends { readonly ori: string }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.ori);
    if (list) list.push(item);
    else map.set(item.ori, [item]);
  }
  return map;
}
