// Shell completion scripts, generated from the command tree and the same flag tables the
// parser reads. The scripts are static: completing a word never runs hydractl, so it is
// instant, and a new command or flag appears in them without a line written here.
import type { CommandDef } from "citty";
import { aliasesOf, type FlagDef, type FlagDefs, isPositional, spell } from "./flags.ts";
import type { Shell } from "./shells.ts";
import { PROGRAM, summary } from "./usage.ts";

type AnyCommand = CommandDef<FlagDefs>;

/** How a flag's value is completed. */
type Values = { kind: "words"; words: readonly string[] } | { kind: "files" } | { kind: "commands" } | { kind: "free" };

interface Flag {
  /** `--name`, `-n`, `--redirect-uri`: every spelling the parser accepts. */
  spellings: string[];
  /** The long name and the one-letter aliases, for fish's -l and -s. */
  long: string[];
  short: string[];
  description: string;
  /** Absent for a boolean. */
  values?: Values;
}

interface Leaf {
  /** Every word sequence that names this command (`clients create`, `create client`, …). */
  paths: string[];
  flags: Flag[];
  /** What each positional argument completes to, in order (IDs: nothing we could know). */
  positionals: Values[];
  /** The last positional takes every word from there on (`import jwk SET FILE...`). */
  variadic: boolean;
}

interface Group {
  path: string;
  /** Each word that names a subcommand, with the subcommand's one-line description. */
  words: { word: string; description: string }[];
}

/** Everything the scripts need, read once from the tree (lazy groups and commands resolved). */
export interface CompletionModel {
  groups: Group[];
  leaves: Leaf[];
}

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

const HELP: Flag = { spellings: ["--help", "-h"], long: ["help"], short: ["h"], description: "Show help" };

/** `valueHint` "file" or "path" (any case) names a file: the table's own word for it. */
function namesFile(def: FlagDef): boolean {
  return /^(file|path)$/i.test(def.valueHint ?? "");
}

function valuesOf(def: FlagDef): Values | undefined {
  if (def.type === "boolean") return undefined;
  if (def.type === "enum" && def.options) return { kind: "words", words: def.options };
  if (def.suggest) return { kind: "words", words: def.suggest };
  // `help COMMAND`: the words of the tree itself.
  if (isPositional(def) && def.valueHint === "COMMAND") return { kind: "commands" };
  return namesFile(def) ? { kind: "files" } : { kind: "free" };
}

function flagOf(name: string, def: FlagDef): Flag {
  const names = [name, ...aliasesOf(def)];
  return {
    spellings: names.map(spell),
    long: names.filter((n) => n.length > 1),
    short: names.filter((n) => n.length === 1),
    description: summary(def.description),
    values: valuesOf(def),
  };
}

export async function completionModel(root: AnyCommand): Promise<CompletionModel> {
  const groups: Group[] = [];
  const leaves = new Map<AnyCommand, Leaf>();
  const walk = async (command: AnyCommand, path: string[]) => {
    const subCommands = await resolve(command.subCommands ?? {});
    const words: Group["words"] = [];
    for (const [word, loader] of Object.entries(subCommands)) {
      const sub = await resolve(loader as AnyCommand);
      const meta = await resolve(sub.meta ?? {});
      if (meta.hidden) continue;
      words.push({ word, description: summary(meta.description) });
      await walk(sub, [...path, word]);
    }
    if (words.length > 0) groups.push({ path: path.join(" "), words });
    if (!command.run) return;
    const known = leaves.get(command);
    if (known) {
      known.paths.push(path.join(" "));
      return;
    }
    const defs = (await resolve(command.args ?? {})) as FlagDefs;
    const entries = Object.entries(defs);
    const positionals = entries.filter(([, def]) => isPositional(def)).map(([, def]) => def);
    leaves.set(command, {
      paths: [path.join(" ")],
      flags: [...entries.filter(([, def]) => !isPositional(def)).map(([name, def]) => flagOf(name, def)), HELP],
      positionals: positionals.map((def) => valuesOf(def)!),
      variadic: positionals.at(-1)?.variadic === true,
    });
  };
  await walk(root, []);
  // A command whose arguments are command words (`help clients create`) is, for completing,
  // the whole tree again under its own words.
  const commandTakers = [...leaves.values()].filter((leaf) => leaf.positionals[0]?.kind === "commands");
  const mirrored = commandTakers.flatMap((leaf) =>
    leaf.paths.flatMap((prefix) => groups.map((group) => ({ path: group.path ? `${prefix} ${group.path}` : prefix, words: group.words }))),
  );
  return { groups: [...groups, ...mirrored], leaves: [...leaves.values()].filter((leaf) => !commandTakers.includes(leaf)) };
}

