import { describe, expect, it } from "vitest";
import { probeRoleMismatch, probeRoleProblem } from "../../../components/oic/probeRoles";

// The one place the probe-versus-roles text is pinned; the config, the component and the verifier build theirs
// from `probeRoleMismatch`, and their tests compare with it.
describe("probeRoleMismatch", () => {
  it("names the request, the roles that can pass it, the role to add and the probe to switch to", () => {
    expect(probeRoleMismatch("connections", ["ServiceInvoker"])).toEqual({
      problem:
        'the roles ["ServiceInvoker"] cannot pass the "connections" probe: GET /ic/api/integration/v1/connections ' +
        "needs one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer",
      fix: 'add "ServiceUser" (the documented minimum for the Developer APIs), or use the "token" probe',
    });
  });

  it("lets the caller name the roles and the way to the token probe", () => {
    expect(
      probeRoleMismatch("connections", ["ServiceMonitor"], {
        subject: "{value}",
        useTokenProbe: 'set K.probe to "token"',
      }),
    ).toEqual({
      problem:
        '{value} cannot pass the "connections" probe: GET /ic/api/integration/v1/connections ' +
        "needs one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer",
      fix: 'add "ServiceUser" (the documented minimum for the Developer APIs), or set K.probe to "token"',
    });
  });

  it.each([
    ["connections", ["ServiceUser"]],
    ["connections", ["ServiceInvoker", "ServiceViewer"]],
    ["token", ["ServiceInvoker"]],
    ["none", ["ServiceMonitor"]],
  ] as const)("%s passes with %j", (probe, roles) => {
    expect(probeRoleMismatch(probe, roles)).toBeUndefined();
    expect(probeRoleProblem(probe, roles)).toBeUndefined();
  });
});

describe("probeRoleProblem", () => {
  it("is the mismatch as two sentences", () => {
    expect(probeRoleProblem("connections", ["ServiceInvoker"])).toBe(
      'The roles ["ServiceInvoker"] cannot pass the "connections" probe: GET /ic/api/integration/v1/connections ' +
        'needs one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer. Add "ServiceUser" (the ' +
        'documented minimum for the Developer APIs), or use the "token" probe.',
    );
  });
});
