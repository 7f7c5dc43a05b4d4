/**
 * The implementation the serialized provider loads at run time, from the installed
 * package (`require("pulumi-cognito-user-password/dist/provider-runtime")`). One instance per
 * provider process, so its caches and ownership registry span the whole deployment.
 */
import { CognitoPasswordProvider } from "./provider";

export const provider = new CognitoPasswordProvider();
