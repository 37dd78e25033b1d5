/**
 * The attack of issue 10 §1, against the demo's services as processes: the hub's operator, on
 * its own, enrols an agency of its own making (with the hub's own CLI, as it may), runs a node
 * for it and has the honest keyholder evaluate guessed identities — the demo's planted record
 * with an SSN (strong) and the one with a name and date of birth (moderate). Before keyholder
 * admission the guesses matched; now the keyholder refuses the made-up agency
 * (AGENCY_NOT_ADMITTED), and the same node's check finds the records only once the keyholder's
 * own operator admits it — which proves the refusal, not something else, stopped the attack.
 *
 * Called from federation.test.ts after the demo ran, so the demo runs once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../../bin/demo/demo.js';
import { runSpx, spx, startService } from '../../bin/demo/processes.js';
import { generateFederation, seededRng, type StoryCheck } from '../../node/synthetic/index.js';
import { DEMO_OUTCOME_RATE } from '../../bin/demo/demo.js';
import { scene, type Scene } from './log-tamper.js';

const MADE_UP_ORI = 'NM0666600';
const MADE_UP_TOKEN = 'made-up-agency-admin-token-0123456789';

/** The hub operator's own agency: a key, an enrollment at the hub, a node of its own. */
async function madeUpAgency(s: Scene) {
  const dir = path.join(s.dir, 'made-up');
  const keyFile = path.join(s.dir, 'made-up-key.json');
  const generated = JSON.parse(await spx(['node', 'keygen', '--out', keyFile, '--json'])) as {
    publicJwk: unknown;
  };
  const pubFile = path.join(s.dir, 'made-up-key.pub.json');
  await writeFile(pubFile, JSON.stringify(generated.publicJwk));
  await spx(
    [
      'hub', 'enroll', '--ori', MADE_UP_ORI, '--name', 'Made-up Police Department',
      '--level', 'local', '--state', 'NM', '--roles', 'checker', '--jwk', pubFile,
      '--contact-name', 'Nobody', '--contact-email', 'nobody@example.org',
      '--contact-phone', '+15055550199',
    ], // prettier-ignore
    { SPX_DATA_DIR: s.envs.hub.SPX_DATA_DIR! },
  );
  return { dir, keyFile, pubFile };
}

export function describeKeyholderAdmission(
  getDemo: () => DemoResult,
  seed: string,
  asOf: string,
): void {
  describe('the hub alone cannot use the keyholder (keyholder admission)', () => {
    it('refuses an agency the hub enrolled on its own, until the keyholder operator admits it', async ({
      onTestFinished,
    }) => {
      const demo = getDemo();
      const story = generateFederation({
        rng: seededRng(seed),
        asOf,
        outcomeRate: DEMO_OUTCOME_RATE,
      }).story;
      // The wandering officer's identifiers, and his name and date of birth alone. (Not the
      // story's "moderate" applicant: the demo's chapter 7 overturns her record.)
      const strong = story.find((c) => c.key === 'strong')!;
      const { firstName, lastName, dob } = strong.candidate;
      const guesses: StoryCheck[] = [
        strong,
        {
          ...strong,
          key: 'moderate',
          candidate: { firstName, lastName, ...(dob ? { dob } : {}) },
          expectedStrength: 'moderate',
        },
      ];

      const s = await scene(demo, 'admission', onTestFinished);
      const made = await madeUpAgency(s);
      await s.start('hub');
      await s.start('keyholder');
      // The made-up agency's node, configured like the city's but with its own key and data.
      const nodeEnv = {
        ...s.envs.nodes.city,
        SPX_NODE_ORI: MADE_UP_ORI,
        SPX_NODE_KEY_FILE: made.keyFile,
        SPX_DATA_DIR: made.dir,
        SPX_NODE_ADMIN_TOKEN: MADE_UP_TOKEN,
        SPX_NODE_PORT: '0',
      };
      const startNode = (name: string) =>
        startService({
          name: `admission-${name}`,
          args: ['node', 'serve'],
          logFile: path.join(s.dir, `${name}.log`),
          env: { ...nodeEnv, SPX_NODE_HUB_URL: s.hubUrl, SPX_NODE_KEYHOLDER_URLS: s.keyholderUrl },
        });
      let node = await startNode('made-up-node');
      onTestFinished(async () => void (await node.stop()));

      const check = async (c: StoryCheck) => {
        const file = path.join(s.dir, `guess-${c.key}.json`);
        await writeFile(file, JSON.stringify(c.candidate));
        return runSpx([
          'node', 'check', '--json', '--node-url', node.url, '--token', MADE_UP_TOKEN,
          '--candidate-file', file, '--consent-ref', `GUESS-${c.key}`,
        ]); // prettier-ignore
      };

      for (const guess of guesses) {
        const refused = await check(guess);
        expect(refused.code, refused.stdout).not.toBe(0);
        expect(refused.stdout + refused.stderr).toContain('AGENCY_NOT_ADMITTED');
      }
      const keyholderLog = await readFile(path.join(s.dir, 'keyholder.log'), 'utf8');
      expect(keyholderLog).toContain('"event":"admission_refused"');

      // Control: the keyholder's operator admits the agency (the keyholder stopped: PGlite),
      // and the same guesses now match — the attack the refusal stopped was a real one.
      await s.stop();
      await node.stop();
      await spx([
        'keyholder', 'admit', '--ori', MADE_UP_ORI, '--jwk', made.pubFile,
        '--data-dir', s.envs.keyholder.SPX_DATA_DIR!,
      ]); // prettier-ignore
      await s.start('hub');
      await s.start('keyholder');
      node = await startNode('made-up-node-admitted');
      for (const guess of guesses) {
        const matched = await check(guess);
        expect(matched.code, matched.stderr).toBe(0);
        const answer = JSON.parse(matched.stdout) as {
          result: { matches: { strength: string }[] };
        };
        expect(answer.result.matches.map((m) => m.strength)).toContain(guess.expectedStrength);
      }
    }, 240_000);
  });
}
