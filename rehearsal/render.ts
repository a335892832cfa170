import Table from "cli-table3";

import type { Colors } from "../cli/render";
import type { DeployedResource } from "./engine/resourceGraph";
import type { Rehearsal } from "./run";
import type { ClientSummary } from "./summary";

/** `oci:Identity/domainsApp:DomainsApp` → `DomainsApp`; `pulumi-nodejs:dynamic/x:OicAccessCheck` → `OicAccessCheck`. */
export function shortType(type: string): string {
  return type.split(":").pop() ?? type;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** What a created resource came out as, in a few words (the access check's finding, for instance). */
function createdDetail(resource: DeployedResource): string {
  const state = resource.state;
  if (typeof state["diagnosis"] === "string") {
    const connections =
      typeof state["connections"] === "number" ? `, ${state["connections"]} connections` : "";
    return `${state["diagnosis"]}${connections}`;
  }
  // The key loaded and parsed: the destroy will be able to sign.
  if (typeof state["credentialsSource"] === "string") return "ready to deactivate";
  return "created";
}

export function createdLine(resource: DeployedResource, elapsedMs: number, c: Colors): string {
  return `  ${c.green("+")} ${shortType(resource.type).padEnd(22)} ${resource.name.padEnd(36)} ${createdDetail(resource).padEnd(20)} ${c.dim(ms(elapsedMs))}`;
}

export function failedLine(type: string, name: string, error: unknown, c: Colors): string {
  const message = error instanceof Error ? error.message : String(error);
  return `  ${c.red("✖")} ${shortType(type).padEnd(22)} ${name.padEnd(36)} ${c.red("failed")}: ${message}`;
}

/** A data source call that failed: the engine fails the deployment with the call's own message. */
export function failedCallLine(token: string, error: unknown, c: Colors): string {
  return failedLine(token, "(data source)", error, c);
}

export function deletedLine(resource: DeployedResource, elapsedMs: number, c: Colors): string {
  const detail = shortType(resource.type) === "AppDeactivation" ? "app deactivated" : "deleted";
  return `  ${c.yellow("-")} ${shortType(resource.type).padEnd(22)} ${resource.name.padEnd(36)} ${detail.padEnd(20)} ${c.dim(ms(elapsedMs))}`;
}

/** The summary table; `head` and border colours off when the stream is not a terminal. */
export function summaryTable(clients: readonly ClientSummary[], c: Colors): string {
  const table = new Table({
    head: ["client", "client id", "secret", "roles granted", "scopes", "check", "connections", "time"],
    style: { head: [], border: [] },
  });
  for (const client of clients) {
    const passed = client.check === "ok";
    table.push([
      client.name,
      client.clientId,
      client.secretMasked,
      client.rolesGranted.join("\n"),
      client.scopes.join("\n"),
      passed ? c.green(`${client.check} (${client.probe})`) : c.red(`${client.check} (${client.probe})`),
      client.connections === null ? "-" : String(client.connections),
      ms(client.elapsedMs),
    ]);
  }
  return table.toString();
}

/** The emulator's state after the destroy: what a reader needs to see that nothing was left behind. */
export function leftoverLine(rehearsal: Rehearsal, c: Colors): string {
  const left = rehearsal.leftover;
  if (left === undefined) return "";
  if (left.apps.length === 0 && left.grants.length === 0) {
    return c.green("The emulator holds nothing of the stack: 0 apps, 0 grants.");
  }
  const apps = left.apps
    .map((app) => `${app.displayName} (${app.active ? "active" : "inactive"})`)
    .join(", ");
  return c.red(
    `Left behind in the identity domain: ${left.apps.length} app(s) [${apps}], ${left.grants.length} grant(s).`,
  );
}

interface KeptClient {
  readonly name: string;
  readonly clientId: string;
  readonly secretFile: string;
  readonly tokenUrl: string;
  readonly scope: string;
  readonly designTimeUrl: string;
  readonly integrationInstance: string;
  readonly roles: readonly string[];
  readonly probe: string;
}

/** How to call the kept stack by hand: curl for the two requests, and oic-verify. The secret stays in its file. */
export function keepInstructions(clients: readonly KeptClient[], caFile: string | null): string {
  const cacert = caFile === null ? "" : ` --cacert ${caFile}`;
  const lines = ["The stack stays deployed on the emulator until you press Ctrl+C.", ""];
  for (const client of clients) {
    lines.push(
      `# ${client.name} (${client.roles.join(", ")}; secret in ${client.secretFile})`,
      `TOKEN=$(curl -s${cacert} -u "${client.clientId}:$(cat ${client.secretFile})" \\`,
      `  -d grant_type=client_credentials --data-urlencode 'scope=${client.scope}' \\`,
      `  ${client.tokenUrl} | jq -r .access_token)`,
      `curl -s${cacert} -H "Authorization: Bearer $TOKEN" \\`,
      `  '${client.designTimeUrl}/ic/api/integration/v1/connections?integrationInstance=${client.integrationInstance}' | jq '.items[].id'`,
      `npx oic-verify --token-url ${client.tokenUrl} --client-id ${client.clientId} --secret-file ${client.secretFile} \\`,
      `  --scope '${client.scope}' --design-time-url ${client.designTimeUrl} \\`,
      `  --integration-instance ${client.integrationInstance} --roles ${client.roles.join(",")} --probe ${client.probe}${caFile === null ? "" : ` --ca-file ${caFile}`}`,
      "",
    );
  }
  return lines.join("\n");
}
