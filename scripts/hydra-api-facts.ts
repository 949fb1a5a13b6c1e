// Distils Hydra's two published API documents (v2's OpenAPI 3, v1.8.5's Swagger 2) into
// test/support/hydra-api.json: for each endpoint hydractl calls or is about to call, the
// method, path, query parameters, request and response schemas, plus only the component
// schemas those reference. The fakes in the tests validate against that file, so they
// hold to real Hydra in a clone that has no ../shared beside it.
//
//   scripts/hydra-api-facts           rewrite test/support/hydra-api.json
//   scripts/hydra-api-facts --check   exit 1 if the file is not what the documents give
//
// test/unit/hydra-api-facts.test.ts regenerates in memory the same way.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const COMMAND = "scripts/hydra-api-facts";
export const FACTS_PATH = fileURLToPath(new URL("../test/support/hydra-api.json", import.meta.url).href);
export const DOCUMENTS = {
  "v2": fileURLToPath(new URL("../../shared/hydra/openapi-v2.json", import.meta.url).href),
  "v1.8.5": fileURLToPath(new URL("../../shared/hydra/swagger-v1.8.5.json", import.meta.url).href),
} as const;
export type HydraVersion = keyof typeof DOCUMENTS;

/**
 * The endpoints kept: method, v2 path, v1.8.5 path (null where that version lacks it).
 * Left out on purpose: v2's device authorization (/oauth2/device/auth) and secret rotation,
 * which the shared document describes but the v2.3.0 server answers with 404, being newer.
 */
const ENDPOINTS: [method: string, v2: string | null, v1: string | null][] = [
  // Admin: OAuth 2.0 clients.
  ["POST", "/admin/clients", "/clients"],
  ["GET", "/admin/clients", "/clients"],
  ["GET", "/admin/clients/{id}", "/clients/{id}"],
  ["PUT", "/admin/clients/{id}", "/clients/{id}"],
  ["PATCH", "/admin/clients/{id}", null],
  ["DELETE", "/admin/clients/{id}", "/clients/{id}"],
  // Admin: login and consent.
  ["GET", "/admin/oauth2/auth/requests/login", "/oauth2/auth/requests/login"],
  ["PUT", "/admin/oauth2/auth/requests/login/accept", "/oauth2/auth/requests/login/accept"],
  ["PUT", "/admin/oauth2/auth/requests/login/reject", "/oauth2/auth/requests/login/reject"],
  ["GET", "/admin/oauth2/auth/requests/consent", "/oauth2/auth/requests/consent"],
  ["PUT", "/admin/oauth2/auth/requests/consent/accept", "/oauth2/auth/requests/consent/accept"],
  ["PUT", "/admin/oauth2/auth/requests/consent/reject", "/oauth2/auth/requests/consent/reject"],
  ["DELETE", "/admin/oauth2/auth/sessions/consent", "/oauth2/auth/sessions/consent"],
  // Admin: JSON Web Key sets.
  ["POST", "/admin/keys/{set}", "/keys/{set}"],
  ["GET", "/admin/keys/{set}", "/keys/{set}"],
  ["PUT", "/admin/keys/{set}", "/keys/{set}"],
  ["DELETE", "/admin/keys/{set}", "/keys/{set}"],
  ["GET", "/admin/keys/{set}/{kid}", "/keys/{set}/{kid}"],
  ["PUT", "/admin/keys/{set}/{kid}", "/keys/{set}/{kid}"],
  ["DELETE", "/admin/keys/{set}/{kid}", "/keys/{set}/{kid}"],
  // Admin: tokens.
  ["POST", "/admin/oauth2/introspect", "/oauth2/introspect"],
  ["DELETE", "/admin/oauth2/tokens", "/oauth2/tokens"],
  ["POST", null, "/oauth2/flush"],
  // Public.
  ["POST", "/oauth2/token", "/oauth2/token"],
  ["POST", "/oauth2/revoke", "/oauth2/revoke"],
  ["GET", "/userinfo", "/userinfo"],
  ["GET", "/.well-known/openid-configuration", "/.well-known/openid-configuration"],
  ["GET", "/.well-known/jwks.json", "/.well-known/jwks.json"],
];

