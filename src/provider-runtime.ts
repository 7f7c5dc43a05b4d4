// A stable path: the provider serialized into states of every release loads the
// implementation from `pulumi-cognito-user-password/dist/provider-runtime`.
export { provider } from "./dynamic/runtime";
