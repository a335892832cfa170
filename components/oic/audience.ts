/**
 * Two audiences are the same when they differ only by an explicit default port, the host's case or a trailing
 * slash: whether OCI's `instancePrimaryAudienceUrl` carries `:443` is not documented, while the app's audience
 * does, and a token's `aud` may be written either way. Scope resolution and the verifier's token check both ask.
 */
export function sameAudience(a: string, b: string): boolean {
  return canonicalAudience(a) === canonicalAudience(b);
}

function canonicalAudience(raw: string): string {
  try {
    const url = new URL(raw.trim());
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return raw.trim();
  }
}
