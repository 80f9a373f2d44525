// Errors a user can act on. A ToolError's message is one paragraph that says what
// went wrong and what to do; CLIs print it without a stack trace and exit non-zero.

export class ToolError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/** Runs a CLI's main function: ToolErrors print as one paragraph, anything else with its stack. */
// biome-ignore lint/suspicious/noConfusingVoidType: a main that returns nothing (Promise<void>) exits 0; `undefined` would refuse it
export function runCli(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = typeof code === "number" ? code : 0;
    },
    (err: unknown) => {
      if (err instanceof ToolError) {
        console.error(`${name}: ${err.message}`);
        process.exitCode = err.exitCode;
      } else {
        console.error(`${name}: unexpected error:`, err);
        process.exitCode = 1;
      }
    },
  );
}
