import { decodeJwt } from "jose";
import { z } from "zod";

import {
  type HttpClient,
  type HttpResponse,
  isHttpError,
  MAX_VALUE_CHARS,
  parseRetryAfter,
  quotedList,
  safeText,
  type SecretRedactor,
} from "../http";
import { CONNECTIONS_PATH, CONNECTIONS_REQUEST, sameAudience } from "../oic";
import { type Diagnosis } from "./diagnosis";
import { configuredRolesCanPass, type ParsedVerifyInput } from "./input";

/** Which request an outcome is about. */
export type Phase = "token" | "api";

/**
 * The result of one request, as plain facts. It never holds the token or the secret; `detail` is text
 * this module wrote, from values it validated (codes, URLs it redacted, claim values it checked).
 */
export interface AttemptOutcome {
  readonly diagnosis: Diagnosis;
  readonly phase: Phase;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  /** The HTTP layer's error code for transport failures. */
  readonly transport?: string;
  /** The platform's error code (ECONNREFUSED, CERT_HAS_EXPIRED…). */
  readonly causeCode?: string;
  readonly timeoutMs?: number;
  /** Redacted Location of a redirect. */
  readonly location?: string;
  /** Specifics for the message (what was wrong with the answer). */
  readonly detail?: string;
  /** OIC's error code (`NotAuthenticated`, `NotAuthorized`…) when its answer had one of a safe shape. */
  readonly oicCode?: string;
}

export interface TokenFacts {
  /** Held only in memory for the API call; never returned, logged or thrown. */
  readonly accessToken: string;
  readonly expiresAtMs: number;
  readonly audiences: readonly string[];
  readonly scopes: readonly string[];
}

export type TokenResult =
  | { readonly ok: true; readonly token: TokenFacts; readonly httpStatus: number }
  | { readonly ok: false; readonly outcome: AttemptOutcome };

export type ApiResult =
  | { readonly ok: true; readonly httpStatus: number; readonly connections: number | null }
  | { readonly ok: false; readonly outcome: AttemptOutcome };

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().nonnegative().optional(),
});

const oauthErrorSchema = z.object({ error: z.string() });

/**
 * OIC's error body: `{"code": "NotAuthenticated", "message": "..."}`, as in the only public sample
 * (http://niallcblogs.blogspot.com/2024/05/1016-oic3-factory-api-design-and.html); other OIC error bodies are
 * unconfirmed.
 */
const oicErrorSchema = z.object({ code: z.string() });

function oicErrorCode(response: HttpResponse): string | undefined {
  const parsed = oicErrorSchema.safeParse(parseJson(response.body));
  return parsed.success ? parsed.data.code : undefined;
}

