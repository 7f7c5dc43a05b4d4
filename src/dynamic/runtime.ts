/**
 * The implementation the serialized provider loads at run time, from the installed package
 * (`require("pulumi-cognito-user-password/dist/provider-runtime")`, a stable re-export of this
 * module). One core per provider process, so its caches and ownership registry span the whole
 * deployment.
 */
import { createUserPasswordProvider } from "./provider";

export const provider = createUserPasswordProvider();
