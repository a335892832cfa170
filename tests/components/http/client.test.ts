import { createServer as createNetServer, type AddressInfo } from "node:net";
import { inspect } from "node:util";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  createHttpClient,
  HttpConfigError,
  HttpError,
  type HttpClient,
  type HttpRequest,
} from "../../../components/http";
import { makeTlsFixtures, type TlsFixtures } from "./tlsFixtures";
import { startTestServer, type TestServer } from "./testServer";

const SECRET = "s3cr3t-VALUE-must-not-leak";
const TOKEN = "eyJ0b2tlbi1tdXN0LW5vdC1sZWFr.payload.signature";
const BASIC = Buffer.from(`client-id:${SECRET}`).toString("base64");

/** Every way an error could be printed, logged or serialized. */
function renderings(error: unknown): string[] {
  const record = error as Record<string, unknown>;
  return [
    String(error),
    (error as Error).message,
    (error as Error).stack ?? "",
    JSON.stringify(error),
    inspect(error),
    inspect(error, { showHidden: true, depth: Infinity }),
    JSON.stringify(
      Object.getOwnPropertyNames(error).map((key) => [key, inspect(record[key], { depth: Infinity })]),
    ),
  ];
}

function expectNoSecret(error: unknown): void {
  for (const text of renderings(error)) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(BASIC);
    expect(text).not.toContain("Authorization");
    expect(text).not.toContain("authorization");
  }
}

/** A request that carries the secret in every place a request can: header, query and body. */
function secretRequest(url: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  const separator = url.includes("?") ? "&" : "?";
  return {
    method: "POST",
    url: `${url}${separator}access_token=${TOKEN}&integrationInstance=inst-1`,
    headers: { Authorization: `Basic ${BASIC}`, "X-Token": TOKEN },
    body: new URLSearchParams({ grant_type: "client_credentials", client_secret: SECRET }),
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

let fixtures: TlsFixtures;
let server: TestServer;
let client: HttpClient;
const extraServers: TestServer[] = [];

beforeAll(async () => {
  fixtures = await makeTlsFixtures();
  server = await startTestServer(fixtures.good);
  server.on("/ok", (_req, res) => {
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Set-Cookie": `session=${SECRET}`,
      "X-Thing": "a",
    });
    res.end(JSON.stringify({ echo: "hello", token: TOKEN }));
  });
  server.on("/redirect", (_req, res) => {
    res.writeHead(307, { Location: `/ok?access_token=${TOKEN}&integrationInstance=inst-1` });
    res.end();
  });
  server.on("/long-redirect", (_req, res) => {
    res.writeHead(307, { Location: `/${"l".repeat(10_000)}` });
    res.end();
  });
  server.on("/unauthorized", (_req, res) => {
    res.writeHead(401, {
      "Content-Type": "application/json",
      "WWW-Authenticate": 'Bearer error="invalid_token"',
    });
    res.end(JSON.stringify({ error: "invalid_client", echoed: SECRET }));
  });
  server.on("/limited", (_req, res) => {
    res.writeHead(429, { "Retry-After": "7" });
    res.end(`slow down ${TOKEN}`);
  });
  server.on("/broken", (_req, res) => {
    res.writeHead(503);
    res.end();
  });
  server.on("/hang", () => {
    // never answers
  });
  server.on("/trickle", (_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.write("partial");
    // the rest never comes
  });
  server.on("/reset", (req) => {
    req.socket.destroy();
  });
  server.on("/big", (_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("x".repeat(4096));
  });
  client = createHttpClient({ caFile: fixtures.caFile, timeoutMs: 2_000 });
});

afterEach(() => {
  server.received.length = 0;
});

afterAll(async () => {
  client.close();
  await server.close();
  await Promise.all(extraServers.map((s) => s.close()));
});

