/**
 * The tables `npm run test:faults` prints: one line per cell (fault, route, outcome, requests the emulator saw,
 * virtual time waited, real time, what was left behind, PASS/FAIL), the message of every failure indented under
 * its line, and the outcomes by caller (faults × the verifier, the OCI provider, the deactivation) for the README.
 */
import { type RouteId } from "./cells";
import type { CellResult } from "./matrix";

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const SHORT_ROUTE: Readonly<Record<RouteId, string>> = {
  token: "token",
  connections: "connections",
  instance: "instance GET",
  oicApp: "Apps GET",
  appRoles: "AppRoles GET",
  createApp: "Apps POST",
  createGrant: "Grants POST",
  deactivate: "StatusChanger PUT",
  deleteGrant: "Grants DELETE",
  deleteApp: "Apps DELETE",
};

export function cellLines(cells: readonly CellResult[]): string[] {
  const widest = (values: string[]): number => Math.max(...values.map((v) => v.length)) + 1;
  const widths = {
    fault: widest(cells.map((c) => c.row.label)),
    route: widest(cells.map((c) => c.route.label)),
    outcome: widest(cells.map((c) => c.observed.outcome)),
  };
  const lines = [
    `${pad("fault", widths.fault)} ${pad("route", widths.route)} ${pad("outcome", widths.outcome)} requests  waited   real     left behind       result`,
  ];
  for (const cell of cells) {
    const passed = cell.problems.length === 0;
    lines.push(
      [
        pad(cell.row.label, widths.fault),
        pad(cell.route.label, widths.route),
        pad(cell.observed.outcome, widths.outcome),
        pad(String(cell.requests), 9),
        pad(seconds(cell.waitedMs), 8),
        pad(seconds(cell.realMs), 8),
        pad(cell.leftover, 17),
        passed ? "PASS" : "FAIL",
      ].join(" "),
    );
    if (cell.observed.outcome !== "ok") lines.push(`    ${cell.observed.message}`);
    for (const problem of cell.problems) lines.push(`    ✖ ${problem}`);
  }
  return lines;
}

/**
 * The matrix by caller, for the README: per fault, the outcome and the requests the emulator saw on the verifier's
 * two routes, on the provider's seven, and on the deactivation's; routes named where they differ.
 */
export function callerTable(cells: readonly CellResult[]): string[] {
  const faults = [...new Set(cells.map((c) => c.row.label))];
  const describe = (group: readonly CellResult[]): string => {
    if (group.length === 0) return "–";
    const byOutcome = new Map<string, string[]>();
    for (const cell of group) {
      const key = `${cell.observed.outcome}·${cell.requests}${cell.problems.length > 0 ? " ✖" : ""}${cell.expected.orphan ? " (orphan)" : ""}`;
      byOutcome.set(key, [...(byOutcome.get(key) ?? []), SHORT_ROUTE[cell.route.id]]);
    }
    if (byOutcome.size === 1) return [...byOutcome.keys()][0] ?? "–";
    return [...byOutcome].map(([key, routes]) => `${key} (${routes.join(", ")})`).join("; ");
  };
  const rows = faults.map((label) => {
    const mine = cells.filter((c) => c.row.label === label);
    const token = mine.filter((c) => c.route.id === "token");
    const connections = mine.filter((c) => c.route.id === "connections");
    const provider = mine.filter((c) => c.route.caller === "provider");
    const deactivation = mine.filter((c) => c.route.caller === "deactivation");
    return `| ${label} | ${describe(token)} | ${describe(connections)} | ${describe(provider)} | ${describe(deactivation)} |`;
  });
  return [
    "| fault | token (verifier) | connections (verifier) | 7 admin and control-plane calls (OCI provider) | AppStatusChanger (deactivation) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ];
}
