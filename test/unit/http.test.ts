import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { after, test } from "node:test";
import { ApiClient, apiError, mayHaveReachedServer } from "../../src/http/api.ts";
import { NetworkError, UncertainOutcomeError } from "../../src/errors.ts";
import { FetchFailure, fromNodeError } from "../../src/runtime/failure.ts";
import { readJson } from "../../src/http/body.ts";
import { endpoint as parseEndpoint } from "../../src/cli/parsers.ts";
import { createTransport } from "../../src/http/transport.ts";
import { fixedAnswerServer, rawAnswerServer } from "../support/hostile-server.ts";
import { runtime, serveLocal, tempDir, testCertificate } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

function client(url: string, options: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const endpoint = parseEndpoint(url, "--endpoint");
  return new ApiClient({
    endpoint,
    fetch: createTransport(runtime, { unixSocket: endpoint.unixSocket }),
    failAfterMs: 2000,
    initialBackoffMs: 10,
    ...options,
  });
}

test("endpoints: http(s) URLs keep their path prefix; unix sockets; anything else is refused", () => {
  assert.equal(parseEndpoint("http://h:4445/admin", "--endpoint").baseUrl.href, "http://h:4445/admin/");
  assert.deepEqual(parseEndpoint("unix:///run/hydra.sock", "--endpoint").unixSocket, "/run/hydra.sock");
  assert.deepEqual(parseEndpoint("UNIX:///run/hydra.sock", "--endpoint").unixSocket, "/run/hydra.sock");
  // A URL that does not parse is quoted with its password hidden, whatever it holds (a space, an @).
  for (const [bad, shown] of [["http://admin:S3cret PW@[127.0.0.1", "http://admin:[secret]@[127.0.0.1"], ["admin:p@ss w@host", "admin:[secret]@host"], ["http://admin:pa/ss@[h", "http://admin:[secret]@[h"]]) {
    assert.throws(() => parseEndpoint(bad!, "-e"), { message: `invalid -e "${shown}": expected an http(s) URL such as http://127.0.0.1:4445` });
  }
  for (const bad of ["localhost:4445", "ftp://h", "unix://relative", "http://h/?q=1", "http://127.0.0.1:0"]) {
    assert.throws(() => parseEndpoint(bad, "--endpoint"), { name: "UsageError", message: /invalid --endpoint/ });
  }
});

test("headers: -H, bearer token, fake TLS termination, and the path prefix", async () => {
  let seen: { path: string; headers: Headers } | undefined;
  const server = await serveLocal((request) => {
    seen = { path: new URL(request.url).pathname, headers: new Headers(request.headers) };
    return Response.json({ ok: true });
  });
  try {
    const api = new ApiClient({
      endpoint: parseEndpoint(`${server.url}/prefix`, "--endpoint"),
      fetch: createTransport(runtime, { headers: [["X-Tenant", "a:b"]], fakeTlsTermination: true }),
      accessToken: "tok",
    });
    const response = await api.send("POST", "/clients", { a: 1 });
    assert.deepEqual(await readJson(response, "test"), { ok: true });
    assert.equal(seen!.path, "/prefix/clients");
    assert.equal(seen!.headers.get("x-tenant"), "a:b");
    assert.equal(seen!.headers.get("authorization"), "Bearer tok");
    assert.equal(seen!.headers.get("x-forwarded-proto"), "https");
    assert.equal(seen!.headers.get("content-type"), "application/json");
  } finally {
    await server.close();
  }
});

test("5xx is retried until it succeeds, announcing the retry once", async () => {
  let attempts = 0;
  const server = await serveLocal(() => (++attempts < 4 ? new Response("busy", { status: 503 }) : Response.json({})));
  const notices: string[] = [];
  try {
    const response = await client(server.url, { onRetry: (m) => notices.push(m) }).send("GET", "/health");
    assert.equal(response.status, 200);
    assert.equal(attempts, 4);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, new RegExp(`^${server.url}/health answered 503; retrying for up to \\d+m?s in all \\(Ctrl\\+C stops\\)$`));
  } finally {
    await server.close();
  }
});

