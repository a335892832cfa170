import { OicFactsError } from "./errors";

/**
 * A string literal in a SCIM filter (RFC 7644 §3.4.2.2: JSON string syntax). Escaping keeps an odd value from
 * changing the filter's meaning.
 */
export function scimStringLiteral(value: string): string {
  return JSON.stringify(value);
}

/**
 * The filter that finds one OIC role unambiguously. Every OIC instance's app defines the same role names, so
 * the display name alone would match the roles of every instance in the domain
 * (https://github.com/oracle/terraform-provider-oci/issues/2095).
 */
export function appRoleFilter(role: string, oicAppId: string): string {
  return `displayName eq ${scimStringLiteral(role)} and app.value eq ${scimStringLiteral(oicAppId)}`;
}

/**
 * The part of an app role this program reads. pulumi-oci's `getDomainsAppRoles` turns the nested `app` object
 * into the array `apps` (`Identity.GetDomainsAppRolesAppRole`).
 */
export interface AppRoleView {
  readonly id: string;
  readonly displayName?: string;
  readonly apps?: ReadonlyArray<{ readonly value?: string }>;
}

/**
 * The id of the one role named `role` that the OIC app defines. The lookup's own filter should already have
 * narrowed the list; the roles are checked again so that a server that ignored the filter cannot make us grant
 * a role of another app. Anything but exactly one match is an error.
 */
export function selectAppRoleId(found: readonly AppRoleView[], role: string, oicAppId: string): string {
  const matches = found.filter(
    (candidate) =>
      candidate.displayName === role &&
      (candidate.apps === undefined ||
        candidate.apps.length === 0 ||
        candidate.apps.some((app) => app.value === oicAppId)),
  );
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) return only.id;
  const ids = matches.length === 0 ? "" : ` (ids ${matches.map((match) => match.id).join(", ")})`;
  const hint =
    matches.length === 0
      ? `Check that ${oicAppId} is the integration instance's app (idcsInfos[0].idcsAppId) and that the role name is one Oracle Integration defines.`
      : "The program does not guess which one to grant: check the app's roles in the identity domain (Oracle Cloud Services, the instance, Application roles).";
  throw new OicFactsError([
    `Expected exactly 1 app role "${role}" in the OIC app ${oicAppId}, found ${matches.length}${ids}. ${hint}`,
  ]);
}
