/**
 * The leak scanner of `npm run test:faults` (tools/faults/leaks.ts) finds a secret in every form it claims to,
 * and nothing in texts that only look alike: a scan that finds nothing proves something only if it can find.
 */
import { describe, expect, it } from "vitest";

import { base64Shapes, LeakScanner } from "../../../tools/faults/leaks";

const SECRET = "idcscs-0f6c2a5e-8d3b-4c1a-9e7f-2b4d6a8c0e1f";
const CLIENT_ID = "5d41402abc4b2a76b9719d911017c592";

function found(
  text: string,
  setup: (scanner: LeakScanner) => void = (s) => s.addSecret("client secret", SECRET),
) {
  const scanner = new LeakScanner();
  setup(scanner);
  scanner.scan("text", text);
  return scanner.search().map((leak) => `${leak.kind}: ${leak.how}`);
}

describe("the leak scanner", () => {
  it("finds a secret as it is, encoded, escaped, and in part, wherever it is in a text", () => {
    const bytes = Buffer.from(`${SECRET}+/`);
    expect(found(`error: ${SECRET} refused`)).toContain("client secret: plain (or a fragment of it)");
    expect(found(`x=${encodeURIComponent(`${SECRET}+/`)}`)).toContain(
      "client secret: plain (or a fragment of it)",
    );
    expect(found(bytes.toString("base64"))).toContain("client secret: base64 (or a fragment of it)");
    // Where base64url and base64 agree, the fragment is named after base64: either way it is found.
    expect(found(bytes.toString("base64url").slice(2))).toEqual([
      expect.stringMatching(/^client secret: base64(url)? \(or a fragment of it\)$/),
    ]);
    expect(found(`"…${SECRET.slice(10, 30)}…"`)).toEqual(["client secret: plain (or a fragment of it)"]);
    const short = "s3cr3t/#x";
    const setup = (scanner: LeakScanner) => scanner.addSecret("admin secret", short);
    expect(found(`a=${encodeURIComponent(short)}`, setup)).toContain("admin secret: URL-encoded");
    expect(found(`a=${encodeURIComponent(short)}`, setup)).not.toContain("admin secret: plain");
    expect(found(JSON.stringify({ value: `"${short}"` }), setup)).toContain("admin secret: plain");
  });

  it("finds base64 of a secret inside a larger base64 payload, at any byte offset", () => {
    for (const before of ["", "x", "xy", "xyz", '{"client_secret":"']) {
      expect(found(Buffer.from(`${before}${SECRET}"}`).toString("base64"))).toContain(
        "client secret: base64 (or a fragment of it)",
      );
    }
  });

  it("finds HTTP Basic credentials, with and without form encoding", () => {
    const secret = "a b+c/d=e&f-0123456789";
    const setup = (scanner: LeakScanner) => scanner.addBasicCredential(CLIENT_ID, secret);
    const plainPair = Buffer.from(`${CLIENT_ID}:${secret}`).toString("base64");
    const formPair = Buffer.from(
      `${CLIENT_ID}:${new URLSearchParams([["", secret]]).toString().slice(1)}`,
    ).toString("base64");
    expect(found(`Authorization: Basic ${plainPair}`, setup)).toContain(
      "client secret: base64(id:secret) (or a fragment of it)",
    );
    expect(found(`Authorization: Basic ${formPair}`, setup)).toContain(
      "client secret: base64(id:secret) (or a fragment of it)",
    );
  });

  it("finds any line of a PEM private key's body, and a token by value", () => {
    const key =
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nq1w2e3r4t5y6u7i8o9p0\n-----END PRIVATE KEY-----\n";
    const text = '{"privateKey":"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"}';
    expect(found(text, (s) => s.addSecret("private key", key))).toEqual([
      "private key: a line of the PEM body (or a fragment of it)",
    ]);
    const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
    expect(found(`Bearer ${token}`, (s) => s.addSecret("access token", token))).toEqual([
      "access token: plain (or a fragment of it)",
      "shape: a JWT",
    ]);
  });

  it("finds by shape what it never saw: a JWT, a client secret, a PEM private key, base64 of a client secret", () => {
    const none = () => undefined;
    expect(found("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", none)).toEqual(["shape: a JWT"]);
    expect(found("secret idcscs-1234abcd-0000-4000-8000-000000000000", none)).toEqual([
      "shape: an identity-domain client secret",
    ]);
    expect(found("-----BEGIN RSA PRIVATE KEY-----", none)).toEqual(["shape: a PEM private key"]);
    for (const pad of ["", "x", "xy"]) {
      expect(found(Buffer.from(`${pad}idcscs-1234`).toString("base64"), none)).toContain(
        "shape: base64 of a client secret",
      );
    }
  });

  it("finds nothing in what only looks alike: a masked secret, a client id, a public key, the CA", () => {
    expect(
      found(
        `secret idcscs-******** of client ${CLIENT_ID}\n-----BEGIN PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----`,
      ),
    ).toEqual([]);
  });

  it("searches every text for every secret known at the end, whenever each was learned", () => {
    const scanner = new LeakScanner();
    scanner.scan("early", `the secret was ${SECRET}`);
    scanner.addSecret("client secret", SECRET);
    expect(scanner.search()).toContainEqual({
      source: "early",
      kind: "client secret",
      how: "plain (or a fragment of it)",
    });
  });

  it("computes the base64 characters a prefix fixes at each alignment", () => {
    // 7 bytes = 56 bits: 9 characters of 6 bits lie wholly within them, whatever comes before.
    expect(base64Shapes("idcscs-")).toEqual(["aWRjc2NzL", "lkY3Njcy", "pZGNzY3Mt"]);
    for (const [pad, shape] of ["", "x", "xy"].map(
      (p, i) => [p, base64Shapes("idcscs-")[i] ?? ""] as const,
    )) {
      expect(Buffer.from(`${pad}idcscs-abc`).toString("base64")).toContain(shape);
      expect(Buffer.from(`${pad}idcscs-xyz`).toString("base64")).toContain(shape);
    }
  });
});
