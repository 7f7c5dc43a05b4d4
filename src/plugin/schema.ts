/**
 * The Pulumi package schema of `cognito-user-password`: the provider plugin serves it and the SDK
 * generator reads it. Its properties' descriptions come from the core (`core/properties`).
 */
import {
  INPUTS,
  OUTPUTS,
  PROVIDER_CONFIG,
  REQUIRED_INPUTS,
  REQUIRED_OUTPUTS,
  OBJECT_TYPES,
  type PropertySpec,
  type PropertyType,
} from "../core/properties";

export const PACKAGE_NAME = "cognito-user-password";
export const RESOURCE_TOKEN = `${PACKAGE_NAME}:index:UserPassword` as const;

type SchemaProperty = {
  type: PropertyType;
  $ref?: string;
  description: string;
  secret?: boolean;
  default?: unknown;
};

const typeToken = (name: string) => `${PACKAGE_NAME}:index:${name}`;

function schemaProperties(specs: Record<string, PropertySpec>): Record<string, SchemaProperty> {
  const out: Record<string, SchemaProperty> = {};
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = {
      type: spec.type,
      ...(spec.objectType ? { $ref: `#/types/${typeToken(spec.objectType)}` } : {}),
      description: spec.description,
      ...(spec.secret ? { secret: true } : {}),
      ...(spec.default !== undefined && spec.schemaDefault !== false ? { default: spec.default } : {}),
    };
  }
  return out;
}

/** The schema for `version` (the plugin's own version: the SDKs ask the engine for that plugin). */
export function packageSchema(version: string): Record<string, unknown> {
  return {
    name: PACKAGE_NAME,
    displayName: "Cognito user password",
    version,
    description: "Declares an AWS Cognito user's password (AdminSetUserPassword), kept secret in the state.",
    keywords: ["pulumi", "aws", "cognito", "category/utility", "kind/native"],
    license: "Apache-2.0",
    // No release host yet: plugins are installed from the archive (`pulumi plugin install ... -f`).
    config: { variables: schemaProperties(PROVIDER_CONFIG) },
    types: Object.fromEntries(
      Object.entries(OBJECT_TYPES).map(([name, t]) => [
        typeToken(name),
        { type: "object", description: t.description, properties: t.properties, required: [...t.required] },
      ]),
    ),
    provider: {
      description: "The cognito-user-password provider.",
      inputProperties: schemaProperties(PROVIDER_CONFIG),
    },
    resources: {
      [RESOURCE_TOKEN]: {
        description:
          "Sets an AWS Cognito user's password through AdminSetUserPassword: permanent (the user signs in with it) or temporary (the user must choose a new one at the next sign-in). Import with the id `<userPoolId>/<username>`.",
        inputProperties: schemaProperties(INPUTS),
        requiredInputs: [...REQUIRED_INPUTS],
        properties: schemaProperties(OUTPUTS),
        required: [...REQUIRED_OUTPUTS],
      },
    },
    language: {
      nodejs: { packageName: `@cognito-user-password/pulumi`, respectSchemaVersion: true },
      python: { packageName: "pulumi_cognito_user_password", respectSchemaVersion: true },
      go: {
        importBasePath: "github.com/cognito-user-password/pulumi-cognito-user-password/sdk/go/cognitouserpassword",
        respectSchemaVersion: true,
      },
    },
  };
}
