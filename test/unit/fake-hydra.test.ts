// The client admin fake behaves as real Hydra v2.3.0 and v1.8.5 were seen to (see the
// comments in test/support/fake-hydra.ts); command tests rely on that.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FakeHydraOptions, fakeHydra } from "../support/fake-hydra.ts";

function hydra(options: FakeHydraOptions = {}) {
  const fake = fakeHydra(options);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fake.handler(
      new Request(`http://hydra.test${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
  };
  return { fake, call };
}

const seed = ["c1", "c2", "c3", "c4", "c5"].map((id, i) => ({ client_id: id, client_name: `name${(i + 1) % 2}`, owner: `own${(i + 1) % 3}` }));
const token = (offset: number) => btoa(JSON.stringify({ offset: String(offset), v: 2 })).replace(/=+$/, "");

test("v2: the v1 paths answer 307 to /admin; create, get, delete", async () => {
  const { fake, call } = hydra();
  const moved = await call("POST", "/clients?x=1", { client_id: "a" });
  assert.equal(moved.status, 307);
  assert.equal(moved.headers.get("location"), "http://hydra.test/admin/clients?x=1");
  const created = await call("POST", "/admin/clients", { client_id: "a", client_name: "A" });
  assert.equal(created.status, 201);
  assert.equal(created.body.client_secret, fake.generatedSecret);
  assert.equal(created.body.scope, "offline_access offline openid");
  const got = await call("GET", "/admin/clients/a");
  assert.equal(got.status, 200);
  assert.equal(got.body.client_secret, undefined);
  assert.equal((await call("POST", "/admin/clients", { client_id: "a" })).status, 409);
  assert.equal((await call("DELETE", "/admin/clients/a")).status, 204);
  const gone = await call("GET", "/admin/clients/a");
  assert.deepEqual([gone.status, gone.body], [404, { error: "Unable to locate the resource", error_description: "" }]);
  assert.equal((await call("DELETE", "/admin/clients/a")).status, 404);
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`).slice(0, 2), ["POST /clients 307", "POST /admin/clients 201"]);
  assert.deepEqual(fake.violations, []);
});

test("v2: pages by page_size and page_token, Link and X-Total-Count as Hydra sends them", async () => {
  const { call } = hydra({ clients: seed });
  const first = await call("GET", "/admin/clients?page_size=2");
  assert.deepEqual(first.body.map((c: { client_id: string }) => c.client_id), ["c1", "c2"]);
  assert.equal(first.headers.get("x-total-count"), "5");
  assert.equal(
    first.headers.get("link"),
    `</admin/clients?page_size=2&page_token=${token(2)}>; rel="next",</admin/clients?page_size=2&page_token=${token(4)}>; rel="last"`,
  );
  const middle = await call("GET", `/admin/clients?page_size=2&page_token=${token(2)}`);
  assert.deepEqual(middle.body.map((c: { client_id: string }) => c.client_id), ["c3", "c4"]);
  assert.match(middle.headers.get("link")!, /rel="first",.*rel="next",.*rel="prev",.*rel="last"$/);
  const last = await call("GET", `/admin/clients?page_size=2&page_token=${token(4)}`);
  assert.equal(last.headers.get("link"), `</admin/clients?page_size=2&page_token=${token(0)}>; rel="first",</admin/clients?page_size=2&page_token=${token(2)}>; rel="prev"`);
  // Filters narrow the page but not the count, which stays that of every client.
  const named = await call("GET", "/admin/clients?client_name=name1&owner=own0");
  assert.deepEqual(named.body.map((c: { client_id: string }) => c.client_id), ["c3"]);
  assert.equal(named.headers.get("link"), `</admin/clients?client_name=name1&owner=own0&page_size=5&page_token=${token(0)}>; rel="first"`);
  assert.equal((await call("GET", "/admin/clients?limit=2")).status, 400, "v1.8's limit is not a v2 parameter");
});

