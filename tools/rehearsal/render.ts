import Table from "cli-table3";

import type { Colors } from "../../cli/render";
import type { EmulatorStateSnapshot } from "../emulator";
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
  // Its create resolved the credentials it will resolve again at the destroy: it will be able to sign.
  if (shortType(resource.type) === "AppDeactivation") return "ready to deactivate";
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

function describeApps(left: EmulatorStateSnapshot): string {
  return left.apps.map((app) => `${app.displayName} (${app.active ? "active" : "inactive"})`).join(", ");
}

/** The emulator's state after the destroy: what a reader needs to see that nothing was left behind. */
export function leftoverLine(rehearsal: Rehearsal, c: Colors): string {
  const left = rehearsal.leftover;
  if (left === undefined) return "";
  if (left.apps.length === 0 && left.grants.length === 0) {
    return c.green("The emulator holds nothing of the stack: 0 apps, 0 grants.");
  }
  return c.red(
    `Left behind in the identity domain: ${left.apps.length} app(s) [${describeApps(left)}], ${left.grants.length} grant(s).`,
  );
}

/**
 * What a stop (Ctrl+C, SIGTERM, the end of `--keep`) left: the emulator ran in this process, so whatever the
 * stack had created there is gone with it, and its temporary directory was removed.
 */
export function stoppedLines(how: string, left: EmulatorStateSnapshot | undefined, c: Colors): string[] {
  const held =
    left === undefined || (left.apps.length === 0 && left.grants.length === 0)
      ? "It held nothing of the stack when it stopped: 0 apps, 0 grants."
      : `It held ${left.apps.length} app(s) [${describeApps(left)}] and ${left.grants.length} grant(s) of the stack when it stopped; they existed only in this process.`;
  return [c.yellow(`${how}: the emulator was shut down and its temporary directory removed.`), held];
}

interface KeptClient {
  readonly name: string;
  readonly clientId: string;
  /** The client secret alone, for oic-verify's `--secret-file`. */
  readonly secretFile: string;
  /** A curl config file with `user = "<client id>:<secret>"`, for `curl -K`. */
  readonly curlConfigFile: string;
  readonly tokenUrl: string;
  readonly scope: string;
  readonly designTimeUrl: string;
  readonly integrationInstance: string;
  readonly roles: readonly string[];
  readonly probe: string;
}

/** A shell word: single-quoted, so that nothing in it is expanded. */
function quoted(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * How to call the kept stack by hand: curl for the two requests, and oic-verify. No secret is printed, and none
 * is ever on a command line, where `ps` would show it to every user of the machine: curl reads the client's
 * credentials from its config file (`-K`), the token goes from jq to the second curl through a pipe as a header
 * (`-H @-`, curl ≥ 7.55), and oic-verify reads the secret from its file.
 */
export function keepInstructions(clients: readonly KeptClient[], caFile: string | null): string {
  const cacert = caFile === null ? "" : ` --cacert ${quoted(caFile)}`;
  const lines = ["The stack stays deployed on the emulator until you press Ctrl+C.", ""];
  for (const client of clients) {
    const token = [
      `curl -s${cacert} -K ${quoted(client.curlConfigFile)} \\`,
      `  -d grant_type=client_credentials --data-urlencode ${quoted(`scope=${client.scope}`)} \\`,
    ];
    // Only a client whose probe lists connections may call the Developer API; the others show their token's
    // type and lifetime, never the token.
    const call =
      client.probe === "connections"
        ? [
            `  ${quoted(client.tokenUrl)} | jq -r '"Authorization: Bearer \\(.access_token)"' \\`,
            `  | curl -s${cacert} -H @- \\`,
            `  ${quoted(`${client.designTimeUrl}/ic/api/integration/v1/connections?integrationInstance=${client.integrationInstance}`)} | jq '.items[].id'`,
          ]
        : [`  ${quoted(client.tokenUrl)} | jq '{token_type, expires_in}'`];
    lines.push(
      `# ${client.name} (${client.roles.join(", ")}; secret in ${client.secretFile}, curl's --user in ${client.curlConfigFile})`,
      ...token,
      ...call,
      `npx oic-verify --token-url ${client.tokenUrl} --client-id ${client.clientId} --secret-file ${client.secretFile} \\`,
      `  --scope '${client.scope}' --design-time-url ${client.designTimeUrl} \\`,
      `  --integration-instance ${client.integrationInstance} --roles ${client.roles.join(",")} --probe ${client.probe}${caFile === null ? "" : ` --ca-file ${caFile}`}`,
      "",
    );
  }
  return lines.join("\n");
}