describe("successful requests", () => {
  it("verifies the server against the CA file and returns status, headers and body", async () => {
    const response = await client.request({
      method: "GET",
      url: `${server.origin}/ok?integrationInstance=inst-1`,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ echo: "hello", token: TOKEN });
    expect(response.headers["x-thing"]).toBe("a");
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["set-cookie"]).toBeUndefined();
    expect(response.url).toBe(`${server.origin}/ok?integrationInstance=inst-1`);
  });

  it("hides the response body from JSON.stringify and util.inspect", async () => {
    const response = await client.request({ method: "GET", url: `${server.origin}/ok` });
    expect(JSON.stringify(response)).not.toContain(TOKEN);
    expect(inspect(response, { depth: Infinity })).toBe(`HttpResponse GET ${server.origin}/ok 200`);
    expect(response.body).toContain(TOKEN);
  });

  it("sends a URLSearchParams body as an exact form with its content type", async () => {
    await client.request({
      method: "POST",
      url: `${server.origin}/ok`,
      headers: { Authorization: "Basic abc" },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "https://a:443/ic/api/" }),
    });
    expect(server.received).toHaveLength(1);
    const [got] = server.received;
    expect(got?.method).toBe("POST");
    expect(got?.body).toBe("grant_type=client_credentials&scope=https%3A%2F%2Fa%3A443%2Fic%2Fapi%2F");
    expect(got?.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    expect(got?.headers.authorization).toBe("Basic abc");
    expect(got?.headers.accept).toBe("application/json");
  });

  it("sends any other body as JSON", async () => {
    await client.request({ method: "PUT", url: `${server.origin}/ok`, body: { active: false } });
    expect(server.received[0]?.body).toBe('{"active":false}');
    expect(server.received[0]?.headers["content-type"]).toBe("application/json");
  });

  it("returns a non-2xx answer when the caller accepts it", async () => {
    const response = await client.request({
      method: "POST",
      url: `${server.origin}/unauthorized`,
      acceptStatus: () => true,
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });

  it("ignores proxy settings from the environment", async () => {
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = "http://127.0.0.1:9";
    try {
      const response = await client.request({ method: "GET", url: `${server.origin}/ok` });
      expect(response.status).toBe(200);
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});

describe("failures: each is an HttpError with a safe code and no secret", () => {
  it("redirect: a Location of any length is cut to 200 characters in the error", async () => {
    const error = await failure(client.request({ method: "GET", url: `${server.origin}/long-redirect` }));
    const full = `${server.origin}/${"l".repeat(10_000)}`;
    // 200 less the note, which is sized for a five-digit count.
    const location = `${full.slice(0, 175)}… (${full.length - 175} more characters)`;
    expect(error.location).toBe(location);
    expect(error.message).toBe(
      `GET ${server.origin}/long-redirect failed: redirected with 307 to ${location}; redirects are not followed`,
    );
  });

  it("redirect: a 3xx is an error, never followed, with the Location redacted", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/redirect`)));
    expect(error.code).toBe("redirect");
    expect(error.status).toBe(307);
    expect(error.location).toBe(`${server.origin}/ok?access_token=[redacted]&integrationInstance=inst-1`);
    expect(error.message).toBe(
      `POST ${server.origin}/redirect?access_token=[redacted]&integrationInstance=inst-1 failed: redirected with 307 to ${server.origin}/ok?access_token=[redacted]&integrationInstance=inst-1; redirects are not followed`,
    );
    expect(server.received.map((r) => r.url.split("?")[0])).toEqual(["/redirect"]);
    expectNoSecret(error);
  });

  it("status: a 401 the caller did not accept", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/unauthorized`)));
    expect(error.code).toBe("status");
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      `POST ${server.origin}/unauthorized?access_token=[redacted]&integrationInstance=inst-1 failed: unexpected HTTP status 401`,
    );
    expectNoSecret(error);
  });

  it("status: a 429 carries its Retry-After in milliseconds", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/limited`)));
    expect(error.code).toBe("status");
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7000);
    expectNoSecret(error);
  });

  it("status: a 503 without a body", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/broken`)));
    expect([error.code, error.status, error.retryAfterMs]).toEqual(["status", 503, undefined]);
    expectNoSecret(error);
  });

  it("timeout: no answer at all", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/hang`, { timeoutMs: 100 })));
    expect(error.code).toBe("timeout");
    expect(error.message).toBe(
      `POST ${server.origin}/hang?access_token=[redacted]&integrationInstance=inst-1 failed: no answer within 100 ms`,
    );
    expectNoSecret(error);
  });

  it("timeout: a body that starts and never ends hits the overall deadline", async () => {
    const error = await failure(
      client.request({ ...secretRequest(`${server.origin}/trickle`), timeoutMs: 150 }),
    );
    expect(error.code).toBe("timeout");
    expectNoSecret(error);
  });

  it("connection_reset: the server drops the socket", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/reset`)));
    expect(error.code).toBe("connection_reset");
    expect(error.causeCode).toBe("ECONNRESET");
    expectNoSecret(error);
  });

  it("network: nothing listens on the port", async () => {
    const port = await freePort();
    const error = await failure(client.request(secretRequest(`https://127.0.0.1:${port}/token`)));
    expect(error.code).toBe("network");
    expect(error.causeCode).toBe("ECONNREFUSED");
    expect(error.message).toBe(
      `POST https://127.0.0.1:${port}/token?access_token=[redacted]&integrationInstance=inst-1 failed: network error (ECONNREFUSED)`,
    );
    expectNoSecret(error);
  });

  it("too_large: a body over the limit", async () => {
    const small = createHttpClient({ caFile: fixtures.caFile, maxResponseBytes: 1024 });
    try {
      const error = await failure(small.request(secretRequest(`${server.origin}/big`)));
      expect(error.code).toBe("too_large");
      expectNoSecret(error);
    } finally {
      small.close();
    }
  });

  it("tls: the server's CA is not trusted without the CA file", async () => {
    const bare = createHttpClient();
    try {
      const error = await failure(bare.request(secretRequest(`${server.origin}/ok`)));
      expect(error.code).toBe("tls");
      expect(error.causeCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
      expectNoSecret(error);
    } finally {
      bare.close();
    }
  });

  it("tls: another CA file does not make the server trusted", async () => {
    const other = createHttpClient({ caFile: fixtures.otherCaFile });
    try {
      const error = await failure(other.request(secretRequest(`${server.origin}/ok`)));
      expect(error.code).toBe("tls");
      expectNoSecret(error);
    } finally {
      other.close();
    }
  });

  it("tls: an expired certificate", async () => {
    const expired = await startTestServer(fixtures.expired);
    extraServers.push(expired);
    const error = await failure(client.request(secretRequest(`${expired.origin}/ok`)));
    expect([error.code, error.causeCode]).toEqual(["tls", "CERT_HAS_EXPIRED"]);
    expectNoSecret(error);
  });

  it("tls: a certificate for another host name", async () => {
    const wrong = await startTestServer(fixtures.wrongHost);
    extraServers.push(wrong);
    const error = await failure(client.request(secretRequest(`${wrong.origin}/ok`)));
    expect([error.code, error.causeCode]).toEqual(["tls", "ERR_TLS_CERT_ALTNAME_INVALID"]);
    expectNoSecret(error);
  });

  it("tls: https:// to a server that speaks plain HTTP", async () => {
    const plain = await startTestServer();
    extraServers.push(plain);
    const error = await failure(
      client.request(secretRequest(plain.origin.replace("http:", "https:") + "/ok")),
    );
    expect([error.code, error.causeCode]).toEqual(["tls", "EPROTO"]);
    expectNoSecret(error);
  });

  it("insecure_url: plain http:// to loopback without consent, before any byte is sent", async () => {
    const plain = await startTestServer();
    extraServers.push(plain);
    const error = await failure(client.request(secretRequest(`${plain.origin}/ok`)));
    expect(error.code).toBe("insecure_url");
    expect(plain.received).toHaveLength(0);
    expectNoSecret(error);
  });

  it("insecure_url: plain http:// to a non-loopback host even with consent", async () => {
    const loose = createHttpClient({ allowPlainHttpOnLoopback: true });
    try {
      const error = await failure(loose.request(secretRequest("http://example.com/oauth2/v1/token")));
      expect(error.code).toBe("insecure_url");
      expect(error.message).toBe(
        "POST http://example.com/oauth2/v1/token?access_token=[redacted]&integrationInstance=inst-1 failed: plain http:// is only allowed for a loopback host, and only when explicitly allowed",
      );
      expectNoSecret(error);
    } finally {
      loose.close();
    }
  });

  it("invalid_url: not a URL at all, echoing nothing of it", async () => {
    const error = await failure(client.request({ ...secretRequest("x"), url: `not a url ${TOKEN}` }));
    expect(error.code).toBe("invalid_url");
    expect(error.message).toBe("POST <invalid URL> failed: not a valid absolute http(s) URL");
    expectNoSecret(error);
  });

  it("invalid_url: a scheme other than http(s)", async () => {
    const error = await failure(client.request({ method: "GET", url: "ftp://127.0.0.1/file" }));
    expect(error.code).toBe("invalid_url");
  });

  it("JSON of an error holds exactly the safe fields", async () => {
    const error = await failure(client.request(secretRequest(`${server.origin}/limited`)));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "HttpError",
      message: `POST ${server.origin}/limited?access_token=[redacted]&integrationInstance=inst-1 failed: unexpected HTTP status 429`,
      code: "status",
      method: "POST",
      url: `${server.origin}/limited?access_token=[redacted]&integrationInstance=inst-1`,
      status: 429,
      retryAfterMs: 7000,
    });
    expect(Object.keys(error)).not.toContain("cause");
    expect(Object.keys(error)).not.toContain("config");
  });
});

