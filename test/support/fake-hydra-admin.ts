// A fake of Hydra's login and consent admin API that holds itself to Hydra's own API
// documents (hydra-api.json), v2's or, in legacy mode, v1.8.5's: every path and method it
// serves must be declared there, every body it receives and every answer it sends must
// match the schema (closed: no unknown fields).
import { findOperation, type HydraVersion, requestErrors, responseErrors } from "./hydra-api.ts";
import { serveLocal } from "./runtime.ts";

export interface FakeAdminCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: unknown;
}

export interface FakeHydraAdmin {
  url: string;
  calls: FakeAdminCall[];
  /** Problems found: undeclared operations, bodies or answers off the schema. Tests assert it stays empty. */
  violations: string[];
  close(): Promise<void>;
}

export interface FakeHydraOptions {
  /** Serve Hydra v1.8.5's paths (no /admin prefix) and schemas; /admin/… then gets its plain-text 404. */
  legacy?: boolean;
  login?: Record<string, Record<string, unknown>>;
  consent?: Record<string, Record<string, unknown>>;
  /** Challenges already handled: GET answers 410 with a redirect. */
  handled?: string[];
}

export async function startFakeHydraAdmin(options: FakeHydraOptions): Promise<FakeHydraAdmin> {
  const version: HydraVersion = options.legacy ? "v1.8.5" : "v2";
  const calls: FakeAdminCall[] = [];
  const violations: string[] = [];
  const server = await serveLocal(async (request) => {
    const url = new URL(request.url);
    // Hydra's routes are /admin/oauth2/…; v1.8's are /oauth2/…. Anything else (discovery
    // included) gets the route-not-found page: HTML from v2.3.0, plain text from v1.8.5.
    const served = options.legacy ? /^\/oauth2\// : /^\/admin\/oauth2\//;
    if (!served.test(url.pathname)) {
      return options.legacy
        ? new Response('{"error": "Error 404 - The requested route does not exist. Make sure you are using the right path, domain, and port."}', {
          status: 404,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
        })
        : new Response("<!DOCTYPE html><title>404 - Route not found</title>\n", { status: 404, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    // Calls are recorded with v2's path, so one test reads the same for both versions.
    const path = options.legacy ? `/admin${url.pathname}` : url.pathname;
    calls.push({ method: request.method, path, query: url.searchParams, body });
    const what = `${request.method} ${url.pathname}`;
    const operation = findOperation(version, request.method, url.pathname);
    if (!operation) {
      violations.push(`${what} is not in Hydra ${version}'s API`);
      return new Response("unexpected", { status: 500 });
    }
    for (const problem of requestErrors(version, operation, body)) violations.push(`${what} body: ${problem}`);
    const answer = (value: unknown, status = 200) => {
      for (const problem of responseErrors(version, operation, status, value)) violations.push(`${what} answer: ${problem}`);
      return Response.json(value, { status });
    };
    const match = path.match(/^\/admin\/oauth2\/auth\/requests\/(login|consent)(?:\/(accept|reject))?$/);
    if (match) {
      const [, flow, action] = match as unknown as [string, "login" | "consent", string | undefined];
      const challenge = url.searchParams.get(`${flow}_challenge`) ?? "";
      if (options.handled?.includes(challenge)) return answer({ redirect_to: `https://hydra.example/handled?${flow}_verifier=v` }, 410);
      const found = options[flow]?.[challenge];
      if (!found) return Response.json({ error: { code: 404, status: "Not Found", message: "Unable to locate the resource" } }, { status: 404 });
      if (request.method === "GET" && !action) return answer(found);
      if (request.method === "PUT" && action) return answer({ redirect_to: `https://hydra.example/oauth2/auth?${flow}_verifier=${action}-${challenge}` });
    }
    if (request.method === "DELETE" && path === "/admin/oauth2/auth/sessions/consent") return new Response(null, { status: 204 });
    violations.push(`unexpected ${what}`);
    return new Response("unexpected", { status: 500 });
  });
  return { url: server.url, calls, violations, close: () => server.close() };
}