export interface ScriptOptions {
  /** The one-line descriptions beside each command and flag, where the shell shows them (fish). */
  descriptions: boolean;
  /** The command the script completes: the binary's name where it was installed as `hydra`. */
  program: string;
}

export function completionScript(shell: Shell, model: CompletionModel, options: ScriptOptions): string {
  return shell === "fish" ? fishScript(model, options) : shell === "zsh" ? zshScript(model, options.program) : bashScript(model, options.program);
}

/** Whether a program's name needs no quoting in any of the shells. */
function plain(name: string): boolean {
  return /^[\w.-]+$/.test(name);
}

/** A single-quoted word for bash, zsh and POSIX sh. */
function sq(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

const fn = `_${PROGRAM}`;

/**
 * The flags most commands share that take a value wherever a command has them (`--config`,
 * `-e`, `--format`), with the values one of them takes, or none where commands differ on it:
 * before the command words (`hydractl --config FILE get client`) the word after such a flag
 * is its value.
 */
function sharedValued(model: CompletionModel): Map<string, Values | undefined> {
  const valued = new Map<string, Values | undefined>();
  const boolean = new Set<string>();
  const uses = new Map<string, number>();
  for (const leaf of model.leaves) {
    for (const flag of leaf.flags) {
      for (const spelling of flag.spellings) {
        uses.set(spelling, (uses.get(spelling) ?? 0) + 1);
        if (!flag.values) boolean.add(spelling);
        else if (!valued.has(spelling)) valued.set(spelling, flag.values);
        else if (JSON.stringify(valued.get(spelling)) !== JSON.stringify(flag.values)) valued.set(spelling, undefined);
      }
    }
  }
  for (const spelling of boolean) valued.delete(spelling);
  for (const spelling of valued.keys()) if (uses.get(spelling)! * 2 < model.leaves.length) valued.delete(spelling);
  return valued;
}

/**
 * bash: the words before the cursor are walked down the tree as hydractl's own parser
 * does (command words first, up to the first flag), then the cursor's word is completed
 * from that command's table: a flag's value after a flag that takes one, else flags,
 * files or subcommands.
 */
function bashBody(model: CompletionModel): string {
  const groupCases = model.groups.map((group) => `    ${sq(group.path)}) __${PROGRAM}_words=${sq(group.words.map((w) => w.word).join(" "))} ;;`);
  const bashAction = (values: Values) =>
    values.kind === "words" ? `__${PROGRAM}_reply ${sq(values.words.join(" "))}` : values.kind === "files" ? `__${PROGRAM}_files` : ":";
  // Before the command words: the value of a flag every command that has it takes one for.
  const beforeCommand = new Map<string, string[]>();
  for (const [spelling, values] of sharedValued(model)) {
    const action = values && (values.kind === "words" || values.kind === "files") ? `${bashAction(values)}; ` : "";
    beforeCommand.set(action, [...(beforeCommand.get(action) ?? []), spelling]);
  }
  // Per command: its flags, those that take a value, and each flag's value.
  const leafCases = model.leaves.map((leaf, index) => {
    const byAction = new Map<string, string[]>();
    for (const flag of leaf.flags) {
      if (!flag.values) continue;
      const action = flag.values.kind === "words" || flag.values.kind === "files" ? `${bashAction(flag.values)}; ` : "";
      byAction.set(action, [...(byAction.get(action) ?? []), ...flag.spellings]);
    }
    const valued = leaf.flags.filter((flag) => flag.values).flatMap((flag) => flag.spellings);
    return [
      `    ${leaf.paths.map(sq).join("|")})`,
      `      leaf=${index} flags=${sq(leaf.flags.flatMap((flag) => flag.spellings).join(" "))} valued=${sq(`|${valued.join("|")}|`)}`,
      '      case "$prev" in',
      ...[...byAction].map(([action, spellings]) => `        ${spellings.join("|")}) ${action}return ;;`),
      "      esac ;;",
    ].join("\n");
  });
  // Per command: what the argument at each position completes to; 1 where it takes none there.
  const positionalCases = model.leaves.flatMap((leaf, index) => {
    if (leaf.positionals.length === 0) return [];
    const positions = leaf.positionals.map((values, at) => {
      const pattern = leaf.variadic && at === leaf.positionals.length - 1 ? "*" : String(at);
      return `${pattern}) ${bashAction(values)} ;;`;
    });
    const rest = leaf.variadic ? "" : " *) return 1 ;;";
    return [`    ${index}) case "$2" in ${positions.join(" ")}${rest} esac ;;`];
  });
  return `${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" path="" word flags="" valued="" leaf="" i after_flag=""
  local __${PROGRAM}_words IFS=$' \\t\\n'
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # bash splits --flag=value at "=" (COMP_WORDBREAKS): complete the value after it.
  if [[ "$cur" == "=" ]]; then
    cur=""
  elif [[ "$prev" == "=" ]] && (( COMP_CWORD > 1 )); then
    prev="\${COMP_WORDS[COMP_CWORD-2]}"
  fi
  # The command words typed so far. Flags may come before them, as the command line takes
  # them: a word after a flag that names no command here is the flag's value, in as many
  # pieces as bash splits a URL into (at ":" and "=").
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    __${PROGRAM}_subcommands "$path"
    [[ -n "$__${PROGRAM}_words" ]] || break
    if [[ "$word" == -?* ]]; then
      after_flag=1
    elif [[ " $__${PROGRAM}_words " == *" $word "* ]]; then
      path="\${path:+$path }$word"
      after_flag=""
    elif [[ -z "$after_flag" ]]; then
      break
    fi
  done
  case "$path" in
${leafCases.join("\n")}
    *)
      case "$prev" in
${[...beforeCommand].map(([action, spellings]) => `        ${spellings.join("|")}) ${action}return ;;`).join("\n")}
      esac
      __${PROGRAM}_subcommands "$path"
      if [[ "$cur" == -* ]]; then __${PROGRAM}_reply "--help -h"; else __${PROGRAM}_reply "$__${PROGRAM}_words"; fi
      return ;;
  esac
  if [[ "$cur" == -* ]]; then
    __${PROGRAM}_reply "$flags"
    return
  fi
  # Which argument the cursor is at: the words after the command's own, less flags and their
  # values (a URL in pieces: a ":" or "=" and the word after it belong to the word before).
  local n=0 skip=""
  for (( ; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    if [[ "$word" == ":" || "$word" == "=" ]]; then
      skip=1
    elif [[ -n "$skip" ]]; then
      skip=""
    elif [[ "$word" == -?* ]]; then
      [[ "$valued" == *"|$word|"* ]] && skip=1
    else
      n=$(( n + 1 ))
    fi
  done
  # No argument due there: the flags.
  __${PROGRAM}_positional "$leaf" "$n" || __${PROGRAM}_reply "$flags"
}

__${PROGRAM}_positional() {
  case "$1" in
${positionalCases.join("\n")}
    *) return 1 ;;
  esac
}

__${PROGRAM}_subcommands() {
  case "$1" in
${groupCases.join("\n")}
    *) __${PROGRAM}_words="" ;;
  esac
}

__${PROGRAM}_reply() {
  # The word list splits at spaces; the matches, one a line, at newlines only.
  local matches IFS=$' \\t\\n'
  matches="$(compgen -W "$1" -- "$cur")"
  IFS=$'\\n'
  COMPREPLY=($matches)
  # A word that ends in "=" (jsonpath=) is only the start of the value.
  [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
  return 0
}

__${PROGRAM}_files() {
  local IFS=$'\\n'
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$cur"))
}
`;
}

