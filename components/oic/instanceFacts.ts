import { OicFactsError } from "./errors";
import {
  ORACLE_RUNTIME_URL_SHAPE,
  SERVICE_INSTANCE_NAME_SOURCE,
  serviceInstanceNameFromRuntimeUrl,
} from "./serviceInstanceName";
import { ORACLE_DESIGN_TIME_URL_SHAPE, originOfReportedUrl, type OriginRules } from "./urls";

/**
 * The part of `oci.integration.getIntegrationInstance`'s result this program reads. pulumi-oci turns the nested
 * `idcsInfo` object of the OCI API into the array `idcsInfos` (see `types/output.d.ts`,
 * `Integration.GetIntegrationInstanceIdcsInfo`), hence `idcsInfos[0]`.
 */
export interface IntegrationInstanceData {
  readonly id?: string;
  readonly displayName?: string;
  readonly idcsInfos?: ReadonlyArray<{
    readonly idcsAppId?: string;
    readonly instancePrimaryAudienceUrl?: string;
  }>;
  readonly instanceDesignTimeUrl?: string;
  readonly instanceUrl?: string;
}

/** Facts the stack sets explicitly; each one wins over the fact derived from the instance. */
export interface InstanceFactOverrides {
  /** OCID of the integration instance (the facts are then read from OCI). */
  readonly id?: string;
  readonly designTimeUrl?: string;
  /** Service-instance name. */
  readonly name?: string;
  readonly idcsAppId?: string;
  readonly audience?: string;
  readonly runtimeUrl?: string;
}

/** What the program needs to know about the OIC instance a client is for. */
export interface OicInstanceFacts {
  /** OCID of the integration instance, when the stack names one. */
  readonly instanceId?: string;
  /** Display name of the instance, as OCI reports it (only when read by OCID). */
  readonly displayName?: string;
  /** Id (32 hex) of the instance's app in the identity domain: the app that defines the roles and the scopes. */
  readonly oicAppId: string;
  /** Primary audience, e.g. `https://<GUID>.integration.<region>.ocp.oraclecloud.com:443`, when known. */
  readonly audience?: string;
  /** Origin of the design-time host, where the Developer API is called. */
  readonly designTimeUrl: string;
  /** Origin of the runtime host, when known. */
  readonly runtimeUrl?: string;
  /** Service-instance name: the `integrationInstance` query value on design-time URLs. */
  readonly integrationInstance: string;
}

export interface DeriveInstanceFactsOptions extends OriginRules {
  /** How a fix names the setting that overrides a fact, e.g. `oic-client-provisioner:integrationInstance.name`. */
  readonly settingName?: (field: keyof InstanceFactOverrides) => string;
}

/** A resource id in an identity domain: 32 hex characters (OCI Identity Domains API, response bodies). */
export const IDCS_RESOURCE_ID = /^[0-9a-fA-F]{32}$/;

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * Derives the instance facts from the integration instance (when read by OCID) and the stack's overrides.
 * Every fact that can be neither derived nor taken from an override is a problem; all problems are thrown
 * together as one `OicFactsError`.
 */
