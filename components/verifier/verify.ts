import { createHttpClient, createSecretRedactor, type HttpClient, safeText } from "../http";
import { Probe } from "../oic";
import {
  basicCredentialForms,
  callConnections,
  requestToken,
  type AttemptOutcome,
  type Phase,
  type TokenFacts,
} from "./attempt";
import { type Diagnosis } from "./diagnosis";
import {
  checkTransport,
  configuredRolesCanPass,
  parseVerifyInput,
  type ParsedVerifyInput,
  type VerifyInput,
} from "./input";
import { explainFailure, explainOk } from "./messages";
import { decideRetry, resolveRetryPolicy, type RetryPolicy } from "./retry";

/** The outcome of one client's check: facts only, never the secret or the token. */
export interface VerifyResult {
  readonly clientId: string;
  readonly probe: Probe;
  readonly diagnosis: Diagnosis;
  readonly ok: boolean;
  readonly message: string;
  readonly hint: string;
  /** The request the diagnosis is about (null when no request was needed or none got an answer). */
  readonly phase: Phase | null;
  /** Status of the last answer (null for transport failures and probe "none"). */
  readonly httpStatus: number | null;
  /** Connections the client can see (totalResults), null when not probed or not reported. */
  readonly connections: number | null;
  /** ISO time the last token expires, null without a token. */
  readonly tokenExpiresAt: string | null;
  /** Tries of the whole check; 1 when the first passed or failed for good. */
  readonly attempts: number;
  readonly tokenRequests: number;
  readonly apiRequests: number;
  readonly elapsedMs: number;
  /** ISO time the check finished. */
  readonly checkedAt: string;
}

/** Reported before each wait, so a CLI can show progress. */
export interface VerifyProgress {
  readonly clientId: string;
  readonly attempt: number;
  readonly diagnosis: Diagnosis;
  readonly httpStatus: number | null;
  readonly retryInMs: number;
  readonly elapsedMs: number;
}

export interface VerifyOptions {
  /** Overrides of the retry policy; `{ budgetMs: 0 }` turns retries off. */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout (default the HTTP layer's `DEFAULT_TIMEOUT_MS`); ignored when `http` is given. */
  readonly timeoutMs?: number;
  /** Extra CA certificates to trust (PEM file); ignored when `http` is given. */
  readonly caFile?: string;
  /** Allow plain http:// to loopback; ignored when `http` is given. */
  readonly allowPlainHttpOnLoopback?: boolean;
  /** A client to share (its connections are reused); otherwise one is made and closed per call. */
  readonly http?: HttpClient;
  /** Re-request a token this long before it expires (default 60 000 ms). */
  readonly tokenRefreshSkewMs?: number;
  readonly onProgress?: (progress: VerifyProgress) => void;
  /** Injected for deterministic tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface VerifyManyOptions extends VerifyOptions {
  /** How many clients are checked at the same time (default `DEFAULT_CONCURRENCY`). */
  readonly concurrency?: number;
}

/**
 * A check is mostly waiting on round trips, so overlap pays: 50 at once clears a large fleet in one wave
 * (see tools/bench/verify.bench.ts), and a service that objects says so with a 429 whose Retry-After is honoured.
 */
export const DEFAULT_CONCURRENCY = 50;
const DEFAULT_TOKEN_REFRESH_SKEW_MS = 60_000;

/** The input validated, and its URLs checked against the transport rule of the client that will call them. */
function parseChecked(input: VerifyInput, options: VerifyOptions): ParsedVerifyInput {
  const parsed = parseVerifyInput(input);
  const allowPlainHttp = options.http
    ? options.http.allowPlainHttpOnLoopback === true
    : options.allowPlainHttpOnLoopback === true;
  checkTransport(parsed, allowPlainHttp);
  return parsed;
}

function withHttp<T>(options: VerifyOptions, run: (http: HttpClient) => Promise<T>): Promise<T> {
  if (options.http) return run(options.http);
  const http = createHttpClient({
    timeoutMs: options.timeoutMs,
    caFile: options.caFile,
    allowPlainHttpOnLoopback: options.allowPlainHttpOnLoopback,
  });
  return run(http).finally(() => http.close());
}

/**
 * Checks that one confidential client works: a token for its scope (audience, scope and expiry checked)
 * and, for the `connections` probe, `GET /ic/api/integration/v1/connections` on the design-time host.
 *
 * Token reuse: one token request per run. When only the API call fails (e.g. a 401 or 403 while a grant
 * propagates) the same token is used again, because OIC evaluates the client's roles on every request,
 * not from the token; a new token is requested only when the token request itself failed or the token
 * expires within `tokenRefreshSkewMs`.
 *
 * Throws only for unusable input (VerifierInputError) or HTTP client configuration (HttpConfigError);
 * every failure of the check itself is a diagnosis in the result.
 */
export async function verifyClient(input: VerifyInput, options: VerifyOptions = {}): Promise<VerifyResult> {
  const parsed = parseChecked(input, options);
  const policy = resolveRetryPolicy(options.retry);
  return withHttp(options, (http) => runCheck(parsed, policy, http, options));
}

/** Checks several clients, at most `concurrency` at once, over one shared connection pool; results in input order. */
export async function verifyClients(
  inputs: readonly VerifyInput[],
  options: VerifyManyOptions = {},
): Promise<VerifyResult[]> {
  const parsed = inputs.map((input) => parseChecked(input, options));
  const policy = resolveRetryPolicy(options.retry);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  return withHttp(options, async (http) => {
    const results: VerifyResult[] = new Array<VerifyResult>(parsed.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < parsed.length) {
        const index = next++;
        const one = parsed[index];
        if (one !== undefined) results[index] = await runCheck(one, policy, http, options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, parsed.length) }, worker));
    return results;
  });
}