describe("plain http:// on loopback, when asked", () => {
  it("works for 127.0.0.1 with allowPlainHttpOnLoopback", async () => {
    const plain = await startTestServer();
    extraServers.push(plain);
    plain.on("/ok", (_req, res) => {
      res.writeHead(200);
      res.end("fine");
    });
    const loose = createHttpClient({ allowPlainHttpOnLoopback: true });
    try {
      const response = await loose.request({ method: "GET", url: `${plain.origin}/ok` });
      expect([response.status, response.body]).toEqual([200, "fine"]);
    } finally {
      loose.close();
    }
  });
});

describe("client configuration", () => {
  it("refuses a missing CA file with a message naming it", () => {
    expect(() => createHttpClient({ caFile: "/nonexistent/ca.pem" })).toThrow(
      new HttpConfigError(
        "cannot read the CA file /nonexistent/ca.pem (ENOENT); pass the PEM file of the CA that signed the server's certificate",
      ),
    );
  });

  it("refuses a CA file without a PEM certificate", () => {
    expect(() => createHttpClient({ caFile: __filename })).toThrow(/holds no PEM certificate/);
  });

  it("refuses a non-positive timeout", () => {
    expect(() => createHttpClient({ timeoutMs: 0 })).toThrow(
      "timeoutMs must be a positive number of milliseconds up to 2147483647 (about 24.8 days, the longest a Node.js timer waits), got 0",
    );
  });

  it("refuses a timeout Node's timers cannot wait (over 2^31 - 1 ms, which would fire after 1 ms)", async () => {
    expect(createHttpClient({ timeoutMs: 2_147_483_647 }).timeoutMs).toBe(2_147_483_647);
    expect(() => createHttpClient({ timeoutMs: 2 ** 31 })).toThrow(
      new HttpConfigError(
        "timeoutMs must be a positive number of milliseconds up to 2147483647 (about 24.8 days, the longest a Node.js timer waits), got 2147483648",
      ),
    );
    await expect(
      client.request({ method: "GET", url: `${server.origin}/ok`, timeoutMs: 2 ** 31 }),
    ).rejects.toThrow(
      new HttpConfigError(
        "timeoutMs must be a positive number of milliseconds up to 2147483647 (about 24.8 days, the longest a Node.js timer waits), got 2147483648",
      ),
    );
    expect(server.received).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