test("4xx is final at once", async () => {
  let attempts = 0;
  const server = await serveLocal(() => {
    attempts++;
    return Response.json({ error: "invalid_request" }, { status: 400 });
  });
  try {
    assert.equal((await client(server.url).send("GET", "/")).status, 400);
    assert.equal(attempts, 1);
  } finally {
    await server.close();
  }
});

test("an unreachable server is retried until --fail-after, then named; with none, tried once", async () => {
  const server = await serveLocal(() => new Response());
  const url = server.url;
  await server.close();
  const started = Date.now();
  await assert.rejects(client(url, { failAfterMs: 300 }).send("GET", "/"), {
    name: "NetworkError",
    message: new RegExp(`^cannot connect to ${url}/: connection refused; is the server running, and is the port right\\? \\(gave up after 300ms\\)$`),
  });
  assert.ok(Date.now() - started >= 200);
  // Without a budget (--fail-after 0) there is one attempt, and no wait to report.
  await assert.rejects(client(url, { failAfterMs: 0 }).send("GET", "/"), {
    name: "NetworkError",
    message: new RegExp(`^cannot connect to ${url}/: connection refused; is the server running, and is the port right\\? \\(one attempt, no retry\\)$`),
  });
});

test("Hydra's two error dialects become one line", async () => {
  const oauth = Response.json(
    { error: "invalid_client_metadata", error_description: "The value of one of the metadata fields is invalid.", error_hint: "Field redirect_uris is not a URI.", status_code: 400 },
    { status: 400, statusText: "Bad Request" },
  );
  assert.equal(
    (await apiError(oauth, "POST /clients")).message,
    "POST /clients failed: 400 Bad Request: The value of one of the metadata fields is invalid. Field redirect_uris is not a URI.",
  );
  const generic = Response.json({ error: { code: 409, status: "Conflict", message: "Unable to insert or update resource because a resource with that value exists already" } }, { status: 409 });
  assert.equal(
    (await apiError(generic, "POST /clients")).message,
    "POST /clients failed: 409 Conflict: Unable to insert or update resource because a resource with that value exists already",
  );
  // Hydra v1.8.5 ends its description with the hint it also sends on its own.
  const repeated = Response.json(
    {
      error: "invalid_client_metadata",
      error_description: "The value of one of the Client Metadata fields is invalid and the server has rejected this request. Subject type pairwise is not supported by server, only [public] are allowed.",
      error_hint: "Subject type pairwise is not supported by server, only [public] are allowed.",
    },
    { status: 400 },
  );
  assert.equal(
    (await apiError(repeated, "POST /clients")).message,
    "POST /clients failed: 400 Bad Request: The value of one of the Client Metadata fields is invalid and the server has rejected this request. Subject type pairwise is not supported by server, only [public] are allowed.",
  );
  const html = new Response("<html>\n<body>Bad gateway</body></html>", { status: 502, statusText: "Bad Gateway" });
  assert.equal((await apiError(html, "GET /")).message, "GET / failed: 502 Bad Gateway: <html> <body>Bad gateway</body></html>");
});

test("bodies that are not JSON, or too large, are clear errors", async () => {
  await assert.rejects(readJson(new Response("<html>login</html>", { headers: { "content-type": "text/html" } }), "GET /clients"), {
    name: "ApiError",
    message: /GET \/clients answered 200 with a body that is not JSON \(text\/html\): <html>login<\/html>/,
  });
  const huge = new ReadableStream({
    pull(controller) {
      controller.enqueue(new Uint8Array(1024 * 1024));
    },
  });
  await assert.rejects(readJson(new Response(huge), "GET /"), { message: "GET /: the answer is larger than 64 MiB, more than hydractl reads; is the URL right?" });
});

