import { z } from "zod";

import { checkRequestUrl, isHttpError, redactUrl } from "../http";
import {
  ALL_PROBES,
  checkOrigin,
  DEFAULT_PROBE,
  isServiceInstanceName,
  OicScope,
  Probe,
  probeCanPassWith,
  SERVICE_INSTANCE_NAME_CHARACTERS,
  SERVICE_INSTANCE_NAME_EXAMPLE,
  splitFullyQualifiedScope,
  ORACLE_DESIGN_TIME_URL_SHAPE,
} from "../oic";
import { TOKEN_PATH } from "./tokenEndpoint";

/** What one client's access check needs. Parsed by `parseVerifyInput` before any request. */
export interface VerifyInput {
  /** `https://<domain>/oauth2/v1/token`, or just the domain URL (the path is then added). */
  readonly tokenUrl: string;
  /** The app's `name` (not its `id` or OCID). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The fully qualified scope to ask for: the OIC app's audience followed by `/ic/api/` or `urn:opc:resource:consumer::all`. */
  readonly scope: string;
  /** Origin of the OIC design-time host, e.g. `https://design.integration.us-ashburn-1.ocp.oraclecloud.com`. Needed by the `connections` probe. */
  readonly designTimeUrl?: string;
  /** Service-instance name (`integrationInstance` query value). Needed by the `connections` probe. */
  readonly integrationInstance?: string;
  /** Default `connections`. */
  readonly probe?: Probe;
  /** The OIC roles the app is configured with; only used to explain a `role_missing` and to skip pointless retries. */
  readonly roles?: readonly string[];
}

/** A validated input with the derived parts the checks use. */
export interface ParsedVerifyInput {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  /** The scope's audience: the fqs without its value. */
  readonly audience: string;
  /** The scope's value: `/ic/api/` or `urn:opc:resource:consumer::all`. */
  readonly scopeValue: string;
  readonly designTimeUrl: string | undefined;
  readonly integrationInstance: string | undefined;
  readonly probe: Probe;
  readonly roles: readonly string[];
}

/** Thrown for unusable input, before any request; the message names the key, the problem and the fix. */
export class VerifierInputError extends Error {
  override readonly name = "VerifierInputError";
}

const SCOPE_VALUES: readonly string[] = Object.values(OicScope);

function httpUrl(key: string, example: string) {
  return z.string().superRefine((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: `${key} must be an absolute URL such as ${example}` });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: `${key} must be an https:// URL such as ${example}` });
    }
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({
        code: "custom",
        message: `${key} must not carry credentials, a query or a fragment; give it as ${example}`,
      });
    }
  });
}

/**
 * The design-time host as the stack config and the component take it, an origin (`checkOrigin`): the probe
 * appends its path to it, so a page's URL copied from a browser (`…/ic/home`) would call a path that does not
 * exist. Trailing slashes are forgiven. Whether plain http may be used is the HTTP layer's rule, which
 * `checkTransport` applies, so the shape is checked as if the scheme were https.
 */
const designTimeOrigin = z.string().superRefine((raw, ctx) => {
  const check = checkOrigin(raw.replace(/\/+$/, "").replace(/^http:/i, "https:"));
  if (check.ok) return;
  ctx.addIssue({
    code: "custom",
    message: `designTimeUrl ${check.problem}; ${check.fix ?? `give the design-time host, e.g. ${ORACLE_DESIGN_TIME_URL_SHAPE}`}`,
  });
});

