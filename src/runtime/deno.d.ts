// Only the parts of Deno's API that deno.ts uses. They describe the `Deno` global as a
// plain interface, so neither Bun's type checker nor Deno's own lib sees a second
// declaration of the namespace.
export interface DenoHttpClient {
  close(): void;
}

export type DenoProxy = { url: string } | { transport: "unix"; path: string };

export interface DenoHttpServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
}

interface DenoStream {
  write(p: Uint8Array): Promise<number>;
  isTerminal(): boolean;
}

export interface DenoNamespace {
  readonly args: string[];
  readonly build: { os: string };
  readonly env: { get(name: string): string | undefined; delete(name: string): void };
  readonly stdin: { readable: ReadableStream<Uint8Array>; isTerminal(): boolean };
  readonly stdout: DenoStream;
  readonly stderr: DenoStream;
  readonly errors: { NotFound: new () => Error; NotADirectory: new () => Error; AddrInUse: new () => Error; PermissionDenied: new () => Error };
  exit(code?: number): never;
  readFile(path: string): Promise<Uint8Array>;
  open(path: string): Promise<{ readable: ReadableStream<Uint8Array> }>;
  stat(path: string): Promise<{ isFile: boolean; isDirectory: boolean; mode: number | null; size: number }>;
  addSignalListener(signal: "SIGINT" | "SIGTERM" | "SIGHUP", handler: () => void): void;
  removeSignalListener(signal: "SIGINT" | "SIGTERM" | "SIGHUP", handler: () => void): void;
  serve(
    options: { hostname: string; port: number; cert?: string; key?: string; onListen?: () => void; onError?: (error: unknown) => Response },
    handler: (request: Request) => Response | Promise<Response>,
  ): DenoHttpServer;
  createHttpClient(options: { proxy?: DenoProxy }): DenoHttpClient;
  Command: new (
    command: string,
    options: { args: string[]; env?: Record<string, string>; stdin: "null" | "inherit"; stdout: "null" | "piped"; stderr: "null" },
  ) => { spawn(): { status: Promise<{ success: boolean }> }; output(): Promise<{ success: boolean; stdout: Uint8Array }> };
}
