// The transport against servers that misbehave: the time budget holds whatever they do,
// a request that changes state is never sent twice when it may have arrived, errors say
// what happened without the runtime's words, and no secret from an answer is quoted.
// Time bounds are generous multiples of the budget: they catch a budget that is ignored
// (a fixed 10 s per attempt), not a slow machine.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, test } from "node:test";
import { loadConfig } from "../../src/cli/config.ts";
import { ApiClient } from "../../src/http/api.ts";
import { excerpt, readJson, redactSecrets } from "../../src/http/body.ts";
import { timeLimit } from "../../src/http/deadline.ts";
import { parseDuration } from "../../src/cli/duration.ts";
import { endpoint as parseEndpoint } from "../../src/cli/parsers.ts";
import { InputError } from "../../src/errors.ts";
import { createTransport } from "../../src/http/transport.ts";
import { unreadable } from "../../src/runtime/failure.ts";
import { processCreateClientResponse } from "../../src/hydra/clients.ts";
import { processCreateKeyResponse } from "../../src/hydra/jwks.ts";
import { formatTable } from "../../src/cli/output.ts";
import { clientsTable, legacyRows, markdownTable } from "../../src/commands/clients/_shared.ts";
import { findMetadata } from "../../src/oauth/metadata.ts";
import {
  cutBodyServer,
  fixedAnswerServer,
  type HostileServer,
  plainHttpServer,
  resetAfterReadServer,
  resetBeforeReadServer,
  silentServer,
  tricklingServer,
} from "../support/hostile-server.ts";
import { runtime, serveLocal, tempDir, testCertificate } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

function client(url: string, failAfterMs: number) {
  return new ApiClient({ endpoint: parseEndpoint(url, "--endpoint"), fetch: createTransport(runtime, {}), failAfterMs, initialBackoffMs: 10 });
}

async function withServer<T>(server: HostileServer, body: (server: HostileServer) => Promise<T>): Promise<T> {
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** How long `promise` took to settle, and how. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: Error & { code?: string } }> {
  const started = Date.now();
  const error = await promise.then(
    () => assert.fail("expected a failure"),
    (error: Error) => error,
  );
  return { ms: Date.now() - started, error };
}

const RUNTIME_WORDS = /verbose: true|ECONNRESET|os error|fetch failed|operation timed out|TypeError/;

test("a silent server: the budget is the whole wait, not one attempt's 10 s", async () => {
  await withServer(await silentServer(), async (server) => {
    const { ms, error } = await timed(client(server.url, 1000).send("GET", "/clients"));
    assert.equal(error.name, "NetworkError");
    assert.equal(error.message, `${server.url}/clients did not answer within 1s (gave up after 1s)`);
    assert.ok(ms < 4000, `took ${ms} ms`);
  });
});

test("a trickling body cannot outlast the budget", async () => {
  await withServer(await tricklingServer(200, 10_000, 100), async (server) => {
    const work = client(server.url, 1000)
      .send("GET", "/clients")
      .then((response) => readJson(response, "listing clients"));
    const { ms, error } = await timed(work);
    assert.equal(error.message, `${server.url}/clients did not finish sending its answer within 1s`);
    assert.ok(ms < 4000, `took ${ms} ms`);
  });
});

test("a POST that reached the server and lost its connection is not sent again", async () => {
  await withServer(await resetAfterReadServer(), async (server) => {
    const { error } = await timed(client(server.url, 3000).send("POST", "/clients", { client_id: "x" }));
    assert.equal(server.requests, 1);
    assert.equal(error.name, "UncertainOutcomeError");
    assert.match(error.message, /closed the connection without answering.*The POST may have reached the server and taken effect, so it was not sent again$/);
    assert.doesNotMatch(error.message, RUNTIME_WORDS);
  });
});

test("a connection closed before the request was read: a POST is sent again only if the runtime knows it never left", async () => {
  await withServer(await resetBeforeReadServer(), async (server) => {
    const { error } = await timed(client(server.url, 500).send("POST", "/clients", {}));
    assert.equal(server.requests, 0);
    // Deno fails such a connection while connecting, before writing the request: retried
    // until the budget. Bun only says ECONNRESET, which may come after the request was read.
    if (error.name === "UncertainOutcomeError") assert.equal(server.connections, 1);
    else assert.ok(error.name === "NetworkError" && server.connections > 1, `${error.name}, ${server.connections} connections`);
    assert.doesNotMatch(error.message, RUNTIME_WORDS);
  });
});

