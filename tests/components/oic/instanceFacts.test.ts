import { describe, expect, it } from "vitest";
import { problemsOf } from "./problems";
import { deriveInstanceFacts, type IntegrationInstanceData } from "../../../components/oic/instanceFacts";

const OCID = "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid";
const APP_ID = "0123456789abcdef0123456789abcdef";
const AUDIENCE = "https://ABCDEF0123456789ABCDEF0123456789.integration.us-ashburn-1.ocp.oraclecloud.com:443";

const instance: IntegrationInstanceData = {
  id: OCID,
  displayName: "oicdev",
  idcsInfos: [{ idcsAppId: APP_ID, instancePrimaryAudienceUrl: AUDIENCE }],
  instanceDesignTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
  instanceUrl: "https://oicdev-axhknnpmgslz-ia.integration.us-ashburn-1.ocp.oraclecloud.com/ic/home/",
};

describe("deriveInstanceFacts", () => {
  it("derives every fact from the integration instance read by OCID", () => {
    expect(deriveInstanceFacts({ id: OCID }, instance)).toEqual({
      instanceId: OCID,
      displayName: "oicdev",
      oicAppId: APP_ID,
      audience: AUDIENCE,
      designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
      runtimeUrl: "https://oicdev-axhknnpmgslz-ia.integration.us-ashburn-1.ocp.oraclecloud.com",
      integrationInstance: "oicdev-axhknnpmgslz-ia",
    });
  });

  it("reads an empty answer as a missing instance: the provider turns OCI's 404 into an empty result", () => {
    expect(problemsOf(() => deriveInstanceFacts({ id: OCID }, { id: "" }))).toEqual([
      `OCI returned nothing for the integration instance ${OCID}: it does not exist, is in another region than oci:region, or the deployer may not read it (a policy that allows "read integration-instances" in its compartment). Check integrationInstance.id.`,
    ]);
  });

  it("lets an override win over a derived fact, one field at a time", () => {
    const facts = deriveInstanceFacts(
      { id: OCID, name: "custom-name" },
      {
        ...instance,
        instanceUrl: "https://oic.example.com",
      },
    );
    expect(facts.integrationInstance).toBe("custom-name");
    expect(facts.runtimeUrl).toBe("https://oic.example.com");
    expect(facts.oicAppId).toBe(APP_ID);
  });

  it("works from explicit facts alone, without an instance", () => {
    expect(
      deriveInstanceFacts(
        {
          idcsAppId: APP_ID,
          designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
          runtimeUrl: "https://oicprod-x-ia.integration.us-ashburn-1.ocp.oraclecloud.com",
        },
        undefined,
      ),
    ).toEqual({
      oicAppId: APP_ID,
      designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
      runtimeUrl: "https://oicprod-x-ia.integration.us-ashburn-1.ocp.oraclecloud.com",
      integrationInstance: "oicprod-x-ia",
    });
  });

  it("keeps the reported design-time origin only, and http only on loopback when allowed", () => {
    const emulated = { ...instance, instanceDesignTimeUrl: "http://127.0.0.3:8080/" };
    expect(
      deriveInstanceFacts({ id: OCID }, emulated, { allowPlainHttpOnLoopback: true }).designTimeUrl,
    ).toBe("http://127.0.0.3:8080");
    expect(
      problemsOf(() => deriveInstanceFacts({ id: OCID }, emulated, { plainHttpSwitch: "x:allow" })),
    ).toEqual([
      `The integration instance ${OCID} reports the design-time URL "http://127.0.0.3:8080/", which uses plain http://; ` +
        "use https://, or set x:allow to true (only for a loopback host such as the local emulator). " +
        "Set integrationInstance.designTimeUrl to override it.",
    ]);
  });

  it("reports every missing fact at once, naming the setting that fixes each", () => {
    const setting = (field: string) => `oic-client-provisioner:integrationInstance.${field}`;
    expect(
      problemsOf(() =>
        deriveInstanceFacts(
          { id: OCID },
          { id: OCID, idcsInfos: [], instanceDesignTimeUrl: "", instanceUrl: "" },
          { settingName: setting },
        ),
      ),
    ).toEqual([
      `The integration instance ${OCID} reports no identity-domain app id (idcsInfos[0].idcsAppId is empty). ` +
        "Set oic-client-provisioner:integrationInstance.idcsAppId to the id of the instance's app (32 hex, under Oracle Cloud Services in the identity domain).",
      `The integration instance ${OCID} reports no design-time URL (instanceDesignTimeUrl is empty; Oracle Integration 3 instances have one). ` +
        "Set oic-client-provisioner:integrationInstance.designTimeUrl to https://design.integration.<region>.ocp.oraclecloud.com.",
      `The service-instance name cannot be derived: the integration instance ${OCID} reports no runtime URL (instanceUrl is empty). ` +
        'Set oic-client-provisioner:integrationInstance.name to the "Service instance" value on the instance\'s About page.',
    ]);
  });

  it("explains a runtime URL that is not in Oracle's shape", () => {
    expect(
      problemsOf(() =>
        deriveInstanceFacts({ id: OCID }, { ...instance, instanceUrl: "https://oic.example.com/" }),
      ),
    ).toEqual([
      'The service-instance name cannot be derived: the runtime URL "https://oic.example.com" is not in Oracle\'s shape ' +
        "https://<name>.integration.<region>.ocp.oraclecloud.com. " +
        'Set integrationInstance.name to the "Service instance" value on the instance\'s About page.',
    ]);
  });

  it("refuses an app id that is not an identity-domain id", () => {
    expect(
      problemsOf(() =>
        deriveInstanceFacts({ id: OCID }, { ...instance, idcsInfos: [{ idcsAppId: "OICINST_x" }] }),
      ),
    ).toEqual([
      `The integration instance ${OCID} reports the identity-domain app id "OICINST_x", which is not 32 hex characters. ` +
        "Set integrationInstance.idcsAppId to the id of the instance's app.",
    ]);
  });

  it("without an instance, names what must be set", () => {
    expect(problemsOf(() => deriveInstanceFacts({}, undefined))).toEqual([
      "integrationInstance.idcsAppId is required when integrationInstance.id is not set.",
      "integrationInstance.designTimeUrl is required when integrationInstance.id is not set.",
      "integrationInstance.name (or an Oracle-shaped integrationInstance.runtimeUrl) is required when integrationInstance.id is not set.",
    ]);
  });

  it("leaves the audience out when nothing reports it", () => {
    const facts = deriveInstanceFacts({ id: OCID }, { ...instance, idcsInfos: [{ idcsAppId: APP_ID }] });
    expect("audience" in facts).toBe(false);
  });
});