async function runCheck(
  input: ParsedVerifyInput,
  policy: RetryPolicy,
  http: HttpClient,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const now = options.now ?? Date.now;
  // Global setTimeout (not timers/promises) so that tests with fake timers control the waits too.
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const skew = options.tokenRefreshSkewMs ?? DEFAULT_TOKEN_REFRESH_SKEW_MS;
  const started = now();
  const rolesCouldPass = configuredRolesCanPass(input);
  let attempts = 0;
  let tokenRequests = 0;
  let apiRequests = 0;
  let token: TokenFacts | undefined;
  // Every secret this check knows, so that no message can carry one back, whatever a server echoed.
  const redactor = createSecretRedactor([input.clientSecret]);
  for (const form of basicCredentialForms(input.clientId, input.clientSecret)) redactor.addValue(form);
  /** Server text reaches messages: secrets removed by value, then control characters escaped and length bounded. */
  const printable = (text: string): string => safeText(redactor.redact(text));

  const finish = (
    diagnosis: Diagnosis,
    facts: {
      phase: Phase | null;
      httpStatus?: number;
      connections?: number | null;
      outcome?: AttemptOutcome;
    },
  ): VerifyResult => {
    const explanation = facts.outcome
      ? explainFailure(facts.outcome, input)
      : explainOk(input, facts.connections ?? null);
    const end = now();
    return {
      clientId: input.clientId,
      probe: input.probe,
      diagnosis,
      ok: diagnosis === "ok",
      message: printable(explanation.message),
      hint: printable(explanation.hint),
      phase: facts.phase,
      httpStatus: facts.httpStatus ?? null,
      connections: facts.connections ?? null,
      tokenExpiresAt: token ? new Date(token.expiresAtMs).toISOString() : null,
      attempts,
      tokenRequests,
      apiRequests,
      elapsedMs: end - started,
      checkedAt: new Date(end).toISOString(),
    };
  };

  if (input.probe === Probe.none) return finish("ok", { phase: null });

  for (;;) {
    attempts += 1;
    let outcome: AttemptOutcome | undefined;
    if (token === undefined || token.expiresAtMs - now() <= skew) {
      tokenRequests += 1;
      const result = await requestToken(http, input, now, redactor);
      if (result.ok) token = result.token;
      else outcome = result.outcome;
      if (result.ok && input.probe === Probe.token)
        return finish("ok", { phase: "token", httpStatus: result.httpStatus });
    }
    if (outcome === undefined && token !== undefined) {
      apiRequests += 1;
      const result = await callConnections(http, input, token, now, redactor);
      if (result.ok)
        return finish("ok", { phase: "api", httpStatus: result.httpStatus, connections: result.connections });
      outcome = result.outcome;
    }
    if (outcome === undefined) throw new Error("access check: neither a result nor a failure (bug)");
    const elapsed = now() - started;
    const decision = decideRetry(
      {
        diagnosis: outcome.diagnosis,
        phase: outcome.phase,
        httpStatus: outcome.httpStatus,
        transport: outcome.transport,
        retryAfterMs: outcome.retryAfterMs,
        rolesCouldPass,
      },
      attempts,
      elapsed,
      policy,
      random,
    );
    if (!decision.retry)
      return finish(outcome.diagnosis, { phase: outcome.phase, httpStatus: outcome.httpStatus, outcome });
    options.onProgress?.({
      clientId: input.clientId,
      attempt: attempts,
      diagnosis: outcome.diagnosis,
      httpStatus: outcome.httpStatus ?? null,
      retryInMs: decision.delayMs,
      elapsedMs: elapsed,
    });
    await sleep(decision.delayMs);
  }
}
