import { command } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { pathSegment } from "../../cli/parsers.ts";
import { deleteClientRequest, processDeleteClientResponse } from "../../hydra/clients.ts";
import { deleteEach } from "../_delete.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, ShownRequests } from "../_shared.ts";

export default command({
  meta: {
    name: "delete",
    description:
      "Delete one or more OAuth 2.0 clients\n\n" +
      "Every ID is tried, whatever happens to the others; each one that could not be deleted\n" +
      "gets a line on stderr, and the command then exits 1.\n\n" +
      "Examples:\n" +
      "  hydractl delete client my-app other-app\n" +
      "  hydractl clients delete my-app",
  },
  args: {
    ids: { type: "positional", parse: pathSegment, variadic: true, valueHint: "ID", description: "The client IDs" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    // Hydra v1.8's line per deletion; -q and any --format print at the end, as in v2's spelling.
    const legacy = isV18WordOrder(context) && args.format.kind === "default";
    await deleteEach(args.ids, context, {
      noun: "clients",
      remove: async (id) => void (await processDeleteClientResponse(await deleteClientRequest(admin, id), id)),
      stopRetrying: () => admin.stopRetrying(),
      printEach: legacy ? (id) => context.runtime.writeStdout(`OAuth 2.0 Client ${id} deleted\n`) : undefined,
      // Hydra v2 prints the deleted IDs under an ID header, and one deleted ID alone as a row (a
      // JSON string), however many were given.
      printAll: legacy
        ? undefined
        : async (deleted) => {
            const one = deleted.length === 1;
            const rows = one ? [["ID", deleted[0]!]] : [["ID"], ...deleted.map((id) => [id])];
            const data = one ? deleted[0] : deleted;
            await context.runtime.writeStdout(await render(data, args.format, { text: () => formatTable(rows), table: () => rows, ids: () => deleted }));
          },
      dryRun: new ShownRequests(),
    });
  },
});
