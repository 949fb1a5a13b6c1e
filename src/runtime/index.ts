import { bunRuntime } from "./bun.ts";
import type { Runtime } from "./types.ts";

export type { Absence, Fetch, Handler, Runtime, Server, ServeOptions, TransportOptions } from "./types.ts";

// Set by scripts/build with --define: a compiled binary only ever runs on Bun, so the
// branch below folds away and Deno's implementation is not bundled into it.
declare const HYDRACTL_COMPILED_FOR_BUN: boolean | undefined;

/**
 * Picks the implementation for the runtime we were started on. Bun's is part of the main
 * chunk, since a chunk of its own costs the compiled binary time and memory at every
 * start; Deno's loads lazily, since it imports node: modules that Bun need not evaluate.
 */
export async function detectRuntime(): Promise<Runtime> {
  if (typeof HYDRACTL_COMPILED_FOR_BUN === "undefined" && "Deno" in globalThis) return (await import("./deno.ts")).denoRuntime;
  if ("Bun" in globalThis) return bunRuntime;
  throw new Error("hydractl runs on Bun or Deno");
}
