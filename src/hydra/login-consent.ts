// Hydra's login and consent admin API, as request/process pairs, on either generation's
// paths (src/hydra/admin.ts).
import { ApiError } from "../errors.ts";
import { apiError } from "../http/api.ts";
import { readJson } from "../http/body.ts";
import type { HydraAdmin } from "./admin.ts";

export interface OAuth2ClientSummary {
  client_id?: string;
  client_name?: string;
}

export interface LoginRequest {
  challenge: string;
  skip: boolean;
  subject: string;
  client: OAuth2ClientSummary;
  request_url: string;
  requested_scope?: string[];
  requested_access_token_audience?: string[];
}

export interface ConsentRequest {
  challenge: string;
  skip?: boolean;
  subject?: string;
  client?: OAuth2ClientSummary;
  requested_scope?: string[];
  requested_access_token_audience?: string[];
}

export interface AcceptLogin {
  subject: string;
  remember?: boolean;
  remember_for?: number;
}

export interface AcceptConsent {
  grant_scope: string[];
  grant_access_token_audience: string[];
  remember?: boolean;
  remember_for?: number;
}

export interface Rejection {
  error: string;
  error_description?: string;
}

export type Flow = "login" | "consent";

export class LoginConsentApi {
  readonly #admin: HydraAdmin;

  constructor(admin: HydraAdmin) {
    this.#admin = admin;
  }

  /** Where the admin API lives, for messages. */
  get display(): string {
    return this.#admin.display;
  }

  #send(method: string, path: string, body?: unknown): Promise<Response> {
    return this.#admin.send(method, path, body);
  }

  getRequest(flow: Flow, challenge: string): Promise<Response> {
    return this.#send("GET", `/oauth2/auth/requests/${flow}?${flow}_challenge=${encodeURIComponent(challenge)}`);
  }

  accept(flow: "login", challenge: string, body: AcceptLogin): Promise<Response>;
  accept(flow: "consent", challenge: string, body: AcceptConsent): Promise<Response>;
  accept(flow: Flow, challenge: string, body: AcceptLogin | AcceptConsent): Promise<Response> {
    return this.#send("PUT", `/oauth2/auth/requests/${flow}/accept?${flow}_challenge=${encodeURIComponent(challenge)}`, body);
  }

  reject(flow: Flow, challenge: string, body: Rejection): Promise<Response> {
    return this.#send("PUT", `/oauth2/auth/requests/${flow}/reject?${flow}_challenge=${encodeURIComponent(challenge)}`, body);
  }

  /** Forgets the consents `subject` gave `clientId`, so Hydra asks again next time. */
  revokeConsents(subject: string, clientId: string): Promise<Response> {
    const query = new URLSearchParams({ subject, client: clientId });
    return this.#send("DELETE", `/oauth2/auth/sessions/consent?${query}`);
  }
}

/** Hydra answers 410 Gone, with where to go instead, for a request already handled (a reload). */
export interface Handled {
  redirect_to: string;
}

export async function processLoginRequest(response: Response): Promise<LoginRequest | Handled> {
  if (response.status === 410) return { redirect_to: await processRedirect(response, "fetching the login request", 410) };
  const body = await expectJson(response, 200, "fetching the login request");
  if (typeof body.challenge !== "string" || typeof body.skip !== "boolean" || typeof body.subject !== "string") {
    throw new ApiError("fetching the login request: Hydra's answer lacks challenge, skip or subject", 0);
  }
  return body as unknown as LoginRequest;
}

export async function processConsentRequest(response: Response): Promise<ConsentRequest | Handled> {
  if (response.status === 410) return { redirect_to: await processRedirect(response, "fetching the consent request", 410) };
  const body = await expectJson(response, 200, "fetching the consent request");
  if (typeof body.challenge !== "string") throw new ApiError("fetching the consent request: Hydra's answer lacks the challenge", 0);
  return body as unknown as ConsentRequest;
}

/** Accepting or rejecting answers where to send the browser next. */
export async function processRedirect(response: Response, what: string, status = 200): Promise<string> {
  const body = await expectJson(response, status, what);
  const target = body.redirect_to;
  if (typeof target !== "string" || !URL.canParse(target)) throw new ApiError(`${what}: Hydra's answer has no valid redirect_to`, 0);
  return target;
}

export async function processRevocation(response: Response): Promise<void> {
  if (response.status !== 204 && response.status !== 200) throw await apiError(response, "revoking earlier consents");
  await response.body?.cancel();
}

async function expectJson(response: Response, status: number, what: string): Promise<Record<string, unknown>> {
  if (response.status !== status) throw await apiError(response, what);
  const body = await readJson(response, what);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ApiError(`${what}: Hydra's answer is not a JSON object`, 0);
  return body as Record<string, unknown>;
}
