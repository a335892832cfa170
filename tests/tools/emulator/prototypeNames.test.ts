/** Names of Object.prototype's members are not SCIM values or attributes. */
import { describe, expect, it } from "vitest";

import { useEmulator } from "../../support/emulator";

const env = useEmulator();

describe("prototype names in requests", () => {
  it.each(["constructor", "toString", "__proto__"])(
    'refuses basedOnTemplate.value "%s" as an unknown template',
    async (value) => {
      const created = await env.admin("POST", "/admin/v1/Apps", {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
        displayName: `proto-${value}`,
        basedOnTemplate: { value },
      });
      expect(created.status).toBe(400);
      expect(created.json<{ detail: string }>().detail).toContain(
        `Invalid value "${value}" for attribute "basedOnTemplate.value"`,
      );
    },
  );

  it("finds no app by a filter on constructor", async () => {
    const listed = await env.admin("GET", `/admin/v1/Apps?filter=${encodeURIComponent("constructor pr")}`);
    if (listed.status === 200) expect(listed.json<{ totalResults: number }>().totalResults).toBe(0);
    else expect(listed.status).toBe(400);
  });
});
