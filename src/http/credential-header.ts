// A module of its own, so that the config file's check (src/cli/config.ts), which every
// command's start holds, does not bring the HTTP modules onto that start with it.

/**
 * Whether a header carries credentials: Authorization, Proxy-Authorization, Cookie, and any
 * whose name says so (`X-Api-Key`, `X-Auth-Token`, `X-Session-Id`). A function: as a module
 * constant its regular expression would be built at every start, for the few given -H.
 */
export function isCredentialHeader(name: string): boolean {
  return /^cookie$|auth|token|secret|key|session|passw|credential|signature/i.test(name);
}
