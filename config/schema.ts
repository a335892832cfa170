/**
 * The zod schema of each top-level key. Each key is parsed on its own, so that a mistake in one concern does not
 * hide the mistakes in another; the checks themselves are the pure helpers of `validate.ts`.
 */
import { z } from "zod";
import { ALL_OIC_SCOPE_KINDS, OicRole, Probe } from "../components/oic";
import type { ProblemParams } from "./issues";
import {
  checkAudience,
  checkCaFile,
  checkReadableFile,
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
  duplicates,
  runtimeUrlNamesInstance,
  type Check,
  type FileContext,
} from "./validate";

export interface SchemaContext {
  /** Read from `identityDomain.allowPlainHttpOnLoopback` before the rest, as the URL checks depend on it. */
  readonly allowPlainHttpOnLoopback: boolean;
  readonly files: FileContext;
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
function wholeNumber(min: number, max: number, defaultValue: number) {
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

export function identityDomainSchema(context: SchemaContext) {
  return z.strictObject({
    endpoint: fromCheck((raw) => checkIdentityDomainEndpoint(raw, context.allowPlainHttpOnLoopback)),
    allowPlainHttpOnLoopback: flag(false),
  });
}

export function integrationInstanceSchema(context: SchemaContext) {
  const oicUrl = fromCheck((raw) => checkOicUrl(raw, context.allowPlainHttpOnLoopback));
  return z
    .strictObject({
      id: fromCheck(checkIntegrationInstanceOcid).optional(),
      designTimeUrl: oicUrl.optional(),
      name: fromCheck(checkServiceInstanceName).optional(),
      idcsAppId: fromCheck(checkIdcsAppId).optional(),
      audience: fromCheck(checkAudience).optional(),
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
              "{value} is not in Oracle's shape https://<name>.integration.<region>.ocp.oraclecloud.com, " +
              "so the service-instance name cannot be derived from it",
            fix: 'set {sibling:name} to the "Service instance" value on the instance\'s About page',
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
            fix: `set it to the design-time URL, e.g. https://design.integration.us-ashburn-1.ocp.oraclecloud.com, ${orSetId}`,
          },
          ["designTimeUrl"],
        );
      }
      if (instance.name === undefined && instance.runtimeUrl === undefined) {
        issue(
          ctx,
          {
            problem: "is required when {sibling:id} is not set",
            fix: `set it to the "Service instance" value on the instance's About page, or set {sibling:runtimeUrl}, ${orSetId}`,
          },
          ["name"],
        );
      }
    });
}

export const displayNamePrefixSchema = fromCheck(checkDisplayNamePrefix);

export const clientSchema = z
  .strictObject({
    name: fromCheck(checkClientName),
    displayName: fromCheck(checkDisplayName).optional(),
    description: fromCheck(checkDescription).optional(),
    roles: z.array(roleSchema).min(1),
    scopes: z.array(scopeKindSchema).min(1).optional(),
    probe: probeSchema.optional(),
  })
  .superRefine((client, ctx) => {
    for (const { index, firstIndex } of duplicates(client.roles, (role) => role)) {
      issue(
        ctx,
        { problem: `{value} is listed twice (also at [${firstIndex}])`, fix: "remove the repetition" },
        ["roles", index],
      );
    }
    for (const { index, firstIndex } of duplicates(client.scopes ?? [], (scope) => scope)) {
      issue(
        ctx,
        { problem: `{value} is listed twice (also at [${firstIndex}])`, fix: "remove the repetition" },
        ["scopes", index],
      );
    }
    // An empty list already has its own message.
    const probe = checkProbeRoles(client.probe ?? Probe.connections, client.roles, "{sibling:probe}");
    if (client.roles.length > 0 && !probe.ok)
      issue(ctx, { problem: probe.problem, ...(probe.fix === undefined ? {} : { fix: probe.fix }) }, [
        "roles",
      ]);
  });

export type ClientInput = z.output<typeof clientSchema>;

export const clientsSchema = z.array(clientSchema).min(1);

export function destroySchema(context: SchemaContext) {
  return z.strictObject({
    deactivateBeforeDelete: flag(true),
    ociConfigFile: fromCheck((raw) => checkReadableFile(raw, context.files)).optional(),
  });
}

export function verificationSchema(context: SchemaContext) {
  return z.strictObject({
    retryBudgetSeconds: wholeNumber(0, 1800, 120),
    verifyOnEveryUp: flag(false),
    caFile: fromCheck((raw) => checkCaFile(raw, context.files)).optional(),
    concurrency: wholeNumber(1, 16, 4),
  });
}
