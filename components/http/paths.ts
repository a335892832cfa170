import { isAbsolute, join, normalize, resolve, sep } from "node:path";

/**
 * A path as the OCI tools open it: a leading `~/` (or `~\`) is the home folder, everything else is taken as given
 * and, when relative, from the working directory. terraform-provider-oci internal/utils/helpers.go L248-255
 * `ExpandPath` (for `private_key_path`, provider.go L656) and oci-go-sdk common/configuration.go L429-439
 * `expandPath` (for the config file, L442, its `key_file`, L574, and `security_token_file`, L637); oci-common
 * lib/config-file-reader.js `expandUserHome` does the same for `~/` and `~\`. Every path the project reads
 * when a step runs (key files, config files, a CA file) is expanded so, so that a path written `~/…` or relative
 * to the project directory means the same on every machine.
 */
export function expandHome(path: string, homeDir: string, cwd: string): string {
  if (path === "~") return normalize(homeDir);
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homeDir, path.slice(2));
  return isAbsolute(path) ? normalize(path) : resolve(cwd, path);
}

/** A path for a message: under the home folder it starts with `~`, so no user name or machine layout shows. */
export function displayPath(path: string, homeDir: string): string {
  const home = normalize(homeDir);
  if (path === home) return "~";
  return path.startsWith(home + sep) ? `~${sep}${path.slice(home.length + 1)}` : path;
}
