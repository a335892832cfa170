import { echo, quote } from "./echo";

/** The project's config namespace (Pulumi.yaml `name`): every key a stack sets is `oic-client-provisioner:<key>`. */
export const CONFIG_NAMESPACE = "oic-client-provisioner";

/**
 * A name as it can stand bare in a key path: visible ASCII other than quotes, brackets and backslashes (and, below
 * the top level, dots). Others (an empty name, a space, an invisible character) are written the way
 * `pulumi config set --path` reads any name, `["…"]`, quoted and escaped
 * (https://www.pulumi.com/docs/iac/cli/commands/pulumi_config_set/).
 */
const PLAIN_NAME = /^[!#-Z^-~]+$/;

/**
 * `oic-client-provisioner:clients[1].roles` from `["clients", 1, "roles"]`. Names come from the stack file, so each
 * is cut to a readable length and cannot carry a control or bidi character into the message.
 */
export function configKey(path: readonly PropertyKey[]): string {
  let key = CONFIG_NAMESPACE + ":";
  path.forEach((segment, index) => {
    if (typeof segment === "number") key += `[${segment}]`;
    else if (index === 0 && PLAIN_NAME.test(String(segment))) key += echo(String(segment));
    else if (PLAIN_NAME.test(String(segment)) && !String(segment).includes("."))
      key += `.${echo(String(segment))}`;
    else key += `[${quote(String(segment))}]`;
  });
  return key;
}
