// Small servers that misbehave on purpose, speaking raw TCP (node:net, on Bun and Deno
// alike) so they can do what no HTTP framework allows: stay silent, trickle a body, reset
// the connection before or after reading the request, or cut a body short.
import { createServer, type Socket } from "node:net";

export interface HostileServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Connections accepted. */
  connections: number;
  /** Complete requests read (request line, headers and the body Content-Length announces). */
  requests: number;
  close(): Promise<void>;
}

/** What to do with a connection: `request` resolves once a whole request has been read. */
type Behaviour = (socket: Socket, request: Promise<void>) => void;

async function hostile(behaviour: Behaviour): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, requests: 0 };
  const server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffered = "";
    const request = new Promise<void>((resolve) => {
      socket.on("data", (chunk) => {
        buffered += chunk.toString("latin1");
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length - end - 4 < length) return;
        buffered = "";
        state.requests++;
        resolve();
      });
    });
    behaviour(socket, request);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function reset(socket: Socket): void {
  const withReset = socket as Socket & { resetAndDestroy?: () => void };
  if (withReset.resetAndDestroy) withReset.resetAndDestroy();
  else socket.destroy();
}

/** Reads the request and never answers. */
export const silentServer = () => hostile(() => {});

/** Closes every connection as soon as it is accepted, before reading anything. */
export const resetBeforeReadServer = () => hostile((socket) => reset(socket));

/** Reads the whole request, then resets the connection without answering. */
export const resetAfterReadServer = () => hostile((socket, request) => void request.then(() => reset(socket)));

/** Answers `status` with a body of `length` bytes announced, sent one byte every `everyMs`. */
export const tricklingServer = (status = 200, length = 1000, everyMs = 200) =>
  hostile((socket, request) => {
    void request.then(() => {
      socket.write(`HTTP/1.1 ${status} OK\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{`);
      const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(" ")), everyMs);
      socket.on("close", () => clearInterval(timer));
    });
  });

/** Answers `status` with exactly `body` (which may be cut-off JSON), then closes. */
export const fixedAnswerServer = (status: number, body: string, contentType = "application/json") =>
  hostile((socket, request) => {
    void request.then(() => {
      const bytes = Buffer.from(body);
      socket.end(`HTTP/1.1 ${status} Status\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n${body}`);
    });
  });

/** Answers with exactly `answer`, status line and headers included (which may not be HTTP), then closes. */
export const rawAnswerServer = (answer: string) =>
  hostile((socket, request) => {
    void request.then(() => socket.end(answer));
  });

/** Announces `announced` bytes of body, sends `body`, then resets the connection. */
export const cutBodyServer = (status: number, body: string, announced = body.length + 100) =>
  hostile((socket, request) => {
    void request.then(() => {
      socket.write(`HTTP/1.1 ${status} Status\r\nContent-Type: application/json\r\nContent-Length: ${announced}\r\n\r\n${body}`);
      setTimeout(() => reset(socket), 50);
    });
  });

/** A plain HTTP server, for an https:// URL pointed at it. */
export const plainHttpServer = () =>
  hostile((socket) => {
    socket.once("data", () => socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
  });
