import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { httpUrl } from "../../cli/parsers.ts";
import { clientCredentialsGrant } from "../../oauth/client-credentials.ts";
import { writeDone } from "../_shared.ts";
import { asRegistered, clientFlags, clientFromArgs, renderTokens, serverFlags, serverFromArgs } from "../_tokens.ts";

const args = {
  ...clientFlags,
  // The grant is for a client that authenticates: `none` is no way of this one's.
  "token-endpoint-auth-method": {
    ...clientFlags["token-endpoint-auth-method"],
    options: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    description: "How the client authenticates (default: private_key_jwt with --private-key, else client_secret_basic)",
  },
  scope: { type: "string", list: "words", description: "Scopes to request (separated by commas or spaces, or repeated)" },
  audience: { type: "string", list: "comma", description: "Access token audiences to request" },
  "token-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Send the token request here, without OpenID discovery (as Hydra's CLI does)" },
  verbose: { type: "boolean", alias: "v", description: "With Hydra v1.8's `token client`: print every token and the expiry, not only the access token" },
  ...serverFlags,
} as const satisfies FlagDefs;

export default command({
  meta: {
    name: "client-credentials",
    description:
      "Get an access token with the OAuth 2.0 Client Credentials grant\n\n" +
      "Exchanges the client's own credentials (a secret, or a private key with private_key_jwt)\n" +
      "for an access token at the server's token endpoint, found by OpenID discovery, or named\n" +
      "by --token-url and then used without it. Prints the token table; --format json or yaml\n" +
      "gives the whole token response.\n\n" +
      "Examples:\n" +
      "  OAUTH2_CLIENT_SECRET=… hydractl perform client-credentials -e https://hydra.example --client-id my-service\n" +
      "  hydractl token client --client-id my-service --client-secret - --scope read,write < secret.txt",
  },
  args,
  async run(args, context) {
    const client = await clientFromArgs(args, context, { confidential: true });
    const { server, http } = await serverFromArgs(args, context, "token-url");
    const { tokens } = await asRegistered(client, args, context, (as) => clientCredentialsGrant({ server, client: as, scopes: args.scope, audience: args.audience, http }));
    // Hydra v1.8's `token client` printed the bare access token, ready for $(…).
    const legacyText = context.path[0] === "token" && !args.verbose ? () => tokens.access_token : undefined;
    await writeDone(context, "tokens were issued", () => renderTokens(tokens, args.format, legacyText), true);
  },
});
