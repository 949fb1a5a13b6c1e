import { escapeControls } from "../../chars.ts";
import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { pollDeviceCode, startDeviceAuthorization } from "../../oauth/device-code.ts";
import { writeDone } from "../_shared.ts";
import { asRegistered, clientFlags, clientFromArgs, renderTokens, serverFlags, serverFromArgs } from "../_tokens.ts";

const args = {
  ...clientFlags,
  scope: { type: "string", list: "words", default: "offline,openid", description: "Scopes to request" },
  audience: { type: "string", list: "comma", description: "Access token audiences to request" },
  ...serverFlags,
} as const satisfies FlagDefs;

export default command({
  meta: {
    name: "device-code",
    description:
      "Run the OAuth 2.0 Device Authorization Grant (RFC 8628)\n\n" +
      "Asks the server for a user code, prints it with the page where you enter it, then waits\n" +
      "at the server's interval until you approve or deny there, the code expires, or Ctrl+C.\n" +
      "Prints the tokens (exit 0) or the server's error (exit 1). The server must announce a\n" +
      "device authorization endpoint in its OpenID discovery document.\n\n" +
      "Example:\n" +
      "  hydractl perform device-code -e https://op.example --client-id my-tv-app",
  },
  args,
  async run(args, context) {
    const { runtime } = context;
    const client = await clientFromArgs(args, context);
    const { server, http } = await serverFromArgs(args, context);
    let settings = { server, client, scopes: args.scope, audience: args.audience, http };
    // The device endpoint authenticates the client as the token endpoint does; polling then goes the same way.
    const authorization = await asRegistered(client, args, context, (as) => startDeviceAuthorization((settings = { ...settings, client: as })));
    // The user cannot go on without these lines, so -q does not silence them; they go to
    // stderr all the same, leaving stdout to the tokens.
    // The provider's own words, each escaped whole: a line break in one would forge a line of ours.
    const lines = [`To sign in, open ${escapeControls(authorization.verification_uri)} and enter the code ${escapeControls(authorization.user_code)}`];
    if (authorization.verification_uri_complete) lines.push(`or open ${escapeControls(authorization.verification_uri_complete)}`);
    lines.push(`The code expires in ${authorization.expires_in} s. Stop with Ctrl+C.`);
    await runtime.writeStderr(`${lines.join("\n")}\n`);

    const stop = new AbortController();
    runtime.onInterrupt((signal) => stop.abort(signal));
    const progress = runtime.isTerminal("stderr") && !args.quiet;
    let waits = 0;
    const { tokens } = await pollDeviceCode(settings, authorization, {
      signal: stop.signal,
      onWait: progress ? (seconds) => void runtime.writeStderr(`\rWaiting for approval… (checking every ${seconds} s, ${++waits})`) : undefined,
    }).finally(() => progress && waits > 0 && runtime.writeStderr("\n"));
    await writeDone(context, "tokens were issued", () => renderTokens(tokens, args.format), true);
  },
});
