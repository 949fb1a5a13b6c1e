// Shared by the benchmarks: run a command many times and keep the median wall time and
// the peak memory, so figures are read as ratios against a reference run side by side.
import { mkdirSync } from "node:fs";

export interface Measurement {
  label: string;
  medianMs: number;
  maxRssMiB: number;
}

export function measure(label: string, command: string[], runs: number): Measurement {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    const result = Bun.spawnSync(command, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`${label} failed (${result.exitCode}): ${result.stderr.toString()}`);
    // The first two runs warm the page cache and are not counted.
    if (i >= 2) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: times[Math.floor(times.length / 2)]!, maxRssMiB: peakMemory(command) };
}

/** The child's peak resident memory, by GNU time (Bun's rusage of a child is not the child's alone). */
function peakMemory(command: string[]): number {
  const result = Bun.spawnSync(["/usr/bin/time", "-f", "%M", ...command], { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const kib = Number(result.stderr.toString().trim().split("\n").at(-1));
  return Number.isFinite(kib) && result.exitCode === 0 ? kib / 1024 : Number.NaN;
}

/** One line a row: median, peak memory, the ratio to the reference and, if given, to the row's floor. */
export function report(rows: Measurement[], reference: Measurement, floors: Map<Measurement, Measurement> = new Map()): void {
  const width = Math.max(...rows.map((row) => row.label.length));
  for (const row of rows) {
    const ratio = (row.medianMs / reference.medianMs).toFixed(2);
    const floor = floors.get(row);
    const toFloor = floor ? `, ${(row.medianMs / floor.medianMs).toFixed(2)}× ${floor.label}` : "";
    console.log(`${row.label.padEnd(width)}  median ${row.medianMs.toFixed(1).padStart(7)} ms  peak ${row.maxRssMiB.toFixed(1).padStart(6)} MiB  ${ratio}× ${reference.label}${toFloor}`);
  }
}

export const repoRoot = new URL("../../", import.meta.url).pathname;
export const binary = `${repoRoot}dist/hydractl`;

/**
 * Compiles scripts/bench/floor/NAME.ts with hydractl's own build flags into
 * .cache/bench/NAME (each build replaces the last; they are 100 MB apiece): the least a
 * Bun-compiled program can do for the same result, so a ratio against curl can be read
 * beside what Bun and the libraries themselves cost.
 */
export function compileFloor(name: string): string {
  mkdirSync(`${repoRoot}.cache/bench`, { recursive: true });
  const outfile = `${repoRoot}.cache/bench/${name}`;
  const result = Bun.spawnSync([`${repoRoot}scripts/build`, "--entry", `${repoRoot}scripts/bench/floor/${name}.ts`, outfile], { stdout: "ignore", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`compiling the ${name} floor failed: ${result.stderr.toString()}`);
  return outfile;
}
