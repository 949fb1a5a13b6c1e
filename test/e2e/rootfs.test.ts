// No Node, no Bun, no Deno: the linux-x64 release binary in an otherwise empty root
// filesystem that holds only the shared libraries `ldd` lists, with /proc mounted as any
// container runtime does (a Bun-compiled binary reads itself through /proc/self/exe). This
// stands in for a container image without Node. The musl builds need musl's loader and a
// musl libstdc++.so.6, which Debian does not ship: they are checked by their ELF headers only.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import type { RunResult } from "../support/cli.ts";
import { type FakeHydra, fakeHydra } from "../support/fake-hydra.ts";
import { serveLocal } from "../support/runtime.ts";
import { readElf } from "./support/elf.ts";
import { missing, repoRoot } from "./support/hydractl.ts";

const execFileAsync = promisify(execFile);
const binary = `${repoRoot}dist/hydractl-linux-x64`;
const musl = { "x86-64": `${repoRoot}dist/hydractl-linux-x64-musl`, aarch64: `${repoRoot}dist/hydractl-linux-arm64-musl` };

const skipRootfs =
  process.platform !== "linux" || process.arch !== "x64"
    ? "the linux-x64 binary runs on linux x64 only"
    : process.getuid?.() !== 0
      ? "chroot and mount need root (scripts/e2e runs as root in CI)"
      : missing(binary);

/** Scripts/e2e unmounts anything left mounted under a directory with this prefix. */
const ROOTFS_PREFIX = "hydractl-rootfs-";
let root = "";
let procMounted = false;
let fake: FakeHydra;
let hydra: Awaited<ReturnType<typeof serveLocal>>;

/** The libraries `ldd` lists (the loader included), by absolute path; linux-vdso has no file. */
async function sharedLibraries(path: string): Promise<string[]> {
  const { stdout } = await execFileAsync("ldd", [path]);
  const paths = [...stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/g)].map((m) => m[1]!);
  assert.ok(paths.length > 0, `ldd listed no libraries:\n${stdout}`);
  return paths;
}

/** Every file under `dir`, relative, sorted; the mounted /proc is not walked. */
function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !(prefix === "" && entry.name === "proc"))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}/${entry.name}`) : [`${prefix}/${entry.name}`]))
    .sort();
}

/** `chroot ROOT /hydractl ARGS`, asynchronously: the fake Hydra it talks to lives in this process. */
function inRoot(args: string[]): Promise<RunResult> {
  const child = spawn("chroot", [root, "/hydractl", ...args], { env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

before(async () => {
  if (skipRootfs) return;
  fake = fakeHydra({ generatedSecret: "secret-from-the-host" });
  hydra = await serveLocal(fake.handler);
  root = mkdtempSync(join(tmpdir(), ROOTFS_PREFIX));
  copyFileSync(binary, join(root, "hydractl"));
  chmodSync(join(root, "hydractl"), 0o755);
  for (const library of await sharedLibraries(binary)) {
    mkdirSync(join(root, dirname(library)), { recursive: true });
    copyFileSync(library, join(root, library)); // follows symlinks: the file itself, at the path the loader asks for
  }
  mkdirSync(join(root, "proc"));
  await execFileAsync("mount", ["-t", "proc", "proc", join(root, "proc")]).catch((error: Error & { stderr?: string }) => {
    throw new Error(`mount -t proc failed; it needs CAP_SYS_ADMIN (a container run with --privileged): ${error.stderr?.trim() || error.message}`);
  });
  procMounted = true;
});

after(async () => {
  await hydra?.close();
  if (!root) return;
  if (procMounted) {
    await execFileAsync("umount", [join(root, "proc")]);
    procMounted = false;
  }
  // Only once /proc is unmounted: removing the root must never reach into the host's /proc.
  rmSync(root, { recursive: true, force: true });
});

test("6a. the root filesystem holds hydractl and the libraries ldd lists, nothing else", { skip: skipRootfs }, async () => {
  const files = listFiles(root);
  const libraries = await sharedLibraries(binary);
  assert.deepEqual(files, ["/hydractl", ...libraries].sort());
  assert.ok(!files.some((path) => /\/(node|bun|deno)$/.test(path)));
  // What the binary itself asks for, the loader included, is all there.
  const elf = readElf(binary);
  assert.ok(files.includes(elf.interpreter!), `${elf.interpreter} in the root`);
  for (const name of elf.needed) assert.ok(files.some((path) => path.endsWith(`/${name}`)), `${name} in the root`);
});

test("6b. chroot: --help and --version", { skip: skipRootfs, timeout: 60_000 }, async () => {
  const help = await inRoot(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^A command-line client for Ory Hydra/);
  assert.match(help.stdout, /\nUsage:\n/);
  const version = await inRoot(["--version"]);
  assert.equal(version.code, 0, version.stderr);
  assert.match(version.stdout, /^hydractl \d+\.\d+\.\d+( \(commit [\w-]+\))?, bun\n$/);
});

test("6c. chroot: clients create against a server on loopback", { skip: skipRootfs, timeout: 60_000 }, async () => {
  const result = await inRoot(["clients", "create", "--endpoint", hydra.url, "--id", "from-the-chroot", "-c", "https://app.example/cb"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "OAuth 2.0 Client ID: from-the-chroot\nOAuth 2.0 Client Secret: secret-from-the-host\n");
  assert.deepEqual(fake.received.at(-1)?.redirect_uris, ["https://app.example/cb"]);
});

// Debian has musl's loader (package musl) but no musl libstdc++.so.6, so these cannot run here.
for (const [machine, path] of Object.entries(musl)) {
  const triple = `${machine === "x86-64" ? "x86_64" : machine}`;
  test(`6d. the ${machine} musl build's ELF headers ask for musl's loader`, { skip: missing(path) }, () => {
    const elf = readElf(path);
    assert.equal(elf.machine, machine);
    assert.equal(elf.interpreter, `/lib/ld-musl-${triple}.so.1`);
    assert.deepEqual(elf.needed.sort(), [`libc.musl-${triple}.so.1`, "libstdc++.so.6"].sort());
  });
}

test("6e. the glibc build's ELF headers ask for glibc's loader", { skip: missing(binary) }, () => {
  const elf = readElf(binary);
  assert.equal(elf.machine, "x86-64");
  assert.equal(elf.interpreter, "/lib64/ld-linux-x86-64.so.2");
  assert.ok(elf.needed.includes("libc.so.6"), elf.needed.join(" "));
  assert.ok(!elf.needed.some((name) => name.includes("musl") || name.includes("stdc++")), elf.needed.join(" "));
});
