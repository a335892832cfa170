/**
 * URL rules shared by the stack config and the instance facts. The OCI Go SDK behind the provider rejects an
 * identity-domain endpoint that has a path, a query or user info (`https://host/` has the path `/`), see
 * oci-go-sdk `common/client.go` prepareRequest; the access check appends its own paths to the design-time URL.
 * So every base URL here is an origin: scheme, host and optional port, nothing else.
 */

import { isLoopbackHost } from "../http/urls";

export interface OriginRules {
  /** Accept `http://` for a loopback host (the local emulator). Default false. */
  readonly allowPlainHttpOnLoopback?: boolean;
  /** The setting that turns plain http on, named in the fix when it is off. */
  readonly plainHttpSwitch?: string;
}

export type OriginCheck =
  | { readonly ok: true; readonly origin: string; readonly hostname: string }
  | { readonly ok: false; readonly problem: string; readonly fix?: string };

const SCHEME_AND_REST = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;

/**
 * What an Oracle Integration 3 instance's design-time URL (the OCI API's `instanceDesignTimeUrl`) looks like: the
 * regional design host, where the Developer API is called with `integrationInstance=<name>`. The one example every
 * message that asks for it gives.
 */
export const ORACLE_DESIGN_TIME_URL_SHAPE = "https://design.integration.<region>.ocp.oraclecloud.com";

/** The project's one rule for which hosts count as loopback (plain `http://` may reach only those). */
export { isLoopbackHost };

/** Hides `user:password@` so that a URL can be shown in an error without leaking credentials. */
export function redactUserInfo(raw: string): string {
  return raw.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, "$1***@");
}

/**
 * Checks that `raw` is an origin (`https://host[:port]`) and returns its normal form: lower-case host, default
 * port dropped, no trailing slash. The normal form is a fixed point: checking it again returns it unchanged.
 */
export function checkOrigin(raw: string, rules: OriginRules = {}): OriginCheck {
  if (raw.trim() !== raw) return { ok: false, problem: "has leading or trailing spaces", fix: "remove them" };
  const parts = SCHEME_AND_REST.exec(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "is not an absolute URL" };
  }
  const scheme = url.protocol;
  if (scheme !== "https:" && scheme !== "http:") {
    return { ok: false, problem: `uses the scheme "${scheme}//"`, fix: "use https://" };
  }
  if (parts === null || parts[2] === "" || url.hostname === "") {
    return { ok: false, problem: "is not an absolute URL" };
  }
  if (url.username !== "" || url.password !== "") {
    return {
      ok: false,
      problem: "contains user information (user@ or user:password@)",
      fix: "remove it; credentials never go in a URL",
    };
  }
  const origin = `${scheme}//${url.host}`;
  const rest = parts[3] ?? "";
  if (rest === "/") return { ok: false, problem: "ends with a slash", fix: `remove it: "${origin}"` };
  if (rest.startsWith("/")) {
    const path = rest.replace(/[?#].*$/s, "");
    return {
      ok: false,
      problem: `has the path "${path}", but only scheme, host and port are allowed`,
      fix: `use "${origin}"`,
    };
  }
  if (rest !== "") {
    return { ok: false, problem: "has a query or a fragment", fix: `use "${origin}"` };
  }
  if (scheme === "http:") {
    if (!isLoopbackHost(url.hostname)) {
      return {
        ok: false,
        problem: "uses plain http://, which is only allowed for a loopback host (the local emulator)",
        fix: "use https://",
      };
    }
    if (rules.allowPlainHttpOnLoopback !== true) {
      const how = rules.plainHttpSwitch === undefined ? "" : `, or set ${rules.plainHttpSwitch} to true`;
      return {
        ok: false,
        problem: "uses plain http://",
        fix: `use https://${how} (only for a loopback host such as the local emulator)`,
      };
    }
  }
  return { ok: true, origin, hostname: url.hostname };
}

/**
 * The origin of a URL that an API reported (not typed by a user): a trailing slash or a path such as `/ic/home`
 * is dropped, the scheme must still be https (or http on loopback when allowed).
 */
export function originOfReportedUrl(raw: string, rules: OriginRules = {}): OriginCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: "is not an absolute URL" };
  }
  return checkOrigin(`${url.protocol}//${url.host}`, rules);
}
