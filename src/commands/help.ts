import type { CommandDef } from "citty";
import { command } from "../cli/context.ts";
import { type FlagDefs, isPositional } from "../cli/flags.ts";
import { findCommand, renderUsage, resolve, unknownCommand } from "../cli/usage.ts";
import { v1GlobalFlags } from "./_v1-globals.ts";

/**
 * `hydractl help clients create`, as both Hydra CLIs (cobra) take `hydra help …`: the help
 * that `--help` after the same words prints. The root lists it, so it cannot import the root.
 */
export default function help(root: CommandDef) {
  return command({
    meta: {
      name: "help",
      description:
        "Print the help of any command\n\n" +
        "The same text as --help after the command's words, in either word order.\n\n" +
        "Examples:\n" +
        "  hydractl help clients create\n" +
        "  hydractl help get client",
    },
    args: {
      command: { type: "positional", variadic: true, required: false, valueHint: "COMMAND", description: "The command's words, e.g. clients create" },
      // Entries, not a spread: every --help builds this table (see src/commands/index.ts).
      config: v1GlobalFlags.config,
      "skip-tls-verify": v1GlobalFlags["skip-tls-verify"],
    },
    async run(args, context) {
      const { command: named, path, rest } = await findCommand(root as CommandDef<FlagDefs>, args.command);
      // Words past a command are its arguments (`help completion bash`, as cobra's `completion
      // bash` is a command there); past one that takes none, a typo that must not pass unseen.
      const takesArguments = Object.values((await resolve(named.args ?? {})) as FlagDefs).some(isPositional);
      if (rest.length > 0 && !takesArguments) throw unknownCommand(rest[0]!, path);
      await context.runtime.writeStdout(await renderUsage(named, path));
    },
  });
}
