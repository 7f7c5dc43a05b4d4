/**
 * The provider object handed to the engine. Pulumi serializes it into the state of every
 * resource (`__provider`) and runs that text later, possibly with a newer package
 * installed. So each method only loads the implementation from the installed package at
 * run time: the serialized text stays small, captures no client, credential or secret,
 * and an upgrade of the package changes the code that runs (even for delete).
 *
 * `require` resolves from the provider process's working directory, the Pulumi program's.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { UserPasswordInputs, UserPasswordOutputs } from "./types";

type Runtime = typeof import("./provider-runtime");

export const userPasswordProvider: dynamic.ResourceProvider<UserPasswordInputs, UserPasswordOutputs> = {
  configure: (r) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.configure(r),
  check: (o, n) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.check(o, n),
  diff: (i, o, n) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.diff(i, o, n),
  create: (n) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.create(n),
  read: (i, p) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.read(i, p),
  update: (i, o, n) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.update(i, o, n),
  delete: (i, p) => (require("pulumi-cognito-user-password/provider-runtime") as Runtime).provider.delete(i, p),
};
