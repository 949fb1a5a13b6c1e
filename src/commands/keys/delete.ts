import { command } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { pathSegment } from "../../cli/parsers.ts";
import { deleteKeySetRequest, getKeySetRequest, processDeleteKeySetResponse, processGetKeySetResponse } from "../../hydra/jwks.ts";
import { deleteEach } from "../_delete.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, ShownRequests } from "../_shared.ts";

export default command({
  meta: {
    name: "delete",
    description:
      "Delete one or more JSON Web Key Sets and all their keys\n\n" +
      "Hydra deletes a set that does not exist without complaint; hydractl reads each set first\n" +
      "and reports one that is not there. Every set is tried, whatever happens to the others;\n" +
      "each one that could not be deleted gets a line on stderr, and the command then exits 1.\n\n" +
      "Examples:\n" +
      "  hydractl delete jwks my-set other-set\n" +
      "  hydractl keys delete my-set",
  },
  args: {
    sets: { type: "positional", parse: pathSegment, variadic: true, valueHint: "SET", description: "The JSON Web Key Set IDs" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    // Hydra v1.8's line per deletion; -q and any --format print at the end, as in v2's spelling.
    const legacy = isV18WordOrder(context) && args.format.kind === "default";
    await deleteEach(args.sets, context, {
      noun: "JSON Web Key Sets",
      // A dry run gets no answer to check the set with: it shows the deletion itself.
      check: args["dry-run"] ? undefined : async (set) => void (await processGetKeySetResponse(await getKeySetRequest(admin, set), set)),
      async remove(set) {
        await processDeleteKeySetResponse(await deleteKeySetRequest(admin, set), set);
      },
      stopRetrying: () => admin.stopRetrying(),
      dryRun: new ShownRequests(),
      printEach: legacy ? (set) => context.runtime.writeStdout(`JSON Web Key Set deleted: ${set}\n`) : undefined,
      // Hydra v2 prints one deleted set as a row (a JSON string), however many were given, and
      // several under an ID header.
      printAll: legacy
        ? undefined
        : async (deleted) => {
            const one = deleted.length === 1;
            const rows = one ? [["ID", deleted[0]!]] : [["ID"], ...deleted.map((set) => [set])];
            const data = one ? deleted[0] : deleted;
            await context.runtime.writeStdout(await render(data, args.format, { text: () => formatTable(rows), table: () => rows, ids: () => deleted }));
          },
    });
  },
});
