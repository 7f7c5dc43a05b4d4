/**
 * Output shaping: which properties a `UserPassword` returns, and the parts every method shares.
 * Outputs are whitelisted by the declared keys, so nothing else (above all, no input such as
 * the password) is ever echoed, and outputs of earlier versions that are no longer declared
 * (`passwordFingerprint`) go at the next update or refresh.
 */
import { parseResourceId } from "./resource-id";
import { DEFAULTS, type UserPasswordInputs, type UserPasswordOutputs } from "./types";

/** Every declared output; the compiler checks it against `UserPasswordOutputs`. */
const OUTPUT_KEYS = {
  userPoolId: true,
  username: true,
  cognitoUsername: true,
  permanent: true,
  status: true,
  setId: true,
  passwordRevision: true,
  passwordSetAt: true,
  drift: true,
  region: true,
  endpoint: true,
  profile: true,
  assumeRole: true,
  onDelete: true,
  reissueExpiredTemporaryPassword: true,
  allowFederatedUser: true,
} as const satisfies Record<keyof UserPasswordOutputs, true>;

export const OUTPUT_PROPERTIES = Object.keys(OUTPUT_KEYS) as ReadonlyArray<keyof UserPasswordOutputs>;

/**
 * Only the declared output properties of `props`. The engine may hand `read` the resource's
 * inputs instead of its outputs, and inputs hold the password: never echo them.
 */
export function storedOutputs(props: Partial<UserPasswordOutputs> | Partial<UserPasswordInputs>): UserPasswordOutputs {
  const source = props as unknown as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of OUTPUT_PROPERTIES) if (source[key] !== undefined) picked[key] = source[key];
  return picked as unknown as UserPasswordOutputs;
}

/** The options that change how later operations behave, defaults filled in. */
export function optionOutputs(
  inputs: UserPasswordInputs,
): Pick<UserPasswordOutputs, "onDelete" | "reissueExpiredTemporaryPassword" | "allowFederatedUser"> {
  return {
    onDelete: inputs.onDelete ?? DEFAULTS.onDelete,
    reissueExpiredTemporaryPassword: inputs.reissueExpiredTemporaryPassword ?? DEFAULTS.reissueExpiredTemporaryPassword,
    allowFederatedUser: inputs.allowFederatedUser ?? DEFAULTS.allowFederatedUser,
  };
}

/** What `read` starts from when the engine knows only the id. */
export function outputsFromId(id: string): UserPasswordOutputs {
  const { userPoolId, username } = parseResourceId(id);
  return {
    userPoolId,
    username,
    cognitoUsername: username,
    permanent: DEFAULTS.permanent,
    status: "UNKNOWN",
    passwordSetAt: "",
    region: "",
    onDelete: DEFAULTS.onDelete,
    reissueExpiredTemporaryPassword: DEFAULTS.reissueExpiredTemporaryPassword,
    allowFederatedUser: DEFAULTS.allowFederatedUser,
  };
}
