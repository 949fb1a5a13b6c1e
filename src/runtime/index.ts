import type { Runtime } from "./types.ts";

export type { Fetch, Handler, Runtime, Server, ServeOptions, TransportOptions } from "./types.ts";

/** Picks the implementation for the runtime we were started on; loaded lazily so each binary only evaluates its own. */
export async function detectRuntime(): Promise<Runtime> {
  if ("Deno" in globalThis) return (await import("./deno.ts")).denoRuntime;
  if ("Bun" in globalThis) return (await import("./bun.ts")).bunRuntime;
  throw new Error("hydractl runs on Bun or Deno");
}
