// The shells `hydractl completion` writes scripts for, apart from the script writer
// (src/cli/completion.ts): the command's table, which the root's --help lists, loads
// with every start, and the writer only when a script is asked for.
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];
