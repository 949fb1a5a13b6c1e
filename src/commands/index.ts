import type { CommandDef } from "citty";
import { command } from "../cli/context.ts";
import { versionText } from "../cli/version.ts";
import clients from "./clients/index.ts";
import completion from "./completion.ts";
import create from "./create/index.ts";
import deleteGroup from "./delete/index.ts";
import get from "./get/index.ts";
import help from "./help.ts";
import importGroup from "./import/index.ts";
import introspect from "./introspect/index.ts";
import keys from "./keys/index.ts";
import list from "./list/index.ts";
import patch from "./patch/index.ts";
import perform from "./perform/index.ts";
import revoke from "./revoke/index.ts";
import token from "./token/index.ts";
import update from "./update/index.ts";
import { v1GlobalFlags } from "./_v1-globals.ts";

/**
 * The root. The groups are a few lines each and `--help` lists them all, so they load with
 * it (a lazy chunk costs more than it saves); the commands themselves load only when named.
 * completion and help, listed by the root itself, are the leaves whose tables load with it
 * (completion's script writer loads when named). Groups are plain citty command objects;
 * leaves use defineCommand, all of citty that ships.
 */
const root: CommandDef = {
  meta: {
    name: "hydractl",
    description:
      "A command-line client for Ory Hydra and any OAuth 2.0 / OpenID Connect server.\n\n" +
      "Manage OAuth 2.0 clients, JSON Web Keys and tokens through Hydra's admin API, in\n" +
      "Hydra v1.8's word order (clients get) or v2's (get client), and get tokens from your\n" +
      "terminal: the Authorization Code flow with a local web client that validates what it\n" +
      "receives, client credentials, the device flow, refresh, userinfo and revocation.",
  },
  subCommands: {
    clients,
    keys,
    token,
    create,
    get,
    list,
    update,
    patch,
    delete: deleteGroup,
    import: importGroup,
    introspect,
    perform,
    revoke,
    completion: () => completion(root),
    help: () => help(root),
    // Both Hydra CLIs have `hydra version`; scripts that log it keep working.
    version: command({
      meta: { name: "version", description: "Print hydractl's version, its commit and runtime (as --version does)" },
      args: v1GlobalFlags,
      run: async (_args, context) => void (await context.runtime.writeStdout(versionText(context.runtime))),
    }),
  },
};

export default root;
