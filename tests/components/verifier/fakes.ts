/** A scripted stand-in for the HTTP client, for the verifier's unit tests (the emulator tests use real HTTP). */
import { type HttpClient, HttpError, type HttpRequest, type HttpResponse } from "../../../components/http";
import { probeRoleMismatch } from "../../../components/oic";

export const AUDIENCE =
  "https://0123456789ABCDEF0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443";
export const FQS = `${AUDIENCE}/ic/api/`;
export const SECRET = "idcscs-3f1e9c1a-secret-must-not-leak";
export const DESIGN = "https://design.example.test";
export const TOKEN_URL = "https://idcs.example.test/oauth2/v1/token";
export const INSTANCE = "oicdev-axhknnpmgslz-ia";

export const baseInput = {
  tokenUrl: TOKEN_URL,
  clientId: "client_app_1",
  clientSecret: SECRET,
  scope: FQS,
  designTimeUrl: DESIGN,
  integrationInstance: INSTANCE,
  roles: ["ServiceUser"],
};

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An unsigned-looking JWT: the verifier only decodes, it does not verify signatures. */
export function makeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

export function tokenClaims(nowMs: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: "client_app_1",
    aud: [AUDIENCE],
    scope: "/ic/api/",
    exp: Math.floor(nowMs / 1000) + 3600,
    iat: Math.floor(nowMs / 1000),
    ...overrides,
  };
}

export function respond(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const contentType: Record<string, string> =
    typeof body === "string" ? {} : { "content-type": "application/json" };
  return { method: "GET", url: "(fake)", status, headers: { ...contentType, ...headers }, body: text };
}

export function tokenResponse(jwt: string): HttpResponse {
  return respond(200, { access_token: jwt, token_type: "Bearer", expires_in: 3600 });
}

export function connectionsResponse(totalResults = 12): HttpResponse {
  return respond(200, {
    items: [{ id: "C1" }],
    totalResults,
    hasMore: totalResults > 1,
    limit: 1,
    offset: 0,
  });
}

export type Answer =
  | HttpResponse
  | HttpError
  | ((request: HttpRequest) => HttpResponse | HttpError | Promise<HttpResponse | HttpError>);

/** Answers token requests and API requests from two queues; the last answer of a queue repeats. */
export function fakeHttp(script: {
  token: Answer[];
  api?: Answer[];
}): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const next = (queue: Answer[]): Answer => {
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    if (answer === undefined) throw new Error("fake http: no answer scripted");
    return answer;
  };
  return {
    requests,
    timeoutMs: 1000,
    close() {},
    async request(request) {
      requests.push(request);
      const queue = request.url.includes("/oauth2/v1/token") ? script.token : (script.api ?? []);
      const answer = next(queue);
      const result = typeof answer === "function" ? await answer(request) : answer;
      if (result instanceof HttpError) throw result;
      return result;
    },
  };
}

export function transportError(code: HttpError["code"], causeCode?: string): HttpError {
  return new HttpError({ code, method: "POST", url: TOKEN_URL, causeCode, timeoutMs: 1000 });
}

/** A clock that only moves when the verifier sleeps (or a test says so). */
export function fakeClock(startMs = Date.parse("2030-01-01T00:00:00Z")) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += ms;
    },
    sleeps,
    sleep: (ms: number): Promise<void> => {
      sleeps.push(ms);
      nowMs += ms;
      return Promise.resolve();
    },
  };
}

/** The hint for a client whose only role is ServiceInvoker: the owner's wording (pinned in probeRoles.test.ts). */
export const INVOKER_ONLY_HINT = ((): string => {
  const mismatch = probeRoleMismatch("connections", ["ServiceInvoker"]);
  if (mismatch === undefined)
    throw new Error("ServiceInvoker alone was expected to fail the connections probe");
  return `${mismatch.problem}; ${mismatch.fix}`;
})();
