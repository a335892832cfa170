import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import tls from "node:tls";
import { X509Certificate } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../../tools/emulator";
import { httpRequest, useEmulator } from "../../support/emulator";

const env = useEmulator();
const second = useEmulator();

function peerCertificate(
  host: string,
  port: number,
  ca: string,
  servername?: string,
): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ca, ...(servername ? { servername } : {}) }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve(certificate);
    });
    socket.on("error", reject);
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("TLS by default", () => {
  it("writes the CA to caFile, and serves a certificate it signed for the three hosts and localhost", async () => {
    const caFile = String(env.emu.caFile);
    const ca = new X509Certificate(readFileSync(caFile));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe("CN=oic-emulator local CA\nO=oic-client-provisioner");
    for (const url of [env.emu.idcsUrl, env.emu.runtimeUrl, env.emu.designTimeUrl]) {
      const { hostname, port } = new URL(url);
      const certificate = await peerCertificate(hostname, Number(port), String(env.ca));
      expect(certificate.subjectaltname).toBe(
        "DNS:localhost, IP Address:127.0.0.1, IP Address:127.0.0.2, IP Address:127.0.0.3",
      );
      expect(certificate.issuer).toEqual({ CN: "oic-emulator local CA", O: "oic-client-provisioner" });
    }
    const byName = await peerCertificate("127.0.0.1", portOf(env.emu.idcsUrl), String(env.ca), "localhost");
    expect(byName.subject).toEqual({ CN: "localhost" });
    expect(env.emu.idcsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(env.emu.runtimeUrl).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
    expect(env.emu.designTimeUrl).toMatch(/^https:\/\/127\.0\.0\.3:\d+$/);
  });

  it("is refused by a client that does not trust the CA, or trusts another emulator's CA", async () => {
    const url = `${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`;
    await expect(httpRequest(url)).rejects.toThrow(/unable to verify the first certificate/);
    await expect(httpRequest(url, { ca: second.ca })).rejects.toThrow(
      /unable to verify the first certificate/,
    );
    expect((await httpRequest(url, { ca: env.ca })).status).toBe(200);
  });

  it("writes ca.pem into stateDir and keeps it there; removes its own temporary directory on close", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "emulator-state-"));
    tempDirs.push(stateDir);
    const withDir = await startEmulator({ stateDir: join(stateDir, "nested") });
    expect(withDir.caFile).toBe(join(stateDir, "nested", "ca.pem"));
    await withDir.close();
    expect(existsSync(join(stateDir, "nested", "ca.pem"))).toBe(true);
    const temporary = await startEmulator();
    const caFile = String(temporary.caFile);
    expect(existsSync(caFile)).toBe(true);
    await temporary.close();
    expect(existsSync(dirname(caFile))).toBe(false);
    await temporary.close();
  });

  it("serves plain HTTP with caFile null when asked", async () => {
    const plain = await startEmulator({ http: true });
    try {
      expect(plain.caFile).toBeNull();
      expect(plain.idcsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await httpRequest(`${plain.designTimeUrl}/ic/api/integration/v1/connections`)).status).toBe(
        400,
      );
    } finally {
      await plain.close();
    }
  });
});

describe("ports", () => {
  it("uses the requested port on all three addresses when it is free there", async () => {
    const port = await freePort();
    const emulator = await startEmulator({ http: true, port });
    try {
      expect([emulator.idcsUrl, emulator.runtimeUrl, emulator.designTimeUrl].map(portOf)).toEqual([
        port,
        port,
        port,
      ]);
    } finally {
      await emulator.close();
    }
  });

  it("falls back to a free port on an address where the port is taken", async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.2", resolve));
    try {
      const emulator = await startEmulator({ http: true, port });
      try {
        expect(portOf(emulator.idcsUrl)).toBe(port);
        expect(portOf(emulator.runtimeUrl)).not.toBe(port);
        expect(portOf(emulator.designTimeUrl)).toBe(port);
        expect((await httpRequest(`${emulator.runtimeUrl}/ic/api/x`)).status).toBe(307);
      } finally {
        await emulator.close();
      }
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("rejects when the identity port is taken, and refuses invalid options", async () => {
    await expect(startEmulator({ http: true, port: portOf(env.emu.idcsUrl) })).rejects.toThrow(/EADDRINUSE/);
    await expect(startEmulator({ port: 70000 })).rejects.toThrow("Invalid port 70000: use 0-65535.");
    await expect(startEmulator({ instances: [{ name: "Bad_Name" }] })).rejects.toThrow(
      'Invalid instance name "Bad_Name": use lower-case letters, digits and hyphens.',
    );
    await expect(startEmulator({ instances: [{ name: "oicdev-emulator-ia" }] })).rejects.toThrow(
      'Duplicate instance name "oicdev-emulator-ia".',
    );
    await expect(startEmulator({ instances: [{ name: "x", region: "Mars" }] })).rejects.toThrow(
      'Invalid region "Mars" for x: use an OCI region name like us-ashburn-1.',
    );
    await expect(startEmulator({ tokenTtlSeconds: -1 })).rejects.toThrow(
      "Invalid tokenTtlSeconds -1: use a non-negative integer.",
    );
    await expect(
      // A value from outside TypeScript (JSON, a test harness): checked when the emulator starts.
      startEmulator({ missingRoleAnswer: "418" as unknown as "403-not-authorized" }),
    ).rejects.toThrow(
      'Invalid missingRoleAnswer "418": use 401-not-authorized, 401-not-authenticated or 403-not-authorized.',
    );
    await expect(startEmulator({ adminKeyTenancyOcid: "ocid1.tenancy.oc1..x" })).rejects.toThrow(
      "adminKeyTenancyOcid and adminKeyUserOcid need adminPublicKeyPem, the key they own.",
    );
    await expect(startEmulator({ adminPublicKeyPem: "nope" })).rejects.toThrow(
      "adminPublicKeyPem is not a PEM public key.",
    );
    await expect(
      startEmulator({ http: true, apps: [{ displayName: "x", roles: ["ServiceGod"] }] }),
    ).rejects.toThrow('Seed app "x": instance oicdev-emulator-ia has no role "ServiceGod".');
  });
});
