import { decodeBase64 } from "../base64.ts";

/**
 * The claims of a JWT, decoded for display only: nothing here checks a signature. Returns
 * undefined for anything that is not a three-part JWS with a JSON object payload (an
 * opaque access token, for example).
 */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(new TextDecoder().decode(decodeBase64(parts[1]!))) as unknown;
    return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
