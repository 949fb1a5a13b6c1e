// test/support/hydra-api.json is generated from Hydra's published API documents; the
// fakes trust it, so it must be exactly what the documents give and never edited by hand.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { buildFacts, COMMAND, digestOf, DOCUMENTS, type Facts, FACTS_PATH, readDocuments } from "../../scripts/hydra-api-facts.ts";
import { declaresOperation, schemaErrors } from "../support/hydra-api.ts";

const text = readFileSync(FACTS_PATH, "utf8");
const facts = JSON.parse(text) as Facts;

test("the facts file carries the digest of its facts, so a hand edit shows without the documents", async () => {
  assert.equal(facts.digest, await digestOf(facts.versions), `${FACTS_PATH} was edited by hand; run ${COMMAND}`);
  const edited = structuredClone(facts.versions);
  delete edited.v2.operations["GET /admin/clients"];
  assert.notEqual(await digestOf(edited), facts.digest);
});

test("where Hydra's documents are beside the checkout, they give exactly the committed file", async (t) => {
  const present = Object.values(DOCUMENTS).every((path) => existsSync(path));
  if (!present) {
    // Nothing to compare with; the digest test above still guards the file.
    t.diagnostic(`Hydra's documents are not at ${Object.values(DOCUMENTS).join(", ")}; compared the digest only`);
    return;
  }
  assert.equal(await buildFacts(await readDocuments()), text, `${FACTS_PATH} is out of date with Hydra's documents; run ${COMMAND}`);
});

test("the file names both documents and keeps what the fakes need", () => {
  assert.deepEqual(
    Object.values(facts.sources).map((source) => source.file),
    ["openapi-v2.json", "swagger-v1.8.5.json"],
  );
  for (const source of Object.values(facts.sources)) assert.match(source.sha256, /^[0-9a-f]{64}$/);
  assert.ok(declaresOperation("PATCH", "/admin/clients/some-id", "v2"));
  assert.ok(!declaresOperation("PATCH", "/clients/some-id", "v1.8.5"));
  assert.ok(declaresOperation("POST", "/oauth2/flush", "v1.8.5"));
  assert.ok(!declaresOperation("POST", "/oauth2/flush", "v2"));
});

test("closed schemas refuse fields Hydra does not know, at any depth", () => {
  assert.deepEqual(schemaErrors("oAuth2Client", { client_name: "a", metadata: { free: "form" } }, { closed: true }), []);
  assert.deepEqual(schemaErrors("oAuth2Client", { client_nmae: "a" }, { closed: true }), ["/client_nmae is not a field of oAuth2Client"]);
  assert.deepEqual(schemaErrors("oAuth2Client", { client_nmae: "a" }), []);
  assert.deepEqual(schemaErrors("oAuth2Client", { skip_consent: true }, { closed: true, version: "v1.8.5" }), [
    "/skip_consent is not a field of oAuth2Client",
  ]);
  assert.deepEqual(schemaErrors("jsonWebKeySet", { keys: [{ kid: "k", kty: "RSA", use: "sig", alg: "RS256", colour: "red" }] }, { closed: true }), [
    "/keys/0/colour is not a field of jsonWebKeySet",
  ]);
});
