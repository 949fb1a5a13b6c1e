import { command } from "../../cli/context.ts";
import { formatTable, render } from "../../cli/output.ts";
import { type Introspection, introspectTokenRequest, processIntrospectTokenResponse } from "../../hydra/tokens.ts";
import { adminFlags, adminFromArgs, tokenArgument } from "../_shared.ts";

export default command({
  meta: {
    name: "introspect",
    description:
      "Introspect an OAuth 2.0 access or refresh token\n\n" +
      "Asks Hydra's admin API whether the token is active, and prints what Hydra knows of it.\n" +
      "An inactive token is an answer, not a failure: the command exits 0 either way, and 1 only\n" +
      "when it could not ask. Give TOKEN as - to read it from stdin, which keeps it out of your\n" +
      "shell history.\n\n" +
      "Examples:\n" +
      "  hydractl introspect token - < token.txt\n" +
      "  hydractl token introspect \"$TOKEN\" --scope offline --format jsonpath=active",
  },
  args: {
    token: { type: "positional", valueHint: "TOKEN", secret: true, description: "The token, or - to read it from stdin" },
    scope: { type: "string", list: "words", description: "Report the token active only if these scopes were granted too" },
    // Hydra v1.8's CLI took these and did nothing with them; its scripts may still pass them.
    "client-id": { type: "string", description: "Ignored (Hydra v1.8's CLI ignored it too): introspection goes through the admin API" },
    "client-secret": { type: "string", valueHint: "secret", secret: true, description: "Ignored (Hydra v1.8's CLI ignored it too)" },
    ...adminFlags,
  },
  async run(args, context) {
    if (context.given.has("client-id") || context.given.has("client-secret")) {
      context.notify("note: --client-id and --client-secret have no effect (nor had they in Hydra v1.8): introspection goes through the admin API");
    }
    const token = await tokenArgument(context, args.token, "token");
    const admin = adminFromArgs(args, context);
    const result = await processIntrospectTokenResponse(await introspectTokenRequest(admin, token, args.scope));
    // Hydra v1.8 printed the answer as tab-indented JSON; v2 a few claims as two columns.
    const text = context.path[0] === "token" ? () => JSON.stringify(result, null, "\t") : () => formatTable(introspectionRows(result));
    await context.runtime.writeStdout(await render(result, args.format, { text, table: () => introspectionRows(result), ids: () => [String(result.active)] }));
  },
});

/** Hydra v2's view: the claims a person checks first, as two columns. */
function introspectionRows(result: Introspection): string[][] {
  return [
    ["ACTIVE", String(result.active)],
    ["SUBJECT", result.sub ?? ""],
    ["CLIENT ID", result.client_id ?? ""],
    ["SCOPE", result.scope ?? ""],
    ["EXPIRY", typeof result.exp === "number" ? expiry(result.exp) : ""],
    ["TOKEN USE", result.token_use ?? ""],
  ];
}

/** Seconds since the epoch as Go prints a UTC time: 2026-11-25 12:54:42 +0000 UTC; as they are when no date can hold them. */
function expiry(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
