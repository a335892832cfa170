/**
 * The zod schema of each top-level key: the one description of the stack config. Each key is parsed on its own,
 * so that a mistake in one concern does not hide the mistakes in another; the checks themselves are the pure
 * helpers of `validate.ts`. The config's types (`types.ts`), its known keys (`keys.ts`) and its fix per key
 * (`guide.ts`) are derived from these schemas.
 */
import { z } from "zod";
import {
  ALL_OIC_SCOPE_KINDS,
  DEFAULT_PROBE,
  DEFAULT_SCOPE_KINDS,
  ORACLE_DESIGN_TIME_URL_SHAPE,
  ORACLE_RUNTIME_URL_SHAPE,
  OicRole,
  Probe,
  REPETITION_FIX,
  repetitionProblem,
  repetitions,
  SERVICE_INSTANCE_NAME_SOURCE,
} from "../components/oic";
import {
  DEFAULT_DEACTIVATE_BEFORE_DELETE,
  DEFAULT_DEPLOYMENT_CONCURRENCY,
  DEFAULT_RETRY_BUDGET_SECONDS,
} from "../components/verifier/defaults";
import type { ProblemParams } from "./issues";
import {
  checkAudience,
  checkCaFile,
  checkReadableFileAsWritten,
  checkClientName,
  checkDescription,
  checkDisplayName,
  checkDisplayNamePrefix,
  checkIdcsAppId,
  checkIdentityDomainEndpoint,
  checkIntegrationInstanceOcid,
  checkOicUrl,
  checkProbeRoles,
  checkServiceInstanceName,
  runtimeUrlNamesInstance,
  type Check,
  type FileContext,
} from "./validate";

export interface SchemaContext {
  /** Read from `identityDomain.allowPlainHttpOnLoopback` before the rest, as the URL checks depend on it. */
  readonly allowPlainHttpOnLoopback: boolean;
  readonly files: FileContext;
}

/** The defaults of the keys a stack may leave out, and the ranges of the numbers; the guide quotes them. */
export const CONFIG_DEFAULTS = {
  allowPlainHttpOnLoopback: false,
  retryBudgetSeconds: DEFAULT_RETRY_BUDGET_SECONDS,
  verifyOnEveryUp: false,
  concurrency: DEFAULT_DEPLOYMENT_CONCURRENCY,
  deactivateBeforeDelete: DEFAULT_DEACTIVATE_BEFORE_DELETE,
} as const;

export const CONFIG_RANGES = {
  /** Half an hour: more than any propagation seen, less than a pipeline's patience. */
  retryBudgetSeconds: { min: 0, max: 1800 },
  concurrency: { min: 1, max: 16 },
} as const;

/** `<stack>-`: stacks that share an identity domain get different display names without setting anything. */
export function defaultDisplayNamePrefix(stack: string): string {
  return `${stack}-`;
}

function issue(ctx: z.RefinementCtx, params: ProblemParams, path?: PropertyKey[]): void {
  ctx.addIssue({ code: "custom", message: params.problem, params, ...(path === undefined ? {} : { path }) });
}

function fromCheck<T>(check: (raw: string) => Check<T>) {
  return z.string().transform((raw, ctx): T => {
    const result = check(raw);
    if (result.ok) return result.value;
    issue(ctx, {
      problem: result.problem,
      ...(result.fix === undefined ? {} : { fix: result.fix }),
    });
    return z.NEVER;
  });
}

/** true/false, or the strings "true"/"false" that `pulumi config set` stores. */
function flag(defaultValue: boolean) {
  return z
    .unknown()
    .optional()
    .transform((raw, ctx): boolean => {
      if (raw === undefined) return defaultValue;
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      issue(ctx, { problem: "{value} is not true or false" });
      return z.NEVER;
    });
}

/** A whole number in a range, or its digits as a string (what `pulumi config set --path` stores). */
function wholeNumber(range: { readonly min: number; readonly max: number }, defaultValue: number) {
  const { min, max } = range;
  return z
    .unknown()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined) return defaultValue;
      const value =
        typeof raw === "number" ? raw : typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (Number.isInteger(value) && value >= min && value <= max) return value;
      issue(ctx, { problem: `{value} is not a whole number from ${min} to ${max}` });
      return z.NEVER;
    });
}

