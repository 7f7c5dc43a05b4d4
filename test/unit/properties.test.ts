// The properties are described once (src/core/properties.ts). The dynamic resource's TSDoc,
// the plugin's schema and the defaults the core fills in are held against that one source, so
// a description changed in one place and not the other fails here.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { INPUTS, OUTPUTS, PROVIDER_CONFIG, REQUIRED_INPUTS, REQUIRED_OUTPUTS } from "../../src/core/properties";
import { DEFAULTS } from "../../src/core/types";
import { packageSchema, RESOURCE_TOKEN } from "../../src/plugin/schema";

const RESOURCE_SOURCE = path.resolve(__dirname, "../../src/dynamic/resource.ts");

/** Each member's name and TSDoc text (whitespace folded) of an interface or class in `file`. */
function documentedMembers(file: string, declaration: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const members = new Map<string, string>();
  const visit = (node: ts.Node) => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === declaration) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
        if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const name = member.name.getText(source);
        const doc = ts
          .getJSDocCommentsAndTags(member)
          .map((d) => (typeof d.comment === "string" ? d.comment : ""))
          .join(" ");
        members.set(name, doc.replace(/\s+/g, " ").trim());
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return members;
}

describe("one description per property", () => {
  it("UserPasswordArgs has exactly the declared inputs, each documented with its description", () => {
    const args = documentedMembers(RESOURCE_SOURCE, "UserPasswordArgs");
    expect([...args.keys()].sort()).toEqual(Object.keys(INPUTS).sort());
    for (const [name, spec] of Object.entries(INPUTS)) expect(args.get(name), name).toBe(spec.description);
  });

  it("the UserPassword class declares exactly the outputs, each documented with its description", () => {
    const fields = documentedMembers(RESOURCE_SOURCE, "UserPassword");
    expect([...fields.keys()].sort()).toEqual(Object.keys(OUTPUTS).sort());
    for (const [name, spec] of Object.entries(OUTPUTS)) expect(fields.get(name), name).toBe(spec.description);
  });

  it("each documented default is the one the core fills in, and the description says it", () => {
    const withDefault = Object.entries(INPUTS).filter(([, spec]) => "default" in spec);
    expect(withDefault.map(([name]) => name).sort()).toEqual(Object.keys(DEFAULTS).sort());
    for (const [name, spec] of withDefault) {
      const value = DEFAULTS[name as keyof typeof DEFAULTS];
      expect((spec as { default: unknown }).default, name).toBe(value);
      const shown = typeof value === "string" ? `\`"${value}"\`` : `\`${String(value)}\``;
      expect(
        spec.description.includes(`(default ${shown}`) || spec.description.includes(`${shown} (default)`),
        name,
      ).toBe(true);
    }
  });
});

describe("the plugin's schema", () => {
  const schema = packageSchema("1.2.3") as {
    version: string;
    config: { variables: Record<string, { description: string }> };
    resources: Record<
      string,
      {
        inputProperties: Record<string, { type: string; description: string; secret?: boolean }>;
        requiredInputs: string[];
        properties: Record<string, { type: string; description: string; secret?: boolean }>;
        required: string[];
      }
    >;
  };
  const resource = schema.resources[RESOURCE_TOKEN];

  it("carries every input and output with the one description, and the version asked for", () => {
    expect(schema.version).toBe("1.2.3");
    expect(resource).toBeDefined();
    for (const [name, spec] of Object.entries(INPUTS)) {
      expect(resource?.inputProperties[name]).toMatchObject({ type: spec.type, description: spec.description });
    }
    for (const [name, spec] of Object.entries(OUTPUTS)) {
      expect(resource?.properties[name]).toMatchObject({ type: spec.type, description: spec.description });
    }
    expect(Object.keys(resource?.inputProperties ?? {}).sort()).toEqual(Object.keys(INPUTS).sort());
    expect(Object.keys(resource?.properties ?? {}).sort()).toEqual(Object.keys(OUTPUTS).sort());
    expect(resource?.requiredInputs).toEqual([...REQUIRED_INPUTS]);
    expect(resource?.required).toEqual([...REQUIRED_OUTPUTS]);
    expect(Object.keys(schema.config.variables).sort()).toEqual(Object.keys(PROVIDER_CONFIG).sort());
  });

  it("marks the password secret, and has no password output (no output is secret: none is derived from it)", () => {
    expect(resource?.inputProperties.password?.secret).toBe(true);
    const secretInputs = Object.entries(resource?.inputProperties ?? {}).filter(([, p]) => p.secret);
    expect(secretInputs.map(([name]) => name)).toEqual(["password"]);
    expect(Object.keys(resource?.properties ?? {})).not.toContain("password");
    expect(Object.values(resource?.properties ?? {}).filter((p) => p.secret)).toEqual([]);
  });
});
