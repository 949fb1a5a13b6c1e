import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { formatTable, render } from "../../cli/output.ts";
import { httpUrl } from "../../cli/parsers.ts";
import { revokeToken } from "../../oauth/revocation.ts";
import { tokenArgument, writeDone } from "../_shared.ts";
import { asRegistered, clientFlags, clientFromArgs, serverFlags, serverFromArgs } from "../_tokens.ts";

const args = {
  token: { type: "positional", valueHint: "TOKEN", secret: true, description: "The access or refresh token to revoke; - reads it from stdin" },
  ...clientFlags,
  "revocation-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Send the token here, without OpenID discovery (Hydra's CLI uses the endpoint's /oauth2/revoke)" },
  ...serverFlags,
} as const satisfies FlagDefs;

export default command({
  meta: {
    name: "token",
    description:
      "Revoke an access or refresh token (RFC 7009)\n\n" +
      "Sends the token to the server's revocation endpoint, authenticated as the client it was\n" +
      "issued to. The server answers success for a token it does not know too.\n\n" +
      "Examples:\n" +
      "  hydractl revoke token -e https://hydra.example --client-id my-app \"$TOKEN\"\n" +
      "  printf %s \"$TOKEN\" | hydractl token revoke --client-id my-app -",
  },
  args,
  async run(args, context) {
    const client = await clientFromArgs(args, context, { stdinTakenBy: args.token === "-" ? "TOKEN -" : undefined });
    const token = await tokenArgument(context, args.token, "token");
    const { server, http } = await serverFromArgs(args, context, "revocation-url");
    await asRegistered(client, args, context, (as) => revokeToken(server, as, token, http));
    // Both generations print the token they revoked (a revoked token grants nothing);
    // v1.8 (`token revoke`) as a sentence, v2 (`revoke token`) as an ID row.
    const text = context.path[0] === "token" ? () => `Revoked OAuth 2.0 Access Token: ${token}` : () => formatTable([["ID", token]]);
    await writeDone(context, "the token was revoked", () => render(token, args.format, { text, table: () => [["ID", token]], ids: () => [token] }));
  },
});
