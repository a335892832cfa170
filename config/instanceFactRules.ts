import type { DeriveInstanceFactsOptions } from "../components/oic";
import { configKey } from "./configKey";
import { PLAIN_HTTP_SWITCH } from "./validate";

/** How the instance facts are checked for this stack, and how their errors name the stack's settings. */
export function instanceFactRules(allowPlainHttpOnLoopback: boolean): DeriveInstanceFactsOptions {
  return {
    allowPlainHttpOnLoopback,
    plainHttpSwitch: PLAIN_HTTP_SWITCH,
    settingName: (field) => configKey(["integrationInstance", field]),
  };
}