const roleSchema = z.enum(OicRole);
const scopeKindSchema = z.enum(ALL_OIC_SCOPE_KINDS);
const probeSchema = z.enum(Probe);

/** `oic-client-provisioner:identityDomain` */
export function identityDomainSchema(context: SchemaContext) {
  return z.strictObject({
    /** Normal form of the domain URL: `https://idcs-<32 hex>.identity.oraclecloud.com` (no `:443`, no slash). */
    endpoint: fromCheck((raw) => checkIdentityDomainEndpoint(raw, context.allowPlainHttpOnLoopback)),
    /** Plain `http://` accepted for a loopback endpoint (the local emulator) and loopback OIC URLs. */
    allowPlainHttpOnLoopback: flag(CONFIG_DEFAULTS.allowPlainHttpOnLoopback),
  });
}

/**
 * `oic-client-provisioner:integrationInstance`: by OCID (the facts are derived), or explicit facts, or an OCID
 * plus individual overrides. When `id` is absent, `idcsAppId`, `designTimeUrl` and a service-instance name
 * (`name`, or an Oracle-shaped `runtimeUrl`) are present.
 */
export function integrationInstanceSchema(context: SchemaContext) {
  const oicUrl = fromCheck((raw) => checkOicUrl(raw, context.allowPlainHttpOnLoopback));
  return z
    .strictObject({
      /** `ocid1.integrationinstance.<realm>.<region>.<unique id>` */
      id: fromCheck(checkIntegrationInstanceOcid).optional(),
      /** Origin of the design-time host. */
      designTimeUrl: oicUrl.optional(),
      /** Service-instance name (a DNS label). */
      name: fromCheck(checkServiceInstanceName).optional(),
      /** The instance's identity-domain app id (32 hex). */
      idcsAppId: fromCheck(checkIdcsAppId).optional(),
      /** Primary audience, kept exactly as written (the fqs is audience + value). */
      audience: fromCheck(checkAudience).optional(),
      /** Origin of the runtime host. */
      runtimeUrl: oicUrl.optional(),
    })
    .superRefine((instance, ctx) => {
      if (
        instance.name === undefined &&
        instance.runtimeUrl !== undefined &&
        !runtimeUrlNamesInstance(instance.runtimeUrl)
      ) {
        issue(
          ctx,
          {
            problem:
              `{value} is not in Oracle's shape ${ORACLE_RUNTIME_URL_SHAPE}, ` +
              "so the service-instance name cannot be derived from it",
            fix: `set {sibling:name} to ${SERVICE_INSTANCE_NAME_SOURCE}`,
          },
          ["runtimeUrl"],
        );
      }
      if (instance.id !== undefined) return;
      const orSetId = "or set {sibling:id} to the instance's OCID so that OCI reports it";
      if (instance.idcsAppId === undefined) {
        issue(
          ctx,
          {
            problem: "is required when {sibling:id} is not set",
            fix: `set it to the id of the instance's app in the identity domain (32 hex characters), ${orSetId}`,
          },
          ["idcsAppId"],
        );
      }
      if (instance.designTimeUrl === undefined) {
        issue(
          ctx,
          {
            problem: "is required when {sibling:id} is not set",
            fix: `set it to the design-time URL, e.g. ${ORACLE_DESIGN_TIME_URL_SHAPE}, ${orSetId}`,
          },
          ["designTimeUrl"],
        );
      }
      if (instance.name === undefined && instance.runtimeUrl === undefined) {
        issue(
          ctx,
          {
            problem: "is required when {sibling:id} is not set",
            fix: `set it to ${SERVICE_INSTANCE_NAME_SOURCE}, or set {sibling:runtimeUrl}, ${orSetId}`,
          },
          ["name"],
        );
      }
    });
}

/** `oic-client-provisioner:displayNamePrefix`: default `<stack>-` (`defaultDisplayNamePrefix`); may be empty. */
export const displayNamePrefixSchema = fromCheck(checkDisplayNamePrefix);