const schema = z.object({
  tokenUrl: httpUrl("tokenUrl", `https://idcs-0123456789abcdef.identity.oraclecloud.com${TOKEN_PATH}`),
  clientId: z
    .string({ message: "clientId is required: the app's name (the client ID), not its id or OCID" })
    .trim()
    .min(1, "clientId must not be empty: pass the app's name (the client ID)"),
  // No value ever goes into this field's messages.
  clientSecret: z
    .string({ message: "the client secret is required" })
    .min(1, "the client secret must not be empty"),
  scope: z
    .string({ message: "scope is required: the OIC app's fully qualified scope" })
    .refine((value) => splitFullyQualifiedScope(value) !== undefined, {
      message: `scope must be a fully qualified OIC scope: the OIC app's audience followed by ${SCOPE_VALUES.map((v) => `"${v}"`).join(" or ")}, e.g. https://<GUID>.integration.<region>.ocp.oraclecloud.com:443/ic/api/`,
    }),
  designTimeUrl: designTimeOrigin.optional(),
  integrationInstance: z
    .string()
    .refine(isServiceInstanceName, {
      message: `integrationInstance must be the service-instance name, the first DNS label of the runtime URL (${SERVICE_INSTANCE_NAME_CHARACTERS}, e.g. ${SERVICE_INSTANCE_NAME_EXAMPLE}), not the display name or a URL`,
    })
    .optional(),
  probe: z
    .enum(ALL_PROBES as [Probe, ...Probe[]], { message: `probe must be one of ${ALL_PROBES.join(", ")}` })
    .default(DEFAULT_PROBE),
  roles: z.array(z.string(), { message: "roles must be a list of OIC role names" }).default([]),
});

function normaliseTokenUrl(raw: string): string {
  const url = new URL(raw);
  if (url.pathname === "/" || url.pathname === "") url.pathname = TOKEN_PATH;
  return url.href;
}

/** Validates one client's input; throws a VerifierInputError listing every problem. */
export function parseVerifyInput(input: VerifyInput): ParsedVerifyInput {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => issue.message);
    throw new VerifierInputError(`invalid access-check input: ${problems.join("; ")}`);
  }
  const data = result.data;
  if (data.probe === Probe.connections) {
    const missing = [
      data.designTimeUrl === undefined ? "designTimeUrl (the OIC design-time URL)" : undefined,
      data.integrationInstance === undefined ? "integrationInstance (the service-instance name)" : undefined,
    ].filter((item): item is string => item !== undefined);
    if (missing.length > 0) {
      throw new VerifierInputError(
        `invalid access-check input: the connections probe needs ${missing.join(" and ")}; or choose probe "token"`,
      );
    }
  }
  const split = splitFullyQualifiedScope(data.scope);
  if (split === undefined)
    throw new VerifierInputError("invalid access-check input: scope is not a fully qualified OIC scope");
  return {
    tokenUrl: normaliseTokenUrl(data.tokenUrl),
    clientId: data.clientId,
    clientSecret: data.clientSecret,
    scope: data.scope,
    audience: split.audience,
    scopeValue: split.value,
    designTimeUrl: data.designTimeUrl?.replace(/\/+$/, ""),
    integrationInstance: data.integrationInstance,
    probe: data.probe,
    roles: data.roles,
  };
}

/**
 * Refuses, before any request, a URL the HTTP layer would refuse to call (plain http:// other than to loopback
 * with the caller's consent): that is a mistake in the input, not a network failure, and waiting cannot heal it.
 * The rule itself is the HTTP layer's (`checkRequestUrl`).
 */
export function checkTransport(input: ParsedVerifyInput, allowPlainHttpOnLoopback: boolean): void {
  const urls: Array<[string, string | undefined]> = [
    ["tokenUrl", input.tokenUrl],
    ["designTimeUrl", input.probe === Probe.connections ? input.designTimeUrl : undefined],
  ];
  for (const [key, url] of urls) {
    if (url === undefined) continue;
    try {
      checkRequestUrl(url, "GET", allowPlainHttpOnLoopback);
    } catch (error) {
      if (!isHttpError(error)) throw error;
      throw new VerifierInputError(
        `invalid access-check input: ${key} ${redactUrl(url)} is plain http://, allowed only to a loopback host and only with allowPlainHttpOnLoopback (--allow-plain-http-on-loopback); use https://`,
      );
    }
  }
}

/**
 * Whether the roles the app is configured with could pass the probe; true when they are not known. When they
 * cannot, a refusal from OIC is a missing role for certain, and waiting for a grant to propagate is pointless.
 */
export function configuredRolesCanPass(input: ParsedVerifyInput): boolean {
  return input.roles.length === 0 || probeCanPassWith(input.probe, input.roles);
}
