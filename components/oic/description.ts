/**
 * The app's description when none is given: it names the client, and the stack when the caller knows it, so that
 * whoever browses the identity domain's apps sees what made each one. The stack config passes the stack's name;
 * the component, which has none, passes only the client's (its own resource name).
 */
export function defaultClientDescription(clientName: string, stack?: string): string {
  const where = stack === undefined ? "" : `, stack ${stack}`;
  return `Confidential client "${clientName}" for Oracle Integration${where}; managed by Pulumi (oic-client-provisioner).`;
}
