import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";

import { describe, expect, it } from "vitest";

import { createHttpClient, isHttpError } from "../../../components/http";
import {
  createSignedClient,
  signingProviderFor,
  type OciProviderSettings,
} from "../../../components/signing";
import { newApiKey } from "../../tools/emulator/ociSigning";
import { useEmulator } from "../../support/emulator";

const key = newApiKey();
const otherKey = newApiKey();
const env = useEmulator({ adminPublicKeyPem: key.publicKeyPem });

function explicit(apiKey = key) {
  return {
    tenancyOcid: apiKey.tenancy,
    userOcid: apiKey.user,
    fingerprint: apiKey.fingerprint,
    privateKey: apiKey.privateKeyPem,
  };
}

/** oci-common's provider for the settings alone: no variable of the test's environment stands in. */
async function providerFor(
  settings: OciProviderSettings,
  extra: { configFile?: string; homeDir?: string } = {},
) {
  return (await signingProviderFor({ settings, env: {}, ...extra })).provider;
}

function httpClient() {
  return createHttpClient({ caFile: env.emu.caFile ?? undefined, timeoutMs: 5_000 });
}

describe("createSignedClient", () => {
  it("signs a GET and a PUT with a body the way the identity domain verifies them", async () => {
    const client = createSignedClient(httpClient(), await providerFor(explicit()));
    const created = await env.createClient({ roles: ["ServiceUser"] });

    const got = await client.request({
      method: "GET",
      url: `${env.emu.idcsUrl}/admin/v1/Apps/${created.appId}`,
    });
    expect(got.status).toBe(200);
    expect((JSON.parse(got.body) as { active: boolean }).active).toBe(true);

    const changed = await client.request({
      method: "PUT",
      url: `${env.emu.idcsUrl}/admin/v1/AppStatusChanger/${created.appId}`,
      body: { active: false, schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"] },
    });
    expect(changed.status).toBe(200);
    expect(env.emu.control.state().apps.find((app) => app.id === created.appId)?.active).toBe(false);
  });

  it("is refused with 401 when signed by a key the domain does not know", async () => {
    const client = createSignedClient(httpClient(), await providerFor(explicit(otherKey)));
    const failure = await client
      .request({ method: "GET", url: `${env.emu.idcsUrl}/admin/v1/Apps` })
      .catch((error: unknown) => error);
    expect(isHttpError(failure) && failure.status).toBe(401);
    expect(inspect(failure)).not.toContain("Signature");
  });

  it("reads the key from a profile of an OCI CLI config file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oci-config-"));
    writeFileSync(join(dir, "key.pem"), key.privateKeyPem, { mode: 0o600 });
    writeFileSync(
      join(dir, "config"),
      [
        "[DEFAULT]",
        "user=ocid1.user.oc1..someoneelse",
        "fingerprint=00:00",
        `key_file=${join(dir, "missing.pem")}`,
        "tenancy=ocid1.tenancy.oc1..x",
        "region=us-ashburn-1",
        "[DEPLOYER]",
        `user=${key.user}`,
        `fingerprint=${key.fingerprint}`,
        `key_file=${join(dir, "key.pem")}`,
        `tenancy=${key.tenancy}`,
        "region=us-ashburn-1",
        "",
      ].join("\n"),
    );
    const provider = await providerFor(
      { configFileProfile: "DEPLOYER" },
      { configFile: join(dir, "config"), homeDir: dir },
    );
    const client = createSignedClient(httpClient(), provider);
    const listed = await client.request({ method: "GET", url: `${env.emu.idcsUrl}/admin/v1/Apps?count=1` });
    expect(listed.status).toBe(200);
  });
});
