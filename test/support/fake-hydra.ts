// A fake of Hydra's OAuth 2.0 client admin API, as Hydra v2.3.0 or v1.8.5 serves it. Every
// request (path, query, body) and every answer is checked against Hydra's own API
// documents (hydra-api.json, closed: a field the schema does not name is a violation), and
// each behaviour below was compared with the real servers (scripts/hydra-server start).
// Where the fake knowingly differs, a comment says so.
import { findOperation, type HydraVersion, type Operation, requestErrors, responseErrors } from "./hydra-api.ts";
import { serveLocal } from "./runtime.ts";

export type Client = Record<string, unknown>;

export interface FakeRequest {
  method: string;
  /** As received, before any redirect (e.g. "/clients" on v2, which answers it with a 307). */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** Parsed JSON, the raw text if it was not JSON, or undefined when empty. */
  body: unknown;
  /** The status the fake answered. */
  status: number;
}

/** Answer request number `request` (1-based, every request counted, redirects included) with `status`. */
export interface Fault {
  request: number;
  status: number;
  /** JSON body; an OAuth 2.0 error naming the fault by default. */
  body?: unknown;
  /** Answer only after this long: a server that hangs, for as long as a test needs it to. */
  delayMs?: number;
}

export interface FakeHydraOptions {
  /** Which Hydra to mirror; v2 unless told. */
  version?: HydraVersion;
  /** The secret given to clients created without one. */
  generatedSecret?: string;
  /** Clients present from the start, as one would create them (a client_secret is kept, never shown). */
  clients?: Client[];
  faults?: Fault[];
}

export interface FakeHydra {
  handler: (request: Request) => Promise<Response>;
  version: HydraVersion;
  /** Every request, in order. */
  requests: FakeRequest[];
  /** Bodies of the create, update and patch requests acted on, in order. */
  received: Client[];
  /** Headers of the last request. */
  lastHeaders?: Headers;
  /** The stored clients by ID, secrets included (Hydra would hold them hashed). */
  clients: Map<string, Client>;
  /** Requests or answers that break Hydra's documents; such requests get a 400 saying "FAKE HYDRA". */
  violations: string[];
  /** May be added to while the fake runs. */
  faults: Fault[];
  generatedSecret: string;
}

const V2_PAGE = { name: "page_size", default: 250, max: 1000 };
const V1_PAGE = { name: "limit", default: 100, max: 500 };

