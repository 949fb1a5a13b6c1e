import { type CommandDef, defineCommand } from "citty";
import { MAX_STREAM_BYTES, readAtMost } from "../bytes.ts";
import { errorLine, InputError, type InterruptSignal, InterruptedError, interruptedExitCode, UsageError } from "../errors.ts";
import { absentWords } from "../runtime/failure.ts";
import type { Absence, Runtime } from "../runtime/index.ts";
import type { Args, FlagDefs } from "./flags.ts";

/** What a command's `run` gets besides its arguments. */
export interface CommandContext {
  runtime: Runtime;
  /** The flags written on the command line itself (not from env, config or defaults). */
  given: ReadonlySet<string>;
  /** The words that named the command, e.g. ["clients", "create"] or ["create", "client"]. */
  path: readonly string[];
  /** The flags written on the command line, in their order, one entry each time (see parseLine). */
  flagOrder: readonly string[];
  /** Progress and notices on stderr; silent with `--quiet`. */
  notify(message: string): void;
}

/** What src/main.ts hands a leaf command through citty's `data`. */
export interface Invocation {
  args: unknown;
  context: CommandContext;
}

export interface CommandSpec<A extends FlagDefs> {
  meta: { name: string; description: string; alias?: string | string[]; hidden?: boolean };
  /** The table: flags and positionals, each with its parser. */
  args: A;
  run(args: Args<A>, context: CommandContext): Promise<void>;
}

/**
 * A command is a table and a function: `run` receives the arguments parsed and typed
 * from the table (src/main.ts does the parsing, once, for every command).
 */
export function command<const A extends FlagDefs>(spec: CommandSpec<A>): CommandDef<A> {
  return defineCommand<A>({
    meta: spec.meta,
    args: spec.args,
    run: ({ data }) => {
      const { args, context } = data as Invocation;
      return spec.run(args as Args<A>, context);
    },
  });
}

/**
 * Stdin can be read once: a command line that names it for more than one input is refused
 * before anything is read. `readers` say how each was written (`--file -`, or `-` in a
 * list of files, given as often as it was written).
 */
export function stdinReadOnce(readers: readonly string[]): void {
  if (readers.length < 2) return;
  const once = readers.every((reader) => reader === readers[0]);
  throw new UsageError(`only one input can come from stdin, not ${once ? `${readers[0]} ${readers.length === 2 ? "twice" : `${readers.length} times`}` : readers.join(" and ")}`);
}

/**
 * Reads a named file, or standard input for `-`, telling a terminal user how to end it.
 * `unshown`: what comes from a terminal is secret (a private key), and the terminal does
 * not show it as it is pasted or typed.
 */
export async function readSource(context: CommandContext, source: string, what: string, options: { unshown?: boolean } = {}): Promise<Uint8Array> {
  const { runtime } = context;
  if (source !== "-") {
    // A path that names no file is a mistake in the command line (exit 2), as a --config or
    // --https-cert that names none is; what a file holds (too much, say) is input.
    const noFile = (absence: Absence) => new UsageError(`${what} ${source} ${absentWords(absence)}`);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await runtime.readFile(source);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      if ((await runtime.absence(source)) === "directory") throw noFile("directory");
      throw new InputError(`${what} ${error.message}`, { cause: error });
    }
    if (!bytes) throw noFile(await runtime.absence(source));
    return bytes;
  }
  const read = () => readAtMost(runtime.stdin(), MAX_STREAM_BYTES);
  let bytes: Uint8Array | undefined;
  if (!runtime.isTerminal("stdin")) bytes = await read();
  else if (options.unshown) bytes = await unshown(context, `paste ${what} and end with Ctrl+D on a line of its own`, read);
  else {
    await ask(context, `reading ${what} from stdin; end with Ctrl+D`);
    bytes = await read();
  }
  if (!bytes) throw new InputError(`${what} on stdin is larger than ${MAX_STREAM_BYTES / 1024 / 1024} MiB; nothing was sent`);
  return bytes;
}

