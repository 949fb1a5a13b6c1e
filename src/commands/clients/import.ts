import { escapeControls } from "../../chars.ts";
import { command, type CommandContext, stdinReadOnce, stopOnInterrupt } from "../../cli/context.ts";
import { type Format, formatTable, render } from "../../cli/output.ts";
import { integer } from "../../cli/parsers.ts";
import { ApiError, errorLine, HydractlError, InputError, InterruptedError, NetworkError, OutputError, outputFailureOf, outputTrouble, PartialFailureError, UncertainOutcomeError } from "../../errors.ts";
import { mayHaveReachedServer, timedOut } from "../../http/api.ts";
import type { OAuth2Client } from "../../hydra/clients.ts";
import type { EncryptionKey } from "../../secrets/pgp.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, readJsonSource, ShownRequests } from "../_shared.ts";
import { checkClient, clientIds, clientsTable, createClient, echoesChosenSecret, encryptionFlags, encryptionKeyFromArgs, shownClient, uncreatable, warnSecretsNotShown } from "./_shared.ts";

/** A client to import and where it came from, for every message about it. */
interface Entry {
  client: OAuth2Client;
  /** `file.json` for a file holding one client, `file.json[3]` for an array's fourth. */
  origin: string;
  secretChosen: boolean;
}

type Outcome = { entry: Entry; created: OAuth2Client } | { entry: Entry; skipped: true } | { entry: Entry; error: HydractlError };

/** How many bad clients' places the error names after the first one's problem. */
const NAMED_BAD_CLIENTS = 10;

async function readEntries(files: string[], context: CommandContext): Promise<Entry[]> {
  stdinReadOnce(files.filter((file) => file === "-"));
  const entries: Entry[] = [];
  const ids = new Map<string, string>();
  // Every client is checked, so that one round of fixes is enough: the error names them all.
  const bad: { origin: string; error: InputError }[] = [];
  for (const file of files) {
    const name = file === "-" ? "stdin" : file;
    const document = await readJsonSource(context, file, "the client file");
    const items = Array.isArray(document) ? document.map((item, index) => [item, `${name}[${index}]`] as const) : [[document, name] as const];
    for (const [item, origin] of items) {
      let client: OAuth2Client;
      try {
        client = checkClient(item, origin);
        const unreported = uncreatable(client.client_id);
        if (unreported) throw new InputError(`${origin}: "client_id" is "${client.client_id}": ${unreported}`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        bad.push({ origin, error });
        continue;
      }
      if (client.client_id) {
        const earlier = ids.get(client.client_id);
        if (earlier) {
          bad.push({ origin, error: new InputError(`${origin}: client ID "${client.client_id}" is also in ${earlier}`) });
          continue;
        }
        ids.set(client.client_id, origin);
      }
      entries.push({ client, origin, secretChosen: typeof client.client_secret === "string" && client.client_secret !== "" });
    }
  }
  const [first, ...others] = bad;
  if (first && others.length === 0) throw first.error;
  if (first) {
    const named = others.slice(0, NAMED_BAD_CLIENTS).map(({ origin }) => origin);
    const more = others.length > NAMED_BAD_CLIENTS ? `, and ${others.length - NAMED_BAD_CLIENTS} more` : "";
    throw new InputError(`${first.error.message}; ${others.length} more bad: ${named.join(", ")}${more}`, { cause: first.error });
  }
  return entries;
}

/**
 * Runs `work` over `items` with at most `limit` at a time, keeping the items' order in the
 * result, and starts no new item once `stopped()`; `started` says how many were.
 */
async function pool<T, R>(items: T[], limit: number, stopped: () => boolean, work: (item: T) => Promise<R>): Promise<{ results: R[]; started: number }> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stopped()) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { results, started: next };
}

/**
 * Whether no client created prints nothing at all in `format`: not Hydra v2's table of no
 * rows, nor a path into nothing; JSON and YAML print the empty list.
 */
