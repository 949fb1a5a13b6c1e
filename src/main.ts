#!/usr/bin/env bun
// hydractl's entry. A compiled binary carries its root help and its version, rendered by the
// kernel's own code when it is built (scripts/compile.ts), and gives them without loading
// the kernel, whose modules are about 2 ms of `hydractl --help`'s 21 (scripts/bench-startup).
// Every other command line, and every one run from the sources, goes to the kernel
// (src/cli/main.ts), which answers these the same way.

// Set by scripts/compile.ts with --define; absent when running from the sources.
declare const HYDRACTL_ROOT_HELP: string | undefined;
declare const HYDRACTL_VERSION_TEXT: string | undefined;

// No words, `--help` or `-h`; `--version` or `-v`: the words the kernel answers with these.
const { argv } = process;
// More than one word is none of these ("").
const word = argv.length > 3 ? "" : argv[2];
const answer =
  typeof HYDRACTL_ROOT_HELP !== "string" || typeof HYDRACTL_VERSION_TEXT !== "string"
    ? undefined
    : word === undefined || word === "--help" || word === "-h"
      ? HYDRACTL_ROOT_HELP
      : word === "--version" || word === "-v"
        ? HYDRACTL_VERSION_TEXT
        : undefined;
// Only to a terminal or a pipe, whose size Bun gives as infinite: a regular file
// (`>> notes.txt`) needs the kernel's writer (src/runtime/bun.ts). A failed write (a closed
// pipe) goes to the kernel too, which writes the answer again, meets the same failure and
// reports it as it reports any command's.
const answered = answer !== undefined && !Number.isFinite(Bun.stdout.size) && (await Bun.write(Bun.stdout, answer).then(() => true, () => false));
if (!answered) await (await import("./cli/main.ts")).main();
