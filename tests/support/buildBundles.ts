/**
 * vitest's global setup: rebuilds the bundles in dist/ whose sources changed (tools/build/bundles.ts), so the
 * tests that start the CLIs as processes run the JavaScript `npm ci` ships and not an older build of it.
 */
import { buildBundles } from "../../tools/build/bundles";

export default async function setup(): Promise<void> {
  await buildBundles({ onlyStale: true });
}
