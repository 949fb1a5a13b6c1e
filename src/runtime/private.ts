// Putting back the modes writePrivateFile (./files.ts) gives a file, alike on both runtimes:
// each reads modes its own way, the cheap one (a stat is on the way to every --https start).

/**
 * Makes `path` readable by the user only (0600) and its folder (0700), if either has come
 * to allow more. Resolves to the modes found when it changed them; undefined when both were
 * private already, or `modeOf` knows no modes (Windows).
 */
export async function keepPrivate(path: string, modeOf: (path: string) => Promise<number | undefined>): Promise<{ file: number; folder: number } | undefined> {
  const folder = path.slice(0, path.lastIndexOf("/"));
  const [file, parent] = await Promise.all([modeOf(path), modeOf(folder)]);
  if (file === undefined || parent === undefined || ((file | parent) & 0o077) === 0) return undefined;
  // node:fs only here, for what is rarely needed.
  const { chmod } = await import("node:fs/promises");
  await chmod(path, 0o600);
  await chmod(folder, 0o700);
  return { file: file & 0o777, folder: parent & 0o777 };
}
