import { availableParallelism } from "node:os";

import { defineConfig } from "vitest/config";

/**
 * The test files that start the Pulumi runtime (setMocks, setAllConfig, a rehearsal or the demo in process),
 * whose state is process-global: each runs in a forked process of its own. Every other file runs in a worker
 * process shared with other files and the modules already loaded there (`isolate: false`), which spares it
 * loading axios, zod, jose, the SDK and the project again; tests/support/sharedWorkerGuard.ts fails a shared file
 * that starts the runtime, naming this list. Shared files clean up what they change (spies, timers, variables).
 */
const PULUMI_RUNTIME = [
  "tests/components/accessCheck.emulator.test.ts",
  "tests/components/appDeactivation.emulator.test.ts",
  "tests/components/oicConfidentialClient.test.ts",
  "tests/components/program.test.ts",
  "tests/config/load.test.ts",
  "tests/tools/rehearsal/demo.test.ts",
  "tests/tools/rehearsal/failedCalls.test.ts",
  "tests/tools/rehearsal/interrupt.test.ts",
  "tests/tools/rehearsal/keep.test.ts",
  "tests/tools/rehearsal/miswiring.test.ts",
  "tests/tools/rehearsal/stackFile.test.ts",
  "tests/tools/rehearsal/variants.test.ts",
];
// The real engine's tests run apart: npm run test:engine.
const EXCLUDE = ["tests/engine/**", "node_modules/**"];

export default defineConfig({
  test: {
    // Bundles dist/ again when a source changed, so the tests that start bin/oic-verify.js or
    // bin/oic-emulator.js run the JavaScript that `npm ci` builds.
    globalSetup: ["tests/support/buildBundles.ts"],
    pool: "forks",
    // At least two workers (vitest's default is one fewer than the cores, so one on two cores): many files
    // wait on child processes, sockets and timers, and another file runs meanwhile.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["tests/**/*.test.ts"],
          exclude: [...EXCLUDE, ...PULUMI_RUNTIME],
          isolate: false,
          setupFiles: ["tests/support/sharedWorkerGuard.ts"],
        },
      },
      {
        extends: true,
        test: { name: "pulumi", include: PULUMI_RUNTIME, exclude: EXCLUDE, isolate: true },
      },
    ],
  },
});
