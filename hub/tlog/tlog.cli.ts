/**
 * `spx hub expunge` (docs/hub.md, "Expungement"; docs/transparency.md): removes a record by
 * court order, on the hub's database or through the running hub like the registry commands. The
 * log keeps the record's leaves without their salts, so it still verifies.
 */
import type { Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { StatementIdSchema } from '../../protocol/common.js';
import { isHubError } from '../errors.js';
import type { WithOperations } from '../registry/registry.cli.js';

const FLAG: Readonly<Record<string, string>> = {
  id: '<attestation-id>',
  order: '--order',
  by: '--by',
};

export function registerLogCommands(hub: Command, io: CliIo, withOperations: WithOperations): void {
  hub
    .command('expunge')
    .description(
      'Expunge a record by court order: delete the statement (and every version of it) with its ' +
        'hub indexes, and erase the salt of its log leaves. The log still verifies; the ' +
        'statement can no longer be confirmed or submitted again.',
    )
    .argument('<attestation-id>', 'the statement id (any version of the record)')
    .requiredOption('--order <ref>', 'the court order reference (docket number)')
    .requiredOption('--by <name>', 'who carries out the expungement (recorded)')
    .option('--json', 'print the expunged statements as JSON')
    .action(async (id: string, o: { order: string; by: string; json?: boolean }) => {
      if (!StatementIdSchema.safeParse(id).success) {
        throw new CliError('ENTRY_INVALID', '<attestation-id>: not a statement id (UUIDv7)');
      }
      let done;
      try {
        done = await withOperations((operations) =>
          operations.expunge({ attestationId: id, orderRef: o.order, by: o.by }),
        );
      } catch (e) {
        if (!isHubError(e)) throw e;
        throw new CliError(e.code, `${FLAG[e.field ?? ''] ?? '(expunge)'}: ${e.message}`);
      }
      if (o.json) {
        io.stdout(`${JSON.stringify({ expunged: done }, null, 2)}\n`);
        return;
      }
      for (const d of done) {
        const leaf =
          d.logIndex === null ? 'no log leaf' : `log leaf ${d.logIndex} kept without salt`;
        io.stdout(`expunged ${d.id} (${d.issuer}), ${leaf}\n`);
      }
    });
}
