// How fast the compiled binary starts, beside Ory Hydra's own CLIs (v2.3.0, v1.8.5) in the
// same run: `--help` and the version. Target: ≤ 0.25× each Hydra CLI. Floor: an empty
// program compiled as hydractl is (scripts/bench/floor/empty.ts). Also prints the size of
// each binary.
// Usage: scripts/bench-startup [runs]   (default 30)
import { binary, compileFloor, hydraBinary, hydraLabel, measureAll, report, sizeMiB } from "./measure.ts";

const runs = Number(process.argv[2] ?? 30);
const hydras = [hydraBinary("v2.3.0"), hydraBinary("v1.8.5")];
const empty = compileFloor("empty");

const [help, ...helpRows] = measureAll(
  [
    { label: "hydractl --help", command: [binary, "--help"] },
    ...hydras.map((hydra) => ({ label: `${hydraLabel(hydra)} --help`, command: [hydra, "--help"] })),
    { label: "floor: empty Bun program", command: [empty] },
  ],
  runs,
);
const helpHydras = helpRows.slice(0, hydras.length);
report({ title: "--help", hydractl: help!, hydras: helpHydras, floors: helpRows.slice(hydras.length), target: { ratio: 0.25, against: helpHydras } }, runs);

const [version, ...versionRows] = measureAll(
  [
    { label: "hydractl --version", command: [binary, "--version"] },
    ...hydras.map((hydra) => ({ label: `${hydraLabel(hydra)} version`, command: [hydra, "version"] })),
    { label: "floor: empty Bun program", command: [empty] },
  ],
  runs,
);
report({ title: "version", hydractl: version!, hydras: versionRows.slice(0, hydras.length), floors: versionRows.slice(hydras.length) }, runs);

console.log("\nbinary size");
const sizes: [string, string][] = [["dist/hydractl", binary], ...hydras.map((hydra): [string, string] => [hydraLabel(hydra), hydra]), ["floor: empty Bun program", empty]];
const width = Math.max(...sizes.map(([label]) => label.length));
for (const [label, path] of sizes) {
  const note = path === binary ? `  ${(sizeMiB(binary) - sizeMiB(empty)).toFixed(1)} MiB over the empty program` : "";
  console.log(`  ${label.padEnd(width)}  ${sizeMiB(path).toFixed(1).padStart(6)} MiB${note}`);
}
