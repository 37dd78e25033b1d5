/**
 * The hub operator's commands for credentialing (docs/hub.md "Credentialing bodies"):
 *
 *   spx hub body enroll --id calea --name … --jwk body.pub.json --contact-…
 *   spx hub body suspend|reinstate|retire --id calea
 *   spx hub body rotate-key --id calea --jwk new-body.pub.json
 *   spx hub bodies [--json]
 *   spx hub credentials [--day YYYY-MM-DD] [--json]
 *
 * Enrolment stands for the Attorney General's certification of the body. On the hub's database
 * or through the running hub's operator socket, like the registry commands.
 */
import type { Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { IsoDateSchema } from '../../protocol/common.js';
import type { CredentialStanding } from '../../protocol/credential-standing.js';
import type { CredentialingBody } from '../../protocol/credentialing-body.js';
import { isHubError } from '../errors.js';
import type { HubOperations } from '../operator/operations.js';
import { readJwkOption, type WithOperations } from '../registry/registry.cli.js';

function flagOf(field: string): string {
  if (field.startsWith('keys') || field.startsWith('jwk')) return '--jwk';
  if (field.startsWith('contact.')) return `--contact-${field.slice('contact.'.length)}`;
  return `--${field}`;
}

async function asCli<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isHubError(e)) throw e;
    const details = e.errors.map((f) => `\n  ${flagOf(f.field)}: ${f.code} — ${f.message}`);
    throw new CliError(e.code, `${e.message}${details.join('')}`);
  }
}

function summary(b: CredentialingBody): string {
  const active = b.keys.filter((k) => k.status === 'active').map((k) => k.kid);
  return `${b.id}  ${b.status} since ${b.statusSince}  key ${active.join(',') || '-'}  ${b.name}\n`;
}

/** The standings as an operator reads them. */
export function formatStandings(rows: readonly CredentialStanding[], day: string): string {
  if (rows.length === 0) return 'No agencies.\n';
  const lines = rows.map((r) => {
    const standing = r.standing.replace('_', ' ').padEnd(12);
    const detail =
      r.standing === 'in_process'
        ? `affirmed ${r.assessedOn}, counts until ${r.validUntil}`
        : r.id === null
          ? ''
          : `${r.body} assessed ${r.assessedOn}, valid until ${r.validUntil}` +
            (r.mandatoryMet === false ? ', mandatory standards not met' : '');
    return `${r.ori}  ${standing}  ${detail}`.trimEnd();
  });
  return `Credential standing on ${day}\n${lines.join('\n')}\n`;
}

export function registerCredentialCommands(
  hub: Command,
  io: CliIo,
  withOperations: WithOperations,
): void {
  const run = <T>(fn: (ops: HubOperations) => Promise<T>) => asCli(() => withOperations(fn));
  const print = (b: CredentialingBody, json: boolean | undefined, verb: string) =>
    io.stdout(json ? `${JSON.stringify(b, null, 2)}\n` : `${verb} ${summary(b)}`);

  const body = hub
    .command('body')
    .description(
      'Enroll, suspend, reinstate or retire a credentialing body (its enrolment stands for the ' +
        "Attorney General's certification of the body).",
    );
  body
    .command('enroll')
    .description('Enroll a credentialing body with its public key.')
    .requiredOption(
      '--id <id>',
      'the body id: 3-32 lower-case letters, digits, hyphens (e.g. calea)',
    )
    .requiredOption('--name <name>', 'the body name')
    .requiredOption(
      '--jwk <file|json>',
      "the body's public Ed25519 JWK (spx body keygen prints it)",
    )
    .requiredOption('--contact-name <name>', 'contact (a role or a person)')
    .requiredOption('--contact-email <email>', 'contact e-mail')
    .requiredOption('--contact-phone <e164>', 'contact phone, E.164 (+15405550100)')
    .option('--json', 'print the body as JSON')
    .action(
      async (o: {
        id: string;
        name: string;
        jwk: string;
        contactName: string;
        contactEmail: string;
        contactPhone: string;
        json?: boolean;
      }) => {
        const jwk = await readJwkOption(o.jwk);
        const enrolled = await run((ops) =>
          ops.enrollBody({
            id: o.id,
            name: o.name,
            jwk,
            contact: { name: o.contactName, email: o.contactEmail, phone: o.contactPhone },
          }),
        );
        print(enrolled, o.json, 'enrolled');
      },
    );
  for (const [name, status, help] of [
    [
      'suspend',
      'suspended',
      'Suspend a body: it can issue nothing, and its credentials stop counting.',
    ],
    ['reinstate', 'active', 'Reinstate a suspended body.'],
    [
      'retire',
      'retired',
      'Retire a body for good (its certification withdrawn): its credentials stop counting.',
    ],
  ] as const) {
    body
      .command(name)
      .description(help)
      .requiredOption('--id <id>', 'the body id')
      .option('--json', 'print the body as JSON')
      .action(async (o: { id: string; json?: boolean }) => {
        print(await run((ops) => ops.setBodyStatus(o.id, status)), o.json, status);
      });
  }

  body
    .command('rotate-key')
    .description(
      "Register a body's new key as its active key; its old keys are retired (they still verify " +
        'what the body signed before, but no longer authenticate it or sign anything new).',
    )
    .requiredOption('--id <id>', 'the body id')
    .requiredOption('--jwk <file|json>', 'the new public Ed25519 JWK (file or inline JSON)')
    .option('--json', 'print the body as JSON')
    .action(async (o: { id: string; jwk: string; json?: boolean }) => {
      const jwk = await readJwkOption(o.jwk);
      print(await run((ops) => ops.rotateBodyKey(o.id, jwk)), o.json, 'rotated');
    });

  hub
    .command('bodies')
    .description('List the credentialing bodies.')
    .option('--json', 'print { bodies: CredentialingBody[] }')
    .action(async (o: { json?: boolean }) => {
      const bodies = await run((ops) => ops.listBodies());
      if (o.json) io.stdout(`${JSON.stringify({ bodies }, null, 2)}\n`);
      else if (bodies.length === 0) io.stdout('no credentialing bodies enrolled\n');
      else io.stdout(bodies.map(summary).join(''));
    });

  hub
    .command('credentials')
    .description(
      "List every agency's credential standing on a day: credentialed, in process, exempt, " +
        'expired, revoked or none.',
    )
    .option('--day <YYYY-MM-DD>', 'the day (default: today, UTC)')
    .option('--json', 'print { day, standings: CredentialStanding[] }')
    .action(async (o: { day?: string; json?: boolean }) => {
      const day = o.day ?? io.now().toISOString().slice(0, 10);
      if (!IsoDateSchema.safeParse(day).success) {
        throw new CliError('DAY_INVALID', `--day: ${day} is not a date (YYYY-MM-DD)`);
      }
      const standings = await run((ops) => ops.credentialStandings(day));
      io.stdout(
        o.json
          ? `${JSON.stringify({ day, standings }, null, 2)}\n`
          : formatStandings(standings, day),
      );
    });
}
