/**
 * `destroyOrder` on graphs where the order the resources are listed in is NOT a dependency order, so that plain
 * reverse listing order deletes something before a resource that depends on it. (A rehearsal's creation order
 * always is a dependency order, so the demo alone cannot tell the two apart.)
 */
import { describe, expect, it } from "vitest";

import { destroyOrder, type DeployedResource } from "../../../tools/rehearsal/engine/resourceGraph";

function resource(
  name: string,
  options: { dependencies?: string[]; parent?: string; custom?: boolean } = {},
): DeployedResource {
  return {
    urn: name,
    type: "test:index:Thing",
    name,
    custom: options.custom ?? true,
    id: `${name}-id`,
    ...(options.parent === undefined ? {} : { parent: options.parent }),
    dependencies: options.dependencies ?? [],
    state: {},
    startedAt: 0,
    finishedAt: 0,
  };
}

const names = (resources: readonly DeployedResource[]) => resources.map((r) => r.name);

describe("destroyOrder", () => {
  it("deletes a dependent before what it depends on even when it is listed first", () => {
    // As a state file may list them: the grant before the app it was granted to, the check before both.
    const listed = [
      resource("grant", { dependencies: ["app"] }),
      resource("app"),
      resource("check", { dependencies: ["grant"] }),
    ];
    expect(names([...listed].reverse())).toEqual(["check", "app", "grant"]);
    expect(names(destroyOrder(listed))).toEqual(["check", "grant", "app"]);
  });

  it("deletes a child before its parent, and a component's children before the component", () => {
    const listed = [
      resource("client-app", { parent: "client" }),
      resource("client", { custom: false }),
      resource("client-grant", { parent: "client", dependencies: ["client-app"] }),
    ];
    expect(names(destroyOrder(listed))).toEqual(["client-grant", "client-app", "client"]);
  });

  it("follows dependencies transitively across a listing in creation-reversed order", () => {
    const listed = [
      resource("d", { dependencies: ["c"] }),
      resource("c", { dependencies: ["b"] }),
      resource("b", { dependencies: ["a"] }),
      resource("a"),
    ];
    expect(names(destroyOrder(listed))).toEqual(["d", "c", "b", "a"]);
  });

  it("keeps the reverse of the listing among resources that do not depend on each other", () => {
    const listed = [resource("one"), resource("two"), resource("three", { dependencies: ["one"] })];
    expect(names(destroyOrder(listed))).toEqual(["three", "two", "one"]);
  });

  it("ignores dependencies on resources outside the list and on itself", () => {
    const listed = [resource("a", { dependencies: ["elsewhere", "a"] }), resource("b")];
    expect(names(destroyOrder(listed))).toEqual(["b", "a"]);
  });

  it("refuses a cycle, naming the resources in it", () => {
    const listed = [resource("x", { dependencies: ["y"] }), resource("y", { dependencies: ["x"] })];
    expect(() => destroyOrder(listed)).toThrow("dependency cycle among y, x");
  });
});
