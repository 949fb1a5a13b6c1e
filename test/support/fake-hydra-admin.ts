// A fake of Hydra's login and consent admin API that holds itself to Hydra's own OpenAPI
// document: every path and method it serves must be declared there, every body it
// receives and every answer it sends must match the schema (closed: no unknown fields).
import { declaresOperation, schemaErrors } from "./hydra-openapi.ts";
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
  /** Serve Hydra v1.8's paths (no /admin prefix); /admin/… then gets Go's plain-text 404. */
  legacy?: boolean;
  login?: Record<string, Record<string, unknown>>;
  consent?: Record<string, Record<string, unknown>>;
  /** Challenges already handled: GET answers 410 with a redirect. */
  handled?: string[];
}

export async function startFakeHydraAdmin(options: FakeHydraOptions): Promise<FakeHydraAdmin> {
  const calls: FakeAdminCall[] = [];
  const violations: string[] = [];
  const check = (what: string, schema: string, value: unknown) => {
    for (const problem of schemaErrors(schema, value, { closed: true })) violations.push(`${what}: ${problem}`);
  };
  const answer = (what: string, schema: string, value: unknown, status = 200) => {
    check(`${what} answer`, schema, value);
    return Response.json(value, { status });
  };
  const server = await serveLocal(async (request) => {
    const url = new URL(request.url);
    // Hydra's routes are /admin/oauth2/…; v1.8's are /oauth2/…. Anything else (discovery
    // included) gets Go's plain-text 404.
    const served = options.legacy ? /^\/oauth2\// : /^\/admin\/oauth2\//;
    if (!served.test(url.pathname)) return new Response("404 page not found\n", { status: 404, headers: { "Content-Type": "text/plain" } });
    const path = options.legacy ? `/admin${url.pathname}` : url.pathname;
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    calls.push({ method: request.method, path, query: url.searchParams, body });
    if (!declaresOperation(request.method, path)) violations.push(`${request.method} ${path} is not in Hydra's API`);
    const what = `${request.method} ${path}`;
    const match = path.match(/^\/admin\/oauth2\/auth\/requests\/(login|consent)(?:\/(accept|reject))?$/);
    if (match) {
      const [, flow, action] = match as unknown as [string, "login" | "consent", string | undefined];
      const challenge = url.searchParams.get(`${flow}_challenge`) ?? "";
      if (options.handled?.includes(challenge)) {
        return answer(what, "oAuth2RedirectTo", { redirect_to: `https://hydra.example/handled?${flow}_verifier=v` }, 410);
      }
      const found = options[flow]?.[challenge];
      if (!found) return Response.json({ error: { code: 404, status: "Not Found", message: "Unable to locate the resource" } }, { status: 404 });
      if (request.method === "GET" && !action) return answer(what, flow === "login" ? "oAuth2LoginRequest" : "oAuth2ConsentRequest", found);
      if (request.method === "PUT" && action) {
        check(`${what} body`, action === "reject" ? "rejectOAuth2Request" : flow === "login" ? "acceptOAuth2LoginRequest" : "acceptOAuth2ConsentRequest", body);
        return answer(what, "oAuth2RedirectTo", { redirect_to: `https://hydra.example/oauth2/auth?${flow}_verifier=${action}-${challenge}` });
      }
    }
    if (request.method === "DELETE" && path === "/admin/oauth2/auth/sessions/consent") return new Response(null, { status: 204 });
    violations.push(`unexpected ${what}`);
    return new Response("unexpected", { status: 500 });
  });
  return { url: server.url, calls, violations, close: () => server.close() };
}