/** Schemas kept even where no kept endpoint names them: the error bodies the fakes send. */
const ERROR_SCHEMAS = ["errorOAuth2", "genericError"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonObject;
}
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  query: Parameter[];
  request?: { contentType: string; schema: JsonObject };
  /** By status ("200", "default"…); `schema` absent for an empty body. */
  responses: Record<string, { schema?: JsonObject }>;
}
export interface VersionFacts {
  /** Keyed "METHOD /path", e.g. "GET /admin/clients/{id}". */
  operations: Record<string, Operation>;
  schemas: Record<string, JsonObject>;
}
export interface Facts {
  $comment: string;
  sources: Record<HydraVersion, { file: string; sha256: string }>;
  /** SHA-256 of JSON.stringify(versions): a hand edit shows even without the documents. */
  digest: string;
  versions: Record<HydraVersion, VersionFacts>;
}

// Words for people (and Go's type names) say nothing a validator uses.
const DROPPED = new Set(["description", "example", "examples", "title", "externalDocs"]);
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf"]);

/** A copy of `schema` without prose, its `$ref`s pointing into this file's `versions.<version>.schemas`. */
function cleanSchema(schema: JsonObject, version: HydraVersion, refs: Set<string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith("x-")) continue;
    if (key === "$ref" && typeof value === "string") {
      const name = value.replace(/^#\/(components\/schemas|definitions)\//, "");
      if (name === value) throw new Error(`unexpected $ref ${value} in the ${version} document`);
      refs.add(name);
      out.$ref = `#/versions/${version}/schemas/${name}`;
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, cleanSchema(sub as JsonObject, version, refs)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((sub) => cleanSchema(sub as JsonObject, version, refs));
    } else if ((key === "items" || key === "additionalProperties" || key === "not") && isObject(value)) {
      out[key] = cleanSchema(value, version, refs);
    } else {
      out[key] = value;
    }
  }
  // Swagger 2 has no null; go-swagger marks Go pointers with x-nullable, which Ajv reads as nullable.
  if (schema["x-nullable"] === true) out.nullable = true;
  return out;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function openApiOperation(document: JsonObject, method: string, path: string, refs: Set<string>): Operation {
  const operation = (document.paths as JsonObject)[path] as JsonObject | undefined;
  const found = operation?.[method.toLowerCase()] as JsonObject | undefined;
  if (!found) throw new Error(`${method} ${path} is not in Hydra v2's OpenAPI document`);
  const components = document.components as JsonObject;
  const deref = (value: JsonObject, kind: string): JsonObject =>
    typeof value.$ref === "string" ? ((components[kind] as JsonObject)[value.$ref.split("/").pop()!] as JsonObject) : value;
  const query = ((found.parameters ?? []) as JsonObject[])
    .filter((parameter) => parameter.in === "query")
    .map((parameter) => ({ name: parameter.name as string, required: parameter.required === true, schema: cleanSchema(parameter.schema as JsonObject, "v2", refs) }));
  const result: Operation = { operationId: found.operationId as string, method, path, query, responses: {} };
  if (found.requestBody) {
    const content = deref(found.requestBody as JsonObject, "requestBodies").content as JsonObject;
    const [contentType, media] = Object.entries(content)[0]!;
    result.request = { contentType, schema: cleanSchema((media as JsonObject).schema as JsonObject, "v2", refs) };
  }
  for (const [status, response] of Object.entries(found.responses as JsonObject)) {
    const content = deref(response as JsonObject, "responses").content as JsonObject | undefined;
    const media = content?.["application/json"] as JsonObject | undefined;
    result.responses[status] = media?.schema ? { schema: cleanSchema(media.schema as JsonObject, "v2", refs) } : {};
  }
  return result;
}

