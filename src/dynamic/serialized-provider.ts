/**
 * The provider handed to the engine. Pulumi serializes it into the state of every resource
 * (`__provider`, in both inputs and outputs) and runs that text later, possibly with a
 * newer package installed. Two things keep the text small, free of clients, credentials and
 * secrets, and pointing at the installed code (so an upgrade changes what runs, even for
 * delete):
 *  - this module's exports object *is* the provider: when the package is installed under
 *    node_modules, Pulumi's serializer captures it by reference, as a one-line `require`;
 *  - each method loads the implementation by package name at run time, so where the
 *    serializer copies the provider by value instead (a linked checkout), the copy is still
 *    a handful of one-line functions.
 *
 * `require` resolves from the provider process's working directory: the Pulumi program's.
 */
import type { UserPasswordProvider as Provider } from "./provider";
type Runtime = typeof import("../provider-runtime");

// By package name at run time, on purpose: the serialized text stays a one-liner, and the
// installed version's code runs (see above). An import would be bundled into the closure.
const load = (): Runtime["provider"] =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("pulumi-cognito-user-password/dist/provider-runtime") as Runtime).provider;

export const configure: Provider["configure"] = (req) => load().configure(req);
export const check: Provider["check"] = (olds, news) => load().check(olds, news);
export const diff: Provider["diff"] = (id, olds, news) => load().diff(id, olds, news);
export const create: Provider["create"] = (inputs) => load().create(inputs);
export const read: Provider["read"] = (id, props) => load().read(id, props);
export const update: Provider["update"] = (id, olds, news) => load().update(id, olds, news);
// `delete` is a reserved word; the exported name is what the engine calls.
const remove: Provider["delete"] = (id, props) => load().delete(id, props);
export { remove as delete };
