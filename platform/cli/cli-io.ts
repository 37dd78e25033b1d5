/**
 * What a CLI command may touch, injected so commands are testable without a terminal:
 * output streams, whether stderr is a terminal, and the clock. Commands never read process.*
 * themselves.
 */
import { CodedError, type CodedErrorOptions } from '../../crypto/errors.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * Present only when stderr is a terminal, with its width when known (read at each redraw):
   * progress bars are drawn only then, never into a pipe, a file or CI's log.
   */
  readonly stderrTerminal?: { readonly columns?: number | undefined } | undefined;
  readonly now: () => Date;
}

/** A command's failure that the CLI reports as `code: message` with a chosen exit code. */
export class CliError extends CodedError {
  /** The process's exit code: 1 for a rejected input or a failure unless the command says. */
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: CodedErrorOptions & { readonly exitCode?: number } = {},
  ) {
    super(code, message, options);
    this.exitCode = options.exitCode ?? 1;
  }
}