/** One entry of `oic-client-provisioner:clients`. */
export const clientSchema = z
  .strictObject({
    /** Unique in the stack; names the Pulumi component and its children. */
    name: fromCheck(checkClientName),
    /** The app's display name in the identity domain. Default `displayNamePrefix` + `name`. */
    displayName: fromCheck(checkDisplayName).optional(),
    /** The app's description. Default: `defaultClientDescription(name, stack)`. */
    description: fromCheck(checkDescription).optional(),
    /** At least one; no duplicates. */
    roles: z.array(roleSchema).min(1).readonly(),
    /** Default both (`DEFAULT_SCOPE_KINDS`), as Oracle's recipe adds both. */
    scopes: z
      .array(scopeKindSchema)
      .min(1)
      .readonly()
      .default(() => [...DEFAULT_SCOPE_KINDS]),
    /** Default `DEFAULT_PROBE` (`connections`). */
    probe: probeSchema.default(DEFAULT_PROBE),
  })
  .superRefine((client, ctx) => {
    for (const list of ["roles", "scopes"] as const) {
      for (const repetition of repetitions(client[list])) {
        issue(ctx, { problem: repetitionProblem("{value}", repetition), fix: REPETITION_FIX }, [
          list,
          repetition.index,
        ]);
      }
    }
    // An empty list already has its own message.
    const probe = checkProbeRoles(client.probe, client.roles, "{sibling:probe}");
    if (client.roles.length > 0 && !probe.ok)
      issue(ctx, { problem: probe.problem, ...(probe.fix === undefined ? {} : { fix: probe.fix }) }, [
        "roles",
      ]);
  });

export type ClientInput = z.output<typeof clientSchema>;

/** `oic-client-provisioner:clients`: one or more. */
export const clientsSchema = z.array(clientSchema).min(1).readonly();

/** `oic-client-provisioner:verification`, read by the post-deploy access check. */
export function verificationSchema(context: SchemaContext) {
  return z.strictObject({
    /** How long the access check may retry failures that can heal (propagation, 429, 5xx). */
    retryBudgetSeconds: wholeNumber(CONFIG_RANGES.retryBudgetSeconds, CONFIG_DEFAULTS.retryBudgetSeconds),
    /** Re-run the access check on every `pulumi up`, not only when the client changes. */
    verifyOnEveryUp: flag(CONFIG_DEFAULTS.verifyOnEveryUp),
    /** A PEM file of the CAs to trust (e.g. the emulator's), as written: read when the checks and the destroy run. */
    caFile: fromCheck((raw) => checkCaFile(raw, context.files)).optional(),
    /** How many clients are checked at the same time. */
    concurrency: wholeNumber(CONFIG_RANGES.concurrency, CONFIG_DEFAULTS.concurrency),
  });
}

/**
 * `oic-client-provisioner:destroy`. The provider deletes an active app without deactivating it and the identity
 * domain refuses (https://github.com/oracle/terraform-provider-oci/issues/2507), so a small step deactivates each
 * app just before its delete, signed as the provider signs, with credentials resolved when it runs.
 */
export function destroySchema(context: SchemaContext) {
  return z.strictObject({
    /** Deactivate each app through `AppStatusChanger` before the provider deletes it. */
    deactivateBeforeDelete: flag(CONFIG_DEFAULTS.deactivateBeforeDelete),
    /**
     * An OCI config file the step reads instead of the provider's ~/.oci/config: as written (relative to the
     * project directory or under `~/`), since the step reads it when a destroy runs.
     */
    ociConfigFile: fromCheck((raw) => checkReadableFileAsWritten(raw, context.files)).optional(),
  });
}

/** The schema of every top-level key, in the order a stack file lists them and the messages name them. */
export function stackConfigSchemas(context: SchemaContext) {
  return {
    identityDomain: identityDomainSchema(context),
    integrationInstance: integrationInstanceSchema(context),
    displayNamePrefix: displayNamePrefixSchema,
    clients: clientsSchema,
    verification: verificationSchema(context),
    destroy: destroySchema(context),
  };
}

export type StackConfigSchemas = ReturnType<typeof stackConfigSchemas>;
