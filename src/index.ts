export { UserPassword, type UserPasswordArgs } from "./resource";
export { userPasswordProvider } from "./resource";
export { UserPasswordProvider, type ProviderDependencies } from "./provider";
export type { CognitoGateway, CognitoUser, Connection, UserPoolSettings } from "./cognito";
export type { DriftReason, OnDelete, UserPasswordInputs, UserPasswordOutputs } from "./types";
export * from "./errors";
