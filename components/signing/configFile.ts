/**
 * A profile of the OCI config file, read the way the OCI provider's SDK reads it (oci-go-sdk
 * common/configuration.go L358-427, vendored in terraform-provider-oci): the profile starts at the first line
 * `[name]`, ends at the next `[…]` line, and each line with a `=` gives a key (case-insensitive) and the text
 * between the first and the second `=`, trimmed. The provider checks that a named profile exists before anything
 * else (internal/utils/helpers.go L257-272 `CheckProfile`, called at provider.go L406 and L512).
 */

export const DEFAULT_PROFILE = "DEFAULT";

/** The entries of one profile that matter for signing in (configFileInfo, configuration.go L339-343). */
export interface ProfileEntries {
  readonly user?: string;
  readonly fingerprint?: string;
  readonly key_file?: string;
  readonly tenancy?: string;
  readonly region?: string;
  /** `pass_phrase` or `passphrase`: a secret. */
  readonly pass_phrase?: string;
  readonly security_token_file?: string;
}

const KNOWN_KEYS: ReadonlyMap<string, keyof ProfileEntries> = new Map([
  ["user", "user"],
  ["fingerprint", "fingerprint"],
  ["key_file", "key_file"],
  ["tenancy", "tenancy"],
  ["region", "region"],
  ["passphrase", "pass_phrase"],
  ["pass_phrase", "pass_phrase"],
  ["security_token_file", "security_token_file"],
]);

const PROFILE_LINE = /^\[(.*)\]/;

/** The names of the profiles in the file, in order (the `CheckProfile` view of it). */
export function profileNames(text: string): string[] {
  return text
    .split("\n")
    .map((line) => PROFILE_LINE.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** The profile's entries, or undefined when the file has no such profile. */
export function readProfile(text: string, profile: string): ProfileEntries | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => PROFILE_LINE.exec(line)?.[1] === profile);
  if (start < 0) return undefined;
  const entries: Partial<Record<keyof ProfileEntries, string>> = {};
  for (const line of lines.slice(start + 1)) {
    if (PROFILE_LINE.test(line)) break;
    if (!line.includes("=")) continue;
    const [key = "", value = ""] = line.split("=");
    const known = KNOWN_KEYS.get(key.trim().toLowerCase());
    if (known !== undefined) entries[known] = value.trim();
  }
  return entries;
}
