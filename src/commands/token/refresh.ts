import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { httpUrl } from "../../cli/parsers.ts";
import { FlowError } from "../../errors.ts";
import { IdTokenRejectedError, refreshTokens } from "../../oauth/refresh.ts";
import { tokenArgument, writeDone } from "../_shared.ts";
import { asRegistered, clientFlags, clientFromArgs, renderTokens, serverFlags, serverFromArgs } from "../_tokens.ts";

const args = {
  "refresh-token": { type: "string", valueHint: "token", secret: true, description: "The refresh token; - (the default) reads it from stdin" },
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
      "audience, expiry, azp, iat and at_hash. The refresh token comes from stdin unless\n" +
      "--refresh-token gives it.\n\n" +
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
    let rejected: IdTokenRejectedError | undefined;
    const refreshed = asRegistered(client, args, context, (as) => refreshTokens(server, as, refreshToken, args.scope, http));
    const { tokens } = await refreshed.catch((error: unknown) => {
      if (!(error instanceof IdTokenRejectedError)) throw error;
      rejected = error;
      return { tokens: error.tokens };
    });
    // The refresh token given may have been replaced by one in the output: say it was used.
    await writeDone(context, "the tokens were refreshed", () => renderTokens(tokens, args.format), true);
    if (rejected) {
      // Without --endpoint the issuer (and its JWKS) is guessed from --token-url, as Hydra lays them out.
      const guessed = args.endpoint ? "" : "; the issuer was guessed from --token-url: give the server's with --endpoint";
      throw new FlowError(
        `the refresh token was used and new tokens were issued, but the ID token among them was rejected (${rejected.message})${guessed}; the others are printed without it`,
        rejected.code,
        { cause: rejected },
      );
    }
  },
});