export function fakeHydra(options: FakeHydraOptions = {}): FakeHydra {
  const version = options.version ?? "v2";
  const v2 = version === "v2";
  const prefix = v2 ? "/admin/clients" : "/clients";
  const fake: FakeHydra = {
    version,
    requests: [],
    received: [],
    clients: new Map(),
    violations: [],
    faults: [...(options.faults ?? [])],
    generatedSecret: options.generatedSecret ?? "generated-secret-0123456789",
    handler: async (request) => {
      const url = new URL(request.url);
      const text = await request.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const record: FakeRequest = { method: request.method, path: url.pathname, query: url.searchParams, headers: new Headers(request.headers), body, status: 0 };
      fake.requests.push(record);
      fake.lastHeaders = record.headers;
      const response = await answer(record, url);
      record.status = response.status;
      return response;
    },
  };
  for (const client of options.clients ?? []) {
    const id = (client.client_id as string | undefined) ?? crypto.randomUUID();
    fake.clients.set(id, withDefaults({ ...client, client_id: id }, version));
  }

  async function answer(request: FakeRequest, url: URL): Promise<Response> {
    const fault = fake.faults.find((f) => f.request === fake.requests.length);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault) return Response.json(fault.body ?? { error: "injected_fault", error_description: `request ${fault.request} fails, as the test asked` }, { status: fault.status });
    const { method, path } = request;
    // Hydra v2 moved the client API under /admin and sends the old paths there, any method.
    if (v2 && (path === "/clients" || path.startsWith("/clients/"))) {
      // Go's http.Redirect adds a link page for GET only.
      const location = new URL(`/admin${path}${url.search}`, url).href;
      if (method !== "GET") return new Response(null, { status: 307, headers: { Location: location } });
      return new Response(`<a href="${location}">Temporary Redirect</a>.\n\n`, { status: 307, headers: { Location: location, "Content-Type": "text/html; charset=utf-8" } });
    }
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return routeNotFound(request);
    const id = path === prefix ? undefined : decodeURIComponent(path.slice(prefix.length + 1));
    if (id?.includes("/")) return routeNotFound(request);
    // v1.8.5 has no PATCH; its router says so, listing what the path allows.
    if (!v2 && method === "PATCH" && id) {
      return new Response("Method Not Allowed\n", { status: 405, headers: { "Content-Type": "text/plain; charset=utf-8", Allow: "DELETE, GET, OPTIONS, PUT" } });
    }
    const operation = findOperation(version, method, path);
    if (!operation) return violation(`${method} ${path} is not in Hydra ${version}'s API`);
    const declared = new Set(operation.query.map((parameter) => parameter.name));
    for (const name of url.searchParams.keys()) if (!declared.has(name)) return violation(`${operation.operationId} takes no query parameter ${name}`);
    const problems = requestErrors(version, operation, request.body);
    if (problems.length > 0) return violation(`${method} ${path}: ${problems.join("; ")}`);

    if (!id && method === "POST") return create(operation, request.body as Client);
    if (!id && method === "GET") return list(operation, url);
    const stored = fake.clients.get(id!);
    if (method === "DELETE") {
      // v1.8.5 deletes an unknown client without complaint.
      if (!stored && v2) return notFound(operation);
      fake.clients.delete(id!);
      return new Response(null, { status: 204 });
    }
    if (!stored) return notFound(operation);
    if (method === "GET") return send(operation, 200, shown(stored));
    if (method === "PUT") return replace(operation, stored, request.body as Client);
    return patch(operation, stored, request.body as JsonPatch[]);
  }

  function create(operation: Operation, body: Client): Response {
    fake.received.push(body);
    const id = (body.client_id as string | undefined) ?? crypto.randomUUID();
    if (fake.clients.has(id)) return conflict(operation);
    const refused = refusal(operation, body);
    if (refused) return refused;
    const client = withDefaults({ ...body, client_id: id }, version);
    if (client.token_endpoint_auth_method === "none") delete client.client_secret;
    else client.client_secret ??= fake.generatedSecret;
    fake.clients.set(id, client);
    return send(operation, 201, shown(client, client.client_secret as string | undefined), { Location: `${prefix}/${encodeURIComponent(id)}` });
  }

  function replace(operation: Operation, stored: Client, body: Client): Response {
    fake.received.push(body);
    const refused = refusal(operation, body);
    if (refused) return refused;
    const id = stored.client_id as string;
    // The ID in the path wins over one in the body. Without a secret in the body Hydra keeps
    // the old one (checked: the old secret still gets a token) and does not show it.
    const client = withDefaults({ ...body, client_id: id }, version);
    client.client_secret = body.client_secret ?? stored.client_secret;
    // Both versions lose the creation time on PUT: v2.3.0 sets it to now, v1.8.5 to Go's zero time.
    client.created_at = v2 ? client.updated_at : "0001-01-01T00:00:00Z";
    fake.clients.set(id, client);
    return send(operation, 200, shown(client, body.client_secret as string | undefined));
  }

  function patch(operation: Operation, stored: Client, operations: JsonPatch[]): Response {
    fake.received.push(operations as unknown as Client);
    let patched: Client;
    try {
      patched = applyPatch(shown(stored), operations);
    } catch {
      // What v2.3.0 answers for an unknown op, a missing path or a body that is no array.
      return send(operation, 500, { error: "error", error_description: "The error is unrecognizable" });
    }
    // Hydra saves the patched client under the ID it now carries, which does not exist.
    if (patched.client_id !== stored.client_id) return notFound(operation);
    const refused = refusal(operation, patched);
    if (refused) return refused;
    const secret = patched.client_secret as string | undefined;
    const client = { ...patched, client_secret: secret ?? stored.client_secret, updated_at: now() };
    fake.clients.set(stored.client_id as string, client);
    return send(operation, 200, shown(client, secret));
  }

  function list(operation: Operation, url: URL): Response {
    const page = v2 ? V2_PAGE : V1_PAGE;
    let clients = [...fake.clients.values()];
    // v2 lists by ID, v1.8.5 in the order of creation. Only v2 filters: v1.8.5 ignores
    // client_name and owner, and the fake calls them a violation there, since a command
    // sending them would list every client believing it filtered.
    if (v2) {
      clients.sort((a, b) => ((a.client_id as string) < (b.client_id as string) ? -1 : 1));
      for (const field of ["client_name", "owner"]) {
        const wanted = url.searchParams.get(field);
        if (wanted !== null) clients = clients.filter((client) => client[field] === wanted);
      }
    }
    const asked = Number.parseInt(url.searchParams.get(page.name) ?? "", 10);
    let size = Number.isNaN(asked) ? page.default : Math.min(asked, page.max);
    let offset = v2 ? decodePageToken(url.searchParams.get("page_token")) : Number.parseInt(url.searchParams.get("offset") ?? "", 10) || 0;
    // v2 serves at least one item for page_size ≤ 0; v1.8.5 serves none but links as if one.
    if (v2) size = Math.max(size, 1);
    const items = clients.slice(offset, offset + Math.max(size, 0)).map((client) => shown(client));
    offset = Math.max(offset, 0);
    // Both count every client, filters or not (X-Total-Count and the links alike).
    const total = fake.clients.size;
    const headers = { "X-Total-Count": String(total), Link: paginationLinks(url, total, Math.max(size, 1), offset, v2) };
    return send(operation, 200, items, headers);
  }

  /**
   * Refusals both versions make for a body that fits the schema, each in its own words.
   * v1.8.5 also sends error_hint and error_verbose, which its document does not name; the
   * fake leaves them out (the hint is in error_description too).
   */
  function refusal(operation: Operation, body: Client): Response | undefined {
    const secret = body.client_secret;
    if (typeof secret === "string" && secret.length < 6) {
      const hint = "Field client_secret must contain a secret that is at least 6 characters long.";
      const description =
        "The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client's Metadata.";
      return refuse(operation, { error: "invalid_client_metadata", error_description: `${description} ${hint}` }, hint);
    }
    if (((body.redirect_uris as string[] | undefined) ?? []).some((uri) => uri.includes("#"))) {
      const description = "The value of one or more redirect_uris is invalid. Redirect URIs must not contain fragments (#).";
      return refuse(operation, { error: "invalid_redirect_uri", error_description: description }, "Redirect URIs must not contain fragments (#)");
    }
    return undefined;
  }

  function refuse(operation: Operation, v2Answer: Client, v1Hint: string): Response {
    if (v2) return send(operation, 400, v2Answer);
    const description = "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed";
    return send(operation, 400, { error: "invalid_request", error_description: `${description}\n\n${v1Hint}`, status_code: 400 });
  }

  function notFound(operation: Operation): Response {
    // v1.8.5 answers a GET of an unknown client 401 (its PUT says 404). Both also send
    // error_verbose, a field their documents do not name; the fake leaves it out.
    if (!v2 && operation.method === "GET") {
      const description = "The requested OAuth 2.0 client does not exist or you did not provide the necessary credentials";
      return send(operation, 401, { error: "The request could not be authorized", error_description: description, status_code: 401 });
    }
    return send(operation, 404, v2 ? { error: "Unable to locate the resource", error_description: "" } : { error: "Unable to locate the resource", error_description: "", status_code: 404 });
  }

  function conflict(operation: Operation): Response {
    const error = "Unable to insert or update resource because a resource with that value exists already";
    return send(operation, 409, v2 ? { error, error_description: "" } : { error, error_description: "", status_code: 409 });
  }

  // Hydra v2's router: JSON to a client that asks for JSON (as hydractl does), else a page.
  function routeNotFound(request: FakeRequest): Response {
    if (v2 && request.headers.get("accept")?.includes("application/json")) {
      return Response.json({ error: { code: 404, message: "Not Found", reason: "The requested route does not exist. Make sure you are using the right path, domain, and port." } }, { status: 404 });
    }
    return v2
      ? new Response("<!DOCTYPE html><title>404 - Route not found</title>\n", { status: 404, headers: { "Content-Type": "text/html; charset=utf-8" } })
      : new Response('{"error": "Error 404 - The requested route does not exist. Make sure you are using the right path, domain, and port."}', {
        status: 404,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
  }

  function send(operation: Operation, status: number, body: unknown, headers: Record<string, string> = {}): Response {
    const problems = responseErrors(version, operation, status, body);
    if (problems.length > 0) return violation(`the fake's own answer: ${problems.join("; ")}`);
    return Response.json(body, { status, headers });
  }

  function violation(problem: string): Response {
    fake.violations.push(problem);
    // A 400, not a throw: a 500 would be retried by hydractl until --fail-after.
    return Response.json({ error: "invalid_request", error_description: `FAKE HYDRA: ${problem}` }, { status: 400 });
  }

  return fake;
}

/**
 * A client as Hydra fills it in. Real Hydra also sends null for every unset token lifespan
 * (and v1.8.5 for unset lists, v2.3.0 for lists a PUT left out), which its documents do not
 * allow; the fake leaves lifespans out and sends empty lists, so a command must not rely on
 * either.
 */
function withDefaults(client: Client, version: HydraVersion): Client {
  const time = now();
  const lists = ["redirect_uris", "grant_types", "response_types", "audience", "allowed_cors_origins", "contacts"];
  const strings = ["client_name", "owner", "policy_uri", "tos_uri", "client_uri", "logo_uri"];
  const filled: Client = { ...client };
  for (const field of lists) filled[field] ??= [];
  for (const field of strings) filled[field] ??= "";
  filled.scope ??= "offline_access offline openid";
  filled.client_secret_expires_at ??= 0;
  filled.subject_type ??= "public";
  filled.token_endpoint_auth_method ??= "client_secret_basic";
  filled.userinfo_signed_response_alg ??= "none";
  if (version === "v2") {
    filled.jwks ??= {};
    filled.metadata ??= {};
    filled.skip_consent ??= false;
  }
  filled.created_at ??= time;
  filled.updated_at = time;
  return filled;
}

/** What Hydra shows of a stored client: never the secret, unless it was just set. */
function shown(client: Client, secret?: string): Client {
  const { client_secret: _, ...rest } = client;
  return secret === undefined ? rest : { ...rest, client_secret: secret };
}

function now(): string {
  return new Date().toISOString();
}

interface JsonPatch {
  op: string;
  path: string;
  value?: unknown;
}

/** RFC 6902's add, remove, replace and test on a copy of `target`; throws on anything else. */
function applyPatch(target: Client, operations: JsonPatch[]): Client {
  if (!Array.isArray(operations)) throw new Error("a JSON Patch is an array");
  const document = structuredClone(target);
  for (const { op, path, value } of operations) {
    // Hydra v2 applies these three only (ory/x jsonx.ApplyJSONPatch).
    if (op !== "add" && op !== "remove" && op !== "replace") throw new Error(`unsupported operation: ${op}`);
    const keys = path.split("/").slice(1).map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop();
    if (last === undefined) throw new Error("no path");
    let parent: unknown = document;
    for (const key of keys) {
      parent = (parent as Record<string, unknown> | undefined)?.[key];
      if (parent === null || typeof parent !== "object") throw new Error(`no ${path}`);
    }
    if (Array.isArray(parent)) {
      const index = last === "-" ? parent.length : Number(last);
      const limit = op === "add" ? parent.length : parent.length - 1;
      if (!Number.isInteger(index) || index < 0 || index > limit) throw new Error(`no ${path}`);
      if (op === "add") parent.splice(index, 0, value);
      else if (op === "remove") parent.splice(index, 1);
      else parent[index] = value;
      continue;
    }
    const object = parent as Record<string, unknown>;
    // Hydra takes a replace of a member that is not there as an add.
    if (op === "remove" && !Object.hasOwn(object, last)) throw new Error(`no ${path}`);
    if (op === "remove") delete object[last];
    else object[last] = value;
  }
  return document;
}

/** v2's page token: the offset in base64url JSON; anything unreadable starts at 0, as Hydra does. */
function decodePageToken(token: string | null): number {
  if (!token) return 0;
  try {
    const decoded = JSON.parse(atob(token.replaceAll("-", "+").replaceAll("_", "/"))) as { offset?: string };
    return Number.parseInt(decoded.offset ?? "", 10) || 0;
  } catch {
    return 0;
  }
}

function encodePageToken(offset: number): string {
  return btoa(JSON.stringify({ offset: String(offset), v: 2 })).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The Link header both versions send, by the same rules (ory/x pagination): next and last
 * from the first page, first/next/prev/last in the middle, first and prev on the last
 * page, and a single "first" spanning everything when it all fits on one page. Links are
 * relative, carry the request's other parameters, and sort them by name as Go does.
 */
function paginationLinks(url: URL, total: number, size: number, offset: number, v2: boolean): string {
  const link = (rel: string, itemSize: number, itemOffset: number) => {
    const query = new URLSearchParams(url.searchParams);
    if (v2) {
      query.set("page_size", String(itemSize));
      query.set("page_token", encodePageToken(itemOffset));
    } else {
      query.set("limit", String(itemSize));
      query.set("offset", String(itemOffset));
    }
    query.sort();
    return `<${url.pathname}?${query}>; rel="${rel}"`;
  };
  const lastOffset = total % size === 0 ? total - size : Math.floor(total / size) * size;
  const page = Math.floor(offset / size) * size;
  if (page >= lastOffset) {
    if (total === 0) return [link("first", size, 0), link("next", size, page + size), link("prev", size, page - size)].join(",");
    if (total < size) return link("first", total, 0);
    return [link("first", size, 0), link("prev", size, lastOffset - size)].join(",");
  }
  if (page < size) return [link("next", size, size), link("last", size, lastOffset)].join(",");
  return [link("first", size, 0), link("next", size, page + size), link("prev", size, page - size), link("last", size, lastOffset)].join(",");
}

/** A fake Hydra served on a free loopback port. */
export async function serveFakeHydra(options: FakeHydraOptions = {}): Promise<{ fake: FakeHydra; url: string; close(): Promise<void> }> {
  const fake = fakeHydra(options);
  const server = await serveLocal(fake.handler);
  return { fake, url: server.url, close: () => server.close() };
}