// The helper functions keep hydractl's names, whatever the program is called: only what
// registers them names it.
function bashScript(model: CompletionModel, program: string): string {
  return `# bash completion for ${program}, generated by '${program} completion bash'.
# Load it now:     source <(${program} completion bash)
# Or for good:     ${program} completion bash > ~/.local/share/bash-completion/completions/${program}
${bashBody(model)}
complete -F ${fn} ${plain(program) ? program : sq(program)}
`;
}

/** zsh runs the bash function through its own bash-completion layer, bashcompinit. */
function zshScript(model: CompletionModel, program: string): string {
  return `# zsh completion for ${program}, generated by '${program} completion zsh'.
# Load it from ~/.zshrc, after compinit:   source <(${program} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashBody(model)}
complete -F ${fn} ${plain(program) ? program : sq(program)}
`;
}

/** A single-quoted fish string: only \\ and ' are special inside. */
function fq(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * fish: one `complete` line per subcommand word and per flag, each guarded by a condition
 * on the command words typed so far, with the table's descriptions unless left out.
 */
function fishScript(model: CompletionModel, options: ScriptOptions): string {
  const described = (description: string) => (options.descriptions ? ` -d ${fq(description)}` : "");
  const command = plain(options.program) ? options.program : fq(options.program);
  const lines = [
    `# fish completion for ${options.program}, generated by '${options.program} completion fish'.`,
    `# Load it now:   ${options.program} completion fish | source`,
    `# Or for good:   ${options.program} completion fish > ~/.config/fish/completions/${options.program}.fish`,
    "",
    `function __${PROGRAM}_subcommands`,
    "    switch $argv[1]",
    ...model.groups.map((group) => `        case ${fq(group.path)}\n            printf '%s\\n' ${group.words.map((w) => fq(w.word)).join(" ")}`),
    "    end",
    "end",
    "",
    "# The command words typed so far, walked down the tree. Flags may come before them, as",
    "# the command line takes them: a word after a flag that names no command here is its value.",
    `function __${PROGRAM}_path`,
    "    set -l path",
    "    set -l after_flag",
    "    for word in (commandline -opc)[2..-1]",
    `        set -l words (__${PROGRAM}_subcommands "$path")`,
    "        test (count $words) -gt 0; or break",
    "        if string match -q -- '-?*' $word",
    "            set after_flag 1",
    "        else if contains -- $word $words",
    '            set path (string join " " -- $path $word)',
    "            set after_flag",
    "        else if test -z \"$after_flag\"",
    "            break",
    "        end",
    "    end",
    '    echo "$path"',
    "end",
    "",
    "# Which argument the cursor is at: the words after the command's own, less flags and the",
    "# values of those named in argv.",
    `function __${PROGRAM}_position`,
    "    set -l path",
    "    set -l n 0",
    "    set -l skip",
    "    set -l in_args",
    "    for word in (commandline -opc)[2..-1]",
    "        if test -z \"$in_args\"",
    `            set -l words (__${PROGRAM}_subcommands "$path")`,
    "            if test (count $words) -gt 0",
    "                contains -- $word $words; and set path (string join \" \" -- $path $word)",
    "                continue",
    "            end",
    "            set in_args 1",
    "        end",
    "        if test -n \"$skip\"",
    "            set skip",
    "        else if string match -q -- '-?*' $word",
    "            contains -- $word $argv; and set skip 1",
    "        else",
    "            set n (math $n + 1)",
    "        end",
    "    end",
    "    echo $n",
    "end",
    "",
    `function __${PROGRAM}_leaf`,
    `    switch (__${PROGRAM}_path)`,
    ...model.leaves.map((leaf, index) => `        case ${leaf.paths.map(fq).join(" ")}\n            echo ${index}`),
    "    end",
    "end",
    "",
    `complete -c ${command} -f`,
  ];
  // Before the command words, the flags every command that has them takes a value for: so
  // that fish completes the value after one, not a command word (--config FILE).
  for (const [spelling, values] of sharedValued(model)) {
    const name = spelling.startsWith("--") ? `-l ${fq(spelling.slice(2))}` : `-s ${spelling.slice(1)}`;
    const takes = values?.kind === "words" ? ` -x -a ${fq(values.words.join(" "))}` : values?.kind === "files" ? " -r -F" : " -x";
    lines.push(`complete -c ${command} -n ${fq(`test -z "$(__${PROGRAM}_leaf)"`)} ${name}${takes}`);
  }
  for (const group of model.groups) {
    for (const { word, description } of group.words) {
      lines.push(`complete -c ${command} -n ${fq(`test "$(__${PROGRAM}_path)" = ${fq(group.path)}`)} -a ${fq(word)}${described(description)}`);
    }
  }
  model.leaves.forEach((leaf, index) => {
    const condition = `-n ${fq(`test "$(__${PROGRAM}_leaf)" = ${index}`)}`;
    const valued = leaf.flags.filter((flag) => flag.values).flatMap((flag) => flag.spellings);
    leaf.positionals.forEach((values, at) => {
      if (values.kind !== "files" && values.kind !== "words") return;
      const compare = leaf.variadic && at === leaf.positionals.length - 1 ? "-ge" : "-eq";
      const where = `-n ${fq(`test "$(__${PROGRAM}_leaf)" = ${index}; and test (${[`__${PROGRAM}_position`, ...valued].join(" ")}) ${compare} ${at}`)}`;
      lines.push(`complete -c ${command} ${where} ${values.kind === "files" ? "-F" : `-a ${fq(values.words.join(" "))}`}`);
    });
    for (const flag of leaf.flags) {
      const names = [...flag.long.map((n) => `-l ${fq(n)}`), ...flag.short.map((n) => `-s ${n}`)].join(" ");
      const values =
        flag.values?.kind === "words" ? ` -x -a ${fq(flag.values.words.join(" "))}` : flag.values?.kind === "files" ? " -r -F" : flag.values ? " -x" : "";
      lines.push(`complete -c ${command} ${condition} ${names}${values}${described(flag.description)}`);
    }
  });
  return `${lines.join("\n")}\n`;
}
