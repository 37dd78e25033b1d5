/**
 * `spx body …`: the commands of a credentialing body without an IT department
 * (docs/credentialing.md). A key file, then one command per credential:
 *
 *   spx body keygen --out body-key.json           → the public JWK for the hub operator
 *   spx body standards                            → the standards a credential speaks to
 *   spx body credential issue --key body-key.json --body calea --ori CA0194200 \
 *       --assessed-on 2026-04-20 --met use_of_force_policy_lawful,chokehold_ban,… \
 *       [--not-met early_warning_system] --out CA0194200.credential.jws [--hub-url https://hub…]
 *   spx body credential revoke --key … --body calea --credential <id> --reason standards_not_met …
 *   spx body submit --key … --body calea --file CA0194200.credential.jws --hub-url https://hub…
 *
 * Every statement is checked as the hub will check it before it is signed; the signed file is
 * the body's record, and `--hub-url` sends it (or `submit` does later, e.g. from another
 * machine). Nothing here needs a database.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isCryptoError } from '../crypto/errors.js';
import { parseStatement } from '../crypto/signing/index.js';
import { publishedJwk } from '../crypto/signing/key-file.js';
import { cliRunner } from '../platform/cli/cli-errors.js';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { readKeyFile, writeNewKeyFile } from '../platform/fs/key-file.js';
import { REVOCATION_REASONS } from '../protocol/credential.js';
import { CURRENT_STANDARDS_LIST_VERSION, standardsList } from '../protocol/credential-standards.js';
import { isProtocolError, type ProtocolError } from '../protocol/decode.js';
import { STATEMENT_TYPES } from '../protocol/statement-types.js';
import { submitToHub, type SubmitOutcome } from './hub-submit.js';
import {
  credentialPayload,
  revocationPayload,
  signCredential,
  signRevocation,
} from './statements.js';

export interface BodyCliDeps {
  readonly rng?: (n: number) => Uint8Array;
  readonly fetch?: typeof fetch;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A refusal names every field at fault, one per line. */
function render(e: unknown): CliError | undefined {
  if (!isProtocolError(e)) return undefined;
  const p = e as ProtocolError;
  const lines = p.errors.map((f) => `\n  ${f.field}: ${f.code} — ${f.message}`);
  return new CliError(p.code, `${p.message}${lines.join('')}`);
}

