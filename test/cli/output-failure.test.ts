// Output as a process meets it, from the sources on this runtime and from the compiled
// binary: a regular file (`>> out.json`), which must get all of it, and output that cannot
// be written: a full disk (/dev/full) and a pipe whose reader is gone (`| head`). What was
// done must be said, and nothing more done once a result is lost.
import assert from "node:assert/strict";
import { chmodSync, readFileSync, statSync } from "node:fs";
import { after, test } from "node:test";
import { run, targets } from "../support/cli.ts";
import { serveFakeHydra } from "../support/fake-hydra.ts";
import { tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

async function withFake(body: (url: string, fake: Awaited<ReturnType<typeof serveFakeHydra>>["fake"]) => Promise<void>, clients: string[] = []) {
  const server = await serveFakeHydra({ version: "v2", clients: clients.map((client_id) => ({ client_id })) });
  try {
    await body(server.url, server.fake);
    assert.deepEqual(server.fake.violations, []);
  } finally {
    await server.close();
  }
}

for (const { label, binary, skip, command } of targets) {
  const hydractl = (args: string[], stdout: "full" | "closed") => run(args, { binary, stdout, env: { HOME: dir.path } });

  test(`${label}: output appended to a file (>>) lands whole after what the file held, as in a pipe`, { skip }, async () => {
    // Past 64 KiB, a pipe's buffer, so that a write may be taken in parts; and past the KiB
    // from which Bun.write grew an appended file by NUL bytes first (src/runtime/bun.ts).
    const ids = Array.from({ length: 800 }, (_, i) => `file-output-${String(i).padStart(4, "0")}-${"x".repeat(80)}`);
    await withFake(async (url) => {
      // --all writes each page as it arrives: many writes, which must land in order.
      const args = ["clients", "list", "--all", "-e", url, "--format", "json"];
      const piped = await run(args, { binary, env: { HOME: dir.path } });
      assert.equal(piped.code, 0, piped.stderr);
      assert.ok(piped.stdout.length > 65_536 && ids.every((id) => piped.stdout.includes(id)));
      const path = dir.write(`listing-${label}.json`, "before\n");
      const { code, stderr } = await run(args, { binary, stdout: { append: path }, env: { HOME: dir.path } });
      assert.deepEqual([code, stderr], [0, ""]);
      const written = readFileSync(path, "utf8");
      // Compared whole, but not printed whole: a failure would fill the screen.
      assert.equal(written.split("\0").length - 1, 0, "NUL bytes in the file");
      assert.ok(written === `before\n${piped.stdout}`, `the file is not its first line, then the output (${written.length} characters)`);
    }, ids);
  });

  test(`${label}: the root's help and the version appended to a file (>>) land after what the file held`, { skip }, async () => {
    for (const args of [["--help"], ["--version"]]) {
      const piped = await run(args, { binary, env: { HOME: dir.path } });
      const path = dir.write(`answer-${label}.txt`, "before\n");
      const { code, stderr } = await run(args, { binary, stdout: { append: path }, env: { HOME: dir.path } });
      assert.deepEqual([code, stderr], [0, ""]);
      assert.equal(readFileSync(path, "utf8"), `before\n${piped.stdout}`);
    }
  });

  test(`${label}: a file that takes only part of the output (a size limit) fails with one line that names the client made`, { skip }, async () => {
    // A file size limit (`ulimit -f`) fails a write with EFBIG, as a full disk does with
    // ENOSPC, once the signal it sends first is ignored, as a shell's trap can.
    const limited = dir.write(`limited-${label}.sh`, '#!/bin/sh\ntrap "" XFSZ\nulimit -f 64\nexec "$@"\n');
    chmodSync(limited, 0o755);
    await withFake(async (url, fake) => {
      const path = dir.write(`limited-${label}.json`, "");
      // 100 KB of name in the JSON: past the limit, 32 KiB (64 blocks of 512 bytes, as dash and
      // a POSIX shell count them) or 64 KiB (of 1,024, as bash run as bash counts them).
      const args = ["clients", "create", "-e", url, "-n", "n".repeat(100_000), "--format", "json"];
      const { code, stderr } = await run([...command, ...args], { binary: limited, stdout: { append: path }, env: { HOME: dir.path } });
      const [made] = fake.clients.keys();
      assert.equal(code, 1, stderr);
      // In the same words on both runtimes, which word EFBIG differently.
      assert.equal(stderr, `Error: client ${made} was created (and the secret Hydra generated for it is lost), but the output could not be written: the file reached its size limit\n`);
      assert.ok(statSync(path).size < 100_000);
    });
  });

  test(`${label}: output on a full disk fails with one line; a closed pipe ends quietly; both exit 1`, { skip }, async () => {
    // The root's help and the version, which the binary answers without its kernel (src/main.ts), and a group's help.
    for (const args of [["--version"], ["--help"], ["clients", "--help"]]) {
      const full = await hydractl(args, "full");
      assert.deepEqual([full.code, full.stderr], [1, "Error: cannot write the output: no space left on device\n"], args.join(" "));
      const closed = await hydractl(args, "closed");
      assert.deepEqual([closed.code, closed.stderr], [1, ""], args.join(" "));
    }
  });

  test(`${label}: clients create names the client it made when its output is lost, pipe closed or disk full`, { skip }, async () => {
    await withFake(async (url, fake) => {
      for (const [stdout, reason] of [["full", "no space left on device"], ["closed", "the reader closed the pipe"]] as const) {
        const { code, stderr } = await hydractl(["clients", "create", "-e", url, "-n", stdout], stdout);
        const made = [...fake.clients.values()].find((client) => client.client_name === stdout);
        assert.ok(made, `a client is made before the output (${stdout})`);
        assert.deepEqual([code, stderr], [1, `Error: client ${made.client_id} was created (and the secret Hydra generated for it is lost), but the output could not be written: ${reason}\n`]);
      }
    });
  });

  test(`${label}: clients import stops creating once a line is lost, and says what is where`, { skip }, async () => {
    await withFake(async (url, fake) => {
      const file = dir.write(`many-${label}.json`, JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ client_id: `m${i}` }))));
      const stopped = await hydractl(["clients", "import", file, "-e", url, "--concurrency", "2"], "full");
      assert.equal(stopped.code, 1);
      // Both workers take a client at once; the first line lost stops them taking more.
      const made = [...fake.clients.keys()].sort();
      assert.deepEqual(made, ["m0", "m1"]);
      const named = /not shown, with any secret Hydra generated for them: (m\d), (m\d);/.exec(stopped.stderr);
      assert.deepEqual(named?.slice(1).sort(), made, stopped.stderr);
      assert.equal(
        stopped.stderr.replace(named![0], "not shown, with any secret Hydra generated for them: …;"),
        "Error: the output could not be written (no space left on device), so the import stopped: 2 of 20 clients created; " +
          "created but not shown, with any secret Hydra generated for them: …; " +
          `not attempted: 18, from ${file}[2] on (run again with --skip-existing to finish)\n`,
      );

      const finished = await run(["clients", "import", file, "-e", url, "--skip-existing"], { binary, env: { HOME: dir.path } });
      assert.equal(finished.code, 0, finished.stderr);
      assert.equal(fake.clients.size, 20);
    });
  });

  test(`${label}: clients import with --format json names every client it made when the output fails`, { skip }, async () => {
    await withFake(async (url, fake) => {
      const file = dir.write(`json-${label}.json`, JSON.stringify([{ client_id: "j1" }, { client_id: "j2", client_secret: "chosen-by-the-file-0123" }]));
      const { code, stderr } = await hydractl(["clients", "import", file, "-e", url, "--format", "json"], "closed");
      assert.deepEqual([...fake.clients.keys()], ["j1", "j2"]);
      assert.deepEqual(
        [code, stderr],
        [1, "Error: the output could not be written (the reader closed the pipe): 2 of 2 clients created; created but not shown, with any secret Hydra generated for them: j1, j2\n"],
      );
    });
  });

  test(`${label}: update and patch say the change was made when their output is lost`, { skip }, async () => {
    await withFake(async (url, fake) => {
      const updated = await hydractl(["update", "client", "u", "--name", "new", "-e", url], "full");
      assert.deepEqual([updated.code, updated.stderr], [1, "Error: client u was updated, but the output could not be written: no space left on device\n"]);
      assert.equal(fake.clients.get("u")?.client_name, "new");
      const patched = await hydractl(["patch", "client", "u", "--replace", "/client_name", '"newer"', "-e", url], "full");
      assert.deepEqual([patched.code, patched.stderr], [1, "Error: client u was patched, but the output could not be written: no space left on device\n"]);
      assert.equal(fake.clients.get("u")?.client_name, "newer");
      // A reader that went away wanted no more, and no secret went with the rest.
      const closed = await hydractl(["update", "client", "u", "--name", "last", "-e", url], "closed");
      assert.deepEqual([closed.code, closed.stderr], [1, ""]);
    }, ["u"]);
  });

  test(`${label}: delete stops once a deletion's line is lost, and says which were deleted and which not attempted`, { skip }, async () => {
    await withFake(async (url, fake) => {
      // Hydra v1.8's spelling prints a line per deletion: the first one lost ends the run.
      const full = await hydractl(["clients", "delete", "a", "b", "c", "-e", url], "full");
      assert.deepEqual([...fake.clients.keys()], ["b", "c"]);
      assert.deepEqual([full.code, full.stderr], [1, "Error: the output could not be written (no space left on device): 1 of 3 clients deleted (a); not attempted: b, c\n"]);
      // A reader that went away is told about too, when something was left undone.
      const closed = await hydractl(["clients", "delete", "b", "c", "-e", url], "closed");
      assert.deepEqual([...fake.clients.keys()], ["c"]);
      assert.deepEqual([closed.code, closed.stderr], [1, "Error: the output could not be written (the reader closed the pipe): 1 of 2 clients deleted (b); not attempted: c\n"]);
      // v2's spelling prints the deleted IDs at the end: all are deleted, and named.
      const atEnd = await hydractl(["delete", "client", "c", "nope", "-e", url], "full");
      assert.equal(fake.clients.size, 0);
      assert.deepEqual([atEnd.code, atEnd.stderr], [1, 'Error: no client "nope"\nError: the output could not be written (no space left on device): 1 of 2 clients deleted (c), 1 not\n']);
    }, ["a", "b", "c"]);
  });
}
