import { stackOutputsSchema, type StackOutputs } from "../../cli/stackOutputs";
import type { EmulatorHandle } from "../emulator";
import type { Deployment } from "./engine/rehearse";
import type { DeployedResource } from "./engine/resourceGraph";
import type { EmulatedOciProvider } from "./ociProvider/emulatedProvider";

/** One row of the rehearsal's summary. Nothing here is secret: the client secret is only shown masked. */
export interface ClientSummary {
  readonly name: string;
  readonly clientId: string;
  readonly secretMasked: string;
  /** The roles the identity domain holds grants of for the app (read back, not the configuration). */
  readonly rolesGranted: readonly string[];
  /** The scope values in the app's `allowedScopes` (the fully qualified scope without the audience). */
  readonly scopes: readonly string[];
  readonly probe: string;
  /** The access check's diagnosis, or `not checked` for probe none. */
  readonly check: string;
  readonly connections: number | null;
  /** From the first registration of the client's resources to the last answer. */
  readonly elapsedMs: number;
}

/** A deployment's stack outputs, read as `oic-verify --stack` reads them (the one definition of their shape). */
export function stackOutputsOf(deployment: Deployment): StackOutputs {
  return stackOutputsSchema.parse(deployment.outputs ?? {});
}

/** `idcscs-1b2c…` → `idcscs-****…****`: shows the kind of value, none of it. */
export function maskSecret(secret: string): string {
  const prefix = secret.startsWith("idcscs-") ? "idcscs-" : "";
  return `${prefix}${"*".repeat(8)}`;
}

function clientTime(name: string, resources: readonly DeployedResource[]): number {
  const own = resources.filter((resource) => resource.name === name || resource.name.startsWith(`${name}-`));
  if (own.length === 0) return 0;
  return Math.max(...own.map((r) => r.finishedAt)) - Math.min(...own.map((r) => r.startedAt));
}

/** The summary of a successful deployment, with the granted roles read back from the identity domain. */
export async function summarise(
  deployment: Deployment,
  emulator: EmulatorHandle,
  provider: EmulatedOciProvider,
): Promise<ClientSummary[]> {
  const { clients, clientSecrets } = stackOutputsOf(deployment);
  const roles = await provider.getAppRoles({
    idcsEndpoint: emulator.idcsUrl,
    appRoleFilter: `app.value eq "${emulator.oicAppId}"`,
  });
  const roleNames = new Map(
    (roles["appRoles"] as { id: string; displayName: string }[]).map((role) => [role.id, role.displayName]),
  );
  const grants = emulator.control.state().grants;
  return Object.entries(clients).map(([name, client]) => ({
    name,
    clientId: client.clientId,
    secretMasked: maskSecret(clientSecrets[name] ?? ""),
    rolesGranted: grants
      .filter((grant) => grant.granteeId === client.appId)
      .map((grant) => roleNames.get(grant.roleId) ?? grant.roleId),
    scopes: client.allowedScopes.map((fqs) =>
      client.audience !== undefined && fqs.startsWith(client.audience)
        ? fqs.slice(client.audience.length)
        : fqs,
    ),
    probe: client.probe,
    check: client.accessCheck?.diagnosis ?? "not checked",
    connections: client.accessCheck?.connections ?? null,
    elapsedMs: clientTime(name, deployment.resources),
  }));
}
