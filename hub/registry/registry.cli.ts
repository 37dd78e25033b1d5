/**
 * Operator commands on the registry (docs/hub.md, "Enrolling agencies"): they work on the hub's
 * database, or through the running hub's operator socket when it holds the database
 * (hub/operator), so they need no network and no operator key — whoever runs them has the
 * database already. Errors name the flag to correct, whichever way the command went.
 */
import { readJsonInput } from '../../platform/fs/json-input.js';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { isHubError, type HubFieldError } from '../errors.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import type { HubOperations } from '../operator/operations.js';

/**
 * Runs `fn` with the operator's operations: on the hub database (opened, then closed), or sent
 * to the running hub that holds it (hub/cli.ts).
 */
export type WithOperations = <T>(fn: (operations: HubOperations) => Promise<T>) => Promise<T>;

/** Registry-entry member (docs/protocol.md §5.3) → the flag that sets it. */
function flagOf(field: string): string {
  if (field === 'jurisdiction') return '--level';
  if (field.startsWith('roles')) return '--roles';
  if (field.startsWith('keys') || field.startsWith('jwk')) return '--jwk';
  if (field.startsWith('contact.')) return `--contact-${field.slice('contact.'.length)}`;
  if (field === '') return '(entry)';
  return `--${field}`;
}

function describeErrors(errors: readonly HubFieldError[]): string {
  return errors.map((e) => `\n  ${flagOf(e.field)}: ${e.code} — ${e.message}`).join('');
}

/** Turns registry errors into CLI errors naming flags; anything else propagates. */
async function asCli<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isHubError(e)) throw e;
    if (e.code === 'ENTRY_INVALID' || e.field === undefined) {
      throw new CliError(e.code, `${e.message}${describeErrors(e.errors)}`);
    }
    throw new CliError(e.code, `${flagOf(e.field)}: ${e.message}`);
  }
}

/** `--jwk` takes inline JSON (starting with `{`) or the path of a JSON file. */
export async function readJwkOption(value: string): Promise<unknown> {
  const input = await readJsonInput(value);
  if (!input.ok) {
    throw new CliError('ENTRY_INVALID', `--jwk: ${input.message} (give a JWK file or inline JSON)`);
  }
  const jwk = input.json;
  if (typeof jwk === 'object' && jwk !== null && 'd' in jwk) {
    throw new CliError(
      'ENTRY_INVALID',
      '--jwk: this JWK holds a private key (d); enroll the public key printed by keygen',
    );
  }
  return jwk;
}

function summary(entry: RegistryEntry): string {
  const active = entry.keys.filter((k) => k.status === 'active').map((k) => k.kid);
  return (
    `${entry.ori}  ${entry.status}  ${entry.jurisdiction}/${entry.state ?? '-'}  ` +
    `${entry.roles.join(',')}  key ${active.join(',') || '-'}  ${entry.name}\n`
  );
}

interface EnrollOptions {
  ori: string;
  name: string;
  level: string;
  state?: string;
  roles: string;
  jwk: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  json?: boolean;
}

export function registerRegistryCommands(
  hub: Command,
  io: CliIo,
  withOperations: WithOperations,
): void {
  const run = <T>(fn: (registry: HubOperations) => Promise<T>) => asCli(() => withOperations(fn));
  const print = (entry: RegistryEntry, json: boolean | undefined, verb: string) =>
    io.stdout(json ? `${JSON.stringify(entry, null, 2)}\n` : `${verb} ${summary(entry)}`);

  hub
    .command('enroll')
    .description('Enroll an agency in the registry with its public key.')
    .requiredOption('--ori <ori>', 'the agency ORI, e.g. CA0194200')
    .requiredOption('--name <name>', 'the agency name')
    .requiredOption('--level <level>', 'federal, state, local, tribal or territorial')
    .option('--state <code>', 'USPS state or territory code; omit (or "none") for none')
    .requiredOption('--roles <list>', 'comma-separated: reporter, checker, operator, witness')
    .requiredOption('--jwk <file|json>', "the agency's public Ed25519 JWK (file or inline JSON)")
    .requiredOption('--contact-name <name>', 'records custodian (a role or a person)')
    .requiredOption('--contact-email <email>', 'records custodian e-mail')
    .requiredOption('--contact-phone <e164>', 'records custodian phone, E.164 (+12135550100)')
    .option('--json', 'print the registry entry as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  spx hub enroll --ori CA0194200 --name "Example City Police Department" \\\n' +
        '    --level local --state CA --roles reporter,checker --jwk agency-key.pub.json \\\n' +
        '    --contact-name "Records Unit" --contact-email records@example.gov --contact-phone +12135550100\n',
    )
    .action(async (o: EnrollOptions) => {
      const jwk = await readJwkOption(o.jwk);
      const entry = await run((registry) =>
        registry.enroll({
          ori: o.ori,
          name: o.name,
          jurisdiction: o.level,
          state: o.state === undefined || o.state === 'none' ? null : o.state,
          roles: o.roles
            .split(',')
            .map((r) => r.trim())
            .filter((r) => r !== ''),
          jwk,
          contact: { name: o.contactName, email: o.contactEmail, phone: o.contactPhone },
        }),
      );
      print(entry, o.json, 'enrolled');
    });

  for (const [name, status, verb, help] of [
    ['suspend', 'suspended', 'suspended', 'Suspend an agency: it can no longer publish or check.'],
    ['reinstate', 'active', 'reinstated', 'Reinstate a suspended agency.'],
  ] as const) {
    hub
      .command(name)
      .description(help)
      .requiredOption('--ori <ori>', 'the agency ORI')
      .option('--json', 'print the registry entry as JSON')
      .action(async (o: { ori: string; json?: boolean }) => {
        const entry = await run((registry) => registry.setStatus(o.ori, status));
        print(entry, o.json, verb);
      });
  }

  hub
    .command('rotate-key')
    .description(
      "Register an agency's new key as its active key; its old keys are retired (they still " +
        'verify statements signed before, but no longer authenticate requests).',
    )
    .requiredOption('--ori <ori>', 'the agency ORI')
    .requiredOption('--jwk <file|json>', 'the new public Ed25519 JWK (file or inline JSON)')
    .option('--json', 'print the registry entry as JSON')
    .action(async (o: { ori: string; jwk: string; json?: boolean }) => {
      const jwk = await readJwkOption(o.jwk);
      const entry = await run((registry) => registry.rotateKey(o.ori, jwk));
      print(entry, o.json, 'rotated');
    });

  hub
    .command('agencies')
    .description('List the registry.')
    .option('--json', 'print { agencies: RegistryEntry[] }')
    .action(async (o: { json?: boolean }) => {
      const agencies = await run((registry) => registry.listAgencies());
      if (o.json) io.stdout(`${JSON.stringify({ agencies }, null, 2)}\n`);
      else if (agencies.length === 0) io.stdout('no agencies enrolled\n');
      else io.stdout(agencies.map(summary).join(''));
    });
}
