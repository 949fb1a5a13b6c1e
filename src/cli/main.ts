import type { CommandDef, ParsedArgs } from "citty";
import root from "../commands/index.ts";
import { DryRunStop, EXIT_FAILURE, EXIT_OK, errorLine, HydractlError, noticeLine, OutputError, UsageError, withoutSecrets } from "../errors.ts";
import { detectRuntime, type Runtime } from "../runtime/index.ts";
import { applyFallbacks, exposedCredentials, loadConfig } from "./config.ts";
import type { CommandContext, Invocation } from "./context.ts";
import { type FlagDefs, finishArgs, parseLine } from "./flags.ts";
import type { Format } from "./output.ts";
import { commandNeeded, findCommand, PROGRAM, renderUsage, resolve } from "./usage.ts";
import { versionText } from "./version.ts";

type AnyCommand = CommandDef<FlagDefs>;

const IDS: Format = { kind: "ids" };

/**
 * Runs a command's citty lifecycle (setup, run, cleanup) with the arguments parsed above.
 * citty's own runCommand would parse the arguments a second time, laxly, and loading it
 * pulls in node:util, which costs every command a few milliseconds of start-up.
 */
async function runLeaf(command: AnyCommand, rawArgs: string[], invocation: Invocation): Promise<void> {
  const citty = { rawArgs, args: { _: [] } as unknown as ParsedArgs<FlagDefs>, cmd: command, data: invocation };
  await command.setup?.(citty);
  try {
    await command.run?.(citty);
  } finally {
    await command.cleanup?.(citty);
  }
}

/**
 * Whether the words are `--version` or `-v`, once or more (`--version -v` is still the
 * version). A loop: every start runs this, and a built-in such as `every` is compiled at
 * its first call (see src/chars.ts).
 */
function asksVersion(words: string[]): boolean {
  for (const word of words) if (word !== "--version" && word !== "-v") return false;
  return words.length > 0;
}

async function run(runtime: Runtime, args: string[]): Promise<void> {
  const flagArgs = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  if (asksVersion(flagArgs)) {
    await runtime.writeStdout(versionText(runtime));
    return;
  }
  const { command, path, rest } = await findCommand(root as AnyCommand, args);
  const helpAsked = flagArgs.includes("--help") || flagArgs.includes("-h");
  // A group prints its help when asked for it or given nothing: a flag meant for a command
  // that was never named must not pass as success.
  if (!command.run && !helpAsked && rest.length > 0) {
    // `--version --bogus`: the word that is wrong is --bogus.
    const unexpected = rest.find((word) => word !== "--version" && word !== "-v") ?? rest[0]!;
    throw await commandNeeded(command, path, unexpected);
  }
  if (helpAsked || !command.run) {
    await runtime.writeStdout(await renderUsage(command, path));
    return;
  }
  try {
    const defs = (await resolve(command.args ?? {})) as FlagDefs;
    const { values, positionals, spelled, sequence } = parseLine(rest, defs);
    for (const name in values) if (values[name] === "" && defs[name]?.emptyIsUnset) delete values[name];
    const configPath = typeof values.config === "string" ? values.config : undefined;
    const config = defs.config && !defs.config.unused ? await loadConfig(runtime, configPath) : undefined;
    const fallen = applyFallbacks(values, defs, runtime.env, config, spelled);
    const parsed = finishArgs(defs, fallen.values, positionals, fallen.sources);
    const quiet = fallen.values.quiet === true;
    // Hydra v2's -q: each result's identifier alone (a client's ID, the access token), whatever --format says.
    if (quiet && "format" in defs) (parsed as Record<string, unknown>).format = IDS;
    const context: CommandContext = {
      runtime,
      given: new Set(Object.keys(values)),
      path,
      flagOrder: sequence,
      // A notice may quote a server too (a client's ID, its answer), or a URL given with its
      // password: shown as errors are, one line, without the secrets the run sends.
      notify: (message) => void (quiet || runtime.writeStderr(noticeLine(message))),
    };
    if (config?.unread) context.notify(`warning: ${config.unread}: it is not read (--config FILE reads another)`);
    else if (config) {
      const exposed = await exposedCredentials(runtime, config);
      if (exposed.length > 0) {
        const { shellQuote } = await import("../shell.ts");
        context.notify(`warning: config file ${config.path} holds ${exposed.join(", ")} and other users can read it; chmod 600 ${shellQuote(config.path)}`);
      }
    }
    await runLeaf(command, rest, { args: parsed, context });
  } catch (error) {
    if (error instanceof UsageError) error.commandPath ??= path;
    throw error;
  }
}

/**
 * Prints what went wrong in one line (a hint to the help after a usage mistake), nothing
 * when the reader of the output went away, and picks the exit code.
 */
async function report(runtime: Runtime, error: unknown): Promise<number> {
  if (error instanceof OutputError && error.quiet) return error.exitCode;
  const debug = Boolean(runtime.env("HYDRACTL_DEBUG"));
  const hint = error instanceof UsageError ? `See '${[PROGRAM, ...(error.commandPath ?? [])].join(" ")} --help' for usage.\n` : "";
  await runtime.writeStderr(`${errorLine(error)}\n${hint}`);
  // Debug output ends up in bug reports: it hides the run's secrets as the error line does.
  if (debug && error instanceof Error) {
    await runtime.writeStderr(withoutSecrets(`${error.stack}\n${error.cause ? `cause: ${String((error.cause as Error).stack ?? error.cause)}\n` : ""}`));
  }
  return error instanceof HydractlError ? error.exitCode : EXIT_FAILURE;
}

/** Runs the command line and returns its exit code, once all of its output is out (or failed). */
async function exitCode(runtime: Runtime): Promise<number> {
  try {
    try {
      await run(runtime, runtime.args());
    } catch (error) {
      // A dry run ends where a request was shown instead of sent: that is its success.
      if (!(error instanceof DryRunStop)) throw error;
      await runtime.writeStdout(error.text());
    }
    await runtime.writeStdout("");
    return EXIT_OK;
  } catch (error) {
    return report(runtime, error);
  }
}

/** The kernel: the command line through the command table to its command, and the exit code. */
export async function main(): Promise<void> {
  const runtime = await detectRuntime();
  const code = await exitCode(runtime);
  // Notices are written without waiting; let them all out before the process ends.
  await runtime.writeStderr("");
  runtime.exit(code);
}
