// What Hydra's own API documents say about the endpoints hydractl uses, distilled into
// hydra-api.json (scripts/hydra-api-facts writes it; test/unit/hydra-api-facts.test.ts
// keeps it honest). The fakes check every request and answer against it, so they cannot
// drift from real Hydra, and they need nothing beside the checkout.
import { Ajv, type ValidateFunction } from "ajv";
import facts from "./hydra-api.json" with { type: "json" };
import type { HydraVersion, Operation } from "../../scripts/hydra-api-facts.ts";

export type { HydraVersion, Operation };
export const HYDRA_VERSIONS: HydraVersion[] = ["v2", "v1.8.5"];

type Schema = Record<string, unknown>;
const versions = facts.versions as unknown as Record<HydraVersion, { operations: Record<string, Operation>; schemas: Record<string, Schema> }>;

/**
 * The same schemas with every object closed (`additionalProperties: false` where the
 * document leaves it open): Hydra drops fields it does not know without a word, which
 * would hide a misspelt field in a body or a field the fake invented in an answer.
 * Free-form maps (metadata, JSON Web Key extras) say `additionalProperties` themselves
 * and stay open.
 */
function closeObjects(value: unknown, inProperties = false): unknown {
  if (Array.isArray(value)) return value.map((item) => closeObjects(item));
  if (!value || typeof value !== "object") return value;
  const out: Schema = {};
  for (const [key, sub] of Object.entries(value)) out[key] = closeObjects(sub, !inProperties && key === "properties");
  if (!inProperties && out.properties && !("additionalProperties" in out)) out.additionalProperties = false;
  return out;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Schema, closed: boolean): ValidateFunction {
  const id = `${closed ? "closed" : "open"} ${key}`;
  let found = compiled.get(id);
  if (!found) {
    if (!ajv) {
      // The OpenAPI 3.0 dialect (format: int64…) is close enough to JSON Schema for Ajv once
      // unknown keywords are tolerated; formats are not checked (Hydra's Go types are).
      ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      ajv.addSchema({ $id: "open", versions });
      ajv.addSchema({ $id: "closed", versions: closeObjects(versions) });
    }
    found = ajv.compile(rebase(schema, closed ? "closed" : "open"));
    compiled.set(id, found);
  }
  return found;
}

/** Points the facts' file-relative `$ref`s at one of the two registered copies. */
function rebase(schema: unknown, base: string): Schema {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `${base}${value}` : value));
}

function describe(check: ValidateFunction, what: string): string[] {
  return (check.errors ?? []).map((e) =>
    e.keyword === "additionalProperties"
      ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty} is not a field of ${what}`
      : `${e.instancePath || "(body)"} ${e.message}`
  );
}

export interface CheckOptions {
  /** Fields the schema does not name are errors too. */
  closed?: boolean;
  version?: HydraVersion;
}

/** Validates `value` against the named schema (e.g. "oAuth2Client") of one Hydra version (v2 unless told). */
export function schemaErrors(name: string, value: unknown, options: CheckOptions = {}): string[] {
  const version = options.version ?? "v2";
  if (!versions[version].schemas[name]) throw new Error(`no schema ${name} in the ${version} facts`);
  const check = validator(`${version} ${name}`, { $ref: `#/versions/${version}/schemas/${name}` }, options.closed ?? false);
  return check(value) ? [] : describe(check, name);
}

/** The operation `method` on a concrete `path` (e.g. "/admin/clients/abc"), if that version of Hydra declares one. */
export function findOperation(version: HydraVersion, method: string, path: string): Operation | undefined {
  for (const operation of Object.values(versions[version].operations)) {
    if (operation.method !== method.toUpperCase()) continue;
    const pattern = new RegExp(`^${operation.path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(path)) return operation;
  }
  return undefined;
}

/** Does that version of Hydra declare `method` on the concrete `path`? */
export function declaresOperation(method: string, path: string, version: HydraVersion = "v2"): boolean {
  return findOperation(version, method, path) !== undefined;
}

/** Problems with a request body for `operation` (closed unless told otherwise); none if it takes no body and got none. */
export function requestErrors(version: HydraVersion, operation: Operation, body: unknown, options: { closed?: boolean } = {}): string[] {
  if (!operation.request) return body === undefined ? [] : [`${operation.method} ${operation.path} takes no body`];
  const check = validator(`${version} ${operation.method} ${operation.path} request`, operation.request.schema, options.closed ?? true);
  return check(body) ? [] : describe(check, `the ${operation.operationId} body`);
}

/** The error bodies Hydra sends, whichever one an endpoint's entry names. */
const ERROR_SCHEMAS = ["errorOAuth2", "genericError"];

/**
 * Problems with an answer of `status` for `operation`: a status the document does not list
 * (and no `default`), a body where it declares none, or a body off the schema (closed).
 * An error answer may take any of the version's error shapes: the documents are loose
 * there, and the real servers were seen answering statuses an endpoint does not list
 * (v1.8.5's PUT /clients/{id} 404) in a shape it does not name (v2.3.0's DELETE
 * /admin/clients/{id} 404 is an errorOAuth2 where the document says genericError).
 */
export function responseErrors(version: HydraVersion, operation: Operation, status: number, body: unknown): string[] {
  if (status >= 400) {
    const shapes = ERROR_SCHEMAS.filter((name) => versions[version].schemas[name]);
    const declared = operation.responses[String(status)]?.schema;
    const checks = [
      ...(declared ? [validator(`${version} ${operation.method} ${operation.path} ${status}`, declared, true)] : []),
      ...shapes.map((name) => validator(`${version} ${name}`, { $ref: `#/versions/${version}/schemas/${name}` }, true)),
    ];
    if (checks.some((check) => check(body))) return [];
    return [`the ${operation.operationId} ${status} answer is none of Hydra ${version}'s error bodies (${shapes.join(", ")})`];
  }
  const declared = operation.responses[String(status)] ?? operation.responses.default;
  if (!declared) return [`${operation.operationId} does not answer ${status} in Hydra ${version}`];
  if (!declared.schema) return body === undefined ? [] : [`${operation.operationId} answers ${status} without a body in Hydra ${version}`];
  const check = validator(`${version} ${operation.method} ${operation.path} ${status}`, declared.schema, true);
  return check(body) ? [] : describe(check, `the ${operation.operationId} ${status} answer`);
}
