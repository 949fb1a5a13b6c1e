// How the token commands turn --client-id, --client-secret, --private-key and
// --token-endpoint-auth-method into a client: every mistake is a usage error before any
// input is read; a secret on the command line warns, one from stdin does not.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CommandContext } from "../../src/cli/context.ts";
import { clientFromArgs } from "../../src/commands/_tokens.ts";
import { InputError, UsageError } from "../../src/errors.ts";
import { pkcs8Pem } from "../support/keys.ts";
import { runtime } from "../support/runtime.ts";

type ClientArgs = Parameters<typeof clientFromArgs>[0];

function context(stdin: string, given: string[] = []) {
  const notices: string[] = [];
  let reads = 0;
  const ctx: CommandContext = {
    runtime: {
      ...runtime,
      isTerminal: () => false,
      stdin: () => {
        reads++;
        return new Response(stdin).body!;
      },
    },
    given: new Set(given),
    path: ["perform", "client-credentials"],
    flagOrder: given,
    notify: (message) => void notices.push(message),
  };
  return { ctx, notices, reads: () => reads };
}

const args = (values: Partial<Record<keyof ClientArgs, string>>): ClientArgs => values as ClientArgs;

test("a secret: client_secret_basic by default; on the command line it warns, from stdin it does not", async () => {
  const given = context("", ["client-secret"]);
  assert.deepEqual(await clientFromArgs(args({ "client-id": "a", "client-secret": "s" }), given.ctx), { clientId: "a", method: "client_secret_basic", secret: "s" });
  assert.match(given.notices.join("\n"), /^warning: a secret given on the command line/);

  const piped = context("s3cret\n", ["client-secret"]);
  const client = await clientFromArgs(args({ "client-id": "a", "client-secret": "-", "token-endpoint-auth-method": "client_secret_post" }), piped.ctx);
  assert.deepEqual(client, { clientId: "a", method: "client_secret_post", secret: "s3cret" });
  assert.deepEqual(piped.notices, []);
});

test("an empty OAUTH2_CLIENT_SECRET is no secret; a public client is method none unless the grant needs a secret", async () => {
  const { ctx } = context("");
  assert.deepEqual(await clientFromArgs(args({ "client-id": "a", "client-secret": "" }), ctx), { clientId: "a", method: "none" });
  // --client-secret "" on the command line: no secret, so nothing for the shell history to keep.
  const empty = context("", ["client-secret"]);
  assert.deepEqual(await clientFromArgs(args({ "client-id": "a", "client-secret": "" }), empty.ctx), { clientId: "a", method: "none" });
  assert.deepEqual(empty.notices, []);
  await assert.rejects(clientFromArgs(args({ "client-id": "a" }), ctx, { confidential: true }), (error: Error) => error instanceof UsageError && /no client secret given/.test(error.message));
});

test("mistakes are usage errors, and nothing is read from stdin before they are found", async () => {
  const mistakes: [Partial<Record<keyof ClientArgs, string>>, RegExp, string?][] = [
    [{}, /no OAuth 2.0 client ID given/],
    [{ "client-id": "a", "token-endpoint-auth-method": "private_key_jwt" }, /private_key_jwt needs --private-key/],
    [{ "client-id": "a", "private-key": "k", "token-endpoint-auth-method": "client_secret_basic" }, /does not go with --token-endpoint-auth-method client_secret_basic/],
    [{ "client-id": "a", "token-endpoint-auth-method": "client_secret_post" }, /client_secret_post needs --client-secret/],
    [{ "client-id": "a", "client-secret": "-", "token-endpoint-auth-method": "none" }, /none sends no secret/],
    [{ "client-id": "a", "client-secret": "-", "private-key-id": "k1" }, /^--private-key-id names the key of --private-key; give that too$/],
    [{ "client-id": "a", "private-key": "-", "private-key-id": "" }, /^--private-key-id is empty$/],
    [{ "client-id": "a", "client-secret": "-", "private-key": "-" }, /only one input can come from stdin/],
    [{ "client-id": "a", "client-secret": "-" }, /not TOKEN - and --client-secret -/, "TOKEN -"],
  ];
  for (const [values, message, stdinTakenBy] of mistakes) {
    const { ctx, reads } = context("s");
    await assert.rejects(clientFromArgs(args(values), ctx, { stdinTakenBy }), (error: Error) => error instanceof UsageError && message.test(error.message), JSON.stringify(values));
    assert.equal(reads(), 0, JSON.stringify(values));
  }
});

test("a secret that --private-key cannot use is named where it came from: the flag, or the variable", async () => {
  const fromFlag = context("", ["client-secret", "private-key"]).ctx;
  await assert.rejects(clientFromArgs(args({ "client-id": "a", "client-secret": "s", "private-key": "k.pem" }), fromFlag), {
    message: "--private-key sends no secret, but --client-secret gives one; leave it out",
  });
  const fromEnv = context("", ["private-key"]).ctx;
  await assert.rejects(clientFromArgs(args({ "client-id": "a", "client-secret": "s", "private-key": "k.pem" }), fromEnv), {
    message: "--private-key sends no secret, but the OAUTH2_CLIENT_SECRET environment variable (or the config file) gives one; leave it out",
  });
});

test("a secret from stdin that is empty or several lines is refused", async () => {
  for (const stdin of ["", "\n", "one\ntwo\n"]) {
    const { ctx } = context(stdin);
    await assert.rejects(clientFromArgs(args({ "client-id": "a", "client-secret": "-" }), ctx), (error: Error) => error instanceof InputError, JSON.stringify(stdin));
  }
});

test("--private-key-id names the key in the assertion: a PEM key has no kid of its own, a JWK's is replaced", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const pem = pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const jwk = JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), kid: "own" });
  const kid = async (stdin: string, keyId?: string) => (await clientFromArgs(args({ "client-id": "a", "private-key": "-", "private-key-id": keyId }), context(stdin).ctx)).privateKey!.kid;
  assert.equal(await kid(pem), undefined);
  assert.equal(await kid(pem, "k1"), "k1");
  assert.equal(await kid(jwk), "own");
  assert.equal(await kid(jwk, "k1"), "k1");
});
