// The client of a perform run, when the run has Hydra's admin API: read and compared with
// the run before any browser opens (preflight), or made for the run and deleted after it
// (--create-client). The comparison is src/hydra/preflight.ts; here its findings become
// lines with the hydractl command that fixes each.
import { ApiError, FlowError, HydractlError, InterruptedError } from "../../errors.ts";
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
import { clientFor, compareClient, type FlowNeeds, fixedClient, fixOperations, type Mismatch, needsSecret, OFFLINE_SCOPES, runLacksSecret } from "../../hydra/preflight.ts";
import { shellQuote } from "../../shell.ts";
import { clientAsFlags } from "../clients/_shared.ts";

export type RunNeeds = Omit<FlowNeeds, "loopbackBlock"> & {
  /** The run was told its method (--token-endpoint-auth-method), rather than going without a secret for want of one. */
  authMethodGiven?: boolean;
};

/**
 * Where a printed fix needs the run's secret: a shell expansion, left unquoted, so that the
 * line works when pasted and the secret itself is never printed. `:?` stops the line where
 * the variable is unset (the secret came from --client-secret): it would set an empty secret.
 */
const SECRET_WORD = '"${OAUTH2_CLIENT_SECRET:?}"';

/**
 * A client without the refresh_token grant runs the flow all the same: Hydra grants `offline`
 * and issues no refresh token, as it does for Hydra's own CLIs. Alone, that difference is a
 * warning, not a reason to stop (the default scopes ask for `offline`).
 */
const onlyCostsRefreshToken = ({ field, missing }: Mismatch) => field === "grant_types" && missing.length === 1 && missing[0] === "refresh_token";

/**
 * Reads the client and fails, one line per difference and its fix, when it cannot run this
 * flow; returns the warning for a client that can, but will get no refresh token.
 */
export async function preflight(admin: HydraAdmin, clientId: string, needs: RunNeeds): Promise<string | undefined> {
  let client: OAuth2Client;
  try {
    client = await processGetClientResponse(await getClientRequest(admin, clientId), clientId);
  } catch (error) {
    if (!(error instanceof ClientNotFoundError)) throw error;
    throw new ApiError(`no client "${clientId}" at ${admin.display}: check --client-id, or let --create-client make one for this run`, 404, { cause: error });
  }
  const mismatches = compareClient(client, { ...needs, loopbackBlock: !admin.legacy });
  if (mismatches.length === 0) return undefined;
  if (mismatches.length === 1 && onlyCostsRefreshToken(mismatches[0]!)) {
    const fix = admin.legacy ? legacyFix(admin, clientId, client, mismatches) : patchCommand(admin, clientId, fixOperations(mismatches[0]!, client, SECRET_WORD));
    return `warning: client "${clientId}" lacks the refresh_token grant (it has ${mismatches[0]!.has.join(", ")}), so Hydra will issue no refresh token, though --scope asks for ${offlineAsked(needs)}; fix: ${fix}`;
  }
  const lines = mismatches.map((mismatch) => {
    const fix = runLacksSecret(mismatch)
      ? `give this run the client's secret (--client-secret or OAUTH2_CLIENT_SECRET)${needs.authMethodGiven ? ` and its method (--token-endpoint-auth-method ${mismatch.has[0]})` : ""} rather than make the client public`
      : admin.legacy
        ? undefined
        : patchCommand(admin, clientId, fixOperations(mismatch, client, SECRET_WORD));
    return `  - ${difference(mismatch, needs)}${fix ? `; fix: ${fix}` : ""}`;
  });
  // Hydra v1.8 has no PATCH, and its PUT replaces the whole client (keeping its secret when
  // none is sent): one update fixes all.
  if (admin.legacy && mismatches.some((mismatch) => !runLacksSecret(mismatch))) lines.push(`  fix: ${legacyFix(admin, clientId, client, mismatches)}`);
  throw new FlowError(
    `client "${clientId}" cannot run this flow (checked before opening the browser; --no-preflight skips the check):\n${lines.join("\n")}`,
    "E_PREFLIGHT",
  );
}

/** The scopes of the run that ask for a refresh token: "offline", "offline, offline_access". */
function offlineAsked(needs: RunNeeds): string {
  return needs.scopes.filter((scope) => OFFLINE_SCOPES.includes(scope)).join(", ");
}

/** Hydra v1.8's one update that restates the whole client with every fix (its secret kept). */
function legacyFix(admin: HydraAdmin, clientId: string, client: OAuth2Client, mismatches: Mismatch[]): string {
  const fixed = fixedClient(client, mismatches, SECRET_WORD);
  const secret = fixed.client_secret ? ["--secret", fixed.client_secret] : [];
  return cliLine(["clients", "update", clientId, ...clientAsFlags(fixed), ...secret, "--endpoint", admin.display]);
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
      const without = needs.authMethodGiven ? " (--token-endpoint-auth-method none)" : " (no --client-secret given)";
      const why = missing[0] === "none" ? without : needsSecret(mismatch) ? " (the fix also gives it this run's secret, from $OAUTH2_CLIENT_SECRET, which must hold it)" : "";
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
  return ["hydractl", ...words].map((word) => (word === SECRET_WORD ? word : shellQuote(word))).join(" ");
}

/** A client for this run only; its generated secret, if any, stays in memory. */
export async function createThrowawayClient(admin: HydraAdmin, needs: RunNeeds): Promise<OAuth2Client & { client_id: string }> {
  const body = clientFor(needs, `hydractl perform authorization-code ${new Date().toISOString()} (deleted after the run)`);
  return (await processCreateClientResponse(await createClientRequest(admin, body))) as OAuth2Client & { client_id: string };
}

/**
 * Deletes the run's client. A failure is returned, not thrown, so that it never hides the
 * run's own error; its message names the client and how to delete it by hand. `giveUp`
 * (a Ctrl+C while an admin API that hangs keeps the deletion waiting, with its signal) ends the wait so.
 */
export async function deleteThrowawayClient(admin: HydraAdmin, id: string, giveUp: Promise<unknown>): Promise<Error | undefined> {
  const byHand = `delete it with: ${cliLine([...(admin.legacy ? ["clients", "delete"] : ["delete", "client"]), id, "--endpoint", admin.display])}`;
  const deletion = (async () => {
    try {
      await processDeleteClientResponse(await deleteClientRequest(admin, id), id);
      return undefined;
    } catch (error) {
      if (error instanceof ClientNotFoundError) return undefined;
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
