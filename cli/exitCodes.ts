import type { Diagnosis } from "../components/verifier";

/**
 * `oic-verify` exit codes: 0 only for `ok`; one code per diagnosis, grouped by tens per class so a
 * pipeline can branch on the class (`code / 10`) or the exact diagnosis. Documented in docs/verify.md.
 */
export const EXIT_CODES: Readonly<Record<Diagnosis, number>> = {
  ok: 0,
  // 1x credentials: the app's identity or grant type
  invalid_client: 10,
  unauthorized_client: 11,
  // 2x scope: what the token is for
  invalid_scope: 20,
  audience_mismatch: 21,
  // 3x role: the app's OIC role grants
  role_missing: 30,
  // 4x endpoint: the URLs and instance name
  redirected: 40,
  instance_not_found: 41,
  // 5x unavailable: the service is busy or failing
  rate_limited: 50,
  server_error: 51,
  // 6x transport: reachability and TLS
  timeout: 60,
  network: 61,
  tls: 62,
  // 7x protocol: an answer the check cannot understand
  bad_response: 70,
};

/** The CLI itself failed unexpectedly (a bug): nothing was concluded about the client. */
export const EXIT_INTERNAL_ERROR = 1;
/** Bad flags, missing secret, unreadable stack outputs: fix the command line. */
export const EXIT_USAGE = 2;
