/**
 * The provider plugin driven over its gRPC surface, as the engine drives it: a running plugin
 * process (`node dist/plugin/main.js`, the code the executable bundles) and a
 * `pulumirpc.ResourceProvider` client. `startPluginDriver()` returns the same method shape as
 * the dynamic provider (`check(olds, news)`, `create(inputs)`, ...), so one scenario table runs
 * through both faces: the driver turns the dynamic resource's `resourceName` into the URN's
 * name, sends the password secret-marked, takes secret marks off what comes back, and puts
 * `resourceName` back on the outputs the way the dynamic face keeps it. A failed call becomes
 * an `Error` with the plugin's own message (the gRPC status details).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { DynamicInputs, DynamicOutputs } from "pulumi-cognito-user-password";
import { RESOURCE_TOKEN } from "../../src/plugin/schema";

type Provider = Required<Omit<dynamic.ResourceProvider<DynamicInputs, DynamicOutputs>, "configure">>;
type JsonObject = Record<string, unknown>;

const ROOT = path.resolve(__dirname, "../..");
const PLUGIN_MAIN = path.join(ROOT, "dist", "plugin", "main.js");

export interface PluginDriver {
  /** The plugin's methods in the dynamic provider's shape. */
  readonly provider: Provider;
  /** Configure, as the engine sends it: `cognito-user-password:config:<key>` variables. */
  configure(variables: Record<string, string>): Promise<void>;
  /** What the plugin process wrote to stderr so far (scanned for secrets by callers). */
  stderr(): string;
  stop(): Promise<void>;
}

const urnOf = (name: string | undefined) =>
  `urn:pulumi:test::integration::${RESOURCE_TOKEN}::${name ?? "unnamed-user-password"}`;

const isSecret = (value: unknown): value is { value: unknown } =>
  typeof value === "object" && value !== null && (value as JsonObject)[specialSigKey] === specialSecretSig;

/** The dynamic-shaped properties as the plugin receives them: no `resourceName`, the password secret. */
function toWire(props: object | undefined): Struct {
  const rest: JsonObject = { ...(props ?? {}) };
  delete rest.resourceName;
  // The wire has no undefined: an absent property is simply not there.
  for (const key of Object.keys(rest)) if (rest[key] === undefined) delete rest[key];
  if (rest.password !== undefined) rest.password = { [specialSigKey]: specialSecretSig, value: rest.password };
  return Struct.fromJavaScript(rest as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** The plugin's answer in the dynamic shape: secret marks off, the label back. */
function fromWire<T>(struct: Struct | undefined, name: string | undefined): T {
  const plain: JsonObject = {};
  for (const [key, value] of Object.entries(struct?.toJavaScript() ?? {}))
    plain[key] = isSecret(value) ? value.value : value;
  return (name ? { resourceName: name, ...plain } : plain) as T;
}

function labelOf(props: object | undefined): string | undefined {
  const name = (props as { resourceName?: unknown } | undefined)?.resourceName;
  return typeof name === "string" && name ? name : undefined;
}

/** One unary call, its gRPC error turned into an Error carrying the plugin's message. */
function unary<Res>(start: (callback: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    start((err, res) => (err ? reject(new Error(err.details || err.message)) : resolve(res)));
  });
}

/** Starts the plugin process and connects to it. */
export async function startPluginDriver(env: NodeJS.ProcessEnv = process.env): Promise<PluginDriver> {
  const child: ChildProcess = spawn(process.execPath, [PLUGIN_MAIN], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    child.once("exit", (code) => reject(new Error(`the plugin exited (${code}) before serving: ${stderr}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) resolve(Number(line[1]));
    });
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  const configure = async (variables: Record<string, string>): Promise<void> => {
    const req = new proto.ConfigureRequest();
    for (const [key, value] of Object.entries(variables)) req.getVariablesMap().set(key, value);
    req.setAcceptsecrets(true);
    req.setArgs(Struct.fromJavaScript({}));
    await unary<proto.ConfigureResponse>((cb) => client.configure(req, cb));
  };
  // The engine configures every provider before its first call.
  await configure({});

  const provider: Provider = {
    async check(olds, news) {
      const name = labelOf(news);
      const req = new proto.CheckRequest();
      req.setUrn(urnOf(name));
      req.setOlds(toWire(olds));
      req.setNews(toWire(news));
      const res = await unary<proto.CheckResponse>((cb) => client.check(req, cb));
      const failures = res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
      return failures.length > 0 ? { failures } : { inputs: fromWire<DynamicInputs>(res.getInputs(), name) };
    },
    async diff(id, olds, news) {
      const req = new proto.DiffRequest();
      req.setId(id);
      req.setUrn(urnOf(labelOf(news)));
      req.setOlds(toWire(olds));
      req.setNews(toWire(news));
      const res = await unary<proto.DiffResponse>((cb) => client.diff(req, cb));
      return {
        changes: res.getChanges() === proto.DiffResponse.DiffChanges.DIFF_SOME,
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
    },
    async create(inputs) {
      const name = labelOf(inputs);
      const req = new proto.CreateRequest();
      req.setUrn(urnOf(name));
      req.setProperties(toWire(inputs));
      const res = await unary<proto.CreateResponse>((cb) => client.create(req, cb));
      return { id: res.getId(), outs: fromWire<DynamicOutputs>(res.getProperties(), name) };
    },
    async read(id, props) {
      const name = labelOf(props);
      const req = new proto.ReadRequest();
      req.setId(id);
      req.setUrn(urnOf(name));
      req.setProperties(toWire(props));
      const res = await unary<proto.ReadResponse>((cb) => client.read(req, cb));
      return res.getId() ? { id: res.getId(), props: fromWire<DynamicOutputs>(res.getProperties(), name) } : {};
    },
    async update(id, olds, news) {
      const name = labelOf(news);
      const req = new proto.UpdateRequest();
      req.setId(id);
      req.setUrn(urnOf(name));
      req.setOlds(toWire(olds));
      req.setNews(toWire(news));
      const res = await unary<proto.UpdateResponse>((cb) => client.update(req, cb));
      return { outs: fromWire<DynamicOutputs>(res.getProperties(), name) };
    },
    async delete(id, props) {
      const req = new proto.DeleteRequest();
      req.setId(id);
      req.setUrn(urnOf(labelOf(props)));
      req.setProperties(toWire(props));
      await unary((cb) => client.delete(req, cb));
    },
  };

  return {
    provider,
    configure,
    stderr: () => stderr,
    stop: async () => {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
