import { join } from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { startEmulator, type EmulatorHandle } from "../../../tools/emulator";
import { createHttpClient } from "../../../components/http";
import { deployerAuthentication, newDeployerKey } from "../../../tools/rehearsal/deployerKey";
import { emulatorMocks } from "../../../tools/rehearsal/engine/emulatorMocks";
import { deploy, destroy } from "../../../tools/rehearsal/engine/rehearse";
import {
  emulatedOciProvider,
  type EmulatedOciProvider,
} from "../../../tools/rehearsal/ociProvider/emulatedProvider";
import { createSignedClient } from "../../../components/signing";

const key = newDeployerKey();
let emulator: EmulatorHandle;
let provider: EmulatedOciProvider;

beforeAll(async () => {
  // A second instance first in line: a role lookup without app.value finds its ServiceUser too.
  emulator = await startEmulator({
    adminPublicKeyPem: key.publicKeyPem,
    instances: [{ name: "oicother-emulator-ia" }],
  });
  provider = emulatedOciProvider({
    client: createSignedClient(
      createHttpClient({ caFile: emulator.caFile ?? undefined }),
      await deployerAuthentication(key),
    ),
    integrationEndpoint: emulator.idcsUrl,
  });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  vi.resetModules();
});

/** Deploys the fixture with one mistake, returns its errors, and destroys whatever it created. */
async function deployWith(mistake: string, target = emulator.instances[1]): Promise<readonly string[]> {
  if (target === undefined) throw new Error("no second instance");
  const config = {
    "fixture:mistake": mistake,
    "fixture:idcsEndpoint": emulator.idcsUrl,
    "fixture:oicAppId": target.oicAppId,
    "fixture:audience": target.audience,
    "fixture:designTimeUrl": emulator.designTimeUrl,
    "fixture:integrationInstance": target.integrationInstance,
    "fixture:caFile": emulator.caFile ?? "",
  };
  const host = { project: "miswired", values: config };
  const deployment = await deploy(
    {
      programPath: join(__dirname, "fixtures", "miswiredProgram.ts"),
      project: "miswired",
      stack: mistake,
      config,
    },
    emulatorMocks(provider, host),
  );
  // Clean up as an operator would after a failed `up`: deactivate the apps, then destroy.
  const admin = createSignedClient(
    createHttpClient({ caFile: emulator.caFile ?? undefined }),
    await deployerAuthentication(key),
  );
  for (const app of emulator.control.state().apps) {
    await admin.request({
      method: "PUT",
      url: `${emulator.idcsUrl}/admin/v1/AppStatusChanger/${app.id}`,
      body: { active: false, schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"] },
    });
  }
  const destruction = await destroy(deployment.resources, provider, host);
  expect(destruction.ok).toBe(true);
  expect(emulator.control.state()).toEqual({ apps: [], grants: [] });
  return deployment.errors;
}

describe("wiring mistakes fail in the rehearsal as they would in a tenancy", () => {
  it("the fixture without a mistake deploys and passes its access check", async () => {
    expect(await deployWith("none")).toEqual([]);
  });

  it("a grant whose grantee is the client id (the app's name) instead of the app's id", async () => {
    const [error, ...rest] = await deployWith("grantee-client-id");
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^CreateGrant \(POST https:\/\/127\.0\.0\.1:\d+\/admin\/v1\/Grants\): Error returned by IdentityDomains Service\. Http Status Code: \d{3}\. Error Code: BadErrorResponse\. Detail: .+/,
    );
  });

  it("a fully qualified scope built with a separator, which the OIC app does not publish", async () => {
    const [error, ...rest] = await deployWith("scope-separator");
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^CreateApp \(POST https:\/\/127\.0\.0\.1:\d+\/admin\/v1\/Apps\): Error returned by IdentityDomains Service\. Http Status Code: 400\. Error Code: BadErrorResponse\. Detail: .+/,
    );
  });

  it("a role lookup without app.value, which picks another instance's ServiceUser", async () => {
    const [error, ...rest] = await deployWith("lookup-without-app");
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^CreateGrant \(POST .*\/admin\/v1\/Grants\): Error returned by IdentityDomains Service\. Http Status Code: 400\. Error Code: BadErrorResponse\. Detail: .+/,
    );
  });

  it("a client id taken from the app's id instead of its name", async () => {
    const [error, ...rest] = await deployWith("client-id-from-id");
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^access check of client [0-9a-f]{32} failed after 1 attempt\(s\) \[invalid_client\]: /,
    );
  });
});
