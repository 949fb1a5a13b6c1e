import * as oauth from "oauth4webapi";
import { FlowError, hideInErrors, InterruptedError } from "../errors.ts";
import { sleepUnlessAborted } from "../http/deadline.ts";
import { type ClientIdentity, clientAuthentication, oauthClient } from "./client-auth.ts";
import { type GrantResult, grantResult, type HttpOptions, oauthFailure } from "./tokens.ts";

/** RFC 8628 §3.5: the wait when the server names none, and what `slow_down` adds to it. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;
/**
 * The shortest wait, whatever the server names: an interval of 0.001 s (any positive number
 * passes) would poll a thousand times a second while a person types a code on another device.
 */
const MIN_INTERVAL_S = 1;

export interface DeviceFlowSettings {
  server: oauth.AuthorizationServer;
  client: ClientIdentity;
  scopes: readonly string[];
  audience: readonly string[];
  http: HttpOptions;
}

/** Step one (RFC 8628 §3.1): the device and user codes, and where the user goes. */
export async function startDeviceAuthorization(settings: DeviceFlowSettings): Promise<oauth.DeviceAuthorizationResponse> {
  const { server, client, http } = settings;
  if (!server.device_authorization_endpoint) throw new FlowError("the server announces no device authorization endpoint (RFC 8628)", "E_NO_ENDPOINT");
  const parameters = new URLSearchParams();
  if (settings.scopes.length) parameters.set("scope", settings.scopes.join(" "));
  if (settings.audience.length) parameters.set("audience", settings.audience.join(" "));
  let authorization: oauth.DeviceAuthorizationResponse;
  try {
    const response = await oauth.deviceAuthorizationRequest(server, oauthClient(client), clientAuthentication(client), parameters, http);
    authorization = await oauth.processDeviceAuthorizationResponse(server, oauthClient(client), response);
  } catch (error) {
    throw oauthFailure(error, "the device authorization endpoint", server.device_authorization_endpoint);
  }
  // The user is told to open these: a page, not `javascript:` or a file.
  for (const page of [authorization.verification_uri, authorization.verification_uri_complete]) {
    if (page !== undefined && !/^https?:\/\//i.test(page)) {
      throw new FlowError("the device authorization endpoint gave a verification_uri that is not an http(s) URL", "E_RESPONSE");
    }
  }
  return authorization;
}

export interface PollOptions {
  /** Ends the wait early (Ctrl+C). */
  signal: AbortSignal;
  /** Called before each wait, with its length: the command shows progress with it. */
  onWait?(seconds: number): void;
  /** Waits `ms` or until `signal` aborts; tests pass one that does not really wait. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  /** The clock, in ms; tests pass their own. */
  now?(): number;
}

/**
 * Step two (RFC 8628 §3.4–3.5): asks the token endpoint at the server's interval until the
 * user approves or denies, adding 5 s at each `slow_down`, and gives up when the device
 * code expires or the signal aborts.
 */
export async function pollDeviceCode(settings: DeviceFlowSettings, authorization: oauth.DeviceAuthorizationResponse, options: PollOptions): Promise<GrantResult> {
  const { server, client, http } = settings;
  const { signal, sleep = abortableSleep, now = Date.now } = options;
  // The device code is a credential until it expires: no error shows it, whatever the server quotes back.
  hideInErrors(authorization.device_code);
  const expiresAt = now() + authorization.expires_in * 1000;
  let interval = Math.max(authorization.interval ?? DEFAULT_INTERVAL_S, MIN_INTERVAL_S);
  // Not "expired": the code never had a chance, and the server's numbers say why.
  if (interval >= authorization.expires_in) {
    const unnamed = authorization.interval === undefined ? " (it names no interval)" : "";
    throw new FlowError(
      `the device authorization endpoint's code lasts ${authorization.expires_in} s, no longer than the ${interval} s to wait between polls${unnamed}: no poll can be made in time`,
      "E_EXPIRED",
    );
  }
  for (;;) {
    // The device code is useless once expired: stop rather than ask once too many.
    if (now() + interval * 1000 >= expiresAt) {
      throw new FlowError(`the device code expired after ${authorization.expires_in} s without the user's approval`, "E_EXPIRED");
    }
    options.onWait?.(interval);
    await sleep(interval * 1000, signal);
    const interrupted = () => new InterruptedError("interrupted before the user approved the device", { signal: signal.reason });
    if (signal.aborted) throw interrupted();
    // Ctrl+C ends a poll under way too: a server that hangs must not hold the user up.
    try {
      const response = await oauth.deviceCodeGrantRequest(server, oauthClient(client), clientAuthentication(client), authorization.device_code, { ...http, signal });
      const result = await oauth.processDeviceCodeResponse(server, oauthClient(client), response);
      return await grantResult(server, response, result, http);
    } catch (error) {
      if (signal.aborted) throw interrupted();
      if (error instanceof oauth.ResponseBodyError && error.error === "authorization_pending") continue;
      if (error instanceof oauth.ResponseBodyError && error.error === "slow_down") {
        interval += SLOW_DOWN_S;
        continue;
      }
      throw oauthFailure(error, "the token endpoint", server.token_endpoint, server);
    }
  }
}

/** Timers take at most 2^31 - 1 ms; a longer wait (a server's interval of weeks) fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  for (let left = ms; left > 0 && !signal.aborted; left -= MAX_TIMER_MS) await sleepUnlessAborted(Math.min(left, MAX_TIMER_MS), signal);
}