function showsNoneAsNothing(format: Format): boolean {
  return format.kind === "default" || format.kind === "jsonpath" || format.kind === "jsonpointer";
}

export default command({
  meta: {
    name: "import",
    description:
      "Create OAuth 2.0 clients from JSON files\n\n" +
      "Each file holds one client or an array of clients (the fields of Hydra's client, as\n" +
      "clients get --format json prints them); - or no file reads stdin. Every file is read and\n" +
      "checked before the first client is sent, and every bad one is named with its index.\n" +
      "Clients are created several at a time, each gets a line, and the summary says what was\n" +
      "and was not created; --skip-existing lets a second run finish an interrupted import.\n" +
      "Generated secrets are printed once, or encrypted with --pgp-key, --pgp-key-url or\n" +
      "--keybase.\n\n" +
      "Examples:\n" +
      "  hydractl import client clients.json more-clients.json\n" +
      "  hydractl get client my-app --format json -e http://old:4445 | hydractl import client -e http://new:4445",
  },
  args: {
    files: { type: "positional", variadic: true, required: false, valueHint: "FILE", description: "JSON files to import (- for stdin; stdin when none)" },
    concurrency: { type: "string", default: "8", parse: integer(1, 64), valueHint: "int", description: "How many clients to create at a time, 1 to 64" },
    "skip-existing": { type: "boolean", description: "Take a client whose ID already exists as done instead of failing" },
    ...encryptionFlags,
    ...adminFlags,
  },
  async run(args, context) {
    const entries = await readEntries(args.files.length > 0 ? args.files : ["-"], context);
    // An empty list is nothing to do, not a failure (Hydra v2 prints an empty table): a
    // pipeline that exports and imports again must not stop where there was nothing, and
    // reads the empty list in JSON or YAML (`jq length`), as when no client was created.
    if (entries.length === 0) {
      context.notify("nothing to import: the files hold no clients");
      if (!showsNoneAsNothing(args.format)) await context.runtime.writeStdout(await render([], args.format, { text: () => "", table: () => clientsTable([]), ids: () => [] }));
      return;
    }
    const admin = adminFromArgs(args, context);
    const key = await encryptionKeyFromArgs(args, context, entries.every((entry) => entry.secretChosen));
    const hideChosen = !echoesChosenSecret(args.format, args);
    const { runtime } = context;
    const legacy = isV18WordOrder(context);
    // Hydra v1.8 printed a line per client as it went; v2 prints its table once all are done.
    const streaming = args.format.kind === "default" && legacy;
    // Not beside lines that go to the same terminal as they come; beside Hydra v2's table,
    // printed at the end, it is.
    const progress = runtime.isTerminal("stderr") && !(streaming && runtime.isTerminal("stdout"));
    let done = 0;
    // What a second Ctrl+C, which quits at once, says was done: the table that would have shown it is not printed.
    let sent = 0;
    let skippedSoFar = 0;
    const createdIds: string[] = [];
    // The places of the clients sent and not yet answered.
    const underWay = new Set<string>();
    const shown = new ShownRequests();
    // Once a result cannot be written, no new client is created: its secret could be lost too.
    let outputFailure: OutputError | undefined;
    const unwritten: string[] = [];
    // Once a request has failed without reaching the server (its retries spent), or without
    // an answer within its time limit, no new client is sent: the rest would fail alike, each
    // waiting out its own retries, and each one a hung server did create would hold a secret
    // no one saw. (A connection closed without an answer may be one stale connection: the
    // import goes on, and names that client as perhaps created.)
    let halted: { entry: Entry; why: string } | undefined;
    // Where the clients not sent begin: the same words for every way the import stops early.
    const notAttempted = (from: number) => `not attempted: ${entries.length - from}, from ${entries[from]!.origin} on`;
    // Ctrl+C takes no new client; those already sent are waited for and shown (each within
    // --fail-after), so that none is created unseen, and the summary says where to go on.
    const interrupted = stopOnInterrupt(runtime, "waiting for the clients already sent", () => {
      const parts = [`quit at once: ${createdIds.length} of ${entries.length} clients created${skippedSoFar ? `, ${skippedSoFar} skipped as existing` : ""}`];
      if (createdIds.length > 0 && !streaming) parts.push(`not shown, with any secret Hydra generated for them: ${createdIds.join(", ")}`);
      if (underWay.size > 0) parts.push(`under way, perhaps created: ${[...underWay].join(", ")}`);
      if (sent < entries.length) parts.push(notAttempted(sent));
      return parts.join("; ");
    }, () => admin.stopRetrying());

    const { results, started } = await pool(entries, args.concurrency, () => outputFailure !== undefined || halted !== undefined || interrupted() !== undefined, async (entry): Promise<Outcome | undefined> => {
      let outcome: Outcome;
      sent++;
      underWay.add(entry.origin);
      try {
        let created: OAuth2Client;
        try {
          created = await createClient(admin, entry.client, context);
        } finally {
          underWay.delete(entry.origin);
        }
        createdIds.push(created.client_id ?? "");
        outcome = { entry, created: await shownClient(created, entry.secretChosen, hideChosen, key) };
      } catch (error) {
        // A dry run showed this client's request: nothing to report, on to the next one.
        if (shown.keep(error)) return undefined;
        if (!(error instanceof HydractlError)) throw error;
        if (!halted && error instanceof NetworkError && !mayHaveReachedServer(error)) halted = { entry, why: `${entry.origin} did not reach the server` };
        else if (!halted && timedOut(error)) halted = { entry, why: `${entry.origin} got no answer in time` };
        const exists = error instanceof ApiError && error.status === 409;
        outcome = exists && args["skip-existing"] ? { entry, skipped: true } : { entry, error };
        if ("skipped" in outcome) skippedSoFar++;
      }
      done++;
      if (streaming) {
        // The ID is the server's: shown as every table cell is.
        const failure = await outputFailureOf(runtime.writeStdout(resultLine(outcome, key !== undefined)));
        if (failure) {
          outputFailure ??= failure;
          if ("created" in outcome) unwritten.push(outcome.created.client_id!);
        }
      }
      // Named by its place and, where the file gives one, its ID: a 409 is about that ID.
      const id = entry.client.client_id ? `, client "${escapeControls(entry.client.client_id)}"` : "";
      if ("error" in outcome) await runtime.writeStderr(`${errorLine(outcome.error)} (${entry.origin}${id})\n`);
      if (progress && done % 50 === 0) context.notify(`${done} of ${entries.length} clients`);
      return outcome;
    });
    shown.stop();
    const outcomes = results.filter((outcome) => outcome !== undefined);

    const created = outcomes.flatMap((outcome) => ("created" in outcome ? [outcome.created] : []));
    const skipped = outcomes.filter((outcome) => "skipped" in outcome).length;
    // A client whose request may have reached Hydra (its answer was lost) is not said to be missing.
    const failed = outcomes.flatMap((outcome) => ("error" in outcome && !(outcome.error instanceof UncertainOutcomeError) ? [outcome.entry.origin] : []));
    const uncertain = outcomes.flatMap((outcome) => ("error" in outcome && outcome.error instanceof UncertainOutcomeError ? [outcome.entry.origin] : []));
    const notDone = [
      ...(failed.length > 0 ? [`not created: ${failed.join(", ")}`] : []),
      ...(uncertain.length > 0 ? [`perhaps created, to check before importing them again (a secret Hydra generated for one was never shown): ${uncertain.join(", ")}`] : []),
    ];
    if (!streaming) {
      // One client as itself, several as a list, as Hydra v2 prints them.
      const none = created.length === 0 && showsNoneAsNothing(args.format);
      const write = async () => {
        const table = none ? "" : await render(created.length === 1 ? created[0] : created, args.format, { text: () => formatTable(clientsTable(created)), table: () => clientsTable(created), ids: () => clientIds(created) });
        await runtime.writeStdout(table);
        // A secret the file chose is no secret Hydra generated, whether shown or not.
        const generated = outcomes.flatMap((outcome) => ("created" in outcome && !outcome.entry.secretChosen ? [outcome.created] : []));
        await warnSecretsNotShown(args.format, generated, context, table);
      };
      outputFailure = await outputFailureOf(write());
      if (outputFailure) unwritten.push(...created.map((client) => client.client_id!));
    }
    const summary = `${created.length} of ${entries.length} clients created${skipped ? `, ${skipped} skipped as existing` : ""}`;
    // --skip-existing knows a client by its ID: one without would be created a second time.
    const resumable = entries.every((entry) => typeof entry.client.client_id === "string" && entry.client.client_id !== "");
    const finishing = (fixFirst: boolean) =>
      args["skip-existing"]
        ? fixFirst ? " (fix them, then run again)" : ""
        : resumable
          ? ` (${fixFirst ? "fix them, then " : ""}run again with --skip-existing to finish)`
          : " (clients without a client_id would be created again by a second run: import only those named here)";
    const finish = finishing(false);
    // Clients the server refused (a 4xx answer; a 409 only says the ID exists) would be
    // refused again as they are: the advice is to fix them first.
    const errors = outcomes.flatMap((outcome) => ("error" in outcome ? [outcome.error] : []));
    const refused = (error: HydractlError) => error instanceof ApiError && error.status >= 400 && error.status < 500;
    const refusedOnly = errors.every(refused) && errors.some((error) => (error as ApiError).status !== 409);
    if (outputFailure) {
      const parts = [`${outputTrouble(outputFailure)}${started < entries.length ? ", so the import stopped" : ""}: ${summary}`];
      if (unwritten.length > 0) parts.push(`created but not shown, with any secret Hydra generated for them: ${unwritten.join(", ")}`);
      parts.push(...notDone);
      if (started < entries.length) parts.push(`${notAttempted(started)}${finish}`);
      throw new OutputError(parts.join("; "), outputFailure.reason, { cause: outputFailure });
    }
    const interruptedBy = interrupted();
    if (interruptedBy && started < entries.length) {
      const parts = [`interrupted: ${summary}`, ...notDone];
      parts.push(`${notAttempted(started)}${finish}`);
      throw new InterruptedError(parts.join("; "), { signal: interruptedBy });
    }
    if (halted && started < entries.length) {
      const parts = [summary, ...notDone, `${notAttempted(started)}, as ${halted.why}${finish}`];
      throw new PartialFailureError(parts.join("; "));
    }
    if (notDone.length > 0) throw new PartialFailureError(`${[summary, ...notDone].join("; ")}${finishing(refusedOnly)}`);
    context.notify(summary);
  },
});

/** Hydra v1.8's line per client, written as each one is done. */
function resultLine(outcome: Outcome, encrypted: boolean): string {
  // The server's values and the file's, each escaped whole: a line break in one is shown, not taken.
  const origin = escapeControls(outcome.entry.origin);
  if ("error" in outcome) return "";
  if ("skipped" in outcome) return `Skipped ${escapeControls(String(outcome.entry.client.client_id))} from ${origin}: it exists already\n`;
  const id = escapeControls(outcome.created.client_id ?? "");
  const secret = outcome.created.client_secret && escapeControls(outcome.created.client_secret);
  // "Imported OAuth 2.0 Client ID:SECRET from: FILE" names the secret inline; an encrypted
  // one has a line of its own, and a blank line after it.
  if (secret && encrypted) return `Imported OAuth 2.0 Client ${id} from: ${origin}\nOAuth 2.0 Encrypted Client Secret: ${secret}\n\n`;
  return `Imported OAuth 2.0 Client ${id}${secret ? `:${secret}` : ""} from: ${origin}\n`;
}
