/** The user's cache directory by each platform's convention, for both runtimes. */
export function userCacheDir(platform: string, env: (name: string) => string | undefined, home: string | undefined): string | undefined {
  if (platform === "win32" || platform === "windows") return env("LOCALAPPDATA") || undefined;
  if (platform === "darwin") return home && `${home}/Library/Caches`;
  // The XDG Base Directory spec: a relative path is invalid and to be ignored.
  const xdg = env("XDG_CACHE_HOME");
  if (xdg?.startsWith("/")) return xdg;
  return home && `${home}/.cache`;
}

/** The program's name as a shell calls it, from argv[0]: `/usr/local/bin/hydra` or `hydra.exe` is `hydra`. */
export function programName(argv0: string): string {
  return argv0.slice(Math.max(argv0.lastIndexOf("/"), argv0.lastIndexOf("\\")) + 1).replace(/\.exe$/i, "");
}
