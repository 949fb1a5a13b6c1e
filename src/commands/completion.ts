import type { CommandDef } from "citty";
import { command } from "../cli/context.ts";
import type { Parser } from "../cli/flags.ts";
import { type Shell, SHELLS } from "../cli/shells.ts";
import { PROGRAM } from "../cli/usage.ts";
import { UsageError } from "../errors.ts";

const shellName: Parser<Shell> = (text, name) => {
  const shell = SHELLS.find((known) => known === text);
  if (!shell) throw new UsageError(`invalid ${name} "${text}": expected one of ${SHELLS.join(", ")}`);
  return shell;
};

/** The command, given the tree it completes (the root lists it, so it cannot import the root). */
export default function completion(root: CommandDef) {
  return command({
    meta: {
      name: "completion",
      description:
        "Print a shell completion script\n\n" +
        "Completes commands in both word orders, flags, --format values, enum values and file\n" +
        "arguments, from the same tables the parser uses. The script is static: completing never\n" +
        "runs hydractl.\n\n" +
        "Examples:\n" +
        "  source <(hydractl completion bash)          # in ~/.bashrc\n" +
        "  source <(hydractl completion zsh)           # in ~/.zshrc, after compinit\n" +
        "  hydractl completion fish > ~/.config/fish/completions/hydractl.fish",
    },
    args: {
      shell: { type: "positional", parse: shellName, suggest: SHELLS, valueHint: "SHELL", description: "bash, zsh or fish" },
      // Hydra v2's completion takes it; only fish's script carries descriptions to leave out.
      "no-descriptions": { type: "boolean", description: "Leave out the descriptions of commands and flags (fish's)" },
    },
    async run(args, context) {
      // The writer loads only here: the root's --help lists this command with every start.
      const { completionModel, completionScript } = await import("../cli/completion.ts");
      const options = { descriptions: !args["no-descriptions"], program: context.runtime.invokedAs() ?? PROGRAM };
      await context.runtime.writeStdout(completionScript(args.shell, await completionModel(root), options));
    },
  });
}
