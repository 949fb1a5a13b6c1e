import { command } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { pathSegment } from "../../cli/parsers.ts";
import { getKeySetRequest, processGetKeySetResponse } from "../../hydra/jwks.ts";
import { adminFlags, adminFromArgs, isV18WordOrder } from "../_shared.ts";
import { keyIds, keysTable, legacyJson, type NamedKeySet, publicOnly } from "./_shared.ts";

export default command({
  meta: {
    name: "get",
    description:
      "Show one or more JSON Web Key Sets\n\n" +
      "Reads each set from Hydra's admin API, private keys included unless --public is given.\n" +
      "Each key is shown under its own set's ID; --format json prints {\"set\", \"keys\"} for one\n" +
      "set, a list of them for several.\n\n" +
      "Examples:\n" +
      "  hydractl get jwks my-set --public\n" +
      "  hydractl keys get my-set --format jsonpath='$.keys[*].kid'",
  },
  args: {
    sets: { type: "positional", parse: pathSegment, variadic: true, valueHint: "SET", description: "The JSON Web Key Set IDs" },
    public: { type: "boolean", description: "Print only the public part of each key" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    const sets: NamedKeySet[] = [];
    for (const set of args.sets) {
      const { keys } = await processGetKeySetResponse(await getKeySetRequest(admin, set), set);
      sets.push(args.public ? publicOnly({ set, keys }) : { set, keys });
    }
    const data = sets.length === 1 ? sets[0]! : sets;
    // Hydra v1.8 printed the set as tab-indented JSON; v2 one key as two columns, several as a table.
    const text = isV18WordOrder(context) ? () => legacyJson(sets.length === 1 ? { keys: sets[0]!.keys } : sets) : () => formatTable(keysTable(sets));
    // -q as Hydra v2 prints it: one key (its two-column view) is named by its set, several by their IDs.
    const ids = () => {
      const kids = sets.flatMap(keyIds);
      return kids.length === 1 ? [sets.find((named) => named.keys.length === 1)!.set] : kids;
    };
    // --format table as Hydra v2 prints it: as the default view, one key in two columns.
    await context.runtime.writeStdout(await render(data, args.format, { text, table: () => keysTable(sets), ids }));
  },
});
