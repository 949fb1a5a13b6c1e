// The real runtime the tests run on (Bun or Deno), and small fixtures built on it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime, type Handler, type Runtime, type Server } from "../../src/runtime/index.ts";

export const runtime: Runtime = await detectRuntime();

/** Serves `handler` on a free loopback port; returns the server and its base URL. */
export async function serveLocal(handler: Handler, tls?: { cert: string; key: string }): Promise<Server & { url: string }> {
  const server = await runtime.serve({ hostname: "127.0.0.1", port: 0, handler, tls });
  return Object.assign(server, { url: `${tls ? "https" : "http"}://127.0.0.1:${server.port}` });
}

/** A server that answers as `handler` does, each answer `delayMs` late, as a busy one does. */
export function serveSlowly(handler: Handler, delayMs: number): Promise<Server & { url: string }> {
  return serveLocal(async (request) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return await handler(request);
  });
}

/** A fresh temporary folder, removed by the returned cleanup function. */
export function tempDir(): { path: string; write(name: string, content: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "hydractl-test-"));
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A self-signed certificate for 127.0.0.1 and localhost. */
export async function testCertificate(): Promise<{ cert: string; key: string }> {
  const selfsigned = (await import("selfsigned")).default;
  const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    curve: "P-256",
    // selfsigned signs with SHA-1 unless told, which rustls (Deno) refuses once the certificate is trusted.
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A certificate authority, and a certificate for 127.0.0.1 that it signed. */
export async function testCertificateAuthority(): Promise<{ ca: string; cert: string; key: string }> {
  const selfsigned = (await import("selfsigned")).default;
  const ca = await selfsigned.generate([{ name: "commonName", value: "hydractl test CA" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    ca: { key: ca.private, cert: ca.cert },
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  return { ca: ca.cert, cert: leaf.cert, key: leaf.private };
}

/** Serves `handler` on a unix socket (node:http, which Bun and Deno both provide). */
export async function serveUnix(path: string, handler: Handler): Promise<{ close(): Promise<void> }> {
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Uint8Array);
    // Deno's socket transport sends the absolute form (GET http://localhost/x); both are valid.
    const url = new URL(incoming.url ?? "/", "http://localhost");
    const request = new Request(url, {
      method: incoming.method,
      headers: incoming.headers as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const response = await handler(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Sends `head` (request line and headers, CRLF-separated, without the blank line) as it is
 * written, over plain TCP, and returns the status and the whole answer: for requests fetch
 * would never send, such as one without a Host header. HTTP/1.0, so the server closes after.
 */
export async function rawRequest(port: number, head: string): Promise<{ status: number; answer: string }> {
  const { connect } = await import("node:net");
  return await new Promise((resolve, reject) => {
    let answer = "";
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write(`${head}\r\n\r\n`));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0), answer }));
  });
}
