/**
 * Pure validation helpers of the stack config. Each returns the normal form of a good value, or a problem (a
 * phrase about the value, which `{value}` stands for) and, when it helps, a fix. The schema wires them to keys.
 */
import { homedir } from "node:os";

import {
  IDCS_RESOURCE_ID,
  checkOrigin,
  isDisplayName,
  isDisplayNamePrefix,
  isLoopbackHost,
  isServiceInstanceName,
  probeRoleMismatch,
  serviceInstanceNameFromRuntimeUrl,
  type OriginRules,
  type Probe,
} from "../components/oic";
import { expandHome } from "../components/http/paths";
import { configKey } from "./configKey";
import { codePointName, echo, echoPath } from "./echo";

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

/**
 * The second-level domain of each OCI realm, as the OCI SDKs register them (oracle/oci-typescript-sdk
 * `lib/common/lib/realm.ts`; a test keeps this list equal to the `oci-common` in use). An identity domain's URL is
 * `https://idcs-<32 hex>.identity.<realm domain>` ("Finding an Identity Domain URL",
 * https://docs.oracle.com/iaas/Content/Identity/api-getstarted/locate-identity-domain-url.htm).
 */
export const OCI_REALM_DOMAINS: readonly string[] = [
  "oraclecloud.com",
  "oraclegovcloud.com",
  "oraclegovcloud.uk",
  "oraclecloud8.com",
  "oraclecloud9.com",
  "oraclecloud10.com",
  "oraclecloud14.com",
  "oraclecloud15.com",
  "oraclecloud20.com",
  "oraclecloud21.com",
  "oraclecloud23.com",
  "oraclecloud24.com",
  "oraclecloud26.com",
  "oraclecloud29.com",
  "oraclecloud35.com",
  "oraclecloud42.com",
  "oraclecloud51.com",
  "oraclecloud52.com",
  "oraclecloud.eu",
];

const IDCS_HOST_LABEL = /^idcs-[0-9a-f]{32}$/;

/**
 * True when `hostname` (as WHATWG URL gives it: lower case, a trailing dot kept) is exactly
 * `idcs-<32 hex>.identity.<a realm's domain>`: compared label by label, so that a host that merely starts like
 * one (`idcs-….identity.oraclecloud.com.evil.example`) is not one.
 */
export function isIdentityDomainHost(hostname: string): boolean {
  const [label, identity, ...rest] = hostname.split(".");
  return (
    label !== undefined &&
    IDCS_HOST_LABEL.test(label) &&
    identity === "identity" &&
    OCI_REALM_DOMAINS.includes(rest.join("."))
  );
}

/**
 * The longest origin: `https://`, a host name of 253 characters (the DNS limit, RFC 1035 §2.3.4 and RFC 2181 §11)
 * and `:65535`. A longer value cannot be an origin, and is refused before its parts are quoted in a message.
 */
const MAX_ORIGIN_LENGTH = "https://".length + 253 + ":65535".length;

