// The dry run's rendering of requests as curl command lines, and how the stop travels up
// through the transport, the API client and Hydra's admin API. No process, no network.
import assert from "node:assert/strict";
import { test } from "node:test";
import { endpoint as parseEndpoint } from "../../src/cli/parsers.ts";
import { ShownRequests } from "../../src/commands/_shared.ts";
import { DryRunStop } from "../../src/errors.ts";
import { HydraAdmin } from "../../src/hydra/admin.ts";
import { createClientRequest, listClientsRequest } from "../../src/hydra/clients.ts";
import { ApiClient } from "../../src/http/api.ts";
import { curlCommand } from "../../src/http/dry-run.ts";
import { shellQuote } from "../../src/shell.ts";
import { createTransport } from "../../src/http/transport.ts";
import { runtime } from "../support/runtime.ts";

const json = new Headers({ "content-type": "application/json" });

test("quote: plain words stay bare; anything else is single-quoted, a quote written '\\''", () => {
  assert.equal(shellQuote("http://h:4445/admin/clients"), "http://h:4445/admin/clients");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's $HOME `x`"), "'it'\\''s $HOME `x`'");
  assert.equal(shellQuote("a\nb"), "'a\nb'");
});

test("curl: method, URL, headers and body; GET needs no -X", () => {
  const headers = new Headers({ accept: "application/json", "content-type": "application/json", "x-tenant": "blue" });
  assert.equal(
    curlCommand("POST", new URL("http://h:4445/admin/clients"), headers, '{"client_name":"it\'s"}'),
    `curl -X POST http://h:4445/admin/clients -H 'Accept: application/json' -H 'Content-Type: application/json' -H 'X-Tenant: blue' --data-raw '{"client_name":"it'\\''s"}'`,
  );
  assert.equal(curlCommand("GET", new URL("http://h/admin/clients?page_size=2&owner=a"), new Headers()), "curl 'http://h/admin/clients?page_size=2&owner=a'");
});

test("curl: a unix socket, -k for an unchecked certificate, -g for a URL with brackets", () => {
  assert.equal(
    curlCommand("DELETE", new URL("http://localhost/admin/clients/a"), new Headers(), undefined, { unixSocket: "/run/my hydra.sock", insecure: true }),
    "curl -X DELETE --unix-socket '/run/my hydra.sock' -k http://localhost/admin/clients/a",
  );
  assert.match(curlCommand("GET", new URL("http://h/x?q=[1]"), new Headers()), /^curl -g /);
});

test("curl: secrets become shell variables, in headers and bodies; the values never appear", () => {
  const secrets = new Map([["tok-123", "OAUTH2_ACCESS_TOKEN"]]);
  const headers = new Headers({ authorization: "Bearer tok-123", "content-type": "application/json" });
  const body = JSON.stringify({ client_id: "a", client_secret: "s3cret", metadata: { copy: "tok-123" } });
  const line = curlCommand("POST", new URL("http://h/admin/clients"), headers, body, { secrets });
  assert.equal(
    line,
    `curl -X POST http://h/admin/clients -H 'Authorization: Bearer '"$OAUTH2_ACCESS_TOKEN" -H 'Content-Type: application/json' ` +
      `--data-raw '{"client_id":"a","client_secret":"'"$CLIENT_SECRET"'","metadata":{"copy":"'"$OAUTH2_ACCESS_TOKEN"'"}}'`,
  );
  assert.doesNotMatch(line, /tok-123|s3cret/);
  // A credential header holding no known secret (given with -H) is a variable named after it.
  assert.equal(curlCommand("GET", new URL("http://h/"), new Headers({ cookie: "session=abc" })), `curl http://h/ -H 'Cookie: '"$COOKIE"`);
  // So is any header whose name says it is one.
  assert.equal(
    curlCommand("GET", new URL("http://h/"), new Headers({ "x-api-key": "k3y", "x-auth-token": "t0k", "x-request-id": "r1" })),
    `curl http://h/ -H 'X-Api-Key: '"$X_API_KEY" -H 'X-Auth-Token: '"$X_AUTH_TOKEN" -H 'X-Request-Id: r1'`,
  );
});

test("curl: a user and password in the URL go as -u, the password as $ENDPOINT_PASSWORD, never in the line", () => {
  const line = curlCommand("GET", new URL("http://admin:pa%40ss@h:4445/admin/clients"), new Headers());
  assert.equal(line, `curl http://h:4445/admin/clients -u admin:"$ENDPOINT_PASSWORD"`);
  assert.doesNotMatch(line, /pa%40ss|pa@ss/);
  // A user alone is no secret; curl -u sends it with an empty password, as the request would.
  assert.equal(curlCommand("GET", new URL("http://ad%20min@h/"), new Headers()), "curl http://h/ -u 'ad min:'");
});

