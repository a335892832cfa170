/**
 * The deployed resources and the order in which the engine would delete them: a resource goes only after
 * every resource that depends on it (explicitly, through an input, or as its child) is gone.
 */
export interface DeployedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** False for components and the stack: nothing to delete. */
  readonly custom: boolean;
  readonly id: string;
  readonly parent?: string;
  /** URNs this resource depends on: `dependsOn`, the resources its inputs came from. */
  readonly dependencies: readonly string[];
  /** The resource's state (outputs), as the provider returned it. */
  readonly state: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds when its registration started and when the provider answered. */
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Reverse dependency order; ties keep the reverse of creation order, as a sequential engine would. */
export function destroyOrder(resources: readonly DeployedResource[]): DeployedResource[] {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  // dependents.get(x) = resources that must be deleted before x
  const dependents = new Map<string, Set<string>>(resources.map((resource) => [resource.urn, new Set()]));
  for (const resource of resources) {
    const prerequisites = [...resource.dependencies, ...(resource.parent ? [resource.parent] : [])];
    for (const dependency of prerequisites) {
      if (byUrn.has(dependency) && dependency !== resource.urn) dependents.get(dependency)?.add(resource.urn);
    }
  }
  const ordered: DeployedResource[] = [];
  const remaining = [...resources].reverse();
  const deleted = new Set<string>();
  while (remaining.length > 0) {
    const index = remaining.findIndex((resource) =>
      [...(dependents.get(resource.urn) ?? [])].every((urn) => deleted.has(urn)),
    );
    if (index < 0) {
      throw new Error(`dependency cycle among ${remaining.map((resource) => resource.urn).join(", ")}`);
    }
    const [next] = remaining.splice(index, 1) as [DeployedResource];
    deleted.add(next.urn);
    ordered.push(next);
  }
  return ordered;
}