test("a GET is retried after resets until the budget, then the reset is named", async () => {
  await withServer(await resetAfterReadServer(), async (server) => {
    const { ms, error } = await timed(client(server.url, 500).send("GET", "/clients"));
    assert.ok(server.requests > 1, `${server.requests} requests`);
    assert.equal(error.name, "NetworkError");
    assert.match(error.message, /^http:\/\/127\.0\.0\.1:\d+\/clients closed the connection without answering; is it the right server and port\? \(gave up after 500ms\)$/);
    assert.ok(ms < 4000, `took ${ms} ms`);
  });
});

test("a silent server and a POST: one request, bounded by the budget, and said to be uncertain", async () => {
  await withServer(await silentServer(), async (server) => {
    const { ms, error } = await timed(client(server.url, 1000).send("POST", "/clients", {}));
    assert.equal(server.requests, 1);
    assert.equal(error.name, "UncertainOutcomeError");
    assert.match(error.message, /did not answer within 1s\. The POST may have reached the server/);
    assert.ok(ms < 4000, `took ${ms} ms`);
  });
});

test("a POST is retried when it provably never arrived (refused) or the server says it did not process it (503, 429)", async () => {
  const closed = await serveLocal(() => new Response());
  const url = closed.url;
  await closed.close();
  const { error } = await timed(client(url, 300).send("POST", "/clients", {}));
  assert.equal(error.name, "NetworkError");
  assert.match(error.message, /connection refused.*gave up after 300ms/);

  let attempts = 0;
  const busy = await serveLocal(() => {
    attempts++;
    if (attempts === 1) return new Response("busy", { status: 503 });
    if (attempts === 2) return new Response("slow down", { status: 429 });
    return Response.json({ client_id: "x" }, { status: 201 });
  });
  try {
    assert.equal((await client(busy.url, 3000).send("POST", "/clients", {})).status, 201);
    assert.equal(attempts, 3);
  } finally {
    await busy.close();
  }
});

test("a POST answered 500 is final; 502 from a gateway may have taken effect", async () => {
  for (const [status, name] of [
    [500, undefined],
    [502, "UncertainOutcomeError"],
  ] as const) {
    let attempts = 0;
    const server = await serveLocal(() => {
      attempts++;
      return new Response("oops", { status });
    });
    try {
      const sent = client(server.url, 2000).send("POST", "/clients", {});
      if (name) await assert.rejects(sent, { name, message: /502 .*oops\. The POST may have reached the server/ });
      else assert.equal((await sent).status, 500);
      assert.equal(attempts, 1);
    } finally {
      await server.close();
    }
  }
});

test("https:// to a port that speaks plain HTTP says so, and is not retried", async () => {
  await withServer(await plainHttpServer(), async (server) => {
    const { ms, error } = await timed(client(`https://127.0.0.1:${server.port}`, 5000).send("GET", "/clients"));
    assert.equal(error.code, "E_NOT_TLS");
    assert.equal(error.message, `https://127.0.0.1:${server.port}/clients does not speak TLS on this port (plain HTTP?); use http:// instead of https://`);
    assert.ok(ms < 4000, `took ${ms} ms`);
  });
});

test("a body cut off mid-answer is named, without the runtime's words", async () => {
  await withServer(await cutBodyServer(200, '{"client_id":"x"'), async (server) => {
    const response = await client(server.url, 2000).send("GET", "/clients/x");
    const { error } = await timed(readJson(response, "fetching the client"));
    assert.equal(error.message, `${server.url}/clients/x closed the connection in the middle of its answer`);
  });
});

test("a truncated 201 carrying a secret: created, the secret not quoted", async () => {
  const secret = "s3cr3t-do-not-print";
  await withServer(await fixedAnswerServer(201, `{"client_id":"abc","client_secret":"${secret}","grant_types":["authoriz`), async (server) => {
    const response = await client(server.url, 2000).send("POST", "/clients", {});
    const { error } = await timed(processCreateClientResponse(response));
    assert.equal(error.name, "UncertainOutcomeError");
    assert.doesNotMatch(error.message, new RegExp(secret));
    assert.match(error.message, /"client_secret":"\[secret\]"/);
    assert.match(error.message, /Hydra answered 201, so the client was most likely created/);
  });
  // A 201 that is not a client asks a question, and the sentence after it follows without a stray period.
  await withServer(await fixedAnswerServer(201, "[]"), async (server) => {
    const { error } = await timed(processCreateClientResponse(await client(server.url, 2000).send("POST", "/clients", {})));
    assert.match(error.message, /\? Hydra answered 201, so the client was most likely created/);
  });
});