test("v2: PUT replaces and keeps the secret unless given; PATCH applies a JSON Patch", async () => {
  const { fake, call } = hydra({ clients: [{ client_id: "a", client_secret: "old-secret", redirect_uris: ["https://a/cb"] }] });
  const put = await call("PUT", "/admin/clients/a", { client_id: "ignored", client_name: "new" });
  assert.deepEqual([put.status, put.body.client_id, put.body.client_secret, put.body.redirect_uris], [200, "a", undefined, []]);
  assert.equal(fake.clients.get("a")!.client_secret, "old-secret");
  const withSecret = await call("PUT", "/admin/clients/a", { client_secret: "new-secret" });
  assert.equal(withSecret.body.client_secret, "new-secret");
  const patched = await call("PATCH", "/admin/clients/a", [
    { op: "replace", path: "/client_name", value: "patched" },
    { op: "add", path: "/redirect_uris/-", value: "https://b/cb" },
    { op: "add", path: "/metadata/k", value: 1 },
  ]);
  assert.equal(patched.status, 200);
  assert.deepEqual([patched.body.client_name, patched.body.redirect_uris, patched.body.metadata, patched.body.client_secret], ["patched", ["https://b/cb"], { k: 1 }, undefined]);
  const removed = await call("PATCH", "/admin/clients/a", [{ op: "remove", path: "/client_name" }]);
  assert.equal(removed.body.client_name, undefined);
  // Hydra v2.3.0 answers a bad operation 500, not 400.
  assert.equal((await call("PATCH", "/admin/clients/a", [{ op: "bogus", path: "/client_name" }])).status, 500);
  assert.equal((await call("PATCH", "/admin/clients/a", [{ op: "remove", path: "/nothing" }])).status, 500);
  assert.equal((await call("PATCH", "/admin/clients/nope", [])).status, 404);
  assert.equal((await call("PUT", "/admin/clients/nope", {})).status, 404);
  assert.deepEqual(fake.violations, []);
});

test("bodies and answers are held to Hydra's schemas; faults are injected by request number", async () => {
  const { fake, call } = hydra({ faults: [{ request: 2, status: 503 }] });
  const typo = await call("POST", "/admin/clients", { client_nmae: "x" });
  assert.equal(typo.status, 400);
  assert.match(typo.body.error_description, /^FAKE HYDRA: .*\/client_nmae is not a field/);
  assert.equal((await call("GET", "/admin/clients")).status, 503);
  assert.equal((await call("GET", "/admin/clients")).status, 200);
  fake.faults.push({ request: fake.requests.length + 1, status: 500, body: { error: "boom" } });
  assert.deepEqual((await call("GET", "/admin/clients/x")).body, { error: "boom" });
  assert.equal(fake.violations.length, 1);
});

test("v1.8.5: /clients only, limit and offset, no filters, no PATCH, its own error answers", async () => {
  const { fake, call } = hydra({ version: "v1.8.5", clients: [...seed].reverse() });
  const admin = await call("GET", "/admin/clients");
  assert.equal(admin.status, 404);
  assert.match(admin.headers.get("content-type")!, /^text\/plain/);
  const page = await call("GET", "/clients?limit=2&offset=2");
  assert.deepEqual(page.body.map((c: { client_id: string }) => c.client_id), ["c3", "c2"], "in the order of creation");
  assert.equal(
    page.headers.get("link"),
    '</clients?limit=2&offset=0>; rel="first",</clients?limit=2&offset=4>; rel="next",</clients?limit=2&offset=0>; rel="prev",</clients?limit=2&offset=4>; rel="last"',
  );
  assert.equal((await call("GET", "/clients")).headers.get("link"), '</clients?limit=5&offset=0>; rel="first"');
  const patch = await call("PATCH", "/clients/c1", []);
  assert.deepEqual([patch.status, patch.headers.get("allow")], [405, "DELETE, GET, OPTIONS, PUT"]);
  assert.equal((await call("GET", "/clients/nope")).status, 401);
  assert.equal((await call("PUT", "/clients/nope", {})).status, 404);
  assert.equal((await call("DELETE", "/clients/nope")).status, 204);
  const put = await call("PUT", "/clients/c1", { client_name: "x" });
  assert.equal(put.body.created_at, "0001-01-01T00:00:00Z");
  assert.equal((await call("POST", "/clients", { client_id: "n", skip_consent: true })).status, 400, "a v2-only field");
  assert.deepEqual(fake.violations, ["POST /clients: /skip_consent is not a field of the createOAuth2Client body"]);
});
