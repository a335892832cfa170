import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { entryPath, moduleEntry } from "../../components/providerModules";

describe("where a dynamic provider finds the project's modules", () => {
  it("records the module's path and its place in the project", () => {
    const entry = moduleEntry("verifier");
    expect(entry.inProject).toBe(join("components", "verifier", "index.ts"));
    expect(entry.absolute).toBe(join(__dirname, "..", "..", "components", "verifier", "index.ts"));
  });

  it("uses the recorded path while it exists", () => {
    const entry = moduleEntry("identityDomain");
    expect(entryPath(entry, "/nowhere")).toBe(entry.absolute);
  });

  it("finds the module in the project it runs from when the recorded checkout is gone", () => {
    const checkout = mkdtempSync(join(tmpdir(), "checkout-"));
    mkdirSync(join(checkout, "identityDomain"));
    writeFileSync(join(checkout, "identityDomain", "index.ts"), "export {};\n");
    const stale = {
      absolute: "/builds/1234/oic/identityDomain/index.ts",
      inProject: "identityDomain/index.ts",
    };
    expect(entryPath(stale, checkout)).toBe(join(checkout, "identityDomain", "index.ts"));
  });

  it("says where it looked when the module is nowhere", () => {
    const stale = { absolute: "/builds/1234/oic/signing/index.ts", inProject: "signing/index.ts" };
    expect(() => entryPath(stale, "/tmp/elsewhere")).toThrow(
      "cannot find signing/index.ts: not at /builds/1234/oic/signing/index.ts (where the last `pulumi up` ran) nor under /tmp/elsewhere; run pulumi from the project directory",
    );
  });
});
