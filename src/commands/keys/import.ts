import { command, readSource, stdinReadOnce, stopOnInterrupt } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { pathSegment } from "../../cli/parsers.ts";
import { errorLine, HydractlError, InputError, InterruptedError, PartialFailureError, UsageError } from "../../errors.ts";
import {
  getKeySetRequest,
  KeySetNotFoundError,
  processGetKeySetResponse,
  processSetKeyResponse,
  processSetKeySetResponse,
  setKeyRequest,
  setKeySetRequest,
} from "../../hydra/jwks.ts";
import { checkAlgorithm, describeKey, hideSecretMembers, IMPORT_ALGORITHMS, type Jwk, KEY_USES, publicJwk, usualAlgorithm, useOf } from "../../keys/jwk.ts";
import { type ReadKey, readKeys } from "../../keys/read.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, ShownRequests, writeDone } from "../_shared.ts";
import { keyIds, keyRows, legacyJson } from "./_shared.ts";

export default command({
  meta: {
    name: "import",
    description:
      "Import keys from files into a JSON Web Key Set\n\n" +
      "Each FILE holds a JSON Web Key, a JSON Web Key Set, or PEM or DER: a public key (SPKI,\n" +
      "PKCS#1), a private key (PKCS#8, PKCS#1, SEC1) or a certificate. RSA, EC (P-256, P-384,\n" +
      "P-521) and Ed25519 keys are read and checked locally, with WebCrypto, before anything is\n" +
      "sent. Keys without a key ID get a new one. import jwk replaces a key whose ID is already in\n" +
      "the set; keys import (Hydra v1.8's) refuses such a key and changes nothing. PEM and DER\n" +
      "carry no algorithm: give it with --alg (keys import takes the usual one for the key\n" +
      "without it, as Hydra v1.8's took PEM). A private key is imported as it is (Hydra signs\n" +
      "with it) but never printed back. Without FILE, one file is read from stdin; pasted at a\n" +
      "terminal, it is not shown.\n\n" +
      "Examples:\n" +
      "  hydractl import jwk my-set rsa.pem --alg RS256\n" +
      "  hydractl keys import my-set key.json other.json",
  },
  args: {
    set: { type: "positional", parse: pathSegment, valueHint: "SET", description: "The JSON Web Key Set to add the keys to (created if need be)" },
    files: { type: "positional", variadic: true, required: false, valueHint: "FILE", description: "Files with keys; - for stdin" },
    alg: {
      type: "enum",
      options: IMPORT_ALGORITHMS,
      description: "The algorithm of keys that name none (required for PEM and DER by import jwk; keys import takes RS256 for RSA, the curve's for EC)",
    },
    use: {
      type: "enum",
      options: [...KEY_USES],
      description: "What keys that say nothing of it are for: signing or encryption (default: what their algorithm does, sig for RS256, enc for RSA-OAEP)",
    },
    ...adminFlags,
  },
  async run(args, context) {
    const legacy = isV18WordOrder(context);
    const files = args.files.length > 0 ? args.files : ["-"];
    stdinReadOnce(files.filter((file) => file === "-"));
    const read: ReadKey[] = [];
    // Each key without an ID read so far, by its JSON: where it came from.
    const unnamed = new Map<string, string>();
    for (const file of files) {
      for (const key of await readKeys(await readSource(context, file, "the key file", { unshown: true }), file === "-" ? "stdin" : file)) {
        // The same key again without an ID (a file given twice) would be a second key under a
        // new ID: it is imported once, as Hydra v2's CLI imports a file given twice.
        const json = key.jwk.kid === undefined ? JSON.stringify(key.jwk) : undefined;
        const earlier = json === undefined ? undefined : unnamed.get(json);
        if (earlier !== undefined) {
          context.notify(`${key.source} holds the same key as ${earlier}; it is imported once`);
          continue;
        }
        if (json !== undefined) unnamed.set(json, key.source);
        read.push(key);
      }
    }
    // Said once for all the keys it applies to alike: a file of 300 keys is one notice.
    const defaulted = new Map<string, string[]>();
    const keys = read.map((key) => {
      // Hydra v1.8's keys import has no --alg and takes PEM as it is: in its word order a key
      // that names no algorithm gets the usual one for it, said; v2's import jwk requires
      // --alg, as Hydra v2's does.
      const use = typeof key.jwk.use === "string" ? key.jwk.use : args.use;
      const usual = legacy && key.jwk.alg === undefined && args.alg === undefined ? usualAlgorithm(key.jwk, use) : undefined;
      if (usual) {
        const how = `imported as ${usual}, the usual one for ${describeKey(key.jwk)}${use === "enc" ? " that encrypts" : ""} (--alg names another)`;
        const alike = defaulted.get(how);
        if (alike) alike.push(key.source);
        else defaulted.set(how, [key.source]);
      }
      return complete(key, args.alg ?? usual, args.use, legacy);
    });
    for (const [how, sources] of defaulted) {
      context.notify(`${sources[0]} ${sources.length === 1 ? "names" : `and ${sources.length - 1} more keys name`} no algorithm: ${how}`);
    }
    for (const key of keys) hideSecretMembers(key);
    // Hydra stores such a key as it is given; nothing can then sign or encrypt with it as it says.
    for (const [i, key] of keys.entries()) {
      const fits = useOf(key.alg!);
      if ((key.use === "sig" || key.use === "enc") && key.use !== fits) {
        context.notify(`${read[i]!.source}: the key is for ${key.use === "enc" ? "encryption" : "signing"} (use "${key.use}"), but ${key.alg} ${fits === "enc" ? "encrypts" : "signs"}`);
      }
    }
    const duplicate = keys.find((key, i) => keys.findIndex((other) => other.kid === key.kid) !== i);
    if (duplicate) throw new InputError(`two of the keys to import have the ID "${duplicate.kid}"`);

    const admin = adminFromArgs(args, context);
    let existing: Jwk[] = [];
    // A dry run gets no answer to read the set with: it shows each key's request.
    const dryRun = args["dry-run"] ? new ShownRequests() : undefined;
    try {
      if (!dryRun) existing = (await processGetKeySetResponse(await getKeySetRequest(admin, args.set), args.set)).keys;
      // Hydra v1.8 takes the set back whole, private keys and all.
      for (const key of existing) hideSecretMembers(key);
    } catch (error) {
      if (!(error instanceof KeySetNotFoundError)) throw error;
    }
    for (const key of keys) {
      if (!existing.some((old) => old.kid === key.kid)) continue;
      // Hydra v1.8 refused a key whose ID the set holds (409): a script may count on that to
      // keep a signing key. v2's import jwk replaces it, as Hydra v2 does.
      if (legacy) throw new InputError(`key "${key.kid}" is in set "${args.set}" already, and keys import replaces no key (import jwk does); nothing was imported`);
      context.notify(`key "${key.kid}" replaces the key with that ID in set "${args.set}"`);
    }

    const imported: Jwk[] = [];
    let failures = 0;
    let attempted = 0;
    const notAttempted = () => (attempted < keys.length ? `; not attempted: ${keys.slice(attempted).map((key) => key.kid).join(", ")}` : "");
    // A key a request each (Hydra v2): Ctrl+C lets the one under way finish, then says what was and was not imported.
    const quitting = () => {
      const underWay = attempted > imported.length + failures ? `; ${keys[attempted - 1]!.kid} under way, perhaps imported` : "";
      return `quit at once: ${imported.length} of ${keys.length} keys imported into JSON Web Key Set ${args.set}${underWay}${notAttempted()}`;
    };
    const interrupted = keys.length > 1 && !admin.legacy ? stopOnInterrupt(context.runtime, "finishing the key import under way", quitting, () => admin.stopRetrying()) : () => undefined;
    if (admin.legacy) {
      // Hydra v1.8 adds keys only by replacing the whole set: the set as read, plus the new keys.
      const kept = existing.filter((old) => !keys.some((key) => key.kid === old.kid));
      await processSetKeySetResponse(await setKeySetRequest(admin, args.set, { keys: [...kept, ...keys] }), args.set);
      imported.push(...keys);
    } else {
      for (const key of keys) {
        if (interrupted()) break;
        attempted++;
        try {
          imported.push(await processSetKeyResponse(await setKeyRequest(admin, args.set, key), args.set, key.kid!));
        } catch (error) {
          if (dryRun?.keep(error)) continue;
          if (!(error instanceof HydractlError)) throw error;
          failures++;
          await context.runtime.writeStderr(`${errorLine(error)}\n`);
        }
      }
    }

    dryRun?.stop();

    const shown = { set: args.set, keys: imported.map(publicJwk) };
    // Hydra v1.8 said which files it loaded; v2 prints the imported keys as a table.
    const text = legacy
      ? () => `${files.map((file) => `Successfully loaded key from file: ${file === "-" ? "stdin" : file}\n`).join("")}JSON Web Key Set successfully imported!\n`
      : () => formatTable(keyRows([shown]));
    if (imported.length > 0) {
      const done = `${imported.length} of ${keys.length} keys ${imported.length === 1 ? "was" : "were"} imported into JSON Web Key Set ${args.set}`;
      await writeDone(context, done, () => render(shown, args.format, { text, table: () => keyRows([shown]), ids: () => keyIds(shown) }));
    }
    const signal = interrupted();
    if (signal && attempted < keys.length) throw new InterruptedError(`interrupted: ${imported.length} of ${keys.length} keys imported into JSON Web Key Set ${args.set}${failures ? `, ${failures} not` : ""}${notAttempted()}`, { signal });
    if (failures > 0) throw new PartialFailureError(`${failures} of ${keys.length} keys not imported; ${imported.length} imported`);
  },
});

