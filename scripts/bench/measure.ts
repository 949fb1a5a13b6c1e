// Shared by the benchmarks: run a command many times and keep the median wall time and
// the peak memory, so figures are read as ratios against a reference run side by side.
export interface Measurement {
  label: string;
  medianMs: number;
  maxRssMiB: number;
}

/** Spawns asynchronously, so a server in this same process (bench-create) can answer. */
export async function measure(label: string, command: string[], runs: number, options: { env?: Record<string, string> } = {}): Promise<Measurement> {
  const times: number[] = [];
  let maxRss = 0;
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    const child = Bun.spawn(command, { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, ...options.env } });
    const [code, , stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
    const elapsed = performance.now() - started;
    if (code !== 0) throw new Error(`${label} failed (${code}): ${stderr}`);
    // The first two runs warm the page cache and are not counted.
    if (i >= 2) times.push(elapsed);
    maxRss = Math.max(maxRss, child.resourceUsage()?.maxRSS ?? 0);
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: times[Math.floor(times.length / 2)]!, maxRssMiB: maxRss / 1024 / 1024 };
}

export function report(rows: Measurement[], reference: Measurement): void {
  const width = Math.max(...rows.map((row) => row.label.length));
  for (const row of rows) {
    const ratio = (row.medianMs / reference.medianMs).toFixed(2);
    console.log(`${row.label.padEnd(width)}  median ${row.medianMs.toFixed(1).padStart(7)} ms  peak ${row.maxRssMiB.toFixed(1).padStart(6)} MiB  ${ratio}× ${reference.label}`);
  }
}

export const repoRoot = new URL("../../", import.meta.url).pathname;
export const binary = `${repoRoot}dist/hydractl`;
