/** The command that hands a URL to the desktop's default browser on each platform. */
export function browserCommand(platform: string): string[] {
  if (platform === "darwin") return ["open"];
  // cmd's `start` would re-parse the URL's `&`s; the protocol handler takes it verbatim.
  if (platform === "win32" || platform === "windows") return ["rundll32", "url.dll,FileProtocolHandler"];
  return ["xdg-open"];
}
