import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { after, test } from "node:test";
import { writePrivateFile } from "../../src/runtime/files.ts";
import { userCacheDir } from "../../src/runtime/paths.ts";
import { runtime, tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

const env = (values: Record<string, string>) => (name: string) => values[name];

test("the user's cache directory by platform convention", () => {
  const home = dir.path;
  assert.equal(userCacheDir("linux", env({}), home), `${home}/.cache`);
  assert.equal(userCacheDir("linux", env({ XDG_CACHE_HOME: "/var/cache/me" }), home), "/var/cache/me");
  assert.equal(userCacheDir("linux", env({ XDG_CACHE_HOME: "relative/cache" }), home), `${home}/.cache`, "a relative XDG path is ignored");
  assert.equal(userCacheDir("darwin", env({ XDG_CACHE_HOME: "/ignored" }), home), `${home}/Library/Caches`);
  assert.equal(userCacheDir("windows", env({ LOCALAPPDATA: "C:\\Users\\me\\AppData\\Local" }), undefined), "C:\\Users\\me\\AppData\\Local");
  assert.equal(userCacheDir("win32", env({}), home), undefined);
});

test("no cache directory without a home, unless XDG_CACHE_HOME or LOCALAPPDATA names one", () => {
  assert.equal(userCacheDir("linux", env({}), undefined), undefined);
  assert.equal(userCacheDir("darwin", env({}), undefined), undefined);
  assert.equal(userCacheDir("linux", env({ XDG_CACHE_HOME: "/var/cache/me" }), undefined), "/var/cache/me");
});

test("a private file: 0600 in a new 0700 folder, replaced whole, no temporary file left behind", async () => {
  const path = `${dir.path}/nested/folder/secret.pem`;
  await writePrivateFile(path, "first");
  await writePrivateFile(path, "second");
  assert.equal(readFileSync(path, "utf8"), "second");
  assert.deepEqual(readdirSync(`${dir.path}/nested/folder`), ["secret.pem"]);
  if (process.platform !== "win32") {
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(`${dir.path}/nested/folder`).mode & 0o777, 0o700);
  }
  await assert.rejects(writePrivateFile(`${path}/below-a-file`, "x"), /EEXIST|ENOTDIR/);
});

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : bytes);

test("reading a file: its bytes as they were, empty when empty, undefined when missing", async () => {
  const path = dir.write("config.yaml", "endpoint: http://127.0.0.1:4445\n");
  const bytes = await runtime.readFile(path);
  // Rewritten in place, same inode: what was read is a copy, not a view of the file.
  writeFileSync(path, "ENDPOINT: HTTP://127.0.0.1:4445\n");
  assert.equal(text(bytes), "endpoint: http://127.0.0.1:4445\n");
  assert.equal(text(await runtime.readFile(dir.write("empty.yaml", ""))), "");
  assert.equal(await runtime.readFile(`${dir.path}/missing.yaml`), undefined);
  // A path through a regular file is missing too, on both runtimes (Deno says "Not a directory").
  assert.equal(await runtime.readFile(`${path}/below-a-file.yaml`), undefined);
  // A folder is not a missing file, on both runtimes: ~/.hydra.yaml made a folder by mistake is said.
  mkdirSync(`${dir.path}/folder.yaml`);
  writeFileSync(`${dir.path}/folder.yaml/inside`, "x");
  await assert.rejects(runtime.readFile(`${dir.path}/folder.yaml`), { name: "InputError", message: `${dir.path}/folder.yaml is a directory, not a file` });
});

test("reading a named pipe: what its writer sent (a shell's <(…) is a pipe too)", { skip: process.platform === "win32" }, async () => {
  const fifo = `${dir.path}/fifo`;
  execFileSync("mkfifo", [fifo]);
  const writer = spawn("sh", ["-c", `printf 'from a pipe' > '${fifo}'`], { stdio: "ignore" });
  const exited = new Promise((resolve) => writer.on("exit", resolve));
  assert.equal(text(await runtime.readFile(fifo)), "from a pipe");
  assert.equal(await exited, 0);
});
