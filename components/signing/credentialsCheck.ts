import type { CredentialSources } from "./credentialSources";
import { resolveOciCredentials } from "./resolveCredentials";

/** `ok` with what would sign, or the one message that names every place looked at and what is missing. */
export type CredentialsCheck =
  { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly message: string };

/**
 * For a preview-time check, before anything is created: can the credentials be resolved, with what is configured
 * now? It reads the same places the signing step will read when it runs, sends nothing and never puts a secret
 * (a key, a passphrase, a token) in its answer. Principals are checked as far as they can be without their
 * services (the instance metadata service, the OKE proxymux): their environment and files.
 */
export async function checkCredentialsResolvable(sources: CredentialSources): Promise<CredentialsCheck> {
  const resolution = await resolveOciCredentials(sources);
  return resolution.ok
    ? { ok: true, summary: resolution.credentials.summary }
    : { ok: false, message: resolution.message };
}