/**
 * A secret (a client secret, a token) from standard input, as text for the caller to check.
 * Piped or redirected, it is stdin whole, as readSource reads it. Typed at a terminal, it
 * is one line, which the terminal does not show: the prompt ends its own line, so what
 * follows the unshown Enter starts on a clean one.
 */
export async function readSecret(context: CommandContext, what: string): Promise<string> {
  const { runtime } = context;
  if (!runtime.isTerminal("stdin")) return new TextDecoder().decode(await readSource(context, "-", what));
  return unshown(context, `type ${what} and press Enter`, async () => {
    const { readLines } = await import("../runtime/lines.ts");
    for await (const line of readLines(runtime.stdin())) return line;
    return "";
  });
}

/**
 * Asks for input at the terminal with `prompt` and runs `read` while the terminal does not
 * show typing, then shows it again, also when Ctrl+C ends the command.
 */
async function unshown<T>(context: CommandContext, prompt: string, read: () => Promise<T>): Promise<T> {
  const { runtime } = context;
  const showTyping = await runtime.hideTyping();
  // Ctrl+C still ends the command, with the terminal showing typing again. Watched for
  // before the prompt shows: a Ctrl+C as soon as it appears would otherwise end the
  // process by the signal's default, with the terminal left not showing typing.
  const stopWatching = showTyping ? runtime.onInterrupt((signal) => void showTyping().finally(() => runtime.exit(interruptedExitCode(signal)))) : undefined;
  try {
    await ask(context, `${prompt}${showTyping ? " (it is not shown)" : ""}`);
    return await read();
  } finally {
    stopWatching?.();
    await showTyping?.();
  }
}

/**
 * Tells the terminal user what the command waits for. Not a notice: `--quiet` does not
 * silence it, as it does not silence the device code or the paste prompt of `perform`,
 * since a command that waits without a word looks hung.
 */
async function ask(context: CommandContext, prompt: string): Promise<void> {
  // A prompt that cannot be shown (stderr closed) does not stop the reading.
  await context.runtime.writeStderr(`${prompt}\n`).catch(() => {});
}

/** How soon after a signal the same one counts as sent twice by one sender (stopOnInterrupt). */
const REPEAT_MS = 200;

/**
 * For a command over many items: the first Ctrl+C (or SIGTERM, SIGHUP) asks it to take no
 * new one (it finishes and reports those it began, and says what it did not attempt), a
 * second ends the process at once, with `lastWords`: what was and was not done by then,
 * which the report that would have said it is not there to say. `onFirst` runs at the
 * first (ApiClient.stopRetrying: no retry is waited out). Returns the first signal, once it
 * has come.
 */
export function stopOnInterrupt(runtime: Runtime, waiting: string, lastWords: () => string, onFirst?: () => void): () => InterruptSignal | undefined {
  let interrupted: InterruptSignal | undefined;
  let since = 0;
  runtime.onInterrupt((signal) => {
    // The same signal again at once is the same request: GNU timeout sends its signal to the
    // process and then to its process group, and a supervisor may do alike. No hand presses
    // Ctrl+C twice within REPEAT_MS.
    if (signal === interrupted && performance.now() - since < REPEAT_MS) return;
    if (interrupted) {
      // The exit code is the second signal's: the one that ended the process.
      const error = new InterruptedError(lastWords(), { signal });
      void runtime.writeStderr(`${errorLine(error)}\n`).finally(() => runtime.exit(error.exitCode));
      return;
    }
    interrupted = signal;
    since = performance.now();
    onFirst?.();
    // A supervisor's SIGTERM is named as what it is: no one pressed Ctrl+C.
    const again = signal === "SIGINT" ? "Ctrl+C again" : `${signal} again`;
    void runtime.writeStderr(`Interrupted${signal === "SIGINT" ? "" : ` (${signal})`}: ${waiting} (${again} to quit at once)\n`);
  });
  return () => interrupted;
}
