import { beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../crypto/match-keys/index.js';
import { examplePolicy } from '../../protocol/test-support/examples.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { agencyResolver, checkCandidate, type CandidateCheckOutcome } from './check-candidate.js';
import { HIT_REMINDER, NO_MATCH_NOTE } from './labels.js';
import { formatCheckText } from './present.js';
import { screened } from './test-support/screened.js';

let world: World;

/** Officers as the reporting agencies recorded them. */
const fired: Identity = {
  firstName: 'José',
  lastName: 'Núñez-García',
  dob: '1984-07-09',
  ssn: '123-45-6789',
};
const suspended: Identity = { firstName: 'Mary', lastName: 'Smith-Jones', dob: '1979-03-12' };
const namesake: Identity = {
  firstName: 'Robert',
  lastName: 'Lee',
  dob: '1990-05-05',
  ssn: '234-56-7890',
};

beforeAll(async () => {
  world = await createWorld();
  await world.publish(world.city, fired); // final termination, use of force
  await world.publish(world.board, suspended, {
    category: 'decertification',
    useOfForce: false,
  });
  await world.publish(world.city, namesake, { category: 'termination', useOfForce: false });
});

async function check(candidate: Identity, consentRef = 'consent/2025/0007') {
  const node = world.node(world.tribal);
  return checkCandidate(
    {
      candidate: screened(candidate, consentRef, world.clock.now()),
      purpose: 'hiring',
      consentRef,
      policy: examplePolicy(),
    },
    {
      keyholders: node.keyholders,
      hub: node.hub,
      requester: world.tribal.entry.ori,
      hubKeys: await node.hub.hubKeys(),
      rng: node.rng,
      now: world.clock.now,
    },
  );
}

function ok(outcome: CandidateCheckOutcome) {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome;
}

describe('checkCandidate', () => {
  it('finds a strong hit on a candidate typed differently by another agency', async () => {
    const { presentation } = ok(
      await check({
        firstName: 'Jose',
        lastName: 'NUNEZ GARCIA',
        dob: '1984-07-09',
        ssn: '123456789',
      }),
    );
    expect(presentation.verdict).toBe('record_found');
    expect(presentation.matches).toHaveLength(1);
    const [m] = presentation.matches;
    expect(m).toMatchObject({
      reportingAgency: { ori: 'CA0194200', name: 'Example City Police Department' },
      categoryLabel: 'Termination',
      status: 'final',
      strength: 'strong',
      matchedKinds: ['ssn', 'name_dob', 'last_dob'],
      effect: 'finding',
    });
    expect(m!.reportingAgency.contact.email).toBe('records@ca0194200.example.gov');
    expect(presentation.reminder).toBe(HIT_REMINDER);
    const text = formatCheckText(presentation);
    expect(text).toContain('Example City Police Department (ORI CA0194200)');
    expect(text).toContain(HIT_REMINDER);
  });

  it('finds a moderate hit on name and date of birth alone', async () => {
    const { presentation } = ok(
      await check({ firstName: 'MARY', lastName: 'Smith Jones', dob: '1979-03-12' }),
    );
    expect(presentation.matches.map((m) => [m.strength, m.matchedKinds, m.categoryLabel])).toEqual([
      ['moderate', ['name_dob', 'last_dob'], 'Decertification'],
    ]);
    expect(presentation.verdict).toBe('record_found');
  });

  it('lists a last-name-and-birthday coincidence for review only, never as a hit', async () => {
    const { presentation } = ok(
      await check({ firstName: 'Rebecca', lastName: 'Lee', dob: '1990-05-05', ssn: '345-67-8901' }),
    );
    expect(presentation.verdict).toBe('review');
    expect(presentation.matches[0]).toMatchObject({
      strength: 'weak',
      matchedKinds: ['last_dob'],
      effect: 'review',
    });
    expect(presentation.matches[0]!.reasons.map((r) => r.code)).toContain('weak_match');
  });

  it('reports a clean candidate with the caveat that no match is not proof of no record', async () => {
    const { presentation, verified } = ok(
      await check({
        firstName: 'Dana',
        lastName: 'Whitfield',
        dob: '1992-11-30',
        ssn: '456-78-9012',
      }),
    );
    expect([presentation.verdict, presentation.matches, presentation.reminder]).toEqual([
      'no_record',
      [],
      NO_MATCH_NOTE,
    ]);
    expect(verified.answer.attestations).toEqual([]);
  });

  it('leaves no identifier in what the hub stored or was sent', async () => {
    const stored = JSON.stringify([...world.hub.stored.values()].map((s) => s.payload));
    for (const value of [
      'NUNEZ',
      'Núñez',
      'JOSE',
      '123456789',
      '1984-07-09',
      'SMITH',
      '1979-03-12',
    ]) {
      expect(stored).not.toContain(value);
    }
  });

  it('looks each issuer up once per resolver', async () => {
    let lookups = 0;
    const hub = world.node(world.tribal).hub;
    const resolve = agencyResolver({
      agency: (ori) => {
        lookups++;
        return hub.agency(ori);
      },
    });
    await Promise.all([resolve('CA0194200'), resolve('CA0194200'), resolve('CA0340000')]);
    expect(lookups).toBe(2);
  });
});
