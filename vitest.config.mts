import { defineConfig } from "vitest/config";

// Four layers, mirroring the code: pure logic, the provider against real Cognito emulators,
// the whole thing through the real Pulumi engine, and the packed package in users' projects.
export default defineConfig({
  test: {
    reporters: ["default"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // No setup step for the fast loop (`npm run test:unit`): builds only when stale.
          globalSetup: ["test/support/build-if-stale.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // One engine at a time: the machine has two cores.
          fileParallelism: false,
          // No blanket retry: steps carry stack state, and a retried step would run against the
          // state its failed attempt changed. The one transport flake seen (gRPC "14 UNAVAILABLE"
          // before any step started) is retried where it happens, in test/harness/pulumi-engine.js.
        },
      },
      {
        test: {
          // The package as users get it: npm pack, fresh projects outside the repository,
          // plain `pulumi` commands through the Node.js language host.
          name: "consumer",
          include: ["test/consumer/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
