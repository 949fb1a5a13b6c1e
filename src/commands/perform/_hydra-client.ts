// The client of a perform run, when the run has Hydra's admin API: read and compared with
// the run before any browser opens (preflight), or made for the run and deleted after it
// (--create-client). The comparison is src/hydra/preflight.ts; here its findings become
// lines with the hydractl command that fixes each.
import { ApiError, FindingsError, HydractlError, type InterruptSignal, InterruptedError } from "../../errors.ts";
import { mayHaveReachedServer } from "../../http/api.ts";
import type { HydraAdmin } from "../../hydra/admin.ts";
import {
  ClientNotFoundError,
  createClientRequest,
  deleteClientRequest,
  getClientRequest,
  type OAuth2Client,
  processCreateClientResponse,
  processDeleteClientResponse,
  processGetClientResponse,
} from "../../hydra/clients.ts";
import { clientFor, compareClient, type FlowNeeds, fixedClient, fixOperations, isClientMismatch, type Mismatch, OFFLINE_SCOPES, runLacksSecret } from "../../hydra/preflight.ts";
import { shellQuote } from "../../shell.ts";
import { clientAsFlags, fieldsWithoutFlags } from "../clients/_shared.ts";

export type RunNeeds = Omit<FlowNeeds, "loopbackBlock"> & {
  /** The run was told its method (--token-endpoint-auth-method), rather than going without a secret for want of one. */
  authMethodGiven?: boolean;
};

/**
 * A client without the refresh_token grant runs the flow all the same: Hydra grants `offline`
 * and issues no refresh token, as it does for Hydra's own CLIs. Alone, that difference is a
 * warning, not a reason to stop (the default scopes ask for `offline`).
 */
const onlyCostsRefreshToken = ({ field, missing }: Mismatch) => field === "grant_types" && missing.length === 1 && missing[0] === "refresh_token";

/** What the check found for a client that can run the flow. */
export interface Checked {
  /** The client will get no refresh token. */
  warning?: string;
  /** The method the client is registered for, which the run takes, having been told none. */
  registeredMethod?: FlowNeeds["authMethod"];
}

/** The methods a run can take up instead of its own, given a secret (or none at all). */
function spoken(method: string | undefined): FlowNeeds["authMethod"] | undefined {
  return method === "client_secret_basic" || method === "client_secret_post" || method === "none" ? method : undefined;
}

/**
 * Reads the client and fails, one line per difference and its fix, when it cannot run this
 * flow. A run told no method authenticates as the client is registered (with its secret,
 * or none for a public client), where Hydra's CLIs would fail after the sign-in; a method
 * differing from the one given is fixed by the run, never by changing the client, which
 * would lock out everything else that uses it.
 */
export async function preflight(admin: HydraAdmin, clientId: string, needs: RunNeeds): Promise<Checked> {
  let client: OAuth2Client;
  try {
    client = await processGetClientResponse(await getClientRequest(admin, clientId), clientId);
  } catch (error) {
    if (!(error instanceof ClientNotFoundError)) throw error;
    throw new ApiError(`no client "${clientId}" at ${admin.display}: check --client-id, or let --create-client make one for this run`, 404, { cause: error });
  }
  let registeredMethod: FlowNeeds["authMethod"] | undefined;
  const mismatches: Mismatch[] = [];
  for (const mismatch of compareClient(client, { ...needs, loopbackBlock: !admin.legacy })) {
    // A run with a private key has nothing else to authenticate with.
    const adopted = isClientMismatch(mismatch) || runLacksSecret(mismatch) || needs.authMethodGiven || needs.authMethod === "private_key_jwt" ? undefined : spoken(mismatch.has[0]);
    if (adopted) registeredMethod = adopted;
    else mismatches.push(mismatch);
  }
  if (mismatches.length === 0) return { registeredMethod };
  const [only] = mismatches;
  if (mismatches.length === 1 && isClientMismatch(only!) && onlyCostsRefreshToken(only)) {
    const fix = admin.legacy ? legacyFix(admin, clientId, client, mismatches) : patchCommand(admin, clientId, fixOperations(only, client));
    return { registeredMethod, warning: `warning: client "${clientId}" lacks the refresh_token grant (it has ${only.has.join(", ")}), so Hydra will issue no refresh token, though --scope asks for ${offlineAsked(needs)}; fix: ${fix}` };
  }
  const lines = mismatches.map((mismatch) => {
    const fix = !isClientMismatch(mismatch) ? methodFix(mismatch, needs) : admin.legacy ? undefined : patchCommand(admin, clientId, fixOperations(mismatch, client));
    return `  - ${difference(mismatch, needs)}${fix ? `; fix: ${fix}` : ""}`;
  });
  // Hydra v1.8 has no PATCH, and its PUT replaces the whole client (keeping its secret when
  // none is sent): one update fixes all.
  if (admin.legacy && mismatches.some(isClientMismatch)) lines.push(`  fix: ${legacyFix(admin, clientId, client, mismatches)}`);
  throw new FindingsError(`client "${clientId}" cannot run this flow (checked before opening the browser; --no-preflight skips the check)`, lines, "E_PREFLIGHT");
}

