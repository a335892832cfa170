/**
 * Seeded OIC connections: realistic, camelCase as real payloads are (https://github.com/MattSo28/oic-scripts
 * get_connections_dev.py reads `adapterType.displayName`, `securityPolicy`, `usage`,
 * `connectionProperties[]`, …), and deterministic per instance name so tests can assert exact values.
 */

export interface AdapterType {
  readonly name: string;
  readonly displayName: string;
  readonly type: "PREINSTALLED" | "PRIVATE" | "MARKETPLACE";
}

export interface ConnectionProperty {
  readonly propertyName: string;
  readonly displayName: string;
  readonly propertyValue?: string;
}

export interface Connection {
  readonly id: string;
  readonly name: string;
  readonly status: "CONFIGURED" | "INPROGRESS";
  readonly role: "SOURCE" | "TARGET" | "SOURCE_AND_TARGET";
  readonly securityPolicy: string;
  readonly adapterType: AdapterType;
  readonly percentageComplete: number;
  readonly lockedFlag: boolean;
  readonly usage: number;
  readonly usageActive: number;
  readonly created: string;
  readonly createdBy: string;
  readonly lastUpdated: string;
  readonly lastUpdatedBy: string;
  readonly agentRequired: boolean;
  readonly connectionProperties: readonly ConnectionProperty[];
  readonly securityProperties: readonly ConnectionProperty[];
}

interface AdapterSpec {
  readonly adapter: AdapterType;
  readonly role: Connection["role"];
  readonly securityPolicy: string;
  readonly agentRequired: boolean;
  readonly property: (slug: string) => ConnectionProperty;
  readonly user: (slug: string) => string;
}

const url = (propertyName: string, displayName: string, value: string): ConnectionProperty => ({
  propertyName,
  displayName,
  propertyValue: value,
});

const ADAPTERS: readonly AdapterSpec[] = [
  {
    adapter: { name: "rest", displayName: "REST", type: "PREINSTALLED" },
    role: "SOURCE_AND_TARGET",
    securityPolicy: "OAUTH_CLIENT_CREDENTIALS",
    agentRequired: false,
    property: (s) => url("connectionUrl", "Connection URL", `https://api.example.com/${s}/v1`),
    user: (s) => `${s}-client`,
  },
  {
    adapter: { name: "soap", displayName: "SOAP", type: "PREINSTALLED" },
    role: "TARGET",
    securityPolicy: "USERNAME_PASSWORD_TOKEN",
    agentRequired: false,
    property: (s) => url("targetWSDLURL", "WSDL URL", `https://services.example.com/${s}?wsdl`),
    user: (s) => `svc_${s.replace(/-/g, "_")}`,
  },
  {
    adapter: { name: "erp", displayName: "Oracle ERP Cloud", type: "PREINSTALLED" },
    role: "SOURCE_AND_TARGET",
    securityPolicy: "USERNAME_PASSWORD_TOKEN",
    agentRequired: false,
    property: () => url("erpServiceCatalogURL", "ERP Cloud Host", "https://erp.example.oraclecloud.com"),
    user: () => "integration.user",
  },
  {
    adapter: {
      name: "atpdatabase",
      displayName: "Oracle Autonomous Transaction Processing",
      type: "PREINSTALLED",
    },
    role: "TARGET",
    securityPolicy: "JDBC_OVER_SSL",
    agentRequired: false,
    property: (s) => url("ServiceName", "Service Name", `${s.replace(/-/g, "")}_high`),
    user: () => "OIC_APP",
  },
  {
    adapter: { name: "ftp", displayName: "FTP", type: "PREINSTALLED" },
    role: "TARGET",
    securityPolicy: "FTP_SERVER_ACCESS_POLICY",
    agentRequired: true,
    property: (s) => url("ftpHost", "FTP Server Host Address", `sftp.${s}.example.com`),
    user: () => "oicftp",
  },
  {
    adapter: { name: "salesforce", displayName: "Salesforce", type: "PREINSTALLED" },
    role: "SOURCE_AND_TARGET",
    securityPolicy: "OAUTH2",
    agentRequired: false,
    property: () => url("sfdcInstanceUrl", "Salesforce Instance URL", "https://example.my.salesforce.com"),
    user: () => "integration@example.com",
  },
  {
    adapter: { name: "hcm", displayName: "Oracle HCM Cloud", type: "PREINSTALLED" },
    role: "SOURCE_AND_TARGET",
    securityPolicy: "USERNAME_PASSWORD_TOKEN",
    agentRequired: false,
    property: () => url("hcmServiceCatalogURL", "HCM Cloud Host", "https://hcm.example.oraclecloud.com"),
    user: () => "hcm.integration",
  },
  {
    adapter: { name: "kafka", displayName: "Apache Kafka", type: "PREINSTALLED" },
    role: "SOURCE_AND_TARGET",
    securityPolicy: "SASL_PLAIN_OVER_SSL",
    agentRequired: false,
    property: (s) => url("bootstrapServers", "Bootstrap Servers", `kafka-${s}.example.com:9093`),
    user: () => "oic-producer",
  },
  {
    adapter: { name: "servicenow", displayName: "ServiceNow", type: "MARKETPLACE" },
    role: "TARGET",
    securityPolicy: "BASIC_AUTH",
    agentRequired: false,
    property: () => url("instanceUrl", "ServiceNow Instance URL", "https://example.service-now.com"),
    user: () => "oic.integration",
  },
  {
    adapter: { name: "ociobjectstorage", displayName: "Oracle Object Storage", type: "PREINSTALLED" },
    role: "TARGET",
    securityPolicy: "OCI_SIGNATURE_VERSION1",
    agentRequired: false,
    property: () =>
      url("objectStorageUrl", "Object Storage URL", "https://objectstorage.us-ashburn-1.oraclecloud.com"),
    user: () => "ocid1.user.oc1..aaaaaaaaintegration",
  },
];

