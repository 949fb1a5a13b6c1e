import { command } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { UsageError } from "../../errors.ts";
import { deleteAccessTokensRequest, processDeleteAccessTokensResponse } from "../../hydra/tokens.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, writeDone } from "../_shared.ts";

export default command({
  meta: {
    name: "delete",
    description:
      "Delete all access tokens of an OAuth 2.0 client\n\n" +
      "Every access token Hydra issued to the client stops being active. Name the client by\n" +
      "argument (Hydra v2) or with --client-id (Hydra v1.8); a client without tokens, or\n" +
      "unknown to Hydra, is no error.\n\n" +
      "Examples:\n" +
      "  hydractl delete access-tokens my-app\n" +
      "  hydractl token delete --client-id my-app",
  },
  args: {
    client: { type: "positional", valueHint: "CLIENT_ID", required: false, description: "The client whose access tokens to delete" },
    // No `env` here, which help would show for both word orders: only v1.8's reads it (below).
    "client-id": { type: "string", description: "The client, as Hydra v1.8 named it (in its word order, token delete, also from OAUTH2_CLIENT_ID)" },
    ...adminFlags,
  },
  async run(args, context) {
    if (args.client !== undefined && context.given.has("client-id")) throw new UsageError("name the client once: by argument or with --client-id");
    // Hydra v1.8's `token delete` read OAUTH2_CLIENT_ID; v2's `delete access-tokens` takes
    // its argument only. There the variable, set for the token grants, or a config file's
    // key must not name, unseen, the client whose tokens all stop working.
    const legacy = isV18WordOrder(context);
    const fromFlag = context.given.has("client-id") ? args["client-id"] : undefined;
    // v1.8's word order reads the variable, then the config file (in args), as for any flag.
    const fromElsewhere = legacy ? context.runtime.env("OAUTH2_CLIENT_ID") || args["client-id"] : undefined;
    const clientId = args.client ?? fromFlag ?? fromElsewhere;
    if (!clientId) throw new UsageError(`missing argument CLIENT_ID${legacy ? " (or --client-id, or the OAUTH2_CLIENT_ID environment variable)" : ""}`);
    const admin = adminFromArgs(args, context);
    await processDeleteAccessTokensResponse(await deleteAccessTokensRequest(admin, clientId), clientId);
    // Hydra v1.8 said so in a sentence; v2 prints the client ID as a row (a JSON string).
    const rows = [["ID", clientId]];
    const text = context.path[0] === "token" ? () => `Successfully deleted access tokens for client ${clientId}` : () => formatTable(rows);
    await writeDone(context, `the access tokens of client ${clientId} were deleted`, () => render(clientId, args.format, { text, table: () => rows, ids: () => [clientId] }));
  },
});