/** The run's fix for a method that differs: the client's secret or key, or the client's own method. */
function methodFix(mismatch: Mismatch, needs: RunNeeds): string | undefined {
  const [run, theirs] = [mismatch.missing[0], mismatch.has[0]];
  // A method the run was told must change too, or the fix is a usage error.
  const method = needs.authMethodGiven ? ` and its method (--token-endpoint-auth-method ${theirs})` : "";
  if (theirs === "private_key_jwt") return `give this run the client's private key (--private-key)${method}${run === "none" ? "" : " instead of a secret"}`;
  if (runLacksSecret(mismatch)) return `give this run the client's secret (--client-secret or OAUTH2_CLIENT_SECRET)${method} rather than make the client public`;
  if (run === "private_key_jwt") {
    if (theirs === "none") return `leave out --private-key${needs.authMethodGiven ? " and --token-endpoint-auth-method" : ""}: the client is public`;
    if (spoken(theirs)) return `give this run the client's secret (--client-secret or OAUTH2_CLIENT_SECRET)${method} instead of --private-key`;
  }
  const registered = spoken(theirs);
  return registered && `run with --token-endpoint-auth-method ${registered}, the method the client is registered for`;
}

/** The scopes of the run that ask for a refresh token: "offline", "offline, offline_access". */
function offlineAsked(needs: RunNeeds): string {
  return needs.scopes.filter((scope) => OFFLINE_SCOPES.includes(scope)).join(", ");
}

/** Hydra v1.8's one update that restates the whole client with every fix (its secret kept). */
function legacyFix(admin: HydraAdmin, clientId: string, client: OAuth2Client, mismatches: Mismatch[]): string {
  const fixed = fixedClient(client, mismatches);
  const unflagged = fieldsWithoutFlags(fixed);
  if (unflagged.length === 0) return cliLine(["clients", "update", clientId, ...clientAsFlags(fixed), "--endpoint", admin.display]);
  // An update replaces the whole client: one from flags would drop what no flag restates.
  const file = "client.json";
  return `${cliLine(["clients", "get", clientId, "--format", "json", "--endpoint", admin.display])} > ${shellQuote(file)}, add what it lacks there, then ${cliLine(["clients", "update", clientId, "--file", file, "--endpoint", admin.display])} (no flag restates its ${unflagged.join(", ")}, which an update from flags would drop)`;
}

function difference(mismatch: Mismatch, needs: RunNeeds): string {
  const { field, missing, has } = mismatch;
  const theirs = `the client's: ${has.length ? has.join(", ") : "none"}`;
  switch (field) {
    case "redirect_uris":
      return `redirect URI ${missing[0]} is not among ${theirs}`;
    case "grant_types": {
      const offline = missing.includes("refresh_token") ? ` (refresh_token: --scope asks for ${offlineAsked(needs)})` : "";
      return `${named("grant type", missing)} not among ${theirs}${offline}`;
    }
    case "response_types":
      return `response type code is not among ${theirs}`;
    case "scope":
      return `${named("scope", missing)} not allowed by ${theirs}`;
    case "audience":
      return `${named("audience", missing)} not allowed by ${theirs}`;
    case "token_endpoint_auth_method": {
      const without = needs.authMethodGiven ? " (--token-endpoint-auth-method none)" : has[0] === "private_key_jwt" ? " (no --private-key given)" : " (no --client-secret given)";
      const given = needs.authMethodGiven ? ` (--token-endpoint-auth-method ${missing[0]})` : missing[0] === "private_key_jwt" ? " (--private-key)" : "";
      const usable = spoken(has[0]) || has[0] === "private_key_jwt";
      const why = missing[0] === "none" ? without : usable ? given : ", which perform authorization-code cannot use (it authenticates with a secret, a private key, or none)";
      return `the client authenticates with ${has[0]}, this run with ${missing[0]}${why}`;
    }
  }
}

