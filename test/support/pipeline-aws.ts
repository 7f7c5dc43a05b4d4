/**
 * What a deployment pipeline keeps in AWS besides Cognito, emulated by moto on loopback (one
 * moto server serves Cognito, S3 and KMS on one port), with the AWS SDK for JavaScript v3:
 *  - a state bucket for Pulumi's DIY S3 backend, and every object in it read back (for secret
 *    scans, and to tell whether a command wrote anything);
 *  - a KMS key with an alias for the `awskms://` secrets provider, and its disabling;
 *  - the fault proxy (test/harness/fault-proxy.ts) in front of S3, naming each request by
 *    the IAM actions it needs, so that it counts them per action, keeps the object keys, and
 *    can refuse writes as read-only credentials would.
 *
 * moto 5.2 records DisableKey (DescribeKey says `Disabled`) but its Encrypt and Decrypt ignore
 * the key state, where AWS answers DisabledException. `disableKey` therefore also installs a
 * rule on the fault proxy the CLI's KMS requests go through (AWS_ENDPOINT_URL_KMS), answering
 * that key's requests the way AWS does; `enableKey` undoes both.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import { startFaultProxy, type FaultProxy, type RequestInfo, type RuleHandle } from "../harness/fault-proxy";

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

export function s3Client(endpoint: string): S3Client {
  return new S3Client({ region: REGION, endpoint, credentials: CREDENTIALS, forcePathStyle: true });
}

export function kmsClient(endpoint: string): KMSClient {
  return new KMSClient({ region: REGION, endpoint, credentials: CREDENTIALS });
}

/** A fresh bucket with a random name. */
export async function createBucket(endpoint: string, prefix = "pulumi-state"): Promise<string> {
  const bucket = `${prefix}-${randomBytes(4).toString("hex")}`;
  await s3Client(endpoint).send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export interface StoredObject {
  key: string;
  etag: string;
  lastModified: string;
  /** The object's bytes, gunzipped when they are gzip. */
  body: Buffer;
}

/** Every object of the bucket, read back (gzip inflated), sorted by key. */
export async function readBucket(endpoint: string, bucket: string): Promise<StoredObject[]> {
  const s3 = s3Client(endpoint);
  const objects: StoredObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const entry of page.Contents ?? []) {
      if (!entry.Key) continue;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: entry.Key }));
      let body = Buffer.from(await got.Body!.transformToByteArray());
      if (body[0] === 0x1f && body[1] === 0x8b) body = gunzipSync(body);
      objects.push({
        key: entry.Key,
        etag: entry.ETag ?? "",
        lastModified: entry.LastModified?.toISOString() ?? "",
        body,
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects.sort((a, b) => a.key.localeCompare(b.key));
}

/** The keys of the bucket's objects (no bodies). */
export async function listKeys(endpoint: string, bucket: string): Promise<string[]> {
  const page = await s3Client(endpoint).send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((c) => c.Key ?? "").sort();
}

/** Key, ETag and modification time of every object: equal snapshots mean nothing was written. */
export function fingerprint(objects: readonly StoredObject[]): string[] {
  return objects.map((o) => `${o.key} ${o.etag} ${o.lastModified} ${o.body.length}`);
}

export interface KmsKey {
  keyId: string;
  arn: string;
  /** `alias/<name>` */
  alias: string;
}

/** A symmetric key with an alias `alias/<prefix>-<random>`. */
export async function createKmsKey(endpoint: string, prefix = "pulumi-secrets"): Promise<KmsKey> {
  const kms = kmsClient(endpoint);
  const created = await kms.send(new CreateKeyCommand({ Description: "Pulumi secrets provider (test)" }));
  const keyId = created.KeyMetadata?.KeyId;
  const arn = created.KeyMetadata?.Arn;
  if (!keyId || !arn) throw new Error("CreateKey returned no key id");
  const alias = `alias/${prefix}-${randomBytes(4).toString("hex")}`;
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  return { keyId, arn, alias };
}

export async function keyState(endpoint: string, key: KmsKey): Promise<string> {
  const out = await kmsClient(endpoint).send(new DescribeKeyCommand({ KeyId: key.keyId }));
  return out.KeyMetadata?.KeyState ?? "UNKNOWN";
}

/**
 * Whether a KMS request (through the fault proxy) is about `key`: Encrypt and friends name it
 * (`KeyId`: id, ARN or alias); Decrypt carries only the ciphertext, which moto prefixes with
 * the key id.
 */
export function aboutKey(key: KmsKey): (request: RequestInfo) => boolean {
  return (request) => {
    let body: { KeyId?: unknown; CiphertextBlob?: unknown };
    try {
      body = JSON.parse(request.body) as typeof body;
    } catch {
      return false;
    }
    if (typeof body.KeyId === "string" && [key.keyId, key.arn, key.alias].includes(body.KeyId)) return true;
    if (typeof body.CiphertextBlob === "string") {
      return Buffer.from(body.CiphertextBlob, "base64").subarray(0, key.keyId.length).toString("latin1") === key.keyId;
    }
    return false;
  };
}

const KEY_OPERATIONS = ["Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt"];

/**
 * Disables the key in moto (DisableKey), and makes the KMS proxy answer the key's requests as
 * AWS does for a disabled key (moto does not): DisabledException, HTTP 400. Returns the rules.
 */
export async function disableKey(endpoint: string, key: KmsKey, kmsProxy: FaultProxy): Promise<RuleHandle[]> {
  await kmsClient(endpoint).send(new DisableKeyCommand({ KeyId: key.keyId }));
  return KEY_OPERATIONS.map((operation) =>
    kmsProxy.failWith(operation, {
      status: 400,
      type: "DisabledException",
      message: `${key.arn} is disabled.`,
      when: aboutKey(key),
    }),
  );
}

export async function enableKey(endpoint: string, key: KmsKey, rules: readonly RuleHandle[]): Promise<void> {
  await kmsClient(endpoint).send(new EnableKeyCommand({ KeyId: key.keyId }));
  for (const rule of rules) rule.remove();
}

// ---- the fault proxy in front of S3, naming requests by IAM action ----

export interface S3Request {
  bucket: string;
  /** The object key ("" for bucket requests). */
  key: string;
  /** The IAM actions the request needs, e.g. ["s3:GetObject"]; CopyObject needs two. */
  actions: string[];
}

export const S3_WRITE_ACTIONS = new Set(["s3:PutObject", "s3:DeleteObject", "s3:CreateBucket", "s3:DeleteBucket"]);

/**
 * The IAM actions a path-style S3 request needs (the subset Pulumi's DIY backend uses; anything
 * else is named `s3:?<METHOD>` so a test notices it).
 */
export function s3Actions(method: string, url: URL, headers: IncomingMessage["headers"]): S3Request {
  const [, bucket = "", ...rest] = url.pathname.split("/");
  const key = decodeURIComponent(rest.join("/"));
  const query = url.searchParams;
  let actions: string[];
  if (!key) {
    if ((method === "GET" && !query.has("location")) || method === "HEAD") actions = ["s3:ListBucket"];
    else if (method === "GET") actions = ["s3:GetBucketLocation"];
    else if (method === "POST" && query.has("delete")) actions = ["s3:DeleteObject"];
    else if (method === "PUT") actions = ["s3:CreateBucket"];
    else if (method === "DELETE") actions = ["s3:DeleteBucket"];
    else actions = [`s3:?${method}`];
  } else if (method === "GET" || method === "HEAD") {
    actions = ["s3:GetObject"];
  } else if (method === "PUT") {
    actions = headers["x-amz-copy-source"] ? ["s3:GetObject", "s3:PutObject"] : ["s3:PutObject"];
  } else if (method === "DELETE") {
    actions = ["s3:DeleteObject"];
  } else {
    actions = [`s3:?${method}`];
  }
  return { bucket: decodeURIComponent(bucket), key, actions };
}

const requestUrl = (path: string) => new URL(path, "http://proxy");

/**
 * The fault proxy in front of moto's S3 (the CLI's AWS_ENDPOINT_URL_S3): its counts are per
 * IAM action, its rules match actions, its errors are S3's XML. No bodies are kept.
 */
export function startS3Proxy(upstream: string): Promise<FaultProxy> {
  return startFaultProxy(upstream, {
    recordBodies: false,
    operationsOf: (req) => s3Actions(req.method ?? "GET", requestUrl(req.url ?? "/"), req.headers).actions,
    errorBody: (type, message) => ({
      contentType: "application/xml",
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${type}</Code><Message>${message}</Message></Error>`,
    }),
  });
}

/** The requests the S3 proxy recorded, by bucket, key and IAM actions. */
export function s3Requests(proxy: FaultProxy): S3Request[] {
  return proxy.requests().map((r) => {
    const { bucket, key } = s3Actions("GET", requestUrl(r.path), {});
    return { bucket, key, actions: r.operations };
  });
}

/** Refuses every write through the S3 proxy (AccessDenied, 403), as read-only credentials would: the rules, whose hits count the refused. */
export function refuseS3Writes(proxy: FaultProxy): RuleHandle[] {
  return [...S3_WRITE_ACTIONS].map((action) =>
    proxy.failWith(action, {
      status: 403,
      type: "AccessDenied",
      message: "Access Denied (read-only credentials, S3 proxy)",
    }),
  );
}