export function deriveInstanceFacts(
  overrides: InstanceFactOverrides,
  data: IntegrationInstanceData | undefined,
  options: DeriveInstanceFactsOptions = {},
): OicInstanceFacts {
  const setting = options.settingName ?? ((field) => `integrationInstance.${field}`);
  const rules: OriginRules = {
    allowPlainHttpOnLoopback: options.allowPlainHttpOnLoopback === true,
    ...(options.plainHttpSwitch === undefined ? {} : { plainHttpSwitch: options.plainHttpSwitch }),
  };
  const subject =
    data === undefined ? undefined : `The integration instance ${overrides.id ?? data.id ?? "(unnamed)"}`;
  const problems: string[] = [];
  if (data !== undefined && present(data.id) === undefined) {
    // The OCI provider answers a missing instance with an empty result, not an error (terraform-provider-oci
    // internal/tfresource/errors.go handleMissingResourceError swallows the 404): say what that means.
    throw new OicFactsError([
      `OCI returned nothing for the integration instance ${overrides.id ?? "(no OCID)"}: it does not exist, is in ` +
        `another region than oci:region, or the deployer may not read it (a policy that allows ` +
        `"read integration-instances" in its compartment). Check ${setting("id")}.`,
    ]);
  }
  const idcsInfo = data?.idcsInfos?.[0];

  let oicAppId = present(overrides.idcsAppId);
  if (oicAppId === undefined) {
    const reported = present(idcsInfo?.idcsAppId);
    if (subject === undefined) {
      problems.push(`${setting("idcsAppId")} is required when ${setting("id")} is not set.`);
    } else if (reported === undefined) {
      problems.push(
        `${subject} reports no identity-domain app id (idcsInfos[0].idcsAppId is empty). ` +
          `Set ${setting("idcsAppId")} to the id of the instance's app (32 hex, under Oracle Cloud Services in the identity domain).`,
      );
    } else if (!IDCS_RESOURCE_ID.test(reported)) {
      problems.push(
        `${subject} reports the identity-domain app id "${reported}", which is not 32 hex characters. ` +
          `Set ${setting("idcsAppId")} to the id of the instance's app.`,
      );
    } else {
      oicAppId = reported;
    }
  }

  const audience = present(overrides.audience) ?? present(idcsInfo?.instancePrimaryAudienceUrl);

  let designTimeUrl = present(overrides.designTimeUrl);
  if (designTimeUrl === undefined) {
    const reported = present(data?.instanceDesignTimeUrl);
    if (subject === undefined) {
      problems.push(`${setting("designTimeUrl")} is required when ${setting("id")} is not set.`);
    } else if (reported === undefined) {
      problems.push(
        `${subject} reports no design-time URL (instanceDesignTimeUrl is empty; Oracle Integration 3 instances have one). ` +
          `Set ${setting("designTimeUrl")} to ${ORACLE_DESIGN_TIME_URL_SHAPE}.`,
      );
    } else {
      const check = originOfReportedUrl(reported, rules);
      if (check.ok) designTimeUrl = check.origin;
      else
        problems.push(
          `${subject} reports the design-time URL "${reported}", which ${check.problem}` +
            `${check.fix === undefined ? "" : `; ${check.fix}`}. Set ${setting("designTimeUrl")} to override it.`,
        );
    }
  }

  let runtimeUrl = present(overrides.runtimeUrl);
  const reportedRuntimeUrl = present(data?.instanceUrl);
  if (runtimeUrl === undefined && reportedRuntimeUrl !== undefined) {
    const check = originOfReportedUrl(reportedRuntimeUrl, rules);
    if (check.ok) runtimeUrl = check.origin;
  }

  let integrationInstance = present(overrides.name);
  if (integrationInstance === undefined) {
    const fix = `Set ${setting("name")} to ${SERVICE_INSTANCE_NAME_SOURCE}.`;
    const derived = runtimeUrl === undefined ? undefined : serviceInstanceNameFromRuntimeUrl(runtimeUrl);
    if (derived !== undefined) {
      integrationInstance = derived;
    } else if (runtimeUrl !== undefined) {
      problems.push(
        `The service-instance name cannot be derived: the runtime URL "${runtimeUrl}" is not in Oracle's shape ` +
          `${ORACLE_RUNTIME_URL_SHAPE}. ${fix}`,
      );
    } else if (subject !== undefined) {
      const why =
        reportedRuntimeUrl === undefined
          ? "reports no runtime URL (instanceUrl is empty)"
          : `reports the runtime URL "${reportedRuntimeUrl}", which is not a usable https URL`;
      problems.push(
        `The service-instance name cannot be derived: ${subject.replace(/^The/, "the")} ${why}. ${fix}`,
      );
    } else {
      problems.push(
        `${setting("name")} (or an Oracle-shaped ${setting("runtimeUrl")}) is required when ${setting("id")} is not set.`,
      );
    }
  }

  const displayName = present(data?.displayName);
  if (
    problems.length > 0 ||
    oicAppId === undefined ||
    designTimeUrl === undefined ||
    integrationInstance === undefined
  ) {
    throw new OicFactsError(problems);
  }
  return {
    ...(overrides.id === undefined ? {} : { instanceId: overrides.id }),
    ...(displayName === undefined ? {} : { displayName }),
    oicAppId,
    ...(audience === undefined ? {} : { audience }),
    designTimeUrl,
    ...(runtimeUrl === undefined ? {} : { runtimeUrl }),
    integrationInstance,
  };
}
