import { escapeControls } from "../../chars.ts";
import { command, type CommandContext, stopOnInterrupt } from "../../cli/context.ts";
import { type Format, formatTable, NothingMatched, render, renderItem, visibleCells } from "../../cli/output.ts";
import { integer } from "../../cli/parsers.ts";
import { ApiError, HydractlError, InterruptedError, OutputError, UsageError } from "../../errors.ts";
import type { HydraAdmin } from "../../hydra/admin.ts";
import { type ClientPage, type ListQuery, listClientsRequest, type OAuth2Client, processListClientsResponse } from "../../hydra/clients.ts";
import { adminFlags, adminFromArgs, isV18WordOrder } from "../_shared.ts";
import { clientIds, clientRows, legacyRows, markdownTable } from "./_shared.ts";

const args = {
  limit: { type: "string", parse: integer(1, 2 ** 31 - 1), valueHint: "int", description: "Hydra v1.8 paging: clients per page (default 20, as in Hydra v1.8)" },
  // Hydra v1.8 shows the first page for 0 too (its offset, -limit, reads as none).
  page: { type: "string", parse: integer(0, 1_000_000), valueHint: "int", description: "Hydra v1.8 paging: the page to show, from 1 (default 1; 0 is 1, as in Hydra v1.8)" },
  "page-size": { type: "string", parse: integer(1, 2 ** 31 - 1), valueHint: "int", description: "Hydra v2 paging: clients per page (default 100)" },
  "page-token": { type: "string", description: "Hydra v2 paging: the token a previous page ended with" },
  all: { type: "boolean", description: "Follow every page and print the clients as they arrive" },
  name: { type: "string", description: "Only clients with exactly this name" },
  owner: { type: "string", description: "Only clients with exactly this owner" },
  ...adminFlags,
} as const;

/** Reads pages in whichever scheme the server speaks: v2 by token, v1.8 by offset. */
class Pager {
  readonly #admin: HydraAdmin;
  readonly #filters: Pick<ListQuery, "clientName" | "owner">;
  readonly size: number;

  constructor(admin: HydraAdmin, size: number, filters: Pick<ListQuery, "clientName" | "owner">) {
    this.#admin = admin;
    this.size = size;
    this.#filters = filters;
  }

  readonly #tokens = new Set<string>();

  stopRetrying(): void {
    this.#admin.stopRetrying();
  }

