// What `npm pack` ships, and the package.json contract users install against.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packPackage, PACKAGE_NAME, ROOT, tarballFiles } from "../support/consumer";

interface Manifest {
  name: string;
  license: string;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  engines: { node: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
let files: string[];

beforeAll(() => {
  files = tarballFiles(packPackage());
});

describe("the packed package", () => {
  it("ships the build, the README, the LICENSE and package.json, and nothing else", () => {
    expect(files).toEqual(
      expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"]),
    );
    const unexpected = files.filter(
      (f) =>
        !["package.json", "README.md", "LICENSE"].includes(f) &&
        !/^dist\/(?:(?:core|cognito|dynamic|plugin)\/)?[\w-]+\.(js|d\.ts)$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(
      files.filter((f) => /(^|\/)(test|bench|scripts|examples|tools|src)\//.test(f) || f.endsWith(".map")),
    ).toEqual([]);
  });

  it("holds every file that main, types and exports name", () => {
    const targets = [manifest.main, manifest.types];
    for (const target of Object.values(manifest.exports)) {
      targets.push(...(typeof target === "string" ? [target] : Object.values(target)));
    }
    for (const target of targets) expect(files, target).toContain(target.replace(/^\.\//, ""));
  });

  it("exports the two paths the provider stored in the state loads at run time", () => {
    // The serializer captures the provider module by its path under node_modules ...
    expect(Object.keys(manifest.exports)).toContain("./dist/dynamic/serialized-provider.js");
    expect(Object.keys(manifest.exports)).toContain("./dist/dynamic-provider.js");
    // ... and that module loads the implementation by this specifier.
    const dynamicProvider = readFileSync(path.join(ROOT, "dist", "dynamic", "serialized-provider.js"), "utf8");
    const specifiers = [...dynamicProvider.matchAll(/require\("([^"]+)"\)/g)]
      .map((m) => m[1] as string)
      .filter((s) => s.startsWith(PACKAGE_NAME));
    expect(specifiers.length).toBeGreaterThan(0);
    for (const specifier of specifiers)
      expect(Object.keys(manifest.exports)).toContain(`.${specifier.slice(PACKAGE_NAME.length)}`);
  });
});

describe("package.json", () => {
  it("takes @pulumi/pulumi as a peer only, so a project has exactly one copy", () => {
    expect(manifest.dependencies?.["@pulumi/pulumi"]).toBeUndefined();
    expect(manifest.peerDependencies?.["@pulumi/pulumi"]).toMatch(/^>=3\.\d+\.\d+ <4$/);
    expect(manifest.devDependencies?.["@pulumi/pulumi"]).toBeDefined();
  });

  it("states the Node.js versions the consumer matrix runs", () => {
    expect(manifest.engines.node).toBe(">=22");
  });

  it("has a LICENSE that matches its license field", () => {
    expect(manifest.license).toBe("Apache-2.0");
    const license = readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    expect(license).toContain("Apache License");
    expect(license).toContain("Version 2.0, January 2004");
  });
});
