/**
 * Every way an access check can end. Closed set: the CLI's exit codes, the dynamic resource's outputs and
 * the docs are all keyed by it.
 */
export const Diagnosis = {
  ok: "ok",
  invalid_client: "invalid_client",
  unauthorized_client: "unauthorized_client",
  invalid_scope: "invalid_scope",
  role_missing: "role_missing",
  redirected: "redirected",
  instance_not_found: "instance_not_found",
  audience_mismatch: "audience_mismatch",
  rate_limited: "rate_limited",
  server_error: "server_error",
  timeout: "timeout",
  network: "network",
  tls: "tls",
  bad_response: "bad_response",
} as const;

export type Diagnosis = (typeof Diagnosis)[keyof typeof Diagnosis];

export const ALL_DIAGNOSES: readonly Diagnosis[] = Object.values(Diagnosis);

/** What part of the setup a diagnosis points at; the CLI's exit codes are grouped by it. */
export const DiagnosisClass = {
  ok: "ok",
  /** The app's identity or grant type: client id, secret, activation, allowedGrants. */
  credentials: "credentials",
  /** What the token is for: allowedScopes, the fully qualified scope, the audience. */
  scope: "scope",
  /** The app's OIC role grants. */
  role: "role",
  /** The URLs and instance name the check was pointed at. */
  endpoint: "endpoint",
  /** The service is busy or failing; trying again later may pass. */
  unavailable: "unavailable",
  /** Reachability and transport security. */
  transport: "transport",
  /** The server said something this check cannot understand. */
  protocol: "protocol",
} as const;

export type DiagnosisClass = (typeof DiagnosisClass)[keyof typeof DiagnosisClass];

export const DIAGNOSIS_CLASS: Readonly<Record<Diagnosis, DiagnosisClass>> = {
  ok: "ok",
  invalid_client: "credentials",
  unauthorized_client: "credentials",
  invalid_scope: "scope",
  audience_mismatch: "scope",
  role_missing: "role",
  redirected: "endpoint",
  instance_not_found: "endpoint",
  rate_limited: "unavailable",
  server_error: "unavailable",
  timeout: "transport",
  network: "transport",
  tls: "transport",
  bad_response: "protocol",
};

export function isDiagnosis(value: string): value is Diagnosis {
  return (ALL_DIAGNOSES as readonly string[]).includes(value);
}