/** Controls (tab, line breaks), format characters (zero-width, bidi), separators, lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** `use "<origin>"` when `raw` parses as a URL with a short enough origin, else undefined. */
function useOriginOf(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    const origin = `${url.protocol}//${url.host}`;
    return (url.protocol === "https:" || url.protocol === "http:") && origin.length <= MAX_ORIGIN_LENGTH
      ? `use "${echo(origin)}"`
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the WHATWG URL parser would silently change: it reads `\` as `/` in http(s) URLs, drops tabs and line
 * breaks anywhere, and the OCI SDK and the access check then call a URL other than the one written
 * (https://url.spec.whatwg.org/#special-scheme, "invalid-reverse-solidus"). So the text must already be the URL.
 */
function checkUrlText(raw: string, suggestOrigin: boolean): Check<string> {
  const originFix = () => (suggestOrigin ? useOriginOf(raw) : undefined);
  if (raw.length > MAX_ORIGIN_LENGTH) {
    const fix = originFix();
    return {
      ok: false,
      problem: `{value} is ${raw.length} characters long, more than the ${MAX_ORIGIN_LENGTH} of the longest origin`,
      ...(fix === undefined ? {} : { fix }),
    };
  }
  const invisible = INVISIBLE.exec(raw)?.[0];
  if (invisible !== undefined && raw.trim() === raw) {
    return {
      ok: false,
      problem: `{value} contains ${codePointName(invisible)}, an invisible or control character`,
      fix: "remove it",
    };
  }
  if (raw.includes("\\")) {
    const fix = originFix() ?? "remove it";
    return {
      ok: false,
      problem: '{value} contains a backslash, which URL parsers read as "/"',
      ...(fix === undefined ? {} : { fix }),
    };
  }
  return ok(raw);
}

/**
 * `checkOrigin` on text that is already exactly a URL, its problem phrased about `{value}`. `suggestOrigin`: a fix
 * may offer the URL's normal origin (not for the audience, whose `:443` must stay).
 */
function checkUrl(
  raw: string,
  rules: OriginRules,
  suggestOrigin = true,
): Check<{ origin: string; hostname: string }> {
  const text = checkUrlText(raw, suggestOrigin);
  if (!text.ok) return text;
  const check = checkOrigin(raw, rules);
  if (!check.ok) {
    return {
      ok: false,
      problem: `{value} ${check.problem}`,
      ...(check.fix === undefined ? {} : { fix: check.fix }),
    };
  }
  return ok({ origin: check.origin, hostname: check.hostname });
}

/** The origin the OCI provider and the token endpoint need; http only for a loopback host and only when allowed. */
export function checkIdentityDomainEndpoint(raw: string, allowPlainHttpOnLoopback: boolean): Check<string> {
  const check = checkUrl(raw, { allowPlainHttpOnLoopback, plainHttpSwitch: PLAIN_HTTP_SWITCH });
  if (!check.ok) return check;
  const { origin, hostname } = check.value;
  if (isLoopbackHost(hostname)) return ok(origin);
  if (!isIdentityDomainHost(hostname)) {
    return { ok: false, problem: "{value} is not an identity domain URL" };
  }
  const port = new URL(origin).port;
  if (port !== "") {
    return {
      ok: false,
      problem: `{value} names the port ${port}, but identity domains answer on 443`,
      fix: `use "${origin.replace(`:${port}`, "")}"`,
    };
  }
  return ok(origin);
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
  return isServiceInstanceName(raw)
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
  const check = checkUrl(raw, {}, false);
  return check.ok ? ok(raw) : check;
}

/** A design-time or runtime URL: an origin, https (or http on loopback when allowed). */
export function checkOicUrl(raw: string, allowPlainHttpOnLoopback: boolean): Check<string> {
  const check = checkUrl(raw, { allowPlainHttpOnLoopback, plainHttpSwitch: PLAIN_HTTP_SWITCH });
  return check.ok ? ok(check.value.origin) : check;
}

export const CLIENT_NAME_MAX_LENGTH = 40;

/** Client names become Pulumi resource names (`<name>-app`, `<name>-grant-<role>`) and part of the display name. */
export const CLIENT_NAME = new RegExp(`^[a-z](?:[a-z0-9-]{0,${CLIENT_NAME_MAX_LENGTH - 2}}[a-z0-9])?$`);

export function checkClientName(raw: string): Check<string> {
  return CLIENT_NAME.test(raw) ? ok(raw) : { ok: false, problem: "{value} is not a valid client name" };
}

export function checkDisplayNamePrefix(raw: string): Check<string> {
  return isDisplayNamePrefix(raw)
    ? ok(raw)
    : { ok: false, problem: "{value} is not a valid display-name prefix" };
}

export function checkDisplayName(raw: string): Check<string> {
  return isDisplayName(raw) ? ok(raw) : { ok: false, problem: "{value} is not a valid display name" };
}

/** At most 400 characters, as documented in docs/configuration.md. */
export const DESCRIPTION_LIMIT = 400;

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make text display in an
 * order other than the one it is stored in (Unicode UAX #9; CVE-2021-42574, https://trojansource.codes/). The
 * implicit marks (U+200E, U+200F, U+061C) only steer neutral characters and are left to right-to-left text.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
/** Characters that show nothing: white space and default-ignorable ones (zero-width, soft hyphen, word joiner…). */
const SHOWS_NOTHING = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * One line of visible text. Zero-width joiners inside text are kept (emoji sequences, Persian and Indic scripts
 * need them); text made only of them, control characters and bidi controls are refused.
 */
export function checkDescription(raw: string): Check<string> {
  const character = (pattern: RegExp) => pattern.exec(raw)?.[0];
  const lone = character(/\p{Cs}/u);
  if (lone !== undefined) {
    return {
      ok: false,
      problem: "{value} is not well-formed Unicode (it has a lone surrogate)",
      fix: "remove it",
    };
  }
  const control = character(/\p{Cc}/u);
  if (control !== undefined) {
    return {
      ok: false,
      problem: `{value} contains ${codePointName(control)}, a control character`,
      fix: "remove it",
    };
  }
  const separator = character(/[\p{Zl}\p{Zp}]/u);
  if (separator !== undefined) {
    return {
      ok: false,
      problem: `{value} contains ${codePointName(separator)}, a line or paragraph separator`,
      fix: "remove it",
    };
  }
  const bidi = character(BIDI_CONTROL);
  if (bidi !== undefined) {
    return {
      ok: false,
      problem: `{value} contains ${codePointName(bidi)}, a bidirectional control that displays text in another order than it is stored`,
      fix: "remove it",
    };
  }
  if (raw.replace(SHOWS_NOTHING, "") === "")
    return { ok: false, problem: "{value} has no visible character" };
  const length = Array.from(raw).length;
  if (length > DESCRIPTION_LIMIT) {
    return { ok: false, problem: `{value} is ${length} characters long, more than ${DESCRIPTION_LIMIT}` };
  }
  return ok(raw);
}

export interface FileContext {
  /** Directory that relative paths start from: the Pulumi project directory. */
  readonly cwd: string;
  readonly fileExists: (absolutePath: string) => boolean;
  /** What a leading `~/` stands for, as the OCI provider expands it. Default `os.homedir()`. */
  readonly homeDir?: string;
}

export const CA_FILE_FIX =
  "give the path of a PEM file, absolute, relative to the project directory or under ~/";

/**
 * The CA file must exist when the stack is read, not when the access check first needs it. It is kept as written
 * (relative to the project directory, under `~/`, or absolute): the access check and the deactivation step read it
 * when they run, the latter at a destroy, perhaps on another machine or in another checkout.
 */
export function checkCaFile(raw: string, files: FileContext): Check<string> {
  const found = checkReadableFile(raw, files, CA_FILE_FIX);
  return found.ok ? ok(raw) : found;
}

/**
 * A path relative to the project directory, under the home folder (`~/`) or absolute, of a file that exists;
 * returned absolute.
 */
export function checkReadableFile(
  raw: string,
  files: FileContext,
  fix = "give the path of a file, absolute, relative to the project directory or under ~/",
): Check<string> {
  if (raw.trim() === "") return { ok: false, problem: "is empty" };
  const absolute = expandHome(raw, files.homeDir ?? homedir(), files.cwd);
  if (!files.fileExists(absolute)) {
    return { ok: false, problem: `{value} does not exist (looked for ${echoPath(absolute)})`, fix };
  }
  return ok(absolute);
}

/**
 * As `checkReadableFile`, but the path is returned as written, for a step that reads the file when it runs (at a
 * destroy, perhaps on another machine or in another checkout), so that no path of this machine is kept.
 */
export function checkReadableFileAsWritten(raw: string, files: FileContext): Check<string> {
  const found = checkReadableFile(raw, files);
  return found.ok ? ok(raw) : found;
}

/** Why `probe` cannot pass with `roles`, as a problem about the roles key (the owner's wording, `probeRoles.ts`). */
export function checkProbeRoles(probe: Probe, roles: readonly string[], probeKey: string): Check<true> {
  const mismatch = probeRoleMismatch(probe, roles, {
    subject: "{value}",
    useTokenProbe: `set ${probeKey} to "token"`,
  });
  return mismatch === undefined ? ok(true) : { ok: false, problem: mismatch.problem, fix: mismatch.fix };
}

/** True when the runtime URL lets the service-instance name be derived. */
export function runtimeUrlNamesInstance(runtimeUrl: string): boolean {
  return serviceInstanceNameFromRuntimeUrl(runtimeUrl) !== undefined;
}
