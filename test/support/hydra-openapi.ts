// Hydra's own API description, read in place from ../shared/hydra beside the checkout, so
// the fakes in unit tests cannot drift from real Hydra. Tests that need it skip, saying
// why, where it is absent (outside this workplace).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";

const documentPath = fileURLToPath(new URL("../../../shared/hydra/openapi-v2.json", import.meta.url).href);

/** A reason to skip, or false when Hydra's OpenAPI document is there. */
export const skipWithoutOpenApi: string | false = existsSync(documentPath)
  ? false
  : `Hydra's OpenAPI document is not at ${documentPath} (../shared/ beside the checkout); skipped`;

type Schema = Record<string, unknown>;
let ajv: Ajv | undefined;
let document: { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };

function load(): Ajv {
  if (ajv) return ajv;
  document = JSON.parse(readFileSync(documentPath, "utf8"));
  // The OpenAPI 3.0 dialect (nullable, example…) is close enough to JSON Schema for Ajv
  // once unknown keywords are tolerated; refs resolve inside the same document.
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...document, $id: "hydra" } as Schema, "hydra");
  return ajv;
}

/**
 * Validates `value` against `components/schemas/<name>`. With `closed`, fields the schema
 * does not know are errors too: Hydra ignores them silently, which would hide a typo.
 */
export function schemaErrors(name: string, value: unknown, options: { closed?: boolean } = {}): string[] {
  const validator = load();
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`no schema ${name} in Hydra's OpenAPI document`);
  const check = validator.compile({ $ref: `hydra#/components/schemas/${name}` });
  const errors = check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message}`);
  if (options.closed && value && typeof value === "object") {
    const known = Object.keys((schema.properties as Schema | undefined) ?? {});
    for (const key of Object.keys(value)) if (!known.includes(key)) errors.push(`/${key} is not a field of ${name}`);
  }
  return errors;
}

/** Does Hydra's document declare `method` on `path` (e.g. "put", "/admin/oauth2/auth/requests/login/accept")? */
export function declaresOperation(method: string, path: string): boolean {
  load();
  return Boolean(document.paths[path]?.[method.toLowerCase()]);
}
