import { command, stopOnInterrupt } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { errorLine, HydractlError, PartialFailureError } from "../../errors.ts";
import { deleteClientRequest, processDeleteClientResponse } from "../../hydra/clients.ts";
import { adminFlags, adminFromArgs, ShownRequests } from "../_shared.ts";
import { isLegacySpelling } from "./_shared.ts";

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
    ids: { type: "positional", variadic: true, valueHint: "ID", description: "The client IDs" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    const deleted: string[] = [];
    // Hydra v1.8's line per deletion; -q prints the IDs at the end, as in v2's spelling.
    const legacy = isLegacySpelling(context) && args.format.kind !== "ids";
    let failures = 0;
    const shown = new ShownRequests();
    // Ctrl+C ends the run after the deletion under way, and says which were and were not done.
    const interrupted = args.ids.length > 1 ? stopOnInterrupt(context.runtime, "finishing the deletion under way") : () => false;
    let attempted = 0;
    for (const id of args.ids) {
      if (interrupted()) break;
      attempted++;
      try {
        await processDeleteClientResponse(await deleteClientRequest(admin, id), id);
        deleted.push(id);
        if (legacy) await context.runtime.writeStdout(`OAuth 2.0 Client ${id} deleted\n`);
      } catch (error) {
        if (shown.keep(error)) continue;
        if (!(error instanceof HydractlError)) throw error;
        failures++;
        await context.runtime.writeStderr(`${errorLine(error)}\n`);
      }
    }
    shown.stop();
    if (!legacy) {
      // Hydra v2 prints the deleted IDs under an ID header; one ID alone as a JSON string.
      const rows = [["ID"], ...deleted.map((id) => [id])];
      const data = args.ids.length === 1 ? deleted[0] : deleted;
      if (deleted.length > 0) await context.runtime.writeStdout(await render(data, args.format, { text: () => formatTable(rows), table: () => rows, ids: () => deleted }));
    }
    if (attempted < args.ids.length) {
      const rest = args.ids.slice(attempted);
      throw new PartialFailureError(`interrupted: ${deleted.length} of ${args.ids.length} clients deleted${failures ? `, ${failures} not` : ""}; not attempted: ${rest.join(", ")}`);
    }
    if (failures > 0) {
      throw new PartialFailureError(`${failures} of ${args.ids.length} clients not deleted; ${deleted.length} deleted`);
    }
  },
});
