// A fake of Hydra's JSON Web Key and token admin API (v2.3.0 or v1.8.5): key sets, token
// introspection, deleting a client's access tokens, v1.8's flush. As in fake-hydra.ts,
// every request and answer is checked against Hydra's own API documents (hydra-api.json,
// closed), and each behaviour below was compared with the real servers.
import { findOperation, type HydraVersion, type Operation, requestErrors, responseErrors } from "./hydra-api.ts";
import { serveLocal } from "./runtime.ts";

type Key = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** JSON, or the form's fields, or undefined. */
  body: unknown;
  status: number;
}

export interface FakeKeysOptions {
  version?: HydraVersion;
  /** Sets present from the start. */
  sets?: Record<string, Key[]>;
  /** Active tokens and the client each was issued to. */
  tokens?: Record<string, { client_id: string; scope: string }>;
}

export interface FakeKeys {
  handler: (request: Request) => Promise<Response>;
  requests: RecordedRequest[];
  sets: Map<string, Key[]>;
  tokens: Map<string, { client_id: string; scope: string }>;
  violations: string[];
}

export function fakeHydraKeys(options: FakeKeysOptions = {}): FakeKeys {
  const version = options.version ?? "v2";
  const v2 = version === "v2";
  const prefix = v2 ? "/admin" : "";
  const fake: FakeKeys = {
    requests: [],
    sets: new Map(Object.entries(options.sets ?? {})),
    tokens: new Map(Object.entries(options.tokens ?? {})),
    violations: [],
    handler: async (request) => {
      const url = new URL(request.url);
      const text = await request.text();
      const form = (request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
      let body: unknown = undefined;
      if (form) body = Object.fromEntries(new URLSearchParams(text));
      else if (text) body = JSON.parse(text);
      const record: RecordedRequest = { method: request.method, path: url.pathname, query: url.searchParams, body, status: 0 };
      fake.requests.push(record);
      const response = answer(record);
      record.status = response.status;
      return response;
    },
  };

  function answer(request: RecordedRequest): Response {
    const { method, path } = request;
    if (!path.startsWith(`${prefix}/`) || (!v2 && path.startsWith("/admin/"))) return routeNotFound();
    const operation = findOperation(version, method, path);
    // v2 answers a route it lacks (its old flush) under /admin with a JSON 404.
    if (!operation) return v2 ? Response.json({ error: { code: 404, status: "Not Found", message: "The requested route does not exist." } }, { status: 404 }) : routeNotFound();
    const declared = new Set(operation.query.map((parameter) => parameter.name));
    for (const name of request.query.keys()) if (!declared.has(name)) return violation(`${operation.operationId} takes no query parameter ${name}`);
    for (const parameter of operation.query) if (parameter.required && !request.query.has(parameter.name)) return violation(`${operation.operationId} needs ${parameter.name}`);
    const problems = requestErrors(version, operation, request.body);
    if (problems.length > 0) return violation(`${method} ${path}: ${problems.join("; ")}`);

    const [, , set, kid] = path.slice(prefix.length).split("/").map(decodeURIComponent);
    switch (operation.operationId) {
      case "createJsonWebKeySet":
        return create(operation, set!, request.body as { alg: string; use: string; kid: string });
      case "getJsonWebKeySet":
        return fake.sets.get(set!)?.length ? send(operation, 200, { keys: fake.sets.get(set!) }) : notFound(operation);
      case "deleteJsonWebKeySet":
        // Both versions delete a set that does not exist without complaint.
        fake.sets.delete(set!);
        return new Response(null, { status: 204 });
      case "setJsonWebKey":
      case "updateJsonWebKey": {
        const keys = fake.sets.get(set!) ?? [];
        // v1.8.5 only replaces a key that exists; v2 adds one too.
        if (!v2 && !keys.some((key) => key.kid === kid)) return notFound(operation);
        fake.sets.set(set!, [...keys.filter((key) => key.kid !== kid), request.body as Key]);
        return send(operation, 200, request.body);
      }
      case "updateJsonWebKeySet":
        fake.sets.set(set!, (request.body as { keys: Key[] }).keys);
        return send(operation, 200, request.body);
      case "introspectOAuth2Token": {
        const { token, scope } = request.body as { token: string; scope?: string };
        const found = fake.tokens.get(token);
        const granted = found?.scope.split(" ") ?? [];
        if (!found || (scope && !scope.split(" ").every((wanted) => granted.includes(wanted)))) return send(operation, 200, { active: false });
        const iat = Math.floor(Date.now() / 1000);
        return send(operation, 200, { active: true, client_id: found.client_id, sub: found.client_id, scope: found.scope, exp: iat + 3600, iat, iss: "http://127.0.0.1:4444", token_type: v2 ? "Bearer" : "access_token", ...(v2 ? { token_use: "access_token", nbf: iat } : {}) });
      }
      case "deleteOAuth2Token":
        for (const [token, value] of fake.tokens) if (value.client_id === request.query.get("client_id")) fake.tokens.delete(token);
        return new Response(null, { status: 204 });
      case "flushInactiveOAuth2Tokens":
        return new Response(null, { status: 204 });
      default:
        return violation(`the fake does not serve ${operation.operationId}`);
    }
  }

  function create(operation: Operation, set: string, body: { alg: string; use: string; kid: string }): Response {
    // v1.8.5 generates RS256, ES512, HS256 and HS512 only (v2 no HS keys), and says so with a 400.
    const known = v2 ? ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] : ["RS256", "ES512", "HS256", "HS512"];
    if (!known.includes(body.alg)) {
      return send(operation, 400, { error: "error", error_description: `The error is unrecognizable. Generator ${body.alg} unknown`, ...(v2 ? {} : { status_code: 400 }) });
    }
    const kid = body.kid || crypto.randomUUID();
    const material = { kty: "RSA", n: "AQAB", e: "AQAB" };
    // A shared secret is one key, under the ID itself.
    const generated = body.alg.startsWith("HS")
      ? [{ kty: "oct", k: "shared-secret", kid, alg: body.alg, use: body.use }]
      : v2
      ? [{ ...material, d: "secret", kid, alg: body.alg, use: body.use }]
      : [{ ...material, d: "secret", kid: `private:${kid}`, alg: body.alg, use: body.use }, { ...material, kid: `public:${kid}`, alg: body.alg, use: body.use }];
    fake.sets.set(set, [...(fake.sets.get(set) ?? []), ...generated]);
    return send(operation, 201, { keys: generated });
  }

  function notFound(operation: Operation): Response {
    return send(operation, 404, v2 ? { error: "Not Found", error_description: "Unable to locate the requested resource" } : { error: "Not Found", error_description: "Unable to located the requested resource", status_code: 404 });
  }

  function routeNotFound(): Response {
    return new Response("404 page not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }

  function send(operation: Operation, status: number, body: unknown): Response {
    const problems = responseErrors(version, operation, status, body);
    if (problems.length > 0) return violation(`the fake's own answer: ${problems.join("; ")}`);
    return Response.json(body, { status });
  }

  function violation(problem: string): Response {
    fake.violations.push(problem);
    return Response.json({ error: "invalid_request", error_description: `FAKE HYDRA: ${problem}` }, { status: 400 });
  }

  return fake;
}

export async function serveFakeHydraKeys(options: FakeKeysOptions = {}): Promise<{ fake: FakeKeys; url: string; close(): Promise<void> }> {
  const fake = fakeHydraKeys(options);
  const server = await serveLocal(fake.handler);
  return { fake, url: server.url, close: () => server.close() };
}
