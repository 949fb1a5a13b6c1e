import { command } from "../../cli/context.ts";
import { formatTable } from "../../cli/output.ts";
import { json, pathSegment } from "../../cli/parsers.ts";
import { ApiError, InputError, UsageError } from "../../errors.ts";
import { PATCH_OPERATIONS, type PatchOperation, patchClientRequest, processPatchClientResponse } from "../../hydra/clients.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, readJsonSource, writeDone } from "../_shared.ts";
import { clientsTable, echoesChosenSecret, renderClients } from "./_shared.ts";

const pointer = (value: string, name: string) => {
  if (!value.startsWith("/")) throw new UsageError(`invalid ${name} "${value}": a JSON pointer starts with / (e.g. /client_name)`);
  return value;
};

/** `--add PATH VALUE` and `--replace PATH VALUE` take two words each; the kernel hands them over in order. */
function pairs(words: string[], op: "add" | "replace", flag: string): PatchOperation[] {
  const operations: PatchOperation[] = [];
  for (let i = 0; i < words.length; i += 2) operations.push({ op, path: pointer(words[i]!, `--${flag}`), value: valueOf(words[i + 1]!) });
  return operations;
}

/** A value is JSON when it parses as JSON, else the plain string: `--replace /client_name new` works unquoted. */
function valueOf(text: string): unknown {
  try {
    return json(text, "");
  } catch {
    return text;
  }
}

export default command({
  meta: {
    name: "patch",
    description:
      "Change some fields of an OAuth 2.0 client with JSON Patch\n\n" +
      "Sends a JSON Patch (RFC 6902) to Hydra's admin API, which applies it on the server: the\n" +
      "fields not named keep their values. Values are JSON where they parse as JSON, plain\n" +
      "strings otherwise. Hydra applies add, remove and replace (not move, copy or test), and\n" +
      "v1.8 has no PATCH at all; use update there.\n\n" +
      "Examples:\n" +
      "  hydractl patch client my-app --add /redirect_uris/- https://app.example/cb\n" +
      '  hydractl clients patch my-app --replace /client_name "my app" --add /grant_types/- refresh_token\n' +
      "  hydractl patch client my-app --file patch.json",
  },
  args: {
    id: { type: "positional", parse: pathSegment, valueHint: "ID", description: "The client ID" },
    add: { type: "string", list: "repeat", arity: 2, valueHint: "pointer value", description: "Add a value at a JSON pointer (/redirect_uris/- appends)" },
    replace: { type: "string", list: "repeat", arity: 2, valueHint: "pointer value", description: "Replace the value at a JSON pointer" },
    remove: { type: "string", list: "repeat", parse: pointer, valueHint: "pointer", description: "Remove the value at a JSON pointer" },
    file: { type: "string", valueHint: "path", description: "Read a whole JSON Patch document (an array of operations) from a file, - for stdin" },
    ...adminFlags,
  },
  async run(args, context) {
    // JSON Patch applies its operations in turn: they go in the order they were written.
    const given = { add: pairs(args.add, "add", "add"), replace: pairs(args.replace, "replace", "replace"), remove: args.remove.map((path): PatchOperation => ({ op: "remove", path })) };
    const taken = { add: 0, replace: 0, remove: 0 };
    const patch: PatchOperation[] = [];
    for (const flag of context.flagOrder) if (flag === "add" || flag === "replace" || flag === "remove") patch.push(given[flag][taken[flag]++]!);
    if (args.file !== undefined) patch.push(...(await patchFromFile(args.file, context)));
    if (patch.length === 0) throw new UsageError("nothing to patch: give --add, --replace, --remove or --file");
    // Hydra answers such a patch as if the client did not exist.
    if (patch.some((operation) => operation.path === "/client_id" && operation.op !== "test")) throw new UsageError("a client's ID cannot change: leave /client_id out of the patch");
    const admin = adminFromArgs(args, context);
    const answer = await processPatchClientResponse(await patchClientRequest(admin, args.id, patch), args.id, admin).catch((error: unknown) => {
      // Hydra's words for a patch that does not apply are "The error is unrecognizable".
      if (!(error instanceof ApiError) || error.status !== 500) throw error;
      const hint = `Hydra answers so when the patch does not apply to the client as it is (a path that is not there, a value of the wrong type): compare it with 'hydractl get client ${args.id} --format json'`;
      throw new ApiError(`${error.message}; ${hint}`, error.status, { cause: error });
    });
    // A secret the patch sets is one the user chose: shown only as update shows one.
    const patched = { ...answer };
    const chosen = patch.some((operation) => operation.path === "/client_secret" && operation.op !== "remove");
    if (chosen && !echoesChosenSecret(args.format, {})) delete patched.client_secret;
    const text = isV18WordOrder(context) ? () => JSON.stringify(patched, null, 2) : () => formatTable(clientsTable([patched]));
    await writeDone(context, `client ${args.id} was patched`, () => renderClients(patched, [patched], args.format, text));
  },
});

async function patchFromFile(file: string, context: Parameters<typeof readJsonSource>[0]): Promise<PatchOperation[]> {
  const document = await readJsonSource(context, file, "the patch file");
  const ops = ["add", "remove", "replace", "move", "copy", "test"];
  if (!Array.isArray(document)) throw new InputError(`the patch file ${file} must hold a JSON array of operations`);
  document.forEach((operation, index) => {
    if (!operation || typeof operation !== "object" || !ops.includes(operation.op) || typeof operation.path !== "string") {
      throw new InputError(`the patch file ${file}: operation ${index} needs "op" (one of ${ops.join(", ")}) and "path"`);
    }
    // RFC 6902 §4: what each operation needs, checked here rather than by Hydra's 500.
    const pointers = operation.op === "move" || operation.op === "copy" ? [operation.path, operation.from] : [operation.path];
    for (const at of pointers) {
      if (typeof at !== "string" || (at !== "" && !at.startsWith("/"))) {
        throw new InputError(`the patch file ${file}: operation ${index} (${operation.op}) needs ${at === operation.path ? '"path"' : '"from"'} as a JSON pointer starting with /`);
      }
    }
    if ((operation.op === "add" || operation.op === "replace" || operation.op === "test") && !("value" in operation)) {
      throw new InputError(`the patch file ${file}: operation ${index} (${operation.op}) needs a "value"`);
    }
    if (!PATCH_OPERATIONS.includes(operation.op)) {
      throw new InputError(`the patch file ${file}: operation ${index} (${operation.op}): Hydra applies only ${PATCH_OPERATIONS.join(", ")} to a client, and refuses the whole patch otherwise`);
    }
  });
  return document as PatchOperation[];
}
