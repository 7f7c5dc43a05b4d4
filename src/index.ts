export { UserPassword, userPasswordProvider, type UserPasswordArgs } from "./resource";
export { CognitoPasswordProvider, type ProviderDependencies } from "./provider";
export type { CognitoGateway, CognitoUser, Connection, UserPoolSettings } from "./cognito";
export {
  USER_PASSWORD_TYPE,
  type DriftReason,
  type OnDelete,
  type UserPasswordInputs,
  type UserPasswordOutputs,
  type UserPasswordResourceProvider,
} from "./types";
export * from "./errors";
