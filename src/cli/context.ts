import { type CommandDef, defineCommand } from "citty";
import { MAX_STREAM_BYTES, readAtMost } from "../bytes.ts";
import { InputError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";
import type { Args, FlagDefs } from "./flags.ts";

/** What a command's `run` gets besides its arguments. */
export interface CommandContext {
  runtime: Runtime;
  /** The flags written on the command line itself (not from env, config or defaults). */
  given: ReadonlySet<string>;
  /** The words that named the command, e.g. ["clients", "create"] or ["create", "client"]. */
  path: readonly string[];
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

/** Reads a named file, or standard input for `-`, telling a terminal user how to end it. */
export async function readSource(context: CommandContext, source: string, what: string): Promise<Uint8Array> {
  const { runtime } = context;
  if (source !== "-") {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await runtime.readFile(source);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${what} ${error.message}`, { cause: error });
      throw error;
    }
    if (!bytes) throw new InputError(`${what} ${source} ${(await runtime.isDirectory(source)) ? "is a directory, not a file" : "does not exist"}`);
    return bytes;
  }
  if (runtime.isTerminal("stdin")) context.notify(`reading ${what} from stdin; end with Ctrl+D`);
  const bytes = await readAtMost(runtime.stdin(), MAX_STREAM_BYTES);
  if (!bytes) throw new InputError(`${what} on stdin is larger than ${MAX_STREAM_BYTES / 1024 / 1024} MiB; nothing was sent`);
  return bytes;
}

/**
 * For a command over many items: the first Ctrl+C asks it to take no new one (it finishes
 * and reports those it began, and says what it did not attempt), a second ends the process
 * at once. Returns whether the first has come.
 */
export function stopOnInterrupt(runtime: Runtime, waiting: string): () => boolean {
  let interrupted = false;
  runtime.onInterrupt(() => {
    if (interrupted) runtime.exit(130);
    interrupted = true;
    void runtime.writeStderr(`Interrupted: ${waiting} (Ctrl+C again to quit at once)\n`);
  });
  return () => interrupted;
}
