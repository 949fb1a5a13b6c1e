// The secret Hydra generates, encrypted by the compiled binary to a key made by Debian's gpg,
// and decrypted the way the help tells users to: `base64 -d | gpg --decrypt`. Every command
// runs through a shell, as typed, in a throwaway GNUPGHOME.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type FakeHydra, fakeHydra } from "../support/fake-hydra.ts";
import { skipWithoutGpg } from "../support/gpg.ts";
import { serveLocal } from "../support/runtime.ts";
import { e2eEnv, hydractl, missing } from "./support/hydractl.ts";

const SECRET = "hydra-generated-secret-e2e-7f3a";
const USER = "hydractl e2e <e2e@example.invalid>";
const skip = missing(hydractl) || skipWithoutGpg;

let gnupgHome: string;
let fake: FakeHydra;
let hydra: Awaited<ReturnType<typeof serveLocal>>;
let keys: Awaited<ReturnType<typeof serveLocal>>;

/**
 * Runs a shell command line with GNUPGHOME set; returns stdout, throws with stderr on failure.
 * Asynchronous: the servers that answer hydractl live in this process.
 */
function sh(script: string, env: Record<string, string> = {}): Promise<string> {
  const options = { env: e2eEnv({ GNUPGHOME: gnupgHome, HYDRACTL: hydractl, HYDRA: hydra.url, USER_ID: USER, ...env }), timeout: 30_000 };
  return new Promise((resolve, reject) =>
    execFile("/bin/sh", ["-c", script], options, (error, stdout, stderr) =>
      error ? reject(new Error(`sh -c '${script}' exited ${error.code}:\n${stderr}`)) : resolve(stdout),
    ),
  );
}

before(async () => {
  if (skip) return;
  gnupgHome = mkdtempSync(join(tmpdir(), "hydractl-e2e-gnupg-"));
  fake = fakeHydra({ generatedSecret: SECRET });
  hydra = await serveLocal(fake.handler);
  await sh('gpg --batch --passphrase "" --quick-gen-key "$USER_ID" default default never');
  const armored = await sh('gpg --export --armor "$USER_ID"');
  assert.match(armored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  // Plays a web server holding the key (/key.asc) and keybase (/<user>/pgp_keys.asc).
  keys = await serveLocal((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/key.asc" || path === "/e2e_user/pgp_keys.asc") return new Response(armored);
    return new Response("not found", { status: 404 });
  });
});
after(async () => {
  await hydra?.close();
  await keys?.close();
  // The agent gpg started for this GNUPGHOME, and only that one.
  if (gnupgHome) await sh("gpgconf --kill gpg-agent").catch(() => {});
  if (gnupgHome) rmSync(gnupgHome, { recursive: true, force: true });
});

/** The encrypted secret from `clients create`'s default output; the plain one must appear nowhere. */
function encryptedSecret(stdout: string, id: string): string {
  const match = new RegExp(`^OAuth 2\\.0 Client ID: ${id}\\nOAuth 2\\.0 Encrypted Client Secret: ([A-Za-z0-9+/=]+)\\n$`).exec(stdout);
  assert.ok(match, `unexpected output:\n${stdout}`);
  assert.ok(!stdout.includes(SECRET));
  return match[1]!;
}

/** `printf %s "$ENCRYPTED" | base64 -d | gpg --decrypt`, exactly as a user would. */
const decrypt = (encrypted: string) => sh('printf %s "$ENCRYPTED" | base64 -d | gpg --batch --quiet --decrypt', { ENCRYPTED: encrypted });

test('5a. --pgp-key "$(gpg --export --armor … | base64 -w0)": base64 -d | gpg --decrypt gives back the secret', { skip, timeout: 60_000 }, async () => {
  const stdout = await sh('"$HYDRACTL" clients create --endpoint "$HYDRA" --id e2e-pgp-key --pgp-key "$(gpg --export --armor "$USER_ID" | base64 -w0)"');
  assert.equal(await decrypt(encryptedSecret(stdout, "e2e-pgp-key")), SECRET);
});

test("5b. --pgp-key-url: the key fetched from a web server", { skip, timeout: 60_000 }, async () => {
  const stdout = await sh('"$HYDRACTL" clients create --endpoint "$HYDRA" --id e2e-pgp-key-url --pgp-key-url "$KEYS/key.asc"', { KEYS: keys.url });
  assert.equal(await decrypt(encryptedSecret(stdout, "e2e-pgp-key-url")), SECRET);
});

test("5c. --keybase: the key fetched from (a local stand-in for) keybase", { skip, timeout: 60_000 }, async () => {
  const stdout = await sh('"$HYDRACTL" clients create --endpoint "$HYDRA" --id e2e-keybase --keybase e2e_user', { HYDRACTL_KEYBASE_URL: keys.url });
  assert.equal(await decrypt(encryptedSecret(stdout, "e2e-keybase")), SECRET);
  assert.deepEqual(
    fake.received.map((body) => body.client_id),
    ["e2e-pgp-key", "e2e-pgp-key-url", "e2e-keybase"],
  );
});
