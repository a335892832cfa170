import { defineConfig } from "vitest/config";

// npm run test:engine: the real pulumi CLI (built by npm run engine:build) against the emulator.
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["tests/engine/**/*.test.ts"],
    pool: "forks",
    // Each file drives pulumi processes that use both cores: one file at a time.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
