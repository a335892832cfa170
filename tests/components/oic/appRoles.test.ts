import { describe, expect, it } from "vitest";
import { appRoleFilter, scimStringLiteral, selectAppRoleId } from "../../../components/oic/appRoles";
import { OicFactsError } from "../../../components/oic/errors";

const APP_ID = "0123456789abcdef0123456789abcdef";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof OicFactsError) return error.message;
    throw error;
  }
  throw new Error("expected an OicFactsError");
}

describe("appRoleFilter", () => {
  it("filters by display name and by the OIC app, as the SCIM docs show", () => {
    expect(appRoleFilter("ServiceUser", APP_ID)).toBe(
      `displayName eq "ServiceUser" and app.value eq "${APP_ID}"`,
    );
  });
  it("escapes quotes and backslashes so a value cannot change the filter", () => {
    expect(scimStringLiteral('a" or displayName pr or "\\')).toBe('"a\\" or displayName pr or \\"\\\\"');
  });
});

describe("selectAppRoleId", () => {
  const role = (id: string, displayName: string, app = APP_ID) => ({
    id,
    displayName,
    apps: [{ value: app }],
  });

  it("returns the id of the one matching role", () => {
    expect(selectAppRoleId([role("r1", "ServiceUser")], "ServiceUser", APP_ID)).toBe("r1");
  });

  it("ignores roles of other apps or names that a server returned despite the filter", () => {
    const found = [
      role("r1", "ServiceUser", "ffffffffffffffffffffffffffffffff"),
      role("r2", "ServiceUser"),
      role("r3", "ServiceInvoker"),
    ];
    expect(selectAppRoleId(found, "ServiceUser", APP_ID)).toBe("r2");
  });

  it("accepts a role whose app is not returned", () => {
    expect(selectAppRoleId([{ id: "r1", displayName: "ServiceUser", apps: [] }], "ServiceUser", APP_ID)).toBe(
      "r1",
    );
  });

  it("fails on no match, naming the role, the app and the count", () => {
    expect(messageOf(() => selectAppRoleId([], "ServiceUser", APP_ID))).toBe(
      `Expected exactly 1 app role "ServiceUser" in the OIC app ${APP_ID}, found 0. Check that ${APP_ID} is the ` +
        "integration instance's app (idcsInfos[0].idcsAppId) and that the role name is one Oracle Integration defines.",
    );
  });

  it("fails on two matches, naming their ids", () => {
    expect(
      messageOf(() =>
        selectAppRoleId([role("r1", "ServiceUser"), role("r2", "ServiceUser")], "ServiceUser", APP_ID),
      ),
    ).toBe(
      `Expected exactly 1 app role "ServiceUser" in the OIC app ${APP_ID}, found 2 (ids r1, r2). The program does not ` +
        "guess which one to grant: check the app's roles in the identity domain (Oracle Cloud Services, the instance, Application roles).",
    );
  });
});
