import { escapeControls } from "../../chars.ts";
import { command } from "../../cli/context.ts";
import { UsageError } from "../../errors.ts";
import { formatTable } from "../../cli/output.ts";
import { pathSegment } from "../../cli/parsers.ts";
import { processUpdateClientResponse, updateClientRequest } from "../../hydra/clients.ts";
import { adminFlags, adminFromArgs, isV18WordOrder, writeDone } from "../_shared.ts";
import { clientFieldFlags, clientsTable, clientToSend, echoesChosenSecret, encryptionFlags, encryptionKeyFromArgs, renderClients, shownClient, warnFieldsDropped, warnSecretsNotShown } from "./_shared.ts";

export default command({
  meta: {
    name: "update",
    description:
      "Replace an OAuth 2.0 client\n\n" +
      "Sends the whole client, as Hydra's PUT expects: a field without its flag goes back to its\n" +
      "default (grant type authorization_code, response type code, …), so give every flag you\n" +
      "want kept, or --file with the whole client. The secret stays unless --secret sets one;\n" +
      "one Hydra generates is shown once, or encrypted with --pgp-key, --pgp-key-url or --keybase.\n" +
      "To change a few fields and keep the rest, use patch.\n\n" +
      "Examples:\n" +
      '  hydractl update client my-app -n "my app" -c https://app.example/cb -g authorization_code,refresh_token\n' +
      "  hydractl clients update my-app --file my-app.json",
  },
  args: {
    id: { type: "positional", parse: pathSegment, valueHint: "ID", description: "The client ID" },
    ...clientFieldFlags,
    ...encryptionFlags,
    ...adminFlags,
  },
  async run(args, context) {
    const { client, secretChosen } = await clientToSend(args, context);
    if (client.client_id !== undefined && client.client_id !== args.id) {
      throw new UsageError(`the client to send has ID "${client.client_id}", not "${args.id}"; a client's ID cannot change`);
    }
    client.client_id = args.id;
    const admin = adminFromArgs(args, context);
    const key = await encryptionKeyFromArgs(args, context, secretChosen);

    const updated = await processUpdateClientResponse(await updateClientRequest(admin, args.id, client), args.id);
    warnFieldsDropped(admin, client, updated, context);

    const shown = await shownClient(updated, secretChosen, !echoesChosenSecret(args.format, args), key);
    const generated = secretChosen ? undefined : shown.client_secret;
    // Hydra v1.8 said "ID OAuth 2.0 Client updated"; a secret Hydra generated follows once.
    const secretLine = generated ? `\nOAuth 2.0 ${key ? "Encrypted " : ""}Client Secret: ${escapeControls(generated)}` : "";
    const text = isV18WordOrder(context) ? () => `${args.id} OAuth 2.0 Client updated${secretLine}` : () => formatTable(clientsTable([shown]));
    let written = "";
    await writeDone(context, `client ${args.id} was updated`, async () => (written = await renderClients(shown, [shown], args.format, text)), Boolean(generated));
    await warnSecretsNotShown(args.format, generated ? [shown] : [], context, written);
  },
});
