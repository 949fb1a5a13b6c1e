import { command } from "../../cli/context.ts";
import { formatTable } from "../../cli/output.ts";
import { pathSegment } from "../../cli/parsers.ts";
import { getClientRequest, type OAuth2Client, processGetClientResponse } from "../../hydra/clients.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, ShownRequests } from "../_shared.ts";
import { clientsTable, renderClients } from "./_shared.ts";

export default command({
  meta: {
    name: "get",
    description:
      "Show one or more OAuth 2.0 clients\n\n" +
      "Reads each client from Hydra's admin API. Several IDs give a table with a row each, or a\n" +
      "JSON array with --format json.\n\n" +
      "Examples:\n" +
      "  hydractl get client my-app\n" +
      "  hydractl clients get my-app other-app --format json",
  },
  args: {
    ids: { type: "positional", parse: pathSegment, variadic: true, valueHint: "ID", description: "The client IDs" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    const clients: OAuth2Client[] = [];
    const shown = new ShownRequests();
    for (const id of args.ids) {
      try {
        const client = await processGetClientResponse(await getClientRequest(admin, id), id);
        // Printed as the server sent it, but said: a script takes what it prints for the client asked for.
        if (client.client_id !== id) context.notify(`warning: the server answered for client "${id}" with the client "${client.client_id}"`);
        clients.push(client);
      } catch (error) {
        if (!shown.keep(error)) throw error;
      }
    }
    shown.stop();
    const data = clients.length === 1 ? clients[0] : clients;
    // Hydra v1.8's `clients get` printed the client as tab-indented JSON; v2 prints a table.
    const text = isV18WordOrder(context) ? () => JSON.stringify(data, null, "\t") : () => formatTable(clientsTable(clients));
    await context.runtime.writeStdout(await renderClients(data, clients, args.format, text));
  },
});