export function registerBodyCommands(program: Command, io: CliIo, deps: BodyCliDeps = {}): void {
  const rng = deps.rng ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const run = cliRunner((e): e is ProtocolError => isProtocolError(e) || isCryptoError(e), render);

  async function deliver(
    o: { key: string; body: string; hubUrl?: string; out?: string; json?: boolean },
    kind: 'credential' | 'revocation',
    id: string,
    jws: string,
    summary: string,
  ): Promise<void> {
    if (o.out !== undefined) await writeFile(o.out, `${jws}\n`, { flag: 'wx' });
    let outcome: SubmitOutcome | undefined;
    if (o.hubUrl !== undefined) outcome = await send(o, kind, jws);
    if (o.json) {
      io.stdout(
        `${JSON.stringify({ id, jws, file: o.out ?? null, receipt: outcome?.ok ? outcome.receipt : null }, null, 2)}\n`,
      );
    } else {
      io.stdout(`${summary}\n`);
      if (o.out !== undefined) io.stdout(`wrote ${o.out}\n`);
      else if (outcome === undefined) io.stdout(`${jws}\n`);
      if (outcome?.ok) {
        const until =
          outcome.receipt.validUntil === null ? '' : `, counts until ${outcome.receipt.validUntil}`;
        io.stdout(
          `hub: ${outcome.receipt.status} (log entry ${outcome.receipt.log.index}${until})\n`,
        );
      }
    }
  }

  async function send(
    o: { key: string; body: string; hubUrl?: string },
    kind: 'credential' | 'revocation',
    jws: string,
  ): Promise<SubmitOutcome & { ok: true }> {
    const key = await readKeyFile(o.key);
    const outcome = await submitToHub(
      { hubUrl: o.hubUrl!, body: o.body, key, fetch: fetchImpl, now: io.now, rng },
      kind === 'credential' ? '/v1/credentials' : '/v1/credentials/revocations',
      kind,
      jws,
    );
    if (!outcome.ok) {
      throw new CliError(
        outcome.code,
        `the hub refused the ${kind}: ${outcome.message}${outcome.fields.map((f) => `\n  ${f}`).join('')}`,
      );
    }
    return outcome;
  }

  const body = program
    .command('body')
    .description('Credentialing body: key, credentials and revocations, sent to the hub.');

  body
    .command('keygen')
    .description(
      "Create the body's Ed25519 signing key file; print its public JWK for the hub operator.",
    )
    .requiredOption('--out <file>', 'where to write the private key (mode 0600; never overwritten)')
    .option('--json', 'print JSON')
    .action(
      run(async (o: { out: string; json?: boolean }) => {
        const key = await writeNewKeyFile(o.out, rng);
        const jwk = publishedJwk(key);
        io.stdout(
          o.json
            ? `${JSON.stringify({ keyFile: o.out, kid: key.kid, publicJwk: jwk }, null, 2)}\n`
            : `Wrote ${o.out} (private: keep it on this machine, mode 0600).\nKey id: ${key.kid}\n` +
                `Public key for the hub operator (spx hub body enroll --jwk):\n${JSON.stringify(jwk)}\n`,
        );
      }),
    );

  body
    .command('standards')
    .description('List the standards a credential speaks to (mandatory ones marked).')
    .option('--list <version>', 'standards list version', String(CURRENT_STANDARDS_LIST_VERSION))
    .option('--json', 'print JSON')
    .action(
      run(async (o: { list: string; json?: boolean }) => {
        const found = standardsList(Number(o.list));
        if (found === undefined) {
          throw new CliError('UNSUPPORTED_STANDARDS_LIST', `--list: no standards list ${o.list}`);
        }
        io.stdout(
          o.json
            ? `${JSON.stringify(found, null, 2)}\n`
            : `Standards list ${found.version}\n` +
                found.standards
                  .map((s) => `${s.mandatory ? '*' : ' '} ${s.id.padEnd(28)} ${s.title}\n`)
                  .join('') +
                '* mandatory: a credential states whether each is met\n',
        );
      }),
    );

  const credential = body.command('credential').description('Issue or revoke a credential.');
  const common = (c: Command) =>
    c
      .requiredOption('--key <file>', "the body's key file (spx body keygen)")
      .requiredOption('--body <id>', "the body's id at the hub (e.g. calea)")
      .option('--out <file>', 'write the signed statement to this file (never overwritten)')
      .option('--hub-url <url>', 'send it to this hub')
      .option('--json', 'print JSON');

  common(
    credential
      .command('issue')
      .description('Sign a credential about an agency (and send it with --hub-url).')
      .requiredOption('--ori <ori>', 'the agency credentialed')
      .requiredOption('--assessed-on <YYYY-MM-DD>', 'the day of the assessment')
      .requiredOption('--met <list>', 'standards met, comma-separated (spx body standards)')
      .option('--not-met <list>', 'standards assessed and not met, comma-separated')
      .option(
        '--standards-list <version>',
        'standards list version',
        String(CURRENT_STANDARDS_LIST_VERSION),
      ),
  ).action(
    run(
      async (o: {
        key: string;
        body: string;
        ori: string;
        assessedOn: string;
        met: string;
        notMet?: string;
        standardsList: string;
        out?: string;
        hubUrl?: string;
        json?: boolean;
      }) => {
        const key = await readKeyFile(o.key);
        const payload = credentialPayload(
          {
            body: o.body,
            ori: o.ori,
            assessedOn: o.assessedOn,
            met: list(o.met),
            notMet: list(o.notMet),
            standardsList: Number(o.standardsList),
          },
          io.now(),
          rng,
        );
        const jws = await signCredential(payload, key);
        await deliver(
          o,
          'credential',
          payload.id,
          jws,
          `credential ${payload.id}: ${o.body} → ${o.ori}, assessed ${payload.assessedOn}`,
        );
      },
    ),
  );

  common(
    credential
      .command('revoke')
      .description('Sign the revocation of a credential this body issued (and send it).')
      .requiredOption('--credential <id>', 'the credential id')
      .requiredOption('--reason <reason>', REVOCATION_REASONS.join(', ')),
  ).action(
    run(
      async (o: {
        key: string;
        body: string;
        credential: string;
        reason: string;
        out?: string;
        hubUrl?: string;
        json?: boolean;
      }) => {
        const key = await readKeyFile(o.key);
        const payload = revocationPayload(o, io.now(), rng);
        const jws = await signRevocation(payload, key);
        await deliver(
          o,
          'revocation',
          payload.id,
          jws,
          `revocation ${payload.id} of credential ${o.credential}`,
        );
      },
    ),
  );

  body
    .command('submit')
    .description('Send a signed credential or revocation file to the hub.')
    .requiredOption('--key <file>', "the body's key file (authenticates the request)")
    .requiredOption('--body <id>', "the body's id at the hub")
    .requiredOption('--file <file>', 'the signed statement (spx body credential … --out)')
    .requiredOption('--hub-url <url>', 'the hub')
    .option('--json', 'print the receipt as JSON')
    .action(
      run(
        async (o: { key: string; body: string; file: string; hubUrl: string; json?: boolean }) => {
          const jws = (
            await readFile(o.file, 'utf8').catch(() => {
              throw new CliError('FILE_UNREADABLE', `--file: cannot read ${o.file}`);
            })
          ).trim();
          const kind = [STATEMENT_TYPES.credential, STATEMENT_TYPES.credentialRevocation].find(
            (typ) => parseStatement(jws, [typ]).ok,
          );
          if (kind === undefined) {
            throw new CliError(
              'FILE_INVALID',
              `--file: ${o.file} is not a signed credential or revocation`,
            );
          }
          const outcome = await send(
            o,
            kind === STATEMENT_TYPES.credential ? 'credential' : 'revocation',
            jws,
          );
          io.stdout(
            o.json
              ? `${JSON.stringify(outcome.receipt, null, 2)}\n`
              : `hub: ${outcome.receipt.status} ${outcome.receipt.id} (log entry ${outcome.receipt.log.index})\n`,
          );
        },
      ),
    );
}