const PURPOSES = [
  "Orders",
  "Invoices",
  "Customers",
  "Payments",
  "Workers",
  "Suppliers",
  "Shipments",
  "Inventory",
  "Tickets",
  "Archive",
  "Leads",
  "Ledger",
] as const;

/** FNV-1a, then mulberry32: a tiny deterministic PRNG keyed by the instance name. */
function prng(seedText: string): () => number {
  let seed = 0x811c9dc5;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `2025-01-01T00:00:00.000+0000`: unconfirmed, no public source shows OIC's exact timestamp format. */
export function oicTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

const EPOCH_2024 = Date.UTC(2024, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

export function seedConnections(instanceName: string, count: number): Connection[] {
  const random = prng(instanceName);
  const pick = (n: number): number => Math.floor(random() * n);
  const used = new Set<string>();
  const connections: Connection[] = [];
  for (let i = 0; i < count; i += 1) {
    const spec = ADAPTERS[(i + pick(ADAPTERS.length)) % ADAPTERS.length] ?? ADAPTERS[0]!;
    const purpose = PURPOSES[pick(PURPOSES.length)] ?? "Orders";
    const baseName = `${purpose} ${spec.adapter.displayName.replace(/^Oracle /, "")}`;
    let name = baseName;
    for (let n = 2; used.has(name.toUpperCase()); n += 1) name = `${baseName} ${n}`;
    used.add(name.toUpperCase());
    const id = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
    const slug = purpose.toLowerCase();
    const configured = pick(5) !== 0;
    const created = EPOCH_2024 + pick(400) * DAY_MS + pick(DAY_MS);
    const updated = created + pick(60) * DAY_MS + pick(DAY_MS);
    const usage = configured ? pick(9) : 0;
    const author = ["integration.admin@example.com", "dev.lead@example.com"][pick(2)] ?? "";
    connections.push({
      id,
      name,
      status: configured ? "CONFIGURED" : "INPROGRESS",
      role: spec.role,
      securityPolicy: spec.securityPolicy,
      adapterType: spec.adapter,
      percentageComplete: configured ? 100 : 25 + pick(60),
      lockedFlag: false,
      usage,
      usageActive: usage === 0 ? 0 : pick(usage + 1),
      created: oicTimestamp(created),
      createdBy: author,
      lastUpdated: oicTimestamp(updated),
      lastUpdatedBy: author,
      agentRequired: spec.agentRequired,
      connectionProperties: [spec.property(slug)],
      // Secrets (passwords, client secrets) are never returned, only their names.
      securityProperties: [
        { propertyName: "username", displayName: "Username", propertyValue: spec.user(slug) },
        { propertyName: "password", displayName: "Password" },
      ],
    });
  }
  return connections;
}
