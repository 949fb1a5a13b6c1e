// Hydra's admin API on one server, whichever generation: v2 serves it under /admin (and a
// few old paths without, through redirects), v1.8 only without. We ask for /admin first
// and fall back for good once the route itself is missing, which Go's plain-text 404
// tells apart from Hydra's JSON 404 for an unknown ID or challenge. A request the first
// server answered 404 to was not processed, so sending it again to the old path is safe.
import { ApiError, DryRunStop } from "../errors.ts";
import { type ApiClient, apiError, type SendOptions } from "../http/api.ts";
import { isJson } from "../http/body.ts";

export interface HydraAdminOptions {
  /** Added to a 401 or 403 answer: how to give the admin API a credential. */
  unauthorizedHint?: string;
  /** Said where the server has no admin routes, instead of asking whether it is Hydra's admin API. */
  notAdminHint?: string;
}

export interface AdminSendOptions extends SendOptions {
  /** One generation has no such route (v1.8's flush): its 404 is the caller's to read. */
  routeMayBeMissing?: boolean;
  /** What a dry run says Hydra v1.8 would get, where that is more than another path. */
  legacyNote?: string;
  /**
   * What the request does ("creating the client"), for a refusal of the credentials, said
   * here: in the words the caller's own errors use, then the method and path.
   */
  what?: string;
}

/** The server has no such admin route, under /admin or without. */
export class RouteNotFoundError extends ApiError {
  override name = "RouteNotFoundError";
  constructor(message: string) {
    super(message, 404);
  }
}

export class HydraAdmin {
  readonly #api: ApiClient;
  readonly #options: HydraAdminOptions;
  #prefix: "/admin" | "" | undefined;

  constructor(api: ApiClient, options: HydraAdminOptions = {}) {
    this.#api = api;
    this.#options = options;
  }

  /** Where the admin API lives, for messages. */
  get display(): string {
    return this.#api.endpoint.display;
  }

  /** See ApiClient.stopRetrying. */
  stopRetrying(): void {
    this.#api.stopRetrying();
  }

  /** True once the server showed it is Hydra v1.8 (no /admin routes). */
  get legacy(): boolean {
    return this.#prefix === "";
  }

  /**
   * Sends `method path` (a path without /admin, e.g. `/clients`) to the server's admin
   * routes; a function gives the path for each generation (their query parameters differ).
   * A server with neither route, or one that refuses the credentials, is an error here: no
   * caller can do anything with those answers.
   */
  async send(method: string, target: string | ((legacy: boolean) => string), body?: unknown, options?: AdminSendOptions): Promise<Response> {
    const pathFor = typeof target === "string" ? () => target : target;
    const path = pathFor(this.legacy);
    let response: Response;
    if (this.#prefix !== undefined) {
      response = await this.#api.send(method, `${this.#prefix}${path}`, body, options);
    } else {
      response = await this.#api.send(method, `/admin${pathFor(false)}`, body, options).catch((error: unknown) => {
        // A dry run learns no generation: it shows v2's request and says what v1.8 would get.
        throw error instanceof DryRunStop ? error.noted(options?.legacyNote ?? `Hydra v1.8 has no /admin routes: there the path is ${pathFor(true)}`) : error;
      });
      if (response.status !== 404 || isJson(response)) {
        this.#prefix = "/admin";
      } else {
        await response.body?.cancel();
        response = await this.#api.send(method, pathFor(true), body, options);
        if (response.status === 404 && !isJson(response)) {
          await response.body?.cancel();
          const route = path.split("?")[0];
          throw new RouteNotFoundError(`${this.display} serves neither /admin${route} nor ${route}; ${this.#options.notAdminHint ?? "is it Hydra's admin API?"}`);
        }
        this.#prefix = "";
      }
    }
    // Hydra v2 answers a route it does not have in JSON too (an endpoint that ends in /admin
    // doubles it): that is no missing client or key set, which a delete would take as done.
    // The path as sent, under the endpoint's own path, without the query (it may hold a
    // challenge). Made only for an error: every request would pay for its first regex.
    const sent = () => `${this.#api.endpoint.baseUrl.pathname.replace(/\/+$/, "")}${this.#prefix ?? "/admin"}${path.split("?")[0]}`;
    if (response.status === 404 && !options?.routeMayBeMissing && (await isMissingRoute(response))) {
      const doubled = sent().includes("/admin/admin/");
      const hint = doubled ? "give Hydra's admin URL without /admin, which hydractl adds" : (this.#options.notAdminHint ?? "is it Hydra's admin API, and its path right?");
      throw new RouteNotFoundError(`${this.#api.endpoint.display} has no route for ${method} ${sent()} (the server says so); ${hint}`);
    }
    if ((response.status === 401 || response.status === 403) && !(await isUnknownClient(response))) {
      // The path as sent too: a gateway in front of Hydra may be what refused.
      const request = `${method} ${sent()}`;
      const error = await apiError(response, options?.what ? `${options.what} (${request})` : request);
      throw new ApiError(`${error.message}${this.#options.unauthorizedHint ? `; ${this.#options.unauthorizedHint}` : ""}`, response.status);
    }
    return response;
  }
}

/**
 * Hydra v2's router answers a path it has no route for with a JSON 404 whose `error` is an
 * object ("The requested route does not exist…"); an ID it does not know gets a string.
 */
async function isMissingRoute(response: Response): Promise<boolean> {
  if (!isJson(response)) return false;
  const body = (await response.clone().json().catch(() => undefined)) as { error?: { reason?: unknown } } | undefined;
  return typeof body?.error === "object" && body.error !== null && typeof body.error.reason === "string" && body.error.reason.startsWith("The requested route does not exist");
}

/**
 * Hydra's answer for an ID it does not know, in both versions: a JSON 404 whose `error` is a
 * string ("Unable to locate the resource"). Not a route it lacks (an object, above), nor a
 * gateway's own JSON 404 (`{"message":"no Route matched…"}`): those are errors in their own
 * words, not "no client".
 */
export async function isUnknownId(response: Response): Promise<boolean> {
  if (response.status !== 404 || !isJson(response)) return false;
  const body = (await response.clone().json().catch(() => undefined)) as { error?: unknown } | undefined;
  return typeof body?.error === "string";
}

/**
 * Hydra v1.8 answers a request for a client that does not exist with a 401 whose
 * description says so; that is no credential problem, and the caller says "no client".
 */
export async function isUnknownClient(response: Response): Promise<boolean> {
  return response.status === 401 && /client does not exist/.test(await response.clone().text().catch(() => ""));
}
