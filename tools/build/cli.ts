/** `npm run build`: bundles the CLIs into dist/ (tools/build/bundles.ts). `--if-stale` skips fresh bundles. */
import { relative } from "node:path";

import { buildBundles, PROJECT_ROOT } from "./bundles";

async function main(argv: readonly string[]): Promise<void> {
  const started = performance.now();
  const built = await buildBundles({ onlyStale: argv.includes("--if-stale") });
  for (const bundle of built) {
    const what = bundle.rebuilt
      ? `built from ${bundle.inputs} project files, ${(bundle.bytes / 1024).toFixed(0)} KiB`
      : "up to date";
    process.stdout.write(`${relative(PROJECT_ROOT, bundle.file)}: ${what}\n`);
  }
  process.stdout.write(`build: ${(performance.now() - started).toFixed(0)} ms\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
