/**
 * What the `spx node` client commands share (node/cli.ts builds it): the client of a running
 * node from `--node-url`/`--token`, the error mapping around an action, and `--json` printing.
 * With `--json`, a refusal's problem+json is printed on stdout before the command fails, so a
 * script reads the same shape either way (docs/node.md "CLI").
 */
import type { Command } from 'commander';
import type { CliIo } from '../../platform/cli/cli-io.js';
import type { ProgressDisplay } from '../../platform/cli/progress-bar.js';
import type { NodeApiClient } from './node-api-client.js';

export interface ClientFlags {
  nodeUrl?: string;
  token?: string;
  json?: boolean;
  /** false with `--no-progress` (import and publish). */
  progress?: boolean;
}

export interface ClientCommandContext {
  readonly io: CliIo;
  /** The node CLI's error mapping around an action. */
  readonly run: <A extends unknown[]>(
    fn: (...args: A) => Promise<void>,
  ) => (...args: A) => Promise<void>;
  /** A client of the running node; with bars, it asks the node to stream its progress. */
  readonly client: (flags: ClientFlags, bars?: ProgressDisplay) => NodeApiClient;
  /** Adds --node-url, --token, --json. */
  readonly withClientOptions: (command: Command) => Command;
  /** `value` as JSON with --json, else the human text. */
  readonly print: (json: boolean | undefined, value: unknown, human: () => string) => void;
}