/** "scope a is", "scopes a, b are": what `difference` says the client lacks. */
function named(noun: string, values: string[]): string {
  return values.length === 1 ? `${noun} ${values[0]} is` : `${noun}s ${values.join(", ")} are`;
}

function patchCommand(admin: HydraAdmin, id: string, operations: ReturnType<typeof fixOperations>): string {
  const words = ["patch", "client", id];
  for (const { op, path, value } of operations) words.push(`--${op}`, path, typeof value === "string" ? value : JSON.stringify(value));
  return cliLine([...words, "--endpoint", admin.display]);
}

function cliLine(words: string[]): string {
  return ["hydractl", ...words].map(shellQuote).join(" ");
}

/**
 * A client for this run only, under `id`; its generated secret, if any, stays in memory.
 * The ID is hydractl's (throwawayClientId), not the server's: should the answer be lost, the
 * client the request may have made can still be named and deleted.
 */
export async function createThrowawayClient(admin: HydraAdmin, needs: RunNeeds, id: string): Promise<OAuth2Client & { client_id: string }> {
  const client = clientFor(needs, `hydractl perform authorization-code ${new Date().toISOString()} (deleted after the run)`);
  try {
    return (await processCreateClientResponse(await createClientRequest(admin, { client_id: id, ...client }))) as OAuth2Client & { client_id: string };
  } catch (error) {
    // Hydra v2.0 and v2.1 refuse an ID chosen by the caller ("It is no longer possible to set
    // an OAuth2 Client ID as a user"); there the server's is taken.
    if (!(error instanceof ApiError && error.status === 400 && /no longer possible to set an OAuth2 Client ID/i.test(error.message))) throw error;
    return (await processCreateClientResponse(await createClientRequest(admin, client))) as OAuth2Client & { client_id: string };
  }
}

/** A UUID v4, as the Hydra versions that take a chosen ID at all (v2.2 on) ask of one. */
export function throwawayClientId(): string {
  return crypto.randomUUID();
}

/** "delete it with: hydractl delete client ID --endpoint …", in the words of Hydra's version. */
export function deleteByHand(admin: HydraAdmin, id: string): string {
  return `delete it with: ${cliLine([...(admin.legacy ? ["clients", "delete"] : ["delete", "client"]), id, "--endpoint", admin.display])}`;
}

/**
 * Deletes the run's client, and resolves to what to say of it. A failure is returned, not
 * thrown, so that it never hides the run's own error; its message names the client and how
 * to delete it by hand. `giveUp` (a Ctrl+C while an admin API that hangs keeps the deletion
 * waiting, with its signal) ends the wait so. `creation`: the request that may have made the
 * client, when its answer was lost or Ctrl+C came while it was under way. It is waited for
 * first (a DELETE that overtook it would find nothing, and the client would come after), and
 * a client it provably did not make is not looked for (undefined: nothing to say).
 */
export async function deleteThrowawayClient(admin: HydraAdmin, id: string, giveUp: Promise<InterruptSignal>, creation?: Promise<unknown>): Promise<Error | string | undefined> {
  const byHand = deleteByHand(admin, id);
  if (creation) {
    const outcome = await Promise.race([creation.then(() => "made", (error: unknown) => (mayHaveReachedServer(error) ? "unknown" : "none")), giveUp]);
    if (outcome === "none") return undefined;
    if (outcome !== "made" && outcome !== "unknown") {
      return new InterruptedError(`the client for this run, "${id}", may have been created: interrupted while waiting for its creation; ${byHand}`, { signal: outcome });
    }
  }
  const deletion = (async () => {
    try {
      await processDeleteClientResponse(await deleteClientRequest(admin, id), id);
      return `Deleted client ${id}`;
    } catch (error) {
      // One whose creation's answer was lost may yet be made by a server that is slow to act.
      if (error instanceof ClientNotFoundError) {
        return creation ? new ApiError(`the client for this run, "${id}", whose creation's answer was lost, does not exist; should it appear, ${byHand}`, 404, { cause: error }) : `Deleted client ${id}`;
      }
      return new ApiError(
        `the client made for this run, "${id}", could not be deleted (${error instanceof HydractlError ? error.message : String(error)}); ${byHand}`,
        error instanceof ApiError ? error.status : 0,
        { cause: error },
      );
    }
  })();
  const givenUp = giveUp.then((signal) => new InterruptedError(`the client made for this run, "${id}", may not be deleted: interrupted while deleting it; ${byHand}`, { signal }));
  return await Promise.race([deletion, givenUp]);
}
