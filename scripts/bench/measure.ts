// Shared by the benchmarks: time hydractl, Ory Hydra's own CLIs and a floor doing the same
// work in one run, and print one ratio per probe against each, side by side.
import { dlopen, FFIType } from "bun:ffi";
import { chmodSync, closeSync, copyFileSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";

export interface Measurement {
  label: string;
  medianMs: number;
  /** The median over runs of each run's peak resident memory. */
  peakRssMiB: number;
  /**
   * The median of each run's minor page faults: near-constant from run to run (a few
   * apart), where time moves by 15%, and at about 12 µs a fault on this VM most of a start's
   * cost (README, Performance). A change's cost shows in it without the noise.
   */
  faults: number;
  /** With BENCH_BASELINE: the same command run by that other hydractl build, in the same rounds. */
  baseline?: Measurement;
}

export interface Command {
  label: string;
  command: string[];
}

export const repoRoot = new URL("../../", import.meta.url).pathname;
export const binary = `${repoRoot}dist/hydractl`;
/** Where the benchmarks keep what they make: copies of the programs, compiled floors. */
const benchCache = `${repoRoot}.cache/bench`;

/**
 * Runs the commands in turn, round after round (after one uncounted round a copy), so a
 * change in the load of this shared machine weighs on every command alike, each round
 * from the next copy of each program (see `rotation`). Peak memory is measured the same
 * way, two rounds a copy of its own under GNU time (whose start would otherwise weigh on
 * the timings); its median is steadier than one run's.
 */
export function measureAll(probeCommands: Command[], runs: number): Measurement[] {
  const twin = baselineTwin(probeCommands[0]);
  const commands = twin ? [...probeCommands, twin] : probeCommands;
  const programs = rotation(commands.map(({ command }) => command));
  try {
    const times = commands.map((): number[] => []);
    const peaks = commands.map((): number[] => []);
    const faults = commands.map((): number[] => []);
    for (let round = 0; round < runs + programs.copies; round++) {
      commands.forEach(({ label }, index) => {
        const started = performance.now();
        const result = Bun.spawnSync(programs.command(index, round), { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
        const elapsed = performance.now() - started;
        if (result.exitCode !== 0) throw new Error(`${label} failed (${result.exitCode}): ${result.stderr.toString()}`);
        if (round >= programs.copies) times[index]!.push(elapsed);
      });
    }
    for (let round = 0; round < Math.min(runs, 2 * programs.copies); round++) {
      commands.forEach((_, index) => {
        const used = memoryUse(programs.command(index, round));
        peaks[index]!.push(used.peakRssMiB);
        faults[index]!.push(used.faults);
      });
    }
    const measured: Measurement[] = commands.map(({ label }, index) => ({
      label,
      medianMs: median(times[index]!),
      peakRssMiB: median(peaks[index]!),
      faults: median(faults[index]!),
    }));
    if (twin) measured[0] = { ...measured[0]!, baseline: measured.pop() };
    return measured;
  } finally {
    programs.remove();
  }
}

/**
 * BENCH_BASELINE=FILE: another hydractl build (one built at an earlier commit, say) timed
 * beside this one. Two builds compare fairly only this way, copied and settled alike and
 * in the same rounds: a build's own placement in the page cache moves a start by more
 * than most changes do (README, Performance).
 */
function baselineBinary(): string | undefined {
  const path = process.env.BENCH_BASELINE;
  if (!path) return undefined;
  let version = "";
  try {
    version = Bun.spawnSync([path, "--version"], { stdin: "ignore", stdout: "pipe", stderr: "pipe" }).stdout.toString();
  } catch {
    // Not there, or not executable: said below.
  }
  if (!version.startsWith("hydractl ")) throw new Error(`BENCH_BASELINE=${path}: not a hydractl binary that runs here (\`${path} --version\` does not say hydractl)`);
  return path;
}

/** Checked once, when a benchmark loads this module: before it starts any server. */
const baselineBuild = baselineBinary();

/**
 * hydractl's row (a probe's first, when it runs dist/hydractl) as the baseline build runs
 * it, if that build has the command: an older one may not (asked with --help, which does
 * nothing on a server).
 */
function baselineTwin(row: Command | undefined): Command | undefined {
  const other = row?.command[0] === binary ? baselineBuild : undefined;
  if (!other) return undefined;
  const args = row!.command.slice(1);
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("-")) break;
    words.push(arg);
  }
  if (Bun.spawnSync([other, ...words, "--help"], { stdin: "ignore", stdout: "ignore", stderr: "ignore" }).exitCode !== 0) {
    console.error(`BENCH_BASELINE has no \`${words.join(" ")}\`: "${row!.label}" is timed without it`);
    return undefined;
  }
  return { label: `${row!.label} (BENCH_BASELINE)`, command: [other, ...args] };
}

/** How many copies of each program the rounds go through. */
const COPIES = 6;

export interface Rotation {
  /** How many copies of each program there are. */
  copies: number;
  /** Command `index` as round `round` runs it: the same arguments, the round's copy of its program. */
  command(index: number, round: number): string[];
  remove(): void;
}

/**
 * Copies of each command's program, settled in the page cache, for the rounds to take in
 * turn. On this kind of VM identical copies of one binary start at steadily different
 * speeds and peak at different sizes: six copies of hydractl spread over 0.8 ms of a 16 ms
 * `--help`, six of hydra-v1.8.5 over 1.7 ms of 69 ms, and four of hydractl's `perform
 * --https` peaked at 35.8 to 39.0 MiB (the binary's own pages, which each copy then held
 * in folios of its own: settleInPageCache now settles them alike); a copy kept its place
 * when it was dropped from the cache and read back.
 * Timing one file weighs a ratio by that file's luck, which every build draws anew (it
 * writes a new file): up to ±3% in time here, more than some targets' margins. Going
 * through copies, each written front to back as installing one leaves it, weighs every
 * program alike by their average.
 */
export function rotation(commands: string[][], copies = COPIES): Rotation {
  const folder = `${benchCache}/copies`;
  claimCopies(folder);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const programOf = commands.map(([name]) => Bun.which(name!) ?? name!);
  const made = new Map<string, string[]>();
  for (const program of programOf) {
    const at = made.size;
    if (!made.has(program)) made.set(program, Array.from({ length: copies }, (_, copy) => `${folder}/${at}-${copy}-${program.slice(program.lastIndexOf("/") + 1)}`));
  }
  // Copy by copy across the programs, not program by program. Made program by program, the
  // copies made last started fastest: one hydractl build's six copies, made first (the
  // timed build's place), took 1.02-1.10× the time of the same build's six made last (the
  // place of BENCH_BASELINE, and otherwise of the last floor) in four runs, with the same
  // page faults, whatever order the rounds ran them in. Made copy by copy, 0.999× and 1.004×.
  const interleaved = Array.from({ length: copies }, (_, copy) => [...made].map(([program, paths]) => [program, paths[copy]!] as const)).flat();
  for (const [program, path] of interleaved) {
    copyFileSync(program, path);
    chmodSync(path, 0o755);
  }
  settleInPageCache(interleaved.map(([, path]) => path));
  const programs = programOf.map((program) => made.get(program)!);
  return {
    copies,
    command: (index, round) => [programs[index]![round % copies]!, ...commands[index]!.slice(1)],
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * One benchmark at a time: a second one would clear the first one's copies from under it,
 * and each would time the other's load. The folder's owner is the process that last made
 * copies there; one that has ended leaves it to the next.
 */
function claimCopies(folder: string): void {
  const owner = `${folder}.owner`;
  let pid = 0;
  try {
    pid = Number(readFileSync(owner, "utf8"));
  } catch {
    // No benchmark has run yet.
  }
  if (pid && pid !== process.pid && running(pid)) {
    throw new Error(`another benchmark (process ${pid}) is running: wait for it, since two at once would disturb each other's timings`);
  }
  mkdirSync(benchCache, { recursive: true });
  writeFileSync(owner, String(process.pid));
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process is there, under another user (a benchmark run with sudo, say).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Puts every program in the page cache the same way: written back, dropped, then read whole
 * one 4 KiB page at a time with readahead off, so that the cache holds each file in pages
 * of that size, as ext4 holds every file before Linux 6.16 (the kernels of Debian 12 and
 * Ubuntu 24.04). With BENCH_PAGE_CACHE=folios, read whole in 1 MiB reads instead, which a
 * newer kernel caches in large folios of up to 2 MiB, as it does any file read whole.
 *
 * How a file's pages came into the cache changes how a start maps them: a binary that the
 * last start left in the cache maps fewer pages than one read whole, and one in large
 * folios more than one in 4 KiB pages. The copies used to be dropped with `dd
 * iflag=nocache`, which leaves what is not yet written back, so each copy kept a part of
 * the folios it had been written in, larger or smaller by when the kernel got to it: three
 * copies of one hydractl binary peaked at 34.5, 35.5 and 37.8 MiB on the same `perform
 * --https` start. Written back first, every copy settles alike in either state.
 * `paths` are the copies `rotation` made: resolved and distinct already.
 */
function settleInPageCache(paths: string[]): void {
  const folios = pageCacheState() === "folios";
  const buffer = new Uint8Array(folios ? 1 << 20 : 4096);
  for (const path of paths) {
    const fd = openSync(path, "r");
    try {
      // A page not yet written back survives POSIX_FADV_DONTNEED, and with it the folio the
      // copy was written in: first to disk, then out of the cache, all of it.
      fsyncSync(fd);
      for (const advice of folios ? [POSIX_FADV_DONTNEED] : [POSIX_FADV_DONTNEED, POSIX_FADV_RANDOM]) {
        const code = libc.symbols.posix_fadvise(fd, 0, 0, advice);
        if (code !== 0) throw new Error(`posix_fadvise(${advice}) failed for ${path}: error ${code}`);
      }
      for (let offset = 0, size = fstatSync(fd).size; offset < size; offset += buffer.length) readSync(fd, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(fd);
    }
  }
}

/** How settleInPageCache leaves every program: in 4 KiB pages, or in the kernel's own folios. */
export function pageCacheState(): "pages" | "folios" {
  const state = process.env.BENCH_PAGE_CACHE ?? "pages";
  if (state !== "pages" && state !== "folios") throw new Error(`BENCH_PAGE_CACHE=${state}: expected pages or folios`);
  return state;
}

const POSIX_FADV_RANDOM = 1;
const POSIX_FADV_DONTNEED = 4;
const libc = dlopen("libc.so.6", { posix_fadvise: { args: [FFIType.i32, FFIType.i64, FFIType.i64, FFIType.i32], returns: FFIType.i32 } });

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The child's peak resident memory, by GNU time (Bun's rusage of a child is not the child's alone). */
function memoryUse(command: string[]): { peakRssMiB: number; faults: number } {
  const result = Bun.spawnSync(["/usr/bin/time", "-f", "%M %R", ...command], { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [kib, faults] = (result.stderr.toString().trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  const ok = result.exitCode === 0 && Number.isFinite(kib) && Number.isFinite(faults);
  return ok ? { peakRssMiB: kib! / 1024, faults: faults! } : { peakRssMiB: Number.NaN, faults: Number.NaN };
}

export interface Probe {
  title: string;
  hydractl: Measurement;
  /** Hydra's CLIs doing the same work. */
  hydras: Measurement[];
  /**
   * The least a Bun-compiled program does for the same result; the first is the one time
   * targets yield to, the heaviest the one memory yields to: a floor that leaves out part of
   * the command's work (such as the request, beside encrypting) understates what it needs.
   */
  floors: Measurement[];
  /** hydractl's median at most `ratio` times each of these Hydras'. */
  target?: { ratio: number; against: Measurement[] };
}

const ratio = (a: Measurement, b: Measurement) => `${(a.medianMs / b.medianMs).toFixed(2)}× ${b.label}`;

/** How far a median is from its target: to the hundredth where a ratio's two decimals hide the verdict (0.30× missing 0.3×). */
const margin = (ms: number) => `${ms.toFixed(ms < 1 ? 2 : 1)} ms`;

/**
 * The probe's rows, its ratios, whether the target is met and whether peak memory stays
 * at or under Hydra's. A target below the floor, in time or in memory, is not held: the
 * floor and the gap to it are printed instead, with the fallback target of 1.1× the floor.
 */
export function report(probe: Probe, runs: number): void {
  const { hydractl } = probe;
  const { baseline } = hydractl;
  const rows = [hydractl, ...(baseline ? [baseline] : []), ...probe.hydras, ...probe.floors];
  const width = Math.max(...rows.map((row) => row.label.length));
  console.log(`\n${probe.title} (median of ${runs} runs; peak RSS and page faults, medians of runs; binaries cached in ${pageCacheState() === "pages" ? "4 KiB pages" : "the kernel's folios"})`);
  const signed = (n: number, digits = 0) => `${n < 0 ? "" : "+"}${n.toFixed(digits)}`;
  for (const row of rows) {
    const versus =
      row === baseline
        ? `  (this build: ${(hydractl.medianMs / row.medianMs).toFixed(3)}×, ${signed(hydractl.medianMs - row.medianMs, 2)} ms, ${signed(hydractl.faults - row.faults)} faults)`
        : "";
    console.log(`  ${row.label.padEnd(width)}  ${row.medianMs.toFixed(1).padStart(7)} ms  ${row.peakRssMiB.toFixed(1).padStart(6)} MiB  ${String(row.faults).padStart(5)} faults${versus}`);
  }
  console.log(`  ratio: ${[...probe.hydras, ...probe.floors].map((row) => ratio(hydractl, row)).join(", ")}`);
  const floor = probe.floors[0];
  for (const hydra of probe.target?.against ?? []) {
    const goal = probe.target!.ratio * hydra.medianMs;
    const head = `  target ≤ ${probe.target!.ratio}× ${hydra.label} (${goal.toFixed(1)} ms)`;
    if (hydractl.medianMs <= goal) {
      console.log(`${head}: met, ${margin(goal - hydractl.medianMs)} to spare`);
    } else if (floor && floor.medianMs > goal) {
      const met = hydractl.medianMs <= 1.1 * floor.medianMs;
      console.log(`${head}: below the floor (${ratio(floor, hydra)}); held to ≤ 1.1× the floor instead, gap ${ratio(hydractl, floor)}: ${met ? "met" : "MISSED"}`);
    } else {
      console.log(`${head}: MISSED by ${margin(hydractl.medianMs - goal)}`);
    }
  }
  if (probe.hydras.length) {
    // At most the lightest Hydra CLI's, unless the floor itself needs more: the same rule as for time.
    const lightest = probe.hydras.reduce((a, b) => (b.peakRssMiB < a.peakRssMiB ? b : a));
    const heaviest = probe.floors.reduce<Measurement | undefined>((a, b) => (!a || b.peakRssMiB > a.peakRssMiB ? b : a), undefined);
    let memory = hydractl.peakRssMiB <= lightest.peakRssMiB ? "met" : `MISSED (above ${lightest.label})`;
    if (hydractl.peakRssMiB > lightest.peakRssMiB && heaviest && heaviest.peakRssMiB > lightest.peakRssMiB) {
      const gap = hydractl.peakRssMiB / heaviest.peakRssMiB;
      memory = `below the floor (${heaviest.label}: ${heaviest.peakRssMiB.toFixed(1)} MiB); held to ≤ 1.1× the floor instead, gap ${gap.toFixed(2)}×: ${gap <= 1.1 ? "met" : "MISSED"}`;
    }
    console.log(`  peak RSS ≤ each Hydra CLI's: ${memory}`);
  }
}

/**
 * Ory Hydra's CLI at this version, built by scripts/hydra-server (which waits while
 * another process builds it, and builds it from the Go module proxy if nobody has).
 */
export function hydraBinary(version: "v2.3.0" | "v1.8.5"): string {
  const result = Bun.spawnSync([`${repoRoot}scripts/hydra-server`, "build", version], { stdout: "pipe", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error(`scripts/hydra-server build ${version} failed`);
  return result.stdout.toString().trim().split("\n").at(-1)!;
}

export const hydraLabel = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/**
 * Compiles scripts/bench/floor/NAME.ts with hydractl's own build flags into
 * .cache/bench/NAME (each build replaces the last; they are 100 MB apiece): the least a
 * Bun-compiled program can do for the same result, so a ratio against Hydra's CLI can be
 * read beside what Bun and the libraries themselves cost.
 */
export function compileFloor(name: string): string {
  mkdirSync(benchCache, { recursive: true });
  const outfile = `${benchCache}/${name}`;
  const result = Bun.spawnSync([`${repoRoot}scripts/build`, "--entry", `${repoRoot}scripts/bench/floor/${name}.ts`, outfile], { stdout: "ignore", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`compiling the ${name} floor failed: ${result.stderr.toString()}`);
  return outfile;
}

export const sizeMiB = (path: string) => statSync(path).size / 1024 / 1024;
