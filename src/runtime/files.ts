// Files both runtimes handle alike: node:fs is the same on Bun and Deno, and neither
// Bun.write nor Deno's own calls would make this shorter.
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * The user's cache directory by each platform's convention. A home directory that does
 * not exist (HOME=/nonexistent for a service) gives none rather than being created.
 */
export function userCacheDir(platform: string, env: (name: string) => string | undefined, home: string | undefined): string | undefined {
  if (platform === "win32" || platform === "windows") return env("LOCALAPPDATA") || undefined;
  const existingHome = home && existsSync(home) ? home : undefined;
  if (platform === "darwin") return existingHome && `${existingHome}/Library/Caches`;
  // The XDG Base Directory spec: a relative path is invalid and to be ignored.
  const xdg = env("XDG_CACHE_HOME");
  if (xdg?.startsWith("/")) return xdg;
  return existingHome && `${existingHome}/.cache`;
}

export async function writePrivateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Written beside the target and renamed over it: a rename within a folder is atomic.
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
