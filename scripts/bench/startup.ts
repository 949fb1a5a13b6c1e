// How fast the compiled binary starts: `hydractl --help` against `curl --version`,
// measured in the same run on the same machine. Target: ratio ≤ 1.0.
import { binary, measure, report } from "./measure.ts";

const runs = Number(process.argv[2] ?? 30);
const curl = measure("curl --version", ["curl", "--version"], runs);
const help = measure("hydractl --help", [binary, "--help"], runs);
const version = measure("hydractl --version", [binary, "--version"], runs);
report([curl, help, version], curl);
