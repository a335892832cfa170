import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The real engine's tests run apart: npm run test:engine.
    exclude: ["tests/engine/**", "node_modules/**"],
    // setMocks is process-global: each test file runs in its own forked process.
    pool: "forks",
    isolate: true,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