function swaggerOperation(document: JsonObject, method: string, path: string, refs: Set<string>): Operation {
  const found = ((document.paths as JsonObject)[path] as JsonObject | undefined)?.[method.toLowerCase()] as JsonObject | undefined;
  if (!found) throw new Error(`${method} ${path} is not in Hydra v1.8.5's Swagger document`);
  const parameters = (found.parameters ?? []) as JsonObject[];
  const asSchema = (parameter: JsonObject): JsonObject => {
    const { name: _n, in: _i, required: _r, ...schema } = parameter;
    return cleanSchema(schema, "v1.8.5", refs);
  };
  const query = parameters
    .filter((parameter) => parameter.in === "query")
    .map((parameter) => ({ name: parameter.name as string, required: parameter.required === true, schema: asSchema(parameter) }));
  const result: Operation = { operationId: found.operationId as string, method, path, query, responses: {} };
  const body = parameters.find((parameter) => parameter.in === "body");
  const form = parameters.filter((parameter) => parameter.in === "formData");
  if (body) {
    result.request = { contentType: "application/json", schema: cleanSchema(body.schema as JsonObject, "v1.8.5", refs) };
  } else if (form.length > 0) {
    // Swagger 2 lists form fields one by one; as one object schema they read like v2's.
    const required = form.filter((parameter) => parameter.required === true).map((parameter) => parameter.name as string);
    result.request = {
      contentType: "application/x-www-form-urlencoded",
      schema: {
        type: "object",
        properties: Object.fromEntries(form.map((parameter) => [parameter.name as string, asSchema(parameter)])),
        ...(required.length > 0 ? { required } : {}),
      },
    };
  }
  for (const [status, response] of Object.entries(found.responses as JsonObject)) {
    const schema = (response as JsonObject).schema as JsonObject | undefined;
    result.responses[status] = schema ? { schema: cleanSchema(schema, "v1.8.5", refs) } : {};
  }
  return result;
}

function versionFacts(version: HydraVersion, document: JsonObject): VersionFacts {
  const refs = new Set<string>(ERROR_SCHEMAS);
  const operations: Record<string, Operation> = {};
  for (const [method, v2, v1] of ENDPOINTS) {
    const path = version === "v2" ? v2 : v1;
    if (path === null) continue;
    operations[`${method} ${path}`] = version === "v2" ? openApiOperation(document, method, path, refs) : swaggerOperation(document, method, path, refs);
  }
  const all = (version === "v2" ? (document.components as JsonObject).schemas : document.definitions) as JsonObject;
  const schemas: Record<string, JsonObject> = {};
  // Follow references until no new schema turns up.
  for (let pending = [...refs]; pending.length > 0;) {
    const name = pending.pop()!;
    if (schemas[name] || !all[name]) continue;
    const found = new Set<string>();
    schemas[name] = cleanSchema(all[name] as JsonObject, version, found);
    for (const next of found) if (!schemas[next]) pending.push(next);
  }
  for (const name of refs) if (!schemas[name] && !ERROR_SCHEMAS.includes(name)) throw new Error(`the ${version} document has no schema ${name}`);
  return { operations, schemas: sortKeys(schemas) };
}

export async function sha256(text: string | Uint8Array): Promise<string> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The digest kept in the file: of its facts exactly as they read. */
export function digestOf(versions: Facts["versions"]): Promise<string> {
  return sha256(JSON.stringify(versions));
}

/** The file's text, from the two documents' bytes. */
export async function buildFacts(documents: Record<HydraVersion, Uint8Array>): Promise<string> {
  const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as JsonObject;
  const versions = {
    "v2": versionFacts("v2", decode(documents.v2)),
    "v1.8.5": versionFacts("v1.8.5", decode(documents["v1.8.5"])),
  };
  const sources = {} as Facts["sources"];
  for (const version of Object.keys(DOCUMENTS) as HydraVersion[]) {
    sources[version] = { file: DOCUMENTS[version].split("/").pop()!, sha256: await sha256(documents[version]) };
  }
  const facts: Facts = {
    $comment: [
      "Generated from Hydra's published API documents (../shared/hydra/, see sources); do not edit.",
      `Regenerate with: ${COMMAND}. test/unit/hydra-api-facts.test.ts checks it against the documents`,
      "where they are present, and always checks digest = SHA-256 of JSON.stringify(versions).",
      "Operations are keyed 'METHOD /path'; $refs point into versions.<version>.schemas.",
    ].join(" "),
    sources,
    digest: await digestOf(versions),
    versions,
  };
  return `${JSON.stringify(facts, null, 1)}\n`;
}

export async function readDocuments(): Promise<Record<HydraVersion, Uint8Array>> {
  return { "v2": await readFile(DOCUMENTS.v2), "v1.8.5": await readFile(DOCUMENTS["v1.8.5"]) };
}

if (import.meta.main) {
  const text = await buildFacts(await readDocuments());
  if (process.argv.includes("--check")) {
    const current = await readFile(FACTS_PATH, "utf8").catch(() => "");
    if (current !== text) {
      console.error(`${FACTS_PATH} is not what Hydra's documents give; run ${COMMAND}`);
      process.exit(1);
    }
  } else {
    await writeFile(FACTS_PATH, text);
    console.log(`wrote ${FACTS_PATH}`);
  }
}
