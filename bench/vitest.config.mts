import { defineConfig } from "vitest/config";

// The benchmarks run as one vitest file (bench/suite.test.ts): vitest gives TypeScript and
// the test support modules (emulators, fault proxy, engine) the same way the tests get them.
// One file, sequential, no timeouts that a full run could hit; `npm run bench` is the entry
// (it runs from the repository root, which is vitest's root).
export default defineConfig({
  test: {
    include: ["bench/suite.test.ts"],
    reporters: ["default"],
    fileParallelism: false,
    testTimeout: 60 * 60_000,
    hookTimeout: 10 * 60_000,
    // Progress lines go straight to the terminal instead of being buffered per test.
    disableConsoleIntercept: true,
  },
});
