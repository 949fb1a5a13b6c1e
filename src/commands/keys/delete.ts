import { command, stopOnInterrupt } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { errorLine, HydractlError, PartialFailureError } from "../../errors.ts";
import { deleteKeySetRequest, getKeySetRequest, processDeleteKeySetResponse, processGetKeySetResponse } from "../../hydra/jwks.ts";
import { adminFlags, adminFromArgs } from "../_shared.ts";
import { isLegacySpelling } from "./_shared.ts";

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
    sets: { type: "positional", variadic: true, valueHint: "SET", description: "The JSON Web Key Set IDs" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    const deleted: string[] = [];
    // Hydra v1.8's line per deletion; -q prints the IDs at the end, as in v2's spelling.
    const legacy = isLegacySpelling(context) && args.format.kind !== "ids";
    let failures = 0;
    // Ctrl+C ends the run after the deletion under way, and says which were and were not done.
    const interrupted = args.sets.length > 1 ? stopOnInterrupt(context.runtime, "finishing the deletion under way") : () => false;
    let attempted = 0;
    for (const set of args.sets) {
      if (interrupted()) break;
      attempted++;
      try {
        await processGetKeySetResponse(await getKeySetRequest(admin, set), set);
        await processDeleteKeySetResponse(await deleteKeySetRequest(admin, set), set);
        deleted.push(set);
        if (legacy) await context.runtime.writeStdout(`JSON Web Key Set deleted: ${set}\n`);
      } catch (error) {
        if (!(error instanceof HydractlError)) throw error;
        failures++;
        await context.runtime.writeStderr(`${errorLine(error)}\n`);
      }
    }
    if (!legacy && deleted.length > 0) {
      // Hydra v2 prints one deleted ID as a row (a JSON string), several under an ID header.
      const one = args.sets.length === 1;
      const rows = one ? [["ID", deleted[0]!]] : [["ID"], ...deleted.map((set) => [set])];
      const data = one ? deleted[0] : deleted;
      await context.runtime.writeStdout(await render(data, args.format, { text: () => formatTable(rows), table: () => rows, ids: () => deleted }));
    }
    if (attempted < args.sets.length) {
      const rest = args.sets.slice(attempted);
      throw new PartialFailureError(`interrupted: ${deleted.length} of ${args.sets.length} JSON Web Key Sets deleted${failures ? `, ${failures} not` : ""}; not attempted: ${rest.join(", ")}`);
    }
    if (failures > 0) throw new PartialFailureError(`${failures} of ${args.sets.length} JSON Web Key Sets not deleted; ${deleted.length} deleted`);
  },
});