const connectionsSchema = z.object({
  items: z.array(z.unknown()),
  totalResults: z.number().int().nonnegative().optional(),
  hasMore: z.boolean().optional(),
});

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined for Basic auth. */
export function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, "utf8").toString("base64")}`;
}

/**
 * The encoded forms in which the Basic credential can come back from a server: base64 and base64url of
 * `id:secret`, form-encoded (as sent) or not (as many clients send it). Only the encoded forms: the plain
 * `id:secret` would make the client id itself look like a fragment of a secret.
 */
export function basicCredentialForms(clientId: string, clientSecret: string): string[] {
  return [`${formEncode(clientId)}:${formEncode(clientSecret)}`, `${clientId}:${clientSecret}`].flatMap(
    (pair) => {
      const bytes = Buffer.from(pair, "utf8");
      return [bytes.toString("base64"), bytes.toString("base64url")];
    },
  );
}

/** The media type alone (no parameters), and only when it looks like one: the header is the server's text. */
function mediaType(response: HttpResponse): string {
  const type = (response.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) ? type : "none";
}

function isJson(response: HttpResponse): boolean {
  return /\bjson\b/i.test(response.headers["content-type"] ?? "");
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A short, safe token for messages: OAuth error codes are lower-case words. */
function safeCode(value: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : "(unprintable)";
}

function transportOutcome(phase: Phase, error: unknown): AttemptOutcome {
  if (!isHttpError(error)) throw error;
  const diagnosis: Diagnosis =
    error.code === "timeout"
      ? "timeout"
      : error.code === "tls"
        ? "tls"
        : error.code === "too_large"
          ? "bad_response"
          : "network";
  return {
    diagnosis,
    phase,
    transport: error.code,
    causeCode: error.causeCode,
    timeoutMs: error.timeoutMs,
    detail: error.code === "too_large" ? "a response body over the size limit" : undefined,
  };
}

/** 3xx, 429 and 5xx mean the same on both hosts. */
function commonStatusOutcome(
  phase: Phase,
  response: HttpResponse,
  nowMs: number,
  redactor: SecretRedactor,
): AttemptOutcome | undefined {
  const { status } = response;
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    return {
      diagnosis: "redirected",
      phase,
      httpStatus: status,
      location: location === undefined ? undefined : safeLocation(location, response.url, redactor),
    };
  }
  if (status === 429) {
    return {
      diagnosis: "rate_limited",
      phase,
      httpStatus: status,
      retryAfterMs: parseRetryAfter(response.headers["retry-after"], nowMs),
    };
  }
  if (status >= 500) {
    return {
      diagnosis: "server_error",
      phase,
      httpStatus: status,
      retryAfterMs: parseRetryAfter(response.headers["retry-after"], nowMs),
    };
  }
  return undefined;
}

/** Origin and path of a Location header (its query may carry anything), resolved against the request URL. */
function safeLocation(location: string, base: string, redactor: SecretRedactor): string {
  for (const candidate of [() => new URL(location), () => new URL(location, base)]) {
    try {
      const url = candidate();
      // Secrets out before the cut, so that no part of one survives at its edge.
      return safeText(redactor.redact(`${url.origin}${url.pathname}`), MAX_VALUE_CHARS);
    } catch {
      // try the next way of reading it
    }
  }
  return "(an unparsable location)";
}

/** POST <domain>/oauth2/v1/token with client_credentials for exactly the requested scope. */
export async function requestToken(
  http: HttpClient,
  input: ParsedVerifyInput,
  nowMs: () => number,
  redactor: SecretRedactor,
): Promise<TokenResult> {
  let response: HttpResponse;
  try {
    response = await http.request({
      method: "POST",
      url: input.tokenUrl,
      headers: { Authorization: basicAuthorization(input.clientId, input.clientSecret) },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: input.scope }),
      acceptStatus: () => true,
    });
  } catch (error) {
    return { ok: false, outcome: transportOutcome("token", error) };
  }
  const { status } = response;
  const common = commonStatusOutcome("token", response, nowMs(), redactor);
  if (common) return { ok: false, outcome: common };
  if (status !== 200) return { ok: false, outcome: tokenErrorOutcome(response, redactor) };
  const fail = (diagnosis: Diagnosis, detail: string): TokenResult => ({
    ok: false,
    outcome: { diagnosis, phase: "token", httpStatus: status, detail },
  });
  if (!isJson(response))
    return fail("bad_response", `a 200 with content type "${mediaType(response)}" instead of JSON`);
  const parsed = tokenResponseSchema.safeParse(parseJson(response.body));
  if (!parsed.success)
    return fail(
      "bad_response",
      "a 200 whose body is not a token response ({access_token, token_type, expires_in})",
    );
  if (parsed.data.token_type.toLowerCase() !== "bearer")
    return fail("bad_response", `a token of type "${safeCode(parsed.data.token_type)}" instead of Bearer`);
  // Known from here on, whether or not the token passes: no message may carry it. As it is (a JWT is already
  // URL-safe text), so that the cost follows the token's size, which the response limit bounds.
  redactor.addValue(parsed.data.access_token);
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(parsed.data.access_token);
  } catch {
    return fail("bad_response", "an access token that is not a JWT");
  }
  const audiences =
    typeof claims.aud === "string"
      ? [claims.aud]
      : Array.isArray(claims.aud)
        ? claims.aud.filter((a): a is string => typeof a === "string")
        : [];
  const scopeClaim = (claims as { scope?: unknown }).scope;
  const scopes =
    typeof scopeClaim === "string"
      ? scopeClaim.split(/\s+/).filter(Boolean)
      : Array.isArray(scopeClaim)
        ? scopeClaim.filter((s): s is string => typeof s === "string")
        : [];
  if (!audiences.some((aud) => sameAudience(aud, input.audience))) {
    return fail(
      "audience_mismatch",
      `the token's audience ${quotedList(audiences, ", ", redactor.redact)} does not include "${input.audience}", the audience of scope "${input.scope}"`,
    );
  }
  // The claim may carry the bare value (`/ic/api/`) or the fully qualified scope; both mean what was asked.
  if (!scopes.some((s) => s === input.scope || s === input.scopeValue)) {
    return fail(
      "audience_mismatch",
      `the token's scope claim ${quotedList(scopes, " ", redactor.redact)} does not include the requested "${input.scopeValue}"`,
    );
  }
  if (typeof claims.exp !== "number") return fail("bad_response", "an access token without an expiry (exp)");
  const expiresAtMs = claims.exp * 1000;
  if (expiresAtMs <= nowMs()) {
    return fail(
      "bad_response",
      `an access token that expired at ${new Date(expiresAtMs).toISOString()}, before it arrived (is this machine's clock right?)`,
    );
  }
  return {
    ok: true,
    httpStatus: status,
    token: { accessToken: parsed.data.access_token, expiresAtMs, audiences, scopes },
  };
}

