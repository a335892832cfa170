import { readFile } from "node:fs/promises";
import { homedir } from "node:os";

import { displayPath, expandHome, safeText } from "../http";
import type { Environment, OciProviderSettings, OciSettingsOrigin } from "./providerSettings";

/**
 * What the credentials are resolved from, all read when the resolution runs: nothing here needs to be kept
 * between a deployment and a later destroy. The step that deactivates apps calls the resolver at delete time
 * with the settings read then and the process's environment, so a destroy from another checkout, another
 * machine or after a key rotation signs with what is configured there and then.
 */
export interface CredentialSources {
  /** The stack's `oci:` keys, or an explicit provider resource's arguments. */
  readonly settings: OciProviderSettings;
  /** Where `settings` come from, for messages. Default: the stack's config. */
  readonly origin?: OciSettingsOrigin;
  /**
   * An OCI config file to read instead of the provider's default (`~/.oci/config`, or `$OCI_CONFIG_FILE` when
   * that file does not exist and no profile is named). The provider has no such setting; it is for programs
   * whose config file lives elsewhere. A leading `~/` is the home folder.
   */
  readonly configFile?: string;
  /** Default `process.env`. oci-common itself reads `process.env` for principals and `OCI_REGION`. */
  readonly env?: Environment;
  /** Reads a file as UTF-8; rejects when it cannot (ENOENT for a missing file). Default: node:fs. */
  readonly readFile?: (path: string) => Promise<string>;
  /** Default `os.homedir()`, which oci-common also uses for `~`. */
  readonly homeDir?: string;
  /** Relative paths are taken from here. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Epoch milliseconds, for the expiry of a security token. Default `Date.now()`. */
  readonly now?: () => number;
}

export type FileRead =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** The resolved sources, and a cached file reader whose failures are short reasons, never file content. */
export interface Lookup {
  readonly settings: OciProviderSettings;
  readonly origin: OciSettingsOrigin;
  readonly env: Environment;
  readonly homeDir: string;
  readonly cwd: string;
  readonly configFileOverride?: string;
  now(): number;
  /** `~/x` and relative paths made absolute. */
  path(raw: string): string;
  /** An absolute path as a message shows it (`~/…`, no control characters). */
  show(path: string): string;
  read(path: string): Promise<FileRead>;
}

function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a folder";
  if (code === "EACCES" || code === "EPERM") return "not readable (permission denied)";
  return "not readable";
}

export function lookupOf(sources: CredentialSources): Lookup {
  const homeDir = sources.homeDir ?? homedir();
  const cwd = sources.cwd ?? process.cwd();
  const reader = sources.readFile ?? ((path: string) => readFile(path, "utf8"));
  const cache = new Map<string, Promise<FileRead>>();
  const path = (raw: string) => expandHome(raw, homeDir, cwd);
  return {
    settings: sources.settings,
    origin: sources.origin ?? { kind: "stack" },
    env: sources.env ?? process.env,
    homeDir,
    cwd,
    ...(sources.configFile === undefined ? {} : { configFileOverride: path(sources.configFile) }),
    now: sources.now ?? (() => Date.now()),
    path,
    show: (absolute) => safeText(displayPath(absolute, homeDir)),
    read(absolute) {
      let pending = cache.get(absolute);
      if (!pending) {
        pending = reader(absolute).then(
          (text): FileRead => ({ ok: true, text }),
          (error: unknown): FileRead => ({ ok: false, reason: readFailure(error) }),
        );
        cache.set(absolute, pending);
      }
      return pending;
    },
  };
}