test("curl: a secret that is also some text of the request replaces only itself, never a piece of the URL or of another value", () => {
  const secrets = new Map([["adm", "OAUTH2_ACCESS_TOKEN"]]);
  const headers = new Headers({ authorization: "Bearer adm", accept: "application/json", "x-note": "adm" });
  assert.equal(
    curlCommand("GET", new URL("http://h/admin/clients/adm"), headers, undefined, { secrets }),
    `curl http://h/admin/clients/adm -H 'Accept: application/json' -H 'Authorization: Bearer '"$OAUTH2_ACCESS_TOKEN" -H 'X-Note: '"$OAUTH2_ACCESS_TOKEN"`,
  );
  const form = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  assert.equal(
    curlCommand("POST", new URL("http://h/admin/oauth2/introspect"), form, "token=t&scope=admin", { secrets }),
    `curl -X POST http://h/admin/oauth2/introspect -H 'Content-Type: application/x-www-form-urlencoded' --data-urlencode token="$TOKEN" --data-urlencode scope=admin`,
  );
});

test("curl: a JSON Patch that sets a secret field shows its value as the variable", () => {
  const body = JSON.stringify([{ op: "replace", path: "/client_secret", value: "patched-secret" }, { op: "replace", path: "/client_name", value: "n" }]);
  const line = curlCommand("PATCH", new URL("http://h/admin/clients/a"), json, body);
  assert.match(line, /--data-raw '\[\{"op":"replace","path":"\/client_secret","value":"'"\$CLIENT_SECRET"'"\},\{"op":"replace","path":"\/client_name","value":"n"\}\]'$/);
  assert.doesNotMatch(line, /patched-secret/);
});

test("curl: a form body is one --data-urlencode per field, a token as a variable", () => {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  assert.equal(
    curlCommand("POST", new URL("http://h/admin/oauth2/introspect"), headers, "token=abc&scope=a+b"),
    `curl -X POST http://h/admin/oauth2/introspect -H 'Content-Type: application/x-www-form-urlencoded' --data-urlencode token="$TOKEN" --data-urlencode 'scope=a b'`,
  );
});

test("a body that claims JSON but is not is shown as it is", () => {
  assert.equal(curlCommand("POST", new URL("http://h/"), json, "{not json"), `curl -X POST http://h/ -H 'Content-Type: application/json' --data-raw '{not json'`);
});

function dryAdmin(url: string, secrets?: ReadonlyMap<string, string>, headers?: [string, string][]): HydraAdmin {
  const endpoint = parseEndpoint(url, "--endpoint");
  const fetch = createTransport(runtime, { unixSocket: endpoint.unixSocket, headers, fakeTlsTermination: true, dryRun: { secrets } });
  return new HydraAdmin(new ApiClient({ endpoint, fetch, accessToken: "tok", failAfterMs: 0 }));
}

async function stopOf(promise: Promise<unknown>): Promise<DryRunStop> {
  const error = await promise.then(
    () => assert.fail("the request was sent"),
    (error: unknown) => error,
  );
  assert.ok(error instanceof DryRunStop, String(error));
  return error;
}

test("the dry-run transport shows the request as sent, headers added, and says what Hydra v1.8 gets instead", async () => {
  const stop = await stopOf(createClientRequest(dryAdmin("http://127.0.0.1:1/base", new Map([["tok", "OAUTH2_ACCESS_TOKEN"]]), [["X-Tenant", "blue"]]), { client_name: "x" }));
  assert.equal(
    stop.text(),
    `curl -X POST http://127.0.0.1:1/base/admin/clients -H 'Accept: application/json' -H 'Authorization: Bearer '"$OAUTH2_ACCESS_TOKEN" ` +
      `-H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' -H 'X-Tenant: blue' --data-raw '{"client_name":"x"}'\n` +
      "# Hydra v1.8 has no /admin routes: there the path is /clients\n",
  );
  const list = await stopOf(listClientsRequest(dryAdmin("unix:///run/h.sock"), { pageSize: 5, limit: 5, offset: 0 }));
  assert.match(list.text(), /^curl --unix-socket \/run\/h\.sock 'http:\/\/localhost\/admin\/clients\?page_size=5' .*\n# Hydra v1\.8 has no \/admin routes: there the path is \/clients\?limit=5&offset=0\n$/);
});

test("ShownRequests keeps each item's stop and ends with all of them; other errors are not its business", () => {
  const shown = new ShownRequests();
  shown.stop();
  assert.equal(shown.keep(new Error("other")), false);
  for (const command of ["curl a", "curl b"]) assert.equal(shown.keep(new DryRunStop([{ command, notes: [] }])), true);
  assert.throws(() => shown.stop(), (error: unknown) => error instanceof DryRunStop && error.text() === "curl a\ncurl b\n");
});
