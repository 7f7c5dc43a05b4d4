/**
 * The public surface. The TypeScript face is the dynamic resource `UserPassword`; its provider
 * object and the core's types and errors are exported for programs that drive it directly.
 */
export { UserPassword, USER_PASSWORD_TYPE, type AssumeRoleArgs, type UserPasswordArgs } from "./dynamic/resource";
export { userPasswordProvider } from "./dynamic/resource";
export {
  createUserPasswordProvider,
  type UserPasswordProvider,
  type DynamicInputs,
  type DynamicOutputs,
} from "./dynamic/provider";
export type { CoreDependencies } from "./core/user-password";
export type { CognitoGateway, CognitoUser, Connection, UserPoolSettings } from "./cognito/gateway";
export type { AssumeRole, DriftReason, OnDelete, UserPasswordInputs, UserPasswordOutputs } from "./core/types";
export {
  AccessDeniedError,
  AssumeRoleError,
  CertificateNotTrustedError,
  CognitoRequestError,
  DuplicateUserError,
  FederatedUserError,
  InvalidInputError,
  NotFoundError,
  PasswordHistoryError,
  PasswordPolicyError,
  ProxyError,
  RegionNotConfiguredError,
  UserNotFoundError,
  UserPasswordError,
  UserPoolNotFoundError,
  type Target,
} from "./core/errors";
