import { escapeControls } from "../../chars.ts";
import { command } from "../../cli/context.ts";
import { formatTable } from "../../cli/output.ts";
import { InputError } from "../../errors.ts";
import type { OAuth2Client } from "../../hydra/clients.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, writeDone } from "../_shared.ts";
import {
  clientFieldFlags,
  createClient,
  clientIdFlag,
  clientsTable,
  clientToSend,
  echoesChosenSecret,
  encryptionFlags,
  encryptionKeyFromArgs,
  renderClients,
  shownClient,
  uncreatable,
  warnSecretsNotShown,
} from "./_shared.ts";

/**
 * Hydra v1.8's lines: the ID, then the secret once (or that the client has none, as the
 * server answered, even where one was given: a public client's is dropped). `withheld`: the
 * client has a secret that is not shown, one the user chose. The server's values are escaped
 * whole, line breaks too: a line of their own would pass for ours.
 */
export function legacySecretLines(shown: OAuth2Client, withheld: boolean, encrypted: boolean): string {
  const lines = [`OAuth 2.0 Client ID: ${escapeControls(shown.client_id ?? "")}`];
  if (shown.client_secret) lines.push(`OAuth 2.0 ${encrypted ? "Encrypted " : ""}Client Secret: ${escapeControls(shown.client_secret)}`);
  else if (!withheld) lines.push("This OAuth 2.0 Client has no secret");
  return lines.join("\n");
}

export default command({
  meta: {
    name: "create",
    description:
      "Create an OAuth 2.0 client\n\n" +
      "Registers a client in Hydra through its admin API, for the Authorization Code, Implicit,\n" +
      "Client Credentials or Refresh Token flows. Most fields of OpenID Connect Dynamic Client\n" +
      "Registration have a flag.\n\n" +
      "A secret Hydra generates is shown once. To keep it off the screen, encrypt it to a PGP\n" +
      "key with --pgp-key, --pgp-key-url or --keybase and decrypt it later with\n" +
      "  base64 -d | gpg --decrypt\n\n" +
      "Examples:\n" +
      '  hydractl clients create -n "my app" -c http://localhost/cb -g authorization_code -r code -a core,foobar\n' +
      '  hydractl clients create -n "my app" -g client_credentials -r token -a core --pgp-key "$(gpg --export --armor me | base64 -w0)"\n' +
      "  printf %s \"$SECRET\" | hydractl clients create --id my-app --secret - -c https://app.example/cb",
  },
  args: { ...clientIdFlag, ...clientFieldFlags, ...encryptionFlags, ...adminFlags },
  async run(args, context) {
    // Everything that can be wrong with the input is found before the first request.
    const { client, secretChosen } = await clientToSend(args, context);
    // As Hydra v2's create client does: --id names the client read from --file too, and
    // without it the file's ID is not sent (scripts use a file as a template for many
    // clients). Hydra v1.8's clients create has no --file: there the file's ID stays.
    if (args.file !== undefined && args.id !== undefined) {
      if (typeof client.client_id === "string" && client.client_id !== "" && client.client_id !== args.id) {
        context.notify(`warning: --id replaces the client_id "${client.client_id}" in --file ${args.file}`);
      }
      client.client_id = args.id;
    } else if (args.file !== undefined && !isV18WordOrder(context) && typeof client.client_id === "string" && client.client_id !== "") {
      context.notify(`note: create client leaves out the client_id "${client.client_id}" of --file ${args.file}, as Hydra v2 does; --id ${client.client_id} keeps it`);
      delete client.client_id;
    }
    const unreported = args.file !== undefined && args.id === undefined ? uncreatable(client.client_id) : undefined;
    if (unreported) throw new InputError(`--file ${args.file}: "client_id" is "${client.client_id}": ${unreported}`);
    const admin = adminFromArgs(args, context);
    const key = await encryptionKeyFromArgs(args, context, secretChosen);

    const created = await createClient(admin, client, context);

    const shown = await shownClient(created, secretChosen, !echoesChosenSecret(args.format, args), key);
    const text = isV18WordOrder(context)
      ? () => legacySecretLines(shown, secretChosen && Boolean(created.client_secret), Boolean(key && created.client_secret))
      : () => formatTable(clientsTable([shown]));
    // Said even with the pipe closed on purpose: a secret Hydra showed only once may have gone with it.
    // Output that fails loses a secret Hydra generated, shown only this once: the error says so.
    const generated = !secretChosen && Boolean(shown.client_secret);
    const done = `client ${created.client_id} was created${generated ? " (and the secret Hydra generated for it is lost)" : ""}`;
    let written = "";
    await writeDone(context, done, async () => (written = await renderClients(shown, [shown], args.format, text)), true);
    await warnSecretsNotShown(args.format, generated ? [shown] : [], context, written);
  },
});
