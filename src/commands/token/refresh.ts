import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { httpUrl } from "../../cli/parsers.ts";
import { refreshTokens } from "../../oauth/refresh.ts";
import { writeDone } from "../_shared.ts";
import { clientFlags, clientFromArgs, renderTokens, serverFlags, serverFromArgs, tokenArgument } from "../_tokens.ts";

const args = {
  "refresh-token": { type: "string", valueHint: "token", description: "The refresh token; - (the default) reads it from stdin" },
  ...clientFlags,
  scope: { type: "string", list: "words", description: "Ask for fewer scopes than were granted" },
  "token-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Use this token endpoint instead of the discovered one" },
  ...serverFlags,
} as const satisfies FlagDefs;

export default command({
  meta: {
    name: "refresh",
    description:
      "Exchange a refresh token for new tokens\n\n" +
      "Sends the refresh token to the token endpoint as its client and prints the new tokens.\n" +
      "A new ID token is checked as perform authorization-code checks one: signature, issuer,\n" +
      "audience, expiry. The refresh token comes from stdin unless --refresh-token gives it.\n\n" +
      "Example:\n" +
      "  hydractl perform authorization-code … --format json | jq -r .refresh_token \\\n" +
      "    | hydractl token refresh -e https://hydra.example --client-id my-app",
  },
  args,
  async run(args, context) {
    const source = args["refresh-token"] ?? "-";
    const client = await clientFromArgs(args, context, { stdinTakenBy: source === "-" ? "the refresh token" : undefined });
    const refreshToken = await tokenArgument(context, source, "refresh token");
    if (context.given.has("refresh-token")) {
      context.notify("warning: a refresh token given on the command line can end up in your shell history; without --refresh-token it is read from stdin");
    }
    const { server, http } = await serverFromArgs(args, context);
    const { tokens } = await refreshTokens(server, client, refreshToken, args.scope, http);
    // The refresh token given may have been replaced by one in the output: say it was used.
    await writeDone(context, "the tokens were refreshed", () => renderTokens(tokens, args.format), true);
  },
});
