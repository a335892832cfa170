import {
  CONNECTIONS_REQUEST,
  Probe,
  ROLES_THAT_CAN_VIEW_CONNECTIONS,
  SERVICE_INSTANCE_NAME_EXAMPLE,
  probeRoleMismatch,
  ORACLE_DESIGN_TIME_URL_SHAPE,
} from "../oic";
import { type AttemptOutcome } from "./attempt";
import { type ParsedVerifyInput } from "./input";
import { TOKEN_PATH } from "./tokenEndpoint";

export interface Explanation {
  /** One line: what happened. */
  readonly message: string;
  /** One line: what to change. */
  readonly hint: string;
}

function host(url: string | undefined): string {
  if (url === undefined) return "(unknown host)";
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}

function endpoint(outcome: AttemptOutcome, input: ParsedVerifyInput): string {
  return outcome.phase === "token"
    ? `the token endpoint ${host(input.tokenUrl)}`
    : `the Developer API on ${host(input.designTimeUrl)}`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? "(none)" : items.join(", ");
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? "" : `; Retry-After ${Math.ceil(ms / 1000)} s`;
}

export function explainOk(input: ParsedVerifyInput, connections: number | null): Explanation {
  if (input.probe === Probe.none) {
    return { message: `no check for client ${input.clientId} (probe "none")`, hint: "nothing to change" };
  }
  if (input.probe === Probe.token) {
    return {
      message: `client ${input.clientId} got a token for ${input.scopeValue} with the expected audience`,
      hint: "nothing to change",
    };
  }
  const counted =
    connections === null ? "its connections" : `${connections} connection${connections === 1 ? "" : "s"}`;
  return {
    message: `client ${input.clientId} works: token for ${input.scopeValue}, ${counted} visible on ${input.integrationInstance ?? "?"}`,
    hint: "nothing to change",
  };
}

function roleHint(input: ParsedVerifyInput): string {
  const allowed = list(ROLES_THAT_CAN_VIEW_CONNECTIONS);
  if (input.roles.length === 0) {
    return `grant the app one of ${allowed} on the OIC instance's app; the roles it is configured with are not known here (pass them to see which is missing)`;
  }
  const mismatch = probeRoleMismatch(input.probe, input.roles);
  if (mismatch !== undefined) return `${mismatch.problem}; ${mismatch.fix}`;
  return `the app is configured with ${list(input.roles)}, which can view connections: the grant has not reached OIC yet or was not applied; check the grant on instance ${input.integrationInstance ?? "?"}'s app, then retry with a larger retry budget`;
}

/** One-line message and hint for a failed check. Built from validated facts only: no secret, no token. */
export function explainFailure(outcome: AttemptOutcome, input: ParsedVerifyInput): Explanation {
  const status = outcome.httpStatus;
  switch (outcome.diagnosis) {
    case "ok":
      return explainOk(input, null);
    case "invalid_client":
      return {
        message: `the identity domain rejected client ${input.clientId} (invalid_client, HTTP ${status ?? "?"})`,
        hint: "check the client ID (the app's name, not its id or OCID), the client secret, and that the app is active; right after the app is created this heals within the propagation window",
      };
    case "unauthorized_client":
      return {
        message: `client ${input.clientId} may not use the client_credentials grant (unauthorized_client)`,
        hint: "add client_credentials to the app's allowedGrants (console: the app's OAuth configuration, Client credentials)",
      };
    case "invalid_scope":
      return {
        message: `the identity domain refused scope ${input.scope} for client ${input.clientId} (invalid_scope)`,
        hint: `add the OIC instance's scope ${input.scopeValue} to the app's allowedScopes and request exactly its fully qualified scope (the OIC app's audience followed by ${input.scopeValue}); right after a change this heals within the propagation window`,
      };
    case "role_missing":
      return {
        // NotAuthenticated is named: it is not what one expects for a role, and it is what OIC said.
        message: `${CONNECTIONS_REQUEST} answered ${status ?? "401"}${outcome.oicCode === "NotAuthenticated" ? " NotAuthenticated" : ""}: client ${input.clientId} has no role that can view connections on ${input.integrationInstance ?? "?"}`,
        hint: roleHint(input),
      };
    case "redirected":
      return outcome.phase === "api"
        ? {
            message: `${CONNECTIONS_REQUEST} answered ${status ?? "3xx"} redirecting to ${outcome.location ?? "another host"}: ${input.designTimeUrl ?? "?"} is not the design-time host`,
            hint: `use the instance's design-time URL (instanceDesignTimeUrl, ${ORACLE_DESIGN_TIME_URL_SHAPE}) with integrationInstance=${input.integrationInstance ?? "<name>"}, not the runtime URL: a redirect drops the bearer token`,
          }
        : {
            message: `the token endpoint answered ${status ?? "3xx"} redirecting to ${outcome.location ?? "another host"}`,
            hint: `point the token URL at the identity domain itself: https://idcs-<id>.identity.oraclecloud.com${TOKEN_PATH} (redirects are never followed)`,
          };
    case "instance_not_found":
      return {
        message: `the design-time host ${host(input.designTimeUrl)} does not know integration instance "${input.integrationInstance ?? "?"}" (404)`,
        hint: `set integrationInstance to the service-instance name (the first DNS label of the runtime URL, e.g. ${SERVICE_INSTANCE_NAME_EXAMPLE}), not the display name`,
      };
    case "audience_mismatch": {
      const scopeHint =
        "request the OIC instance's own fully qualified scope, derived from the instance's app (scopes[].fqs), never typed by hand";
      return {
        message: `${outcome.detail ?? "the token is not for the requested audience"}`,
        // From OIC, the same answer may also mean a missing role (attempt.ts): the hint covers both.
        hint:
          outcome.phase === "api"
            ? `${scopeHint}; if it is the instance's own: ${roleHint(input)}`
            : scopeHint,
      };
    }
    case "rate_limited":
      return {
        message: `${endpoint(outcome, input)} answered 429 Too Many Requests${seconds(outcome.retryAfterMs)}`,
        hint: "retry later or give the check a larger retry budget; verify fewer clients at once",
      };
    case "server_error":
      return {
        message: `${endpoint(outcome, input)} answered ${status ?? "5xx"}, a server-side failure`,
        hint: "retry later or give the check a larger retry budget; if it persists, check the service's status",
      };
    case "timeout":
      return {
        message: `${endpoint(outcome, input)} did not answer within ${outcome.timeoutMs ?? "the timeout in"} ms`,
        hint: "check that this machine can reach the host (firewall, proxy, DNS) or raise the timeout",
      };
    case "network":
      return {
        message: `cannot reach ${endpoint(outcome, input)}: ${outcome.transport === "connection_reset" ? "the connection was reset" : "network error"}${outcome.causeCode ? ` (${outcome.causeCode})` : ""}`,
        hint: "check the URL's host and port, DNS and firewall; plain http:// is refused except on loopback when explicitly allowed",
      };
    case "tls":
      return {
        message: `TLS verification of ${endpoint(outcome, input)} failed${outcome.causeCode ? ` (${outcome.causeCode})` : ""}`,
        hint: "trust the CA that signed the server's certificate with the CA file option (caFile / --ca-file); verification is never turned off",
      };
    case "bad_response":
      return {
        message: `${endpoint(outcome, input)} answered ${outcome.detail ?? "something unexpected"}`,
        hint:
          outcome.phase === "token"
            ? `check that the token URL is the identity domain's ${TOKEN_PATH} endpoint`
            : "check that the design-time URL is the OIC instance's design-time host",
      };
  }
}
