import { describe, expect, it } from "vitest";
import { defaultClientDescription } from "../../../components/oic/description";

describe("defaultClientDescription", () => {
  it("names the client, and the stack when the caller knows it", () => {
    expect(defaultClientDescription("reporting", "dev")).toBe(
      'Confidential client "reporting" for Oracle Integration, stack dev; managed by Pulumi (oic-client-provisioner).',
    );
    expect(defaultClientDescription("reporting")).toBe(
      'Confidential client "reporting" for Oracle Integration; managed by Pulumi (oic-client-provisioner).',
    );
  });
});