test("a unix socket endpoint", async () => {
  const socket = `${dir.path}/hydra.sock`;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    response.setHeader("content-type", "application/json");
    // Deno's socket transport sends the absolute form (GET http://localhost/clients), which
    // HTTP/1.1 servers, Go's included, must accept; the path is what matters.
    response.end(JSON.stringify({ path: new URL(request.url!, "http://localhost").pathname, host: request.headers.host }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    const response = await client(`unix://${socket}`).send("GET", "/clients");
    assert.deepEqual(await readJson(response, "test"), { path: "/clients", host: "localhost" });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("HTTPS: an untrusted certificate fails, with the caller's hint when it gives one; skipping the check accepts it", async () => {
  const server = await serveLocal(() => Response.json({ secure: true }), await testCertificate());
  try {
    // In words, alike on both runtimes: Bun's "self signed certificate", rustls's UnknownIssuer put as Bun would.
    await assert.rejects(client(server.url).send("GET", "/"), {
      name: "NetworkError",
      code: "E_TLS",
      message: /^TLS handshake with .* failed \((self signed certificate|the certificate's issuer is not trusted)\); NODE_EXTRA_CA_CERTS=FILE trusts the certificate authority in that PEM file$/,
    });
    const hinted = new ApiClient({ endpoint: parseEndpoint(server.url, "--endpoint"), fetch: createTransport(runtime, { insecureHint: "try X" }) });
    await assert.rejects(hinted.send("GET", "/"), { code: "E_TLS", message: /failed \(.*\); NODE_EXTRA_CA_CERTS=FILE trusts the certificate authority in that PEM file; try X$/ });
    const insecure = new ApiClient({
      endpoint: parseEndpoint(server.url, "--endpoint"),
      fetch: createTransport(runtime, { skipTlsVerify: true }),
    });
    assert.deepEqual(await readJson(await insecure.send("GET", "/"), "test"), { secure: true });
  } finally {
    await server.close();
  }
});

test("HTTP_PROXY carries requests; NO_PROXY bypasses it", async () => {
  const proxied: string[] = [];
  const proxy = await serveLocal((request) => {
    proxied.push(request.url);
    return Response.json({ via: "proxy" });
  });
  const direct = await serveLocal(() => Response.json({ via: "direct" }));
  const saved = runtime.env;
  const vars: Record<string, string> = { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" };
  (runtime as { env: typeof saved }).env = (name) => vars[name];
  try {
    const fetch = createTransport(runtime, {});
    assert.deepEqual(await (await fetch("http://hydra.test:4445/clients")).json(), { via: "proxy" });
    assert.deepEqual(proxied, ["http://hydra.test:4445/clients"]);
    assert.deepEqual(await (await fetch(`${direct.url}/`)).json(), { via: "direct" });
  } finally {
    (runtime as { env: typeof saved }).env = saved;
    await proxy.close();
    await direct.close();
  }
});

test("a 307 from v1's /clients to v2's /admin/clients is followed on the same server only", async () => {
  const seen: string[] = [];
  const other = await serveLocal(() => Response.json({ leaked: true }));
  const server = await serveLocal(async (request) => {
    const path = new URL(request.url).pathname;
    seen.push(`${request.method} ${path} ${request.headers.get("authorization")} ${await request.text()}`);
    if (path === "/clients") return new Response(null, { status: 307, headers: { location: "/admin/clients" } });
    if (path === "/elsewhere") return new Response(null, { status: 307, headers: { location: `${other.url}/admin/clients` } });
    return Response.json({ created: true }, { status: 201 });
  });
  try {
    const api = client(server.url, { accessToken: "tok" });
    const response = await api.send("POST", "/clients", { a: 1 });
    assert.equal(response.status, 201);
    assert.deepEqual(seen, ['POST /clients Bearer tok {"a":1}', 'POST /admin/clients Bearer tok {"a":1}']);
    assert.equal((await api.send("POST", "/elsewhere", {})).status, 307);
  } finally {
    await server.close();
    await other.close();
  }
});

test("no other redirect is followed: a router cleaning `..` out of an ID does not turn one DELETE into another", async () => {
  const seen: string[] = [];
  const server = await serveLocal((request) => {
    const url = new URL(request.url);
    seen.push(`${request.method} ${url.pathname}${url.search}`);
    // httprouter's answer to a path it cleans, for any method but GET.
    if (url.pathname === "/admin/clients/..%2Fkeys%2Fset") return new Response(null, { status: 308, headers: { location: "/admin/keys/set" } });
    if (url.pathname === "/hydra/clients") return new Response(null, { status: 307, headers: { location: `/admin/clients${url.search}` } });
    if (url.pathname === "/admin/clients") return new Response(null, { status: 308, headers: { location: "/admin/clients?page=2" } });
    return new Response(null, { status: 204 });
  });
  try {
    const api = client(server.url);
    assert.equal((await api.send("DELETE", "/admin/clients/..%2Fkeys%2Fset")).status, 308);
    assert.equal((await api.send("GET", "/admin/clients?page=1")).status, 308);
    assert.deepEqual(seen, ["DELETE /admin/clients/..%2Fkeys%2Fset", "GET /admin/clients?page=1"]);
    // Behind a proxy that serves Hydra under a path, the move under /admin stays under it.
    seen.length = 0;
    assert.equal((await client(`${server.url}/hydra`).send("GET", "/clients?page=1")).status, 204);
    assert.deepEqual(seen, ["GET /hydra/clients?page=1", "GET /hydra/admin/clients?page=1"]);
  } finally {
    await server.close();
  }
});

test("a POST answered with something that is not HTTP may have taken effect: Hydra echoes what it was sent in its headers", async () => {
  // As Hydra answers a client whose ID holds an ESC: its Location header carries it raw.
  const server = await rawAnswerServer("HTTP/1.1 201 Created\r\nLocation: /clients/a\x1bb\r\nContent-Length: abc\r\n\r\n{}");
  try {
    await assert.rejects(client(server.url, { failAfterMs: 60_000 }).send("POST", "/clients", {}), (error: Error) => {
      assert.ok(error instanceof UncertainOutcomeError, error.message);
      assert.equal(mayHaveReachedServer(error), true);
      return true;
    });
  } finally {
    await server.close();
  }
});

test("a connection the system will not make is said in its words, counted as never sent, and one waiting cannot mend is not retried", () => {
  const failure = (code: string) => fromNodeError(Object.assign(new Error(`${code}: Was there a typo in the url or port?`), { code }));
  assert.deepEqual([failure("EACCES").kind, failure("EACCES").unsent, failure("EACCES").message], ["blocked", true, "permission denied (is the unix socket this user's to write to?)"]);
  assert.deepEqual([failure("ENOTDIR").kind, failure("EHOSTUNREACH").kind, failure("EHOSTUNREACH").unsent], ["blocked", "other", true]);
  // No file descriptor left: no socket was made, and one may be once others close.
  assert.deepEqual([failure("EMFILE").kind, failure("EMFILE").unsent, failure("EMFILE").message], ["other", true, "too many open files (this process's limit, ulimit -n, is reached)"]);
  const lost = new NetworkError("cannot reach x", "E_CONNECT", { cause: failure("EHOSTUNREACH") });
  assert.equal(mayHaveReachedServer(lost), false);
  assert.ok(failure("EACCES") instanceof FetchFailure);
});

test("an answer that is not HTTP is said so in hydractl's words, without the runtime's advice", async () => {
  const server = await rawAnswerServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}");
  try {
    await assert.rejects(client(server.url, { failAfterMs: 0 }).send("GET", "/"), (error: Error) => {
      assert.equal(error.name, "NetworkError");
      assert.doesNotMatch(error.message, /verbose|fetching "/);
      assert.match(error.message, /^http:\/\/127\.0\.0\.1:\d+\/ answered with something that is not valid HTTP \(its Content-Length is not a number\)/);
      return true;
    });
  } finally {
    await server.close();
  }
  // Another protocol's greeting: the same words on both runtimes, not Bun's code name nor hyper's.
  const ssh = await rawAnswerServer("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  try {
    await assert.rejects(client(ssh.url, { failAfterMs: 0 }).send("GET", "/"), {
      name: "NetworkError",
      message: /^http:\/\/127\.0\.0\.1:\d+\/ answered with something that is not valid HTTP \(its status line or headers are not HTTP\)$/,
    });
  } finally {
    await ssh.close();
  }
});

test("an untrusted issuer is said in the same words whatever the runtime's TLS library wrote", () => {
  const refused = fromNodeError(Object.assign(new Error("unable to verify the first certificate"), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }));
  assert.deepEqual([refused.kind, refused.message], ["tls", "the certificate's issuer is not trusted"]);
  const named = fromNodeError(Object.assign(new Error("self signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }));
  assert.equal(named.message, "self signed certificate");
});

test("an answer with no final HTTP status (999) is said, not retried, and a POST it answered may have taken effect", async () => {
  const server = await fixedAnswerServer(999, "{}");
  try {
    const started = Date.now();
    await assert.rejects(client(server.url, { failAfterMs: 60_000 }).send("GET", "/clients"), (error: Error) => {
      assert.equal(error.name, "NetworkError");
      // Deno's HTTP client refuses such a status line itself, as an answer that is not HTTP.
      if ("Bun" in globalThis) assert.match(error.message, /^http:\/\/127\.0\.0\.1:\d+\/clients answered with status 999, which is no final HTTP status/);
      return true;
    });
    await assert.rejects(client(server.url, { failAfterMs: 60_000 }).send("POST", "/clients", { client_id: "x" }), (error: Error) => {
      if ("Bun" in globalThis) assert.equal(error.name, "UncertainOutcomeError");
      return true;
    });
    assert.equal(server.requests, 2, "neither is sent again");
    assert.ok(Date.now() - started < 5000);
  } finally {
    await server.close();
  }
});

test("a unix socket nothing listens on is named as a socket, not a port", async () => {
  await assert.rejects(client(`unix://${dir.path}/absent.sock`, { failAfterMs: 0 }).send("GET", "/clients"), {
    name: "NetworkError",
    message: /^cannot connect to \/clients on unix:\/\/.*absent\.sock: connection refused; is the server running, and is the socket's path right\? \(one attempt, no retry\)$/,
  });
});

test("a POST said to change nothing (introspection) is retried as a read is; any other POST is not", async () => {
  let seen = 0;
  const server = await serveLocal(() => (++seen % 2 === 1 ? new Response("busy", { status: 502 }) : Response.json({ active: false })));
  try {
    const api = client(server.url);
    assert.equal((await api.send("POST", "/oauth2/introspect", {}, { readOnly: true })).status, 200);
    assert.equal(seen, 2);
    await assert.rejects(api.send("POST", "/clients", {}), { name: "UncertainOutcomeError" });
    assert.equal(seen, 3);
  } finally {
    await server.close();
  }
});

test("stopRetrying ends the wait under way, the last answer standing, and stops no other client", async () => {
  const server = await serveLocal(() => new Response("busy", { status: 503 }));
  try {
    const stopped = client(server.url, { failAfterMs: 60_000 });
    const started = Date.now();
    const sending = stopped.send("GET", "/clients");
    setTimeout(() => stopped.stopRetrying(), 300);
    assert.equal((await sending).status, 503);
    assert.ok(Date.now() - started < 5000, "not the minute of retries");
    // Each client's retries are its own: one that was not stopped still waits and retries.
    let seen = 0;
    const other = client(server.url, { failAfterMs: 700, onRetry: () => seen++ });
    assert.equal((await other.send("GET", "/clients")).status, 503);
    assert.equal(seen, 1);
  } finally {
    await server.close();
  }
});
