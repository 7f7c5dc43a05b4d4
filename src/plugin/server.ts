/**
 * Serves the plugin's provider with `@pulumi/pulumi/provider`'s `main`, plus the two things
 * that server leaves out (SDK 3.270 to 3.276 at least):
 *  - Configure: the server answers it (acceptSecrets and the like) but drops the request's
 *    variables, so the provider configuration would never reach the provider;
 *  - Diff: the server forwards `changes`, `replaces` and `deleteBeforeReplace` only, not the
 *    list of changed properties (`diffs`) that the engine shows and `replaceOnChanges` reads.
 * Both are added on the server's own handlers: while `main` registers the ResourceProvider
 * service (synchronously, before its first await), the registration is given an
 * implementation whose Configure hands the variables to the provider first and whose Diff
 * answers with `diffs` too. Everything else is the SDK's. If a later SDK registers the
 * service some other way, `serve` fails at start rather than run without configuration.
 */
import * as grpc from "@grpc/grpc-js";
import { main } from "@pulumi/pulumi/provider";
import {
  DiffResponse,
  type ConfigureRequest,
  type ConfigureResponse,
  type DiffRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { providerConfigFromVariables } from "./config";
import type { UserPasswordPluginProvider } from "./provider";

/** The ResourceProvider service's gRPC path prefix. */
const SERVICE_PATH = "/pulumirpc.ResourceProvider/";

/** Thrown when `main` did not register the ResourceProvider service where `serve` expects it. */
export class ServerHookError extends Error {
  constructor() {
    super(
      "cognito-user-password: @pulumi/pulumi/provider's main did not register the ResourceProvider service synchronously; the provider configuration cannot be read",
    );
    this.name = "ServerHookError";
  }
}

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

function isResourceProviderService(service: grpc.ServiceDefinition): boolean {
  return Object.values(service).some((method) => method.path === `${SERVICE_PATH}Configure`);
}

/** The SDK's implementation, with Configure and Diff extended (see the module's comment). */
function withHooks(
  implementation: grpc.UntypedServiceImplementation,
  provider: UserPasswordPluginProvider,
): grpc.UntypedServiceImplementation {
  const sdkConfigure = implementation.configure as Handler<ConfigureRequest, ConfigureResponse>;
  const configure: Handler<ConfigureRequest, ConfigureResponse> = (call, callback) => {
    try {
      provider.configure(providerConfigFromVariables(call.request.getVariablesMap().toArray()));
    } catch (err) {
      callback(err as Error, null);
      return;
    }
    sdkConfigure.call(implementation, call, callback);
  };
  const diff: Handler<DiffRequest, DiffResponse> = (call, callback) => {
    const req = call.request;
    provider
      .diff(req.getId(), req.getUrn(), req.getOlds()?.toJavaScript() ?? {}, req.getNews()?.toJavaScript() ?? {})
      .then((result) => {
        const resp = new DiffResponse();
        resp.setChanges(result.changes ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_NONE);
        resp.setReplacesList([...(result.replaces ?? [])]);
        resp.setDiffsList([...result.diffs]);
        resp.setDeletebeforereplace(result.deleteBeforeReplace === true);
        callback(null, resp);
      })
      .catch((err: unknown) => callback(err as Error, null));
  };
  // The SDK's server object stays the prototype, so its other handlers keep their `this`.
  return Object.assign(Object.create(implementation) as grpc.UntypedServiceImplementation, { configure, diff });
}

/** Serves `provider` as a Pulumi resource plugin; `args` are the plugin's command-line arguments. */
export function serve(provider: UserPasswordPluginProvider, args: string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, never called unbound
  const addService = grpc.Server.prototype.addService;
  let hooked = false;
  grpc.Server.prototype.addService = function (
    this: grpc.Server,
    service: grpc.ServiceDefinition,
    implementation: grpc.UntypedServiceImplementation,
  ) {
    if (isResourceProviderService(service)) {
      hooked = true;
      return addService.call(this, service, withHooks(implementation, provider));
    }
    return addService.call(this, service, implementation);
  };
  let serving: Promise<void>;
  try {
    serving = main(provider, args);
  } finally {
    grpc.Server.prototype.addService = addService;
  }
  if (!hooked) return Promise.reject(new ServerHookError());
  return serving;
}
