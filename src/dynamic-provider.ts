// A stable path: states written by release 0.2.0 and earlier load the serialized provider as
// `require("pulumi-cognito-user-password/dist/dynamic-provider.js")`. Newer states name
// `dist/dynamic/serialized-provider.js` itself.
export { configure, check, diff, create, read, update, delete } from "./dynamic/serialized-provider";
