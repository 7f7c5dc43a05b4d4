// Lets Node run this repository's TypeScript scripts (the demo, the benchmarks) as CommonJS,
// the way the compiled library runs: `node -r ./scripts/ts-register.js file.ts`. It only
// strips types and rewrites imports (typescript's transpileModule, no type check: `npm run
// typecheck` does that). Node's own type stripping is turned off by the caller
// (--no-experimental-strip-types) because it would load these files as ES modules.
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

require.extensions[".ts"] = function compile(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
      inlineSourceMap: true,
    },
  });
  module._compile(outputText, filename);
};