/** The key as Hydra must get it: a key ID, an algorithm that fits the key, and a use. */
function complete(key: ReadKey, alg: string | undefined, use: string | undefined, legacy: boolean): Jwk {
  const chosen = key.jwk.alg ?? alg;
  if (!chosen) {
    throw new UsageError(`${key.source} ${key.encoded ? "is PEM or DER, which names no algorithm" : 'has no "alg"'}: give one with --alg`);
  }
  try {
    checkAlgorithm(key.jwk, chosen, key.source);
  } catch (error) {
    if (error instanceof InputError && key.jwk.alg === undefined) throw new UsageError(`${error.message}; choose another --alg`, { cause: error });
    throw error;
  }
  // Hydra v1.8 named imported keys private:UUID and public:UUID, v2 by a bare UUID.
  const kid = key.jwk.kid ?? (legacy ? `${key.private ? "private" : "public"}:${crypto.randomUUID()}` : crypto.randomUUID());
  // Each key is sent to /keys/SET/KID, where . and .. would resolve to another route.
  if (kid === "." || kid === ".." || kid.includes("/")) throw new InputError(`${key.source}: the key ID "${kid}" cannot go in a URL path`);
  return { ...key.jwk, kid, alg: chosen, use: key.jwk.use ?? use ?? useOf(chosen) };
}
