// A fake of Hydra's admin API for client creation. Every body it receives and every
// client it returns is checked against Hydra's own API documents, so the fake cannot
// drift from the real server (test/support/hydra-api.ts).
import { schemaErrors } from "./hydra-api.ts";
import { serveLocal } from "./runtime.ts";

export interface FakeHydra {
  handler: (request: Request) => Promise<Response>;
  /** Bodies received, in order. */
  received: Record<string, unknown>[];
  /** Headers of the last request. */
  lastHeaders?: Headers;
  /** The secret the fake generates for clients without one. */
  generatedSecret: string;
}

export function fakeHydra(options: { generatedSecret?: string } = {}): FakeHydra {
  const clients = new Map<string, Record<string, unknown>>();
  const fake: FakeHydra = {
    received: [],
    generatedSecret: options.generatedSecret ?? "generated-secret-0123456789",
    async handler(request) {
      const path = new URL(request.url).pathname;
      fake.lastHeaders = new Headers(request.headers);
      if (request.method !== "POST" || (path !== "/clients" && path !== "/admin/clients")) {
        return Response.json({ error: { code: 404, status: "Not Found", message: `no route ${request.method} ${path}` } }, { status: 404 });
      }
      const body = (await request.json()) as Record<string, unknown>;
      fake.received.push(body);
      const problems = schemaErrors("oAuth2Client", body, { closed: true });
      // A 400, as Hydra answers a bad body; a throw would become a 500 that the client retries.
      if (problems.length > 0) return schemaViolation(`request body breaks Hydra's oAuth2Client schema: ${problems.join("; ")}`);
      const id = (body.client_id as string | undefined) ?? crypto.randomUUID();
      if (clients.has(id)) {
        return Response.json(
          { error: { code: 409, status: "Conflict", message: "Unable to insert or update resource because a resource with that value exists already" } },
          { status: 409 },
        );
      }
      const redirects = (body.redirect_uris as string[] | undefined) ?? [];
      if (redirects.some((uri) => uri.includes("#"))) {
        return Response.json(
          {
            error: "invalid_redirect_uri",
            error_description: "The value of one or more redirect_uris is invalid.",
            error_hint: "Redirect URIs must not contain fragments (#).",
            status_code: 400,
          },
          { status: 400 },
        );
      }
      const client: Record<string, unknown> = {
        ...body,
        client_id: id,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      };
      if (body.token_endpoint_auth_method === "none") delete client.client_secret;
      else client.client_secret = body.client_secret ?? fake.generatedSecret;
      const answerProblems = schemaErrors("oAuth2Client", client, { closed: true });
      if (answerProblems.length > 0) return schemaViolation(`the fake's own answer breaks the schema: ${answerProblems.join("; ")}`);
      clients.set(id, client);
      return Response.json(client, { status: 201 });
    },
  };
  return fake;
}

function schemaViolation(description: string): Response {
  return Response.json({ error: "invalid_request", error_description: `FAKE HYDRA: ${description}` }, { status: 400 });
}

/** A fake Hydra served on a free loopback port. */
export async function serveFakeHydra(options: { generatedSecret?: string } = {}): Promise<{ fake: FakeHydra; url: string; close(): Promise<void> }> {
  const fake = fakeHydra(options);
  const server = await serveLocal(fake.handler);
  return { fake, url: server.url, close: () => server.close() };
}