test("a 201 whose fields are of the wrong type: a secret that is not text is refused, as created; any other field shows as JSON", async () => {
  const { error } = await timed(processCreateClientResponse(new Response('{"client_id":"abc","client_secret":{"v":1}}', { status: 201 })));
  assert.equal(error.name, "UncertainOutcomeError");
  assert.match(error.message, /^creating the client answered a client_secret that is not text; is the endpoint Hydra's admin API\? Hydra answered 201, so the client was most likely created/);
  const odd = await processCreateClientResponse(new Response('{"client_id":"abc","scope":["openid"],"client_name":7,"grant_types":"x"}', { status: 201 }));
  assert.equal(formatTable(clientsTable([odd])).split("\n")[4], 'SCOPE           ["openid"]');
  assert.match(markdownTable(legacyRows([odd])), /\| abc +\| +7 \| +\| \["openid"\] \| +\| x +\|/);
});

test("an endpoint whose port is above 65535 is said so, not as no URL at all", () => {
  for (const [value, port] of [["http://[::1]:99999", "99999"], ["https://hydra.example:65536/admin", "65536"]]) {
    assert.throws(() => parseEndpoint(value!, "--endpoint"), { name: "UsageError", message: `invalid --endpoint "${value}": its port ${port} is above 65535, the highest there is` });
  }
  assert.throws(() => parseEndpoint("hydra", "--endpoint"), { message: 'invalid --endpoint "hydra": expected an http(s) URL such as http://127.0.0.1:4445' });
});

test("a 201 to create jwks with no key in its set says the key was most likely made, not an empty table", async () => {
  const { error } = await timed(processCreateKeyResponse(new Response('{"keys":[]}', { status: 201 }), "s"));
  assert.equal(error.name, "UncertainOutcomeError");
  assert.equal(error.message, 'creating a key in set "s": the answer holds no key. Hydra answered 201, so the key was most likely created; see it with: get jwks s');
});

test("secret-bearing fields are redacted in JSON, cut-off JSON, nested JSON and forms", () => {
  const cases: [string, string][] = [
    ['{"client_id":"a","client_secret":"x1","n":1}', '{"client_id":"a","client_secret":"[secret]","n":1}'],
    ['{"access_token": "x2", "refresh_token":"x3", "id_token":"x4"}', '{"access_token": "[secret]", "refresh_token":"[secret]", "id_token":"[secret]"}'],
    ['{"client_id":"a","client_secret":"x5-cut', '{"client_id":"a","client_secret":"[secret]"'],
    ['{"client_secret":"a\\"b","device_code":7,"error_code":5}', '{"client_secret":"[secret]","device_code":"[secret]","error_code":5}'],
    ['{"error_debug":"{\\"client_secret\\":\\"x6\\",\\"a\\":1}"}', '{"error_debug":"{\\"client_secret\\":"[secret]",\\"a\\":1}"}'],
    ["code=x7&state=s&client_secret=x8", "code=[secret]&state=s&client_secret=[secret]"],
  ];
  for (const [text, redacted] of cases) assert.equal(redactSecrets(text), redacted);
  assert.doesNotMatch(excerpt(`{"client_secret":"${"y".repeat(200)}"}`), /y/);
});

test("a duration that overflows or exceeds a day is a usage error", () => {
  for (const bad of [`${"9".repeat(120_000)}s`, "25h", "1e400s"]) {
    assert.throws(() => parseDuration(bad, "--fail-after"), { name: "UsageError", message: /for --fail-after/ });
  }
  assert.equal(parseDuration("24h", "--fail-after"), 86_400_000);
});

test("a file the user may not read is said so, as the other file problems are; other failures stay as thrown", () => {
  // Both runtimes' errors carry Node's code (Deno's PermissionDenied too). Tests run as root,
  // who may read anything, so the error is made here.
  const denied = Object.assign(new Error("EACCES: permission denied, open '/etc/shadow'"), { code: "EACCES" });
  const said = unreadable("/etc/shadow", denied);
  assert.ok(said instanceof InputError);
  assert.equal((said as InputError).message, "/etc/shadow cannot be read: permission denied");
  const other = Object.assign(new Error("EIO"), { code: "EIO" });
  assert.equal(unreadable("/x", other), other);
});

test("--config naming a directory says it is a directory", async () => {
  await assert.rejects(loadConfig(runtime, dir.path), { name: "ConfigError", message: `config file ${dir.path} is a directory, not a file` });
});

test("discovery answered by a document that never ends stops at 64 MiB, not at the memory's end", async () => {
  const chunk = new Uint8Array(1 << 20).fill(0x20);
  const endless = await serveLocal(() => new Response(new ReadableStream({ pull: (controller) => controller.enqueue(chunk) }), { headers: { "Content-Type": "application/json" } }));
  try {
    const { error } = await timed(findMetadata({ issuer: new URL(endless.url), fetch: createTransport(runtime, {}), allowHttp: true }));
    assert.equal(error.name, "NetworkError");
    assert.equal(error.message, `${endless.url}/.well-known/openid-configuration sent an answer larger than 64 MiB, more than hydractl reads; is the URL right?`);
  } finally {
    await endless.close();
  }
});

test("a compressed answer is bounded as it decompresses, and one that does not decompress says so", async () => {
  // 100 MiB of JSON in about 100 KiB of gzip, with that length declared: read whole, it
  // would all be in memory before any bound applied.
  const bomb = gzipSync(new Uint8Array(100 * 1024 * 1024).fill(0x20));
  const server = await serveLocal((request) => {
    const body = new URL(request.url).pathname === "/bomb" ? bomb : bomb.subarray(0, 4096);
    return new Response(body, { headers: { "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(body.byteLength) } });
  });
  try {
    const fetch = createTransport(runtime, {});
    const big = await fetch(`${server.url}/bomb`);
    await assert.rejects(readJson(big, "GET /bomb"), { message: `${server.url}/bomb sent an answer larger than 64 MiB, more than hydractl reads; is the URL right?` });
    const broken = await fetch(`${server.url}/broken`);
    await assert.rejects(readJson(broken, "GET /broken"), { message: `${server.url}/broken sent a compressed answer (gzip) that broke off or does not decompress` });
  } finally {
    await server.close();
  }
});

test("a discovery document whose endpoints are no http(s) URLs (javascript:, file:) fails at once, naming the member", async () => {
  for (const [member, value] of [["authorization_endpoint", "javascript:alert(1)"], ["token_endpoint", "file:///etc/passwd"], ["jwks_uri", 7]] as const) {
    const server = await serveLocal((request) =>
      Response.json({ issuer: new URL(request.url).origin, authorization_endpoint: "http://a.example/auth", token_endpoint: "http://a.example/token", [member]: value }),
    );
    try {
      const { error } = await timed(findMetadata({ issuer: new URL(server.url), fetch: createTransport(runtime, {}), allowHttp: true }));
      assert.equal(error.name, "FlowError");
      assert.equal(error.message, `OpenID discovery at ${server.url}/.well-known/openid-configuration failed: its ${member} ${JSON.stringify(value)} is not an http(s) URL`);
    } finally {
      await server.close();
    }
  }
});

test("under an https issuer, a plain-http authorization endpoint, token endpoint or key set fails discovery, before any sign-in; one the user gave wins", async () => {
  // An issuer a member: /token_endpoint/.well-known/openid-configuration makes that one plain http.
  const server = await serveLocal((request) => {
    const { origin, pathname } = new URL(request.url);
    const member = pathname.split("/")[1]!;
    const issuer = `${origin}/${member}`;
    const document: Record<string, unknown> = { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` };
    document[member] = "http://sso.example/x";
    return Response.json(document);
  }, await testCertificate());
  try {
    const fetch = createTransport(runtime, { skipTlsVerify: true });
    const issuer = (member: string) => new URL(`${server.url}/${member}`);
    for (const member of ["authorization_endpoint", "token_endpoint", "jwks_uri"]) {
      const { error } = await timed(findMetadata({ issuer: issuer(member), fetch, allowHttp: false }));
      assert.match(error.message, new RegExp(`its ${member} "http://sso\\.example/x" is plain http under an https issuer, which would send sign-ins and tokens unencrypted$`));
      // Where plain http was allowed (a URL the user gave is http), so it is.
      assert.equal((await findMetadata({ issuer: issuer(member), fetch, allowHttp: true })).source, "discovery");
    }
    const given = await findMetadata({ issuer: issuer("token_endpoint"), tokenUrl: new URL("https://sso.example/token"), fetch, allowHttp: false });
    assert.equal(given.server.token_endpoint, "https://sso.example/token");
  } finally {
    await server.close();
  }
});

test("discovery answered by a server that stalls mid-document is a timeout, not a JSON error", async () => {
  await withServer(await tricklingServer(200, 10_000, 100), async (server) => {
    const transport = createTransport(runtime, {});
    // perform allows 10 s; a shorter limit keeps the test short.
    const fetch: typeof transport = (url, init) => transport(url, { ...init, signal: timeLimit(1000) });
    const { ms, error } = await timed(findMetadata({ issuer: new URL(server.url), fetch, allowHttp: true }));
    assert.equal(error.name, "NetworkError");
    assert.equal(error.message, `${server.url}/.well-known/openid-configuration did not finish sending its answer within 1s`);
    assert.ok(ms < 4000, `took ${ms} ms`);
  });
});
