import { CONNECTIONS_REQUEST, rolesRequiredBy, probeCanPassWith, type Probe } from "./probes";
import { MINIMUM_DEVELOPER_API_ROLE } from "./roles";

/** Why a probe cannot pass with a client's roles, in two parts that each caller frames its own way. */
export interface ProbeRoleMismatch {
  /** `<subject> cannot pass the "connections" probe: GET … needs one of …`; lower case, no full stop. */
  readonly problem: string;
  /** `add "ServiceUser" (…), or <switch to the token probe>`; lower case, no full stop. */
  readonly fix: string;
}

export interface ProbeRoleWording {
  /** How the roles are named: the stack config writes `{value}`. Default: `the roles ["…"]`. */
  readonly subject?: string;
  /** How the user turns to the token probe: the stack config names its key. Default: `use the "token" probe`. */
  readonly useTokenProbe?: string;
}

/**
 * Why a probe cannot pass with these roles, or undefined when it can: the one wording of this rule, for the stack
 * config, the component and the verifier's hint. ServiceInvoker may only invoke integrations; listing connections
 * needs ServiceUser or a role above it ("ServiceUser is the minimum role required to call the Developer APIs",
 * https://docs.oracle.com/en/cloud/paas/application-integration/integrations-user/check-roles-assigned-your-confidential-application.html).
 */
export function probeRoleMismatch(
  probe: Probe,
  roles: readonly string[],
  wording: ProbeRoleWording = {},
): ProbeRoleMismatch | undefined {
  if (probeCanPassWith(probe, roles)) return undefined;
  const subject = wording.subject ?? `the roles ${JSON.stringify(roles)}`;
  return {
    problem:
      `${subject} cannot pass the "${probe}" probe: ${CONNECTIONS_REQUEST} needs one of ` +
      rolesRequiredBy(probe).join(", "),
    fix:
      `add "${MINIMUM_DEVELOPER_API_ROLE}" (the documented minimum for the Developer APIs), ` +
      `or ${wording.useTokenProbe ?? 'use the "token" probe'}`,
  };
}

/** The mismatch as two sentences, e.g. for an error message; undefined when the probe can pass. */
export function probeRoleProblem(probe: Probe, roles: readonly string[]): string | undefined {
  const mismatch = probeRoleMismatch(probe, roles);
  return mismatch === undefined ? undefined : `${sentence(mismatch.problem)} ${sentence(mismatch.fix)}`;
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
