import { command } from "../../cli/context.ts";
import { fitsHeader, UNFIT } from "../../cli/headers.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { formatTable, render } from "../../cli/output.ts";
import { FlowError, InputError, UsageError } from "../../errors.ts";
import { fetchUserInfo, USERINFO_FOR_ANOTHER_CLIENT } from "../../oauth/userinfo.ts";
import { tokenArgument } from "../_shared.ts";
import { serverFlags, serverFromArgs } from "../_tokens.ts";

const args = {
  token: { type: "positional", valueHint: "TOKEN", secret: true, description: "The access token; - reads it from stdin" },
  "client-id": { type: "string", env: "OAUTH2_CLIENT_ID", description: "The client the token was issued to (checked when the server signs its answer)" },
  ...serverFlags,
} as const satisfies FlagDefs;

export default command({
  meta: {
    name: "userinfo",
    description:
      "Show the claims the userinfo endpoint returns for an access token\n\n" +
      "Sends the access token as a bearer token to the server's OpenID Connect userinfo\n" +
      "endpoint and prints the claims about the user it was issued for. A signed answer\n" +
      "(for a client registered with userinfo_signed_response_alg) is checked as an ID token\n" +
      "is: its signature against the server's keys, the issuer, and --client-id as its audience.\n\n" +
      "Example:\n" +
      "  hydractl token userinfo -e https://hydra.example \"$ACCESS_TOKEN\"",
  },
  args,
  async run(args, context) {
    const token = await tokenArgument(context, args.token, "access token");
    // It goes in the Authorization header, which carries Latin-1 on one line only.
    if (!fitsHeader(token)) {
      const problem = `the access token ${UNFIT}`;
      throw args.token === "-" ? new InputError(problem) : new UsageError(problem);
    }
    const { server, http } = await serverFromArgs(args, context);
    const claims = await fetchUserInfo(server, args["client-id"], token, http).catch((error) => {
      if (args["client-id"] || !(error instanceof FlowError && error.code === USERINFO_FOR_ANOTHER_CLIENT)) throw error;
      throw new FlowError(`${error.message}: give --client-id, the client the token was issued to`, error.code, { cause: error });
    });
    const rows = [["CLAIM", "VALUE"], ...Object.entries(claims).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)])];
    await context.runtime.writeStdout(await render(claims, args.format, { text: () => formatTable(rows), table: () => rows, ids: () => (typeof claims.sub === "string" ? [claims.sub] : []) }));
  },
});
