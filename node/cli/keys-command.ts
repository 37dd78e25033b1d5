/**
 * `spx keys`: prints the normalized match-key strings an agency node would tokenize for one
 * person, so a records clerk can see why two records do or do not match. It prints key
 * strings only — never tokens — and nothing leaves the machine.
 */
import type { Command } from 'commander';
import {
  tryDeriveMatchKeys,
  type Identity,
  type IdentityAlias,
  type MatchKey,
} from '../../crypto/match-keys/index.js';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';

interface KeysOptions {
  firstName: string;
  middleName?: string;
  lastName: string;
  dob?: string;
  ssn?: string;
  license?: string;
  alias: string[];
  asOf?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerKeysCommand(program: Command, io: CliIo): void {
  program
    .command('keys')
    .description(
      'Print the normalized match-key strings for one person (local only; never tokens).',
    )
    .requiredOption('--first-name <name>', 'first (given) name')
    .requiredOption('--last-name <name>', 'last (family) name, with any suffix such as "Jr."')
    .option('--middle-name <name>', 'middle name (accepted, not used by version-1 keys)')
    .option('--dob <date>', 'date of birth, YYYY-MM-DD')
    .option('--ssn <ssn>', 'Social Security number, 123456789 or 123-45-6789')
    .option('--license <state:number>', 'POST licence or certification number, e.g. TX:12-345-678')
    .option(
      '--alias <[first:]last>',
      'a former or other name (repeatable), e.g. "Lopez" or "Maria:Lopez"',
      collect,
      [],
    )
    .option('--as-of <date>', 'reference date for the date-of-birth range (default: today, UTC)')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      '\nExample:\n  spx keys --first-name "José" --last-name "García-López Jr." --dob 1984-07-02 \\\n' +
        '    --ssn 123-45-6789 --license TX:12-345-678 --alias "Maria:Lopez"\n',
    )
    .action((options: KeysOptions) => {
      const keys = deriveKeysForCli(options, io.now());
      if (options.json) {
        io.stdout(`${JSON.stringify({ keys }, null, 2)}\n`);
        return;
      }
      io.stdout(formatKeysTable(keys));
    });
}

function deriveKeysForCli(options: KeysOptions, now: Date): readonly MatchKey[] {
  const identity: Identity = {
    firstName: options.firstName,
    lastName: options.lastName,
    middleName: options.middleName ?? null,
    dob: options.dob ?? null,
    ssn: options.ssn ?? null,
    license: options.license === undefined ? null : parseLicenseOption(options.license),
    aliases: options.alias.map(parseAliasOption),
  };
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new CliError('AS_OF_INVALID', '--as-of: expected a date YYYY-MM-DD');
  }
  const result = tryDeriveMatchKeys(identity, { asOf });
  if (!result.ok) {
    const lines = result.errors.map((e) => `  ${cliField(e.field)}: ${e.code} — ${e.message}`);
    throw new CliError('IDENTITY_INVALID', `the identifiers were rejected:\n${lines.join('\n')}`);
  }
  return result.keys;
}

/** Maps the normalizer's field names back to the flags the user typed. */
function cliField(field: string | undefined): string {
  if (field === undefined) return '(identity)';
  const alias = /^aliases\[(\d+)\]\.(\w+)$/.exec(field);
  if (alias) return `--alias #${Number(alias[1]) + 1} (${alias[2]})`;
  return `--${field.replace(/^license\..*/, 'license').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function parseLicenseOption(value: string): { state: string; number: string } {
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1) {
    throw new CliError('LICENSE_OPTION_INVALID', '--license: expected STATE:NUMBER, e.g. TX:12345');
  }
  return { state: value.slice(0, at), number: value.slice(at + 1) };
}

function parseAliasOption(value: string): IdentityAlias {
  const parts = value.split(':');
  if (parts.length > 2) {
    throw new CliError('ALIAS_OPTION_INVALID', '--alias: expected LAST or FIRST:LAST');
  }
  return parts.length === 2 ? { firstName: parts[0]!, lastName: parts[1]! } : { lastName: value };
}

function formatKeysTable(keys: readonly MatchKey[]): string {
  const rows = keys.map((k) => [k.kind, k.strength, k.source, k.keyString]);
  const header = ['kind', 'strength', 'source', 'key string'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return (
    [line(header), ...rows.map(line)].join('\n') +
    '\n\nThese strings stay on this machine. Only keyed hashes of them (hub indexes) reach the hub.\n' +
    'Two records match when they share a key string: ssn and license are strong, name_dob moderate,\n' +
    'last_dob weak (shown for human review only).\n'
  );
}
