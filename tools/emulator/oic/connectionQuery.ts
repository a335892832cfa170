/**
 * The `q` and `orderBy` parameters of `GET /ic/api/integration/v1/connections`
 * (https://docs.oracle.com/en/cloud/paas/application-integration/rest-api/op-ic-api-integration-v1-connections-get.html):
 * `q={name:'My Connection'}` (exact), `q={name:/Oracle/}` (contains), `q={status:'CONFIGURED'}`, combined with
 * commas: `{name:/RN/, status:'CONFIGURED'}`; `orderBy=name|time|type`. Contains-matching is
 * case-insensitive here; OIC's exact semantics are unconfirmed.
 */
import { type Connection } from "./connections";

export class ConnectionQueryError extends Error {}

type Condition = {
  readonly key: "name" | "status" | "role";
  readonly value: string;
  readonly contains: boolean;
};

const KEYS: ReadonlySet<string> = new Set(["name", "status", "role"]);
const TERM = /^\s*([A-Za-z]+)\s*:\s*(?:'([^']*)'|"([^"]*)"|\/([^/]*)\/)\s*$/;

export function parseConnectionQuery(q: string): Condition[] {
  const text = q.trim();
  if (!text.startsWith("{") || !text.endsWith("}")) {
    throw new ConnectionQueryError(`Invalid q "${q}": expected {key:'value', …}.`);
  }
  const body = text.slice(1, -1).trim();
  if (body === "") return [];
  const terms = body.match(/(?:[^,'"/]|'[^']*'|"[^"]*"|\/[^/]*\/)+/g) ?? [];
  return terms.map((term) => {
    const match = TERM.exec(term);
    const key = match?.[1]?.toLowerCase() ?? "";
    if (!match || !KEYS.has(key)) {
      throw new ConnectionQueryError(`Invalid q term "${term.trim()}": use name, status or role.`);
    }
    const regex = match[4];
    return {
      key: key as Condition["key"],
      value: regex ?? match[2] ?? match[3] ?? "",
      contains: regex !== undefined,
    };
  });
}

export function applyConnectionQuery(
  connections: readonly Connection[],
  conditions: readonly Condition[],
): Connection[] {
  return connections.filter((connection) =>
    conditions.every((condition) => {
      const actual = connection[condition.key];
      return condition.contains
        ? actual.toLowerCase().includes(condition.value.toLowerCase())
        : actual === condition.value;
    }),
  );
}

export function orderConnections(connections: readonly Connection[], orderBy: string | null): Connection[] {
  const sorted = [...connections];
  const by = (orderBy ?? "name").toLowerCase();
  if (by === "name") sorted.sort((a, b) => a.name.localeCompare(b.name));
  else if (by === "time") sorted.sort((a, b) => b.lastUpdated.localeCompare(a.lastUpdated));
  else if (by === "type")
    sorted.sort(
      (a, b) => a.adapterType.type.localeCompare(b.adapterType.type) || a.name.localeCompare(b.name),
    );
  else throw new ConnectionQueryError(`Invalid orderBy "${orderBy ?? ""}": use name, time or type.`);
  return sorted;
}