function tokenErrorOutcome(response: HttpResponse, redactor: SecretRedactor): AttemptOutcome {
  const { status } = response;
  const parsed = oauthErrorSchema.safeParse(parseJson(response.body));
  const error = parsed.success ? parsed.data.error : undefined;
  if (error === "invalid_client" || error === "unauthorized_client" || error === "invalid_scope") {
    return { diagnosis: error, phase: "token", httpStatus: status };
  }
  // RFC 6749 §5.2: a 401 from the token endpoint is failed client authentication.
  if (error === undefined && status === 401)
    return { diagnosis: "invalid_client", phase: "token", httpStatus: status };
  if (status === 404)
    return {
      diagnosis: "bad_response",
      phase: "token",
      httpStatus: status,
      detail: "404: there is no token endpoint at this URL",
    };
  return {
    diagnosis: "bad_response",
    phase: "token",
    httpStatus: status,
    detail:
      error === undefined
        ? `${status} without an OAuth error body`
        : `${status} with OAuth error "${redactor.redact(safeCode(error))}"`,
  };
}

/** The URL of the connections probe: the design-time host, the instance named, one item is enough to count. */
export function connectionsUrl(designTimeUrl: string, integrationInstance: string): string {
  const query = new URLSearchParams({ integrationInstance, limit: "1" });
  return `${designTimeUrl}${CONNECTIONS_PATH}?${query.toString()}`;
}

/** GET the connections list with the bearer token; redirects are reported, never followed. */
export async function callConnections(
  http: HttpClient,
  input: ParsedVerifyInput,
  token: TokenFacts,
  nowMs: () => number,
  redactor: SecretRedactor,
): Promise<ApiResult> {
  if (input.designTimeUrl === undefined || input.integrationInstance === undefined) {
    throw new Error(
      "the connections probe needs designTimeUrl and integrationInstance (checked by parseVerifyInput)",
    );
  }
  let response: HttpResponse;
  try {
    response = await http.request({
      method: "GET",
      url: connectionsUrl(input.designTimeUrl, input.integrationInstance),
      headers: { Authorization: `Bearer ${token.accessToken}` },
      acceptStatus: () => true,
    });
  } catch (error) {
    return { ok: false, outcome: transportOutcome("api", error) };
  }
  const { status } = response;
  const common = commonStatusOutcome("api", response, nowMs(), redactor);
  if (common) return { ok: false, outcome: common };
  if (status === 401 || status === 403) {
    // Retried while a grant may still propagate (retry.ts); this classifies the answer when it is the last.
    const code = oicErrorCode(response);
    const oicCode = code === undefined ? undefined : safeCode(code);
    if (status === 401 && code === "NotAuthenticated" && configuredRolesCanPass(input)) {
      // OIC refuses the token itself: with a fresh token whose audience matched the scope, the scope belongs to
      // another instance than the one called, unless this is also OIC's answer to a client without the role,
      // which no source rules out. The message names both; the roles configured cannot tell.
      const audiences = token.audiences.length
        ? quotedList(token.audiences, ", ", redactor.redact)
        : "(no audience)";
      return {
        ok: false,
        outcome: {
          diagnosis: "audience_mismatch",
          phase: "api",
          httpStatus: status,
          oicCode,
          detail: `${CONNECTIONS_REQUEST} answered 401 NotAuthenticated: instance ${input.integrationInstance} does not accept a token for ${audiences}; either the scope "${input.scope}" belongs to another instance, or this is how OIC refuses a client without a role that can view connections (OIC does not document which)`,
        },
      };
    }
    return { ok: false, outcome: { diagnosis: "role_missing", phase: "api", httpStatus: status, oicCode } };
  }
  if (status === 404)
    return { ok: false, outcome: { diagnosis: "instance_not_found", phase: "api", httpStatus: status } };
  const fail = (detail: string): ApiResult => ({
    ok: false,
    outcome: { diagnosis: "bad_response", phase: "api", httpStatus: status, detail },
  });
  if (status !== 200) return fail(`an unexpected ${status}`);
  if (!isJson(response)) return fail(`a 200 with content type "${mediaType(response)}" instead of JSON`);
  const parsed = connectionsSchema.safeParse(parseJson(response.body));
  if (!parsed.success)
    return fail("a 200 whose body is not a connections collection ({items, totalResults, hasMore})");
  const { items, totalResults, hasMore } = parsed.data;
  const connections = totalResults ?? (hasMore === false ? items.length : null);
  return { ok: true, httpStatus: status, connections };
}