  async fetch(at: { token?: string; offset?: number }): Promise<ClientPage> {
    // A server that hands out a token twice would have the walk go round for ever.
    if (at.token !== undefined) {
      if (this.#tokens.has(at.token)) throw new ApiError(`listing clients: the server gave the page token "${at.token}" a second time; stopped there`, 0);
      this.#tokens.add(at.token);
    }
    // The request takes the parameters of the scheme the server speaks.
    const query: ListQuery = { pageSize: this.size, limit: this.size, pageToken: at.token, offset: at.offset, ...this.#filters };
    const page = await processListClientsResponse(await listClientsRequest(this.#admin, query));
    // Where the server cannot filter (v1.8), the same filter applies here.
    const { clientName, owner } = this.#filters;
    if (clientName === undefined && owner === undefined) return page;
    const clients: OAuth2Client[] = [];
    for (const client of page.clients) {
      if ((clientName === undefined || client.client_name === clientName) && (owner === undefined || client.owner === owner)) clients.push(client);
    }
    return { ...page, clients };
  }

  /** Page `number` (from 1): a v1.8 server jumps there by offset, a v2 server is walked by tokens. */
  async page(number: number | undefined, token: string | undefined): Promise<ClientPage> {
    let page = await this.fetch({ token, offset: number ? (number - 1) * this.size : undefined });
    // Hydra v1.8 takes no token: it would answer with the first page as if none were given.
    if (token !== undefined && this.#admin.legacy) throw new ApiError("Hydra v1.8 pages by offset and has no page tokens: use --limit and --page", 0);
    if (!number || this.#admin.legacy) return page;
    const first = firstOf(page);
    for (let n = 1; n < number; n++) {
      if (!page.nextPageToken) return { clients: [] };
      page = notFirstAgain(await this.fetch({ token: page.nextPageToken }), first);
    }
    return page;
  }

  /** True once the server showed it is Hydra v1.8, which filters by neither name nor owner. */
  get legacy(): boolean {
    return this.#admin.legacy;
  }

  /** Every client, page after page, holding one page at a time. */
  async *all(): AsyncGenerator<OAuth2Client[]> {
    let at: { token?: string; offset?: number } | undefined = { offset: 0 };
    let first: string | undefined;
    while (at) {
      const fetched: ClientPage = await this.fetch(at);
      const page = first === undefined ? fetched : notFirstAgain(fetched, first);
      first ??= firstOf(page);
      yield page.clients;
      const offset: number = at.offset ?? 0;
      at = page.nextPageToken ? { token: page.nextPageToken } : page.nextOffset !== undefined && page.nextOffset > offset ? { offset: page.nextOffset } : undefined;
      // A next page that cannot be followed is not the end of the list: the rest would be missing without a word.
      if (!at && page.unfollowable !== undefined) {
        throw new ApiError(`listing clients: the server names a next page with neither a page token nor an offset (<${page.unfollowable}>); stopped there`, 0);
      }
      if (!at && page.nextOffset !== undefined) {
        throw new ApiError(`listing clients: the server names the next page at offset ${page.nextOffset}, not after this page's (${offset}); stopped there`, 0);
      }
    }
  }
}

/** The ID of a page's first client ("" for none), to tell the first page if it comes again. */
function firstOf(page: ClientPage): string {
  const id = page.clients[0]?.client_id;
  return typeof id === "string" ? id : "";
}

/**
 * The page, unless it starts with the first page's first client: a server that ignores the
 * token gives the first page again (under the same token or a new one), and its clients
 * would be shown twice, and the walk go round for ever. Only walks run this, not the one
 * page most `list` runs ask for, whose start a set of every page's clients would weigh on.
 */
function notFirstAgain(page: ClientPage, first: string): ClientPage {
  if (first !== "" && firstOf(page) === first) throw new ApiError(`listing clients: the server gave a page that starts with client "${first}" a second time; stopped there`, 0);
  return page;
}

export default command({
  meta: {
    name: "list",
    description:
      "List OAuth 2.0 clients\n\n" +
      "Shows one page of clients: Hydra v1.8's --limit and --page, or v2's --page-size and\n" +
      "--page-token (the next page's token is printed after the table). --all follows every page\n" +
      "and prints each client as it arrives, in constant memory; a --format jsonpath or\n" +
      "jsonpointer then applies to each client: one without what it names prints null for a\n" +
      "Hydra v2 path (redirect_uris.0), as get does, and is left out for a JSONPath or pointer.\n\n" +
      "Examples:\n" +
      "  hydractl list clients --page-size 50\n" +
      "  hydractl clients list --limit 10 --page 2\n" +
      "  hydractl list clients --all --owner team-a --format json",
  },
  args,
  async run(args, context) {
    if ((args.limit !== undefined || args.page !== undefined) && (args["page-size"] !== undefined || args["page-token"] !== undefined)) {
      throw new UsageError("use either --limit/--page (Hydra v1.8) or --page-size/--page-token (Hydra v2), not both");
    }
    if (args.all && (args.page !== undefined || args["page-token"] !== undefined)) {
      throw new UsageError("--all starts at the first page; leave out --page and --page-token");
    }
    // With --all a path applies to each client: one written for the page ({items: […]}) would
    // print null for every client, and a pointer nothing at all.
    const { format } = args;
    const forPage = format.kind === "jsonpath" ? /^(\$\.)?items\b/.test(format.path) : format.kind === "jsonpointer" && /^\/items(\/|$)/.test(format.pointer);
    if (args.all && forPage) throw new UsageError("with --all a --format path applies to each client, not to the page: leave out its items part (client_id, not items.#.client_id)");
    const legacy = isV18WordOrder(context);
    // Hydra v1.8's paging (--page) keeps its page of 20 in v2's word order too, as the help says.
    const size = args["page-size"] ?? args.limit ?? (legacy || args.page !== undefined ? 20 : 100);
    const pager = new Pager(adminFromArgs(args, context), size, { clientName: args.name, owner: args.owner });
    if (args["dry-run"] && (args.all || (args.page ?? 1) > 1)) {
      context.notify("note: dry run: later pages are asked for with what each answer says, so only the first request is shown");
    }
    if (args.all) return await streamAll(pager, args.format, context, legacy ? (clients) => legacyRows(clients, ", ") : clientRows);
    const page = await pager.page(args.page, args["page-token"]);
    const { clients, nextPageToken } = page;
    // Hydra v1.8 filters nothing: the filter applied here reaches this page alone.
    if (pager.legacy && (args.name !== undefined || args.owner !== undefined) && (nextPageToken || page.nextOffset !== undefined)) {
      context.notify("note: Hydra v1.8 cannot filter by name or owner, so only this page was filtered, here; --all filters every client");
    }
    // A v1.8 server pages by offset: there is more, but no v2 token to print; its way on is said.
    const isLast = !nextPageToken && page.nextOffset === undefined;
    if (!legacy && !nextPageToken && page.nextOffset !== undefined) {
      context.notify(`note: the server is Hydra v1.8, which pages by offset and gives no page token: the next page is --limit ${size} --page ${Math.floor(page.nextOffset / size) + 1}`);
    }
    const views = legacy
      ? { text: () => markdownTable(legacyRows(clients)), table: () => clientRows(clients), ids: () => clientIds(clients) }
      : {
          // Hydra v2's view: the table, then where the next page starts.
          text: () => `${formatTable(clientRows(clients))}\nNEXT PAGE TOKEN  ${escapeControls(nextPageToken ?? "")}\nIS LAST PAGE     ${isLast}\n`,
          table: () => clientRows(clients),
          ids: () => clientIds(clients),
        };
    const data = legacy ? clients : { items: clients, next_page_token: nextPageToken ?? "", is_last_page: isLast };
    await context.runtime.writeStdout(await render(data, args.format, views));
  },
});

/**
 * `--all`: each client is written as soon as its page arrives, so memory stays flat
 * whatever the number of clients. Tables cannot be padded ahead of time, so their columns
 * are tab-separated, as Hydra's own are.
 */
async function streamAll(pager: Pager, format: Format, context: CommandContext, rowsOf: (clients: OAuth2Client[]) => string[][]): Promise<void> {
  const { runtime } = context;
  const progress = runtime.isTerminal("stderr") && !runtime.isTerminal("stdout");
  let count = 0;
  // Written with the first page: a first request that fails, or a dry run's, leaves stdout empty.
  let opening = format.kind === "default" || format.kind === "table" ? `${rowsOf([])[0]!.join("\t")}\n` : format.kind === "json" || format.kind === "json-pretty" ? "[" : "";
  // A path applies to each client. Written as Hydra v2 reads paths, it gives null for one
  // without the field, a line a client; a JSONPath or a pointer leaves such a client out, and
  // one that matches in no client at all is the mistake it is without --all.
  let unmatched: NothingMatched | undefined;
  let matched = false;
  // Ctrl+C ends the listing after the page under way, the output whole (a JSON array closed).
  const interrupted = stopOnInterrupt(runtime, "finishing the page under way", () => `quit at once: ${count} clients listed`, () => pager.stopRetrying());
  // The page under way may fail once interrupted (its retries stop then): the account still
  // comes, the output whole.
  let lastPage: Error | undefined;
  try {
    await listPages();
  } catch (error) {
    if (!interrupted() || !(error instanceof HydractlError) || error instanceof OutputError) throw error;
    lastPage = error;
  }
  // The array is closed once opened: a page under way that failed may have been the first.
  if ((format.kind === "json" || format.kind === "json-pretty") && opening === "") await runtime.writeStdout(count === 0 ? "]\n" : "\n]\n");
  // YAML's items are written one list entry at a time: no entry at all is the empty list, said.
  if (format.kind === "yaml" && count === 0 && !interrupted()) await runtime.writeStdout("[]\n");
  const signal = interrupted();
  const failed = lastPage ? `; the page under way failed: ${lastPage.message}` : "";
  if (signal) throw new InterruptedError(`interrupted: ${count} clients listed, the pages after them not read${failed}`, { signal });
  if (!matched && unmatched) throw unmatched;
  if (progress) context.notify(`${count} clients in all`);

  async function listPages(): Promise<void> {
    for await (const clients of pager.all()) {
      let chunk = opening;
      opening = "";
      for (const client of clients) {
        try {
          const rows = () => visibleCells(rowsOf([client]).slice(1)).map((row) => row.join("\t")).join("\n");
          chunk += await renderItem(client, format, count++ === 0, rows, () => clientIds([client]));
          matched = true;
        } catch (error) {
          if (!(error instanceof NothingMatched)) throw error;
          unmatched ??= error;
        }
      }
      await runtime.writeStdout(chunk);
      if (progress) context.notify(`${count} clients so far`);
      if (interrupted()) break;
    }
  }
}
