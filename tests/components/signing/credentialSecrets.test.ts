/**
 * No secret in anything the resolver says: every message, summary and "looked at" entry of a run of scenarios,
 * and the whole resolution as JSON and as util.inspect shows it, is scanned for each key (PEM, encrypted PEM, the
 * normalized PEM, a line of each), each passphrase and each token, by value.
 */
import { inspect } from "node:util";

import { describe, expect, it } from "vitest";

import {
  checkCredentialsResolvable,
  resolveOciCredentials,
  Secret,
  signingProviderFor,
  type CredentialSources,
} from "../../../components/signing";
import { fakeFiles, HOME, labelledKey, profileText, secretsOf, sources } from "./credentialFixtures";

const inline = labelledKey("inline");
const encrypted = labelledKey("encrypted");
const session = labelledKey("session");
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4_102_444_800, sub: "x" })).toString("base64url")}.c2VjcmV0LXNpZ25hdHVyZS1vZi10aGUtdG9rZW4`;
const RPST = TOKEN.replace("c2Vj", "cnBzd");
const SECRETS = [...secretsOf(inline, encrypted, session), TOKEN, RPST, TOKEN.split(".")[2] ?? ""];

const identity = { tenancyOcid: inline.tenancy, userOcid: inline.user, fingerprint: inline.fingerprint };

function files() {
  return fakeFiles({
    [`${HOME}/.oci/config`]:
      profileText("DEFAULT", encrypted, "~/.oci/encrypted.pem", { pass_phrase: encrypted.passphrase }) +
      profileText("ci", session, "~/.oci/session.pem", { security_token_file: "~/.oci/token" }).replace(
        /^user=.*\n/m,
        "",
      ),
    [`${HOME}/.oci/encrypted.pem`]: encrypted.encryptedPem,
    [`${HOME}/.oci/session.pem`]: session.encryptedPem,
    [`${HOME}/.oci/token`]: TOKEN,
    "/rp/key.pem": session.privateKeyPem,
  });
}

/** Each scenario: its name, whether it resolves, its sources. */
const SCENARIOS: ReadonlyArray<readonly [string, boolean, () => CredentialSources]> = [
  [
    "an inline key in the settings",
    true,
    () => sources(files(), { ...identity, privateKey: inline.privateKeyPem }),
  ],
  [
    "an inline key that does not parse",
    true,
    () => sources(files(), { ...identity, privateKey: `${inline.privateKeyPem}x` }),
  ],
  [
    "an inline encrypted key with the wrong passphrase",
    true,
    () =>
      sources(files(), {
        ...identity,
        privateKey: encrypted.encryptedPem,
        privateKeyPassword: inline.passphrase,
      }),
  ],
  [
    "an inline key in TF_VAR_private_key with no key id anywhere",
    false,
    () =>
      sources(
        fakeFiles(),
        {},
        { TF_VAR_private_key: inline.privateKeyPem, TF_VAR_private_key_password: inline.passphrase },
      ),
  ],
  ["the config file's encrypted key and pass_phrase", true, () => sources(files())],
  [
    "a security token profile whose key needs a passphrase",
    false,
    () => sources(files(), { auth: "SecurityToken", region: "us-ashburn-1", configFileProfile: "ci" }),
  ],
  [
    "a security token profile with its passphrase",
    true,
    () =>
      sources(files(), {
        auth: "SecurityToken",
        region: "us-ashburn-1",
        configFileProfile: "ci",
        privateKeyPassword: session.passphrase,
      }),
  ],
  [
    "an expired security token",
    false,
    () =>
      sources(
        files(),
        {
          auth: "SecurityToken",
          region: "us-ashburn-1",
          configFileProfile: "ci",
          privateKeyPassword: session.passphrase,
        },
        {},
        { now: () => 4_102_444_800_001 },
      ),
  ],
  [
    "a resource principal with inline values",
    true,
    () =>
      sources(
        files(),
        { auth: "ResourcePrincipal" },
        {
          OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
          OCI_RESOURCE_PRINCIPAL_RPST: RPST,
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: encrypted.encryptedPem,
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE: encrypted.passphrase,
          OCI_RESOURCE_PRINCIPAL_REGION: "us-ashburn-1",
        },
      ),
  ],
  [
    "a resource principal whose inline key does not open",
    false,
    () =>
      sources(
        files(),
        { auth: "ResourcePrincipal" },
        {
          OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
          OCI_RESOURCE_PRINCIPAL_RPST: RPST,
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: encrypted.encryptedPem,
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE: inline.passphrase,
        },
      ),
  ],
  [
    "an instance principal with API-key settings it ignores",
    true,
    () =>
      sources(files(), {
        auth: "InstancePrincipal",
        region: "us-ashburn-1",
        privateKey: inline.privateKeyPem,
        privateKeyPassword: inline.passphrase,
      }),
  ],
];

function leaks(text: string): string[] {
  return SECRETS.filter((secret) => secret.length > 0 && text.includes(secret)).map((secret) =>
    secret.slice(0, 12),
  );
}

describe("no secret in what the resolver says", () => {
  it.each(SCENARIOS)("%s", async (_name, resolves, make) => {
    const resolution = await resolveOciCredentials(make());
    expect(resolution.ok).toBe(resolves);
    const check = await checkCredentialsResolvable(make());
    // The instance principal's builder would call the metadata service: not here.
    const reachesOut = resolution.ok && resolution.credentials.signer.kind === "instancePrincipal";
    const thrown = reachesOut
      ? ""
      : await signingProviderFor(make()).then(
          () => "",
          (error: unknown) =>
            error instanceof Error ? `${error.message}\n${inspect(error)}` : String(error),
        );
    const said = [
      JSON.stringify(resolution),
      inspect(resolution, { depth: 20, showHidden: true }),
      String(resolution.ok ? resolution.credentials.summary : resolution.message),
      JSON.stringify(check),
      // The API-key signer's own key is revealed only on purpose; the rest of it is scanned.
      thrown,
    ].join("\n");
    expect(leaks(said)).toEqual([]);
  });

  it("a Secret prints, serializes and inspects as [secret], and reveals only on request", () => {
    const secret = new Secret(inline.passphrase);
    expect([String(secret), "x" + String(secret), JSON.stringify({ secret }), inspect({ secret })]).toEqual([
      "[secret]",
      "x[secret]",
      '{"secret":"[secret]"}',
      "{ secret: [secret] }",
    ]);
    expect(secret.reveal()).toBe(inline.passphrase);
  });

  it("resolves the key it cannot show: the scan would see it if it leaked", async () => {
    const resolution = await resolveOciCredentials(
      sources(files(), { ...identity, privateKey: inline.privateKeyPem }),
    );
    expect(
      resolution.ok &&
        resolution.credentials.signer.kind === "apiKey" &&
        leaks(resolution.credentials.signer.privateKey.reveal()),
    ).not.toEqual([]);
  });
});
