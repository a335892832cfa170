/**
 * Pure validation helpers of the stack config. Each returns the normal form of a good value, or a problem (a
 * phrase about the value, which `{value}` stands for) and, when it helps, a fix. The schema wires them to keys.
 */
import * as path from "node:path";
import {
  IDCS_RESOURCE_ID,
  MINIMUM_DEVELOPER_API_ROLE,
  SERVICE_INSTANCE_NAME,
  checkOrigin,
  isLoopbackHost,
  probeCanPassWith,
  rolesRequiredBy,
  serviceInstanceNameFromRuntimeUrl,
  type Probe,
} from "../oic";
import { configKey } from "./keys";

export type Check<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** What is wrong; `{value}` stands for the bad value (shown unless the key is secret). */
      readonly problem: string;
      /** How to fix it; undefined when the key's general advice says it best. */
      readonly fix?: string;
    };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });

/** The setting that allows plain http on loopback, named in fixes. */
export const PLAIN_HTTP_SWITCH = configKey(["identityDomain", "allowPlainHttpOnLoopback"]);

// Identity domain URLs are `idcs-<32 hex>.identity.<realm domain>` (OCI Identity Domains API, base URL).
const IDENTITY_DOMAIN_HOST = /^idcs-[0-9a-f]{32}\.identity\.[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/** The origin the OCI provider and the token endpoint need; http only for a loopback host and only when allowed. */
export function checkIdentityDomainEndpoint(raw: string, allowPlainHttpOnLoopback: boolean): Check<string> {
  const check = checkOrigin(raw, { allowPlainHttpOnLoopback, plainHttpSwitch: PLAIN_HTTP_SWITCH });
  if (!check.ok) {
    return {
      ok: false,
      problem: `{value} ${check.problem}`,
      ...(check.fix === undefined ? {} : { fix: check.fix }),
    };
  }
  if (isLoopbackHost(check.hostname)) return ok(check.origin);
  if (!IDENTITY_DOMAIN_HOST.test(check.hostname)) {
    return { ok: false, problem: "{value} is not an identity domain URL" };
  }
  const port = new URL(check.origin).port;
  if (port !== "") {
    return {
      ok: false,
      problem: `{value} names the port ${port}, but identity domains answer on 443`,
      fix: `use "${check.origin.replace(`:${port}`, "")}"`,
    };
  }
  return ok(check.origin);
}

// `ocid1.<resource type>.<realm>.[region][.future use].<unique id>` (OCI "Resource Identifiers").
const INTEGRATION_INSTANCE_OCID =
  /^ocid1\.integrationinstance\.oc[0-9]+\.[a-z0-9-]*(?:\.[a-z0-9-]+)?\.[a-z0-9]+$/;

export function checkIntegrationInstanceOcid(raw: string): Check<string> {
  if (INTEGRATION_INSTANCE_OCID.test(raw)) return ok(raw);
  const [prefix, type] = raw.split(".");
  if (prefix === "ocid1" && type !== undefined && type !== "" && type !== "integrationinstance") {
    return { ok: false, problem: `{value} is the OCID of a ${type}, not of an integration instance` };
  }
  return { ok: false, problem: "{value} is not the OCID of an integration instance" };
}

export function checkServiceInstanceName(raw: string): Check<string> {
  return SERVICE_INSTANCE_NAME.test(raw)
    ? ok(raw)
    : { ok: false, problem: "{value} is not a service-instance name" };
}

export function checkIdcsAppId(raw: string): Check<string> {
  return IDCS_RESOURCE_ID.test(raw) ? ok(raw) : { ok: false, problem: "{value} is not 32 hex characters" };
}

/**
 * The audience is kept exactly as written, because the identity domain forms each fully qualified scope by
 * appending the scope value to it (`…:443` + `/ic/api/`); it must still be a bare https origin.
 */
export function checkAudience(raw: string): Check<string> {
  const check = checkOrigin(raw);
  if (!check.ok) {
    return {
      ok: false,
      problem: `{value} ${check.problem}`,
      ...(check.fix === undefined ? {} : { fix: check.fix }),
    };
  }
  return ok(raw);
}

/** A design-time or runtime URL: an origin, https (or http on loopback when allowed). */
export function checkOicUrl(raw: string, allowPlainHttpOnLoopback: boolean): Check<string> {
  const check = checkOrigin(raw, { allowPlainHttpOnLoopback, plainHttpSwitch: PLAIN_HTTP_SWITCH });
  if (!check.ok) {
    return {
      ok: false,
      problem: `{value} ${check.problem}`,
      ...(check.fix === undefined ? {} : { fix: check.fix }),
    };
  }
  return ok(check.origin);
}

/** Client names become Pulumi resource names (`<name>-app`, `<name>-grant-<role>`) and part of the display name. */
export const CLIENT_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function checkClientName(raw: string): Check<string> {
  return CLIENT_NAME.test(raw) ? ok(raw) : { ok: false, problem: "{value} is not a valid client name" };
}

const DISPLAY_TEXT = /^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/;

export function checkDisplayNamePrefix(raw: string): Check<string> {
  if (raw === "") return ok(raw);
  if (raw.length > 40 || !/^[A-Za-z0-9 ._-]+$/.test(raw)) {
    return { ok: false, problem: "{value} is not a valid display-name prefix" };
  }
  return ok(raw);
}

export function checkDisplayName(raw: string): Check<string> {
  if (raw.length > 100 || !DISPLAY_TEXT.test(raw) || raw.trimEnd() !== raw) {
    return { ok: false, problem: "{value} is not a valid display name" };
  }
  return ok(raw);
}

export function checkDescription(raw: string): Check<string> {
  // eslint-disable-next-line no-control-regex -- control characters (line breaks included) are what is refused
  if (raw.trim() === "" || raw.length > 400 || /[\u0000-\u001f\u007f]/.test(raw)) {
    return { ok: false, problem: "{value} is not a valid description" };
  }
  return ok(raw);
}

export interface FileContext {
  /** Directory that relative paths start from: the Pulumi project directory. */
  readonly cwd: string;
  readonly fileExists: (absolutePath: string) => boolean;
}

/** The CA file must exist when the stack is read, not when the access check first needs it. */
export function checkCaFile(raw: string, files: FileContext): Check<string> {
  return checkReadableFile(
    raw,
    files,
    "give the path of a PEM file, absolute or relative to the project directory",
  );
}

/** A path relative to the project directory (or absolute) of a file that exists; returned absolute. */
export function checkReadableFile(
  raw: string,
  files: FileContext,
  fix = "give the path of a file, absolute or relative to the project directory",
): Check<string> {
  if (raw.trim() === "") return { ok: false, problem: "is empty" };
  const absolute = path.resolve(files.cwd, raw);
  if (!files.fileExists(absolute)) {
    return { ok: false, problem: `{value} does not exist (looked for ${absolute})`, fix };
  }
  return ok(absolute);
}

/** Positions of the entries that repeat an earlier one, with the position of that earlier one. */
export function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
): Array<{ readonly index: number; readonly firstIndex: number }> {
  const seen = new Map<string, number>();
  const found: Array<{ index: number; firstIndex: number }> = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const firstIndex = seen.get(key);
    if (firstIndex === undefined) seen.set(key, index);
    else found.push({ index, firstIndex });
  });
  return found;
}

/** Why `probe` cannot pass with `roles`, as a problem about the roles key, or undefined when it can. */
export function checkProbeRoles(probe: Probe, roles: readonly string[], probeKey: string): Check<true> {
  if (probeCanPassWith(probe, roles)) return ok(true);
  return {
    ok: false,
    problem:
      `{value} cannot pass the "${probe}" probe: GET /ic/api/integration/v1/connections needs one of ` +
      rolesRequiredBy(probe).join(", "),
    fix:
      `add "${MINIMUM_DEVELOPER_API_ROLE}" (the documented minimum for the Developer APIs), ` +
      `or set ${probeKey} to "token"`,
  };
}

/** True when the runtime URL lets the service-instance name be derived. */
export function runtimeUrlNamesInstance(runtimeUrl: string): boolean {
  return serviceInstanceNameFromRuntimeUrl(runtimeUrl) !== undefined;
}
