/**
 * The one secret scanner every test uses: given secrets (passwords, AWS credentials), it
 * finds them in text, buffers, objects and errors, files (gzip inflated) and whole directory
 * trees, in every form a careless implementation (or a serializer) could write them:
 *
 *   plain          the secret itself
 *   url            encodeURIComponent, its lower-case-hex variant, form encoding (URLSearchParams)
 *   json           JSON string escaping (JSON.stringify without the quotes); the Go variant
 *                  (encoding/json also escapes < > & U+2028 U+2029 as \u00XX, as the Pulumi
 *                  CLI writes state); the ASCII-only variant (every non-ASCII as \uXXXX);
 *                  JSON inside JSON (a JSON document stored as a JSON string, as in
 *                  Pulumi's `{"plaintext": "\"...\""}`)
 *   base64@k       base64 (standard and URL alphabets) of the secret starting at byte
 *                  offset k = 0, 1, 2 of a 3-byte group: the characters fully determined by
 *                  the secret's bytes, so the secret is found inside ANY longer base64
 *                  string (a base64'd JSON document, a token, a gzip-less blob), not only
 *                  when it was encoded alone
 *   hex            lower- and upper-case
 *
 * A leak reports which secret (by label, never the value), in which form, where (file,
 * JSON path, source name), at which offset and line. Nothing here prints a secret.
 *
 * Matching is one pass per source: every form is indexed by its first 4 bytes, so
 * hundreds of secrets against megabytes of state stay fast.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export interface Secret {
  /** How leaks name the secret (never the value), e.g. "password of alice", "AWS_SECRET_ACCESS_KEY". */
  label: string;
  value: string;
}

export type SecretInput = string | Secret;

export interface SecretForm {
  /** e.g. "plain", "url", "json", "json-in-json", "base64@1", "base64url@2", "hex". */
  name: string;
  text: string;
}

export interface Leak {
  /** The secret's label. */
  secret: string;
  /** The form it was found in (see SecretForm.name). */
  form: string;
  /** The source: a file path, a JSON path inside a value (`error.message`, `$.outputs.x`), or a given name. */
  where: string;
  /** Byte offset inside the source's text (UTF-8). */
  offset: number;
  /** 1-based line of the offset. */
  line: number;
}

/** A text (or bytes) to scan, named. */
export interface TextSource {
  where: string;
  text: string | Buffer;
}

export interface ScannerOptions {
  /**
   * Derived forms (all but plain) shorter than this are not searched: a 3-character base64
   * fragment would match by chance. Default 8.
   */
  minFormLength?: number;
  /** At most this many leaks are reported per (source, secret, form). Default 5. */
  maxPerForm?: number;
}

interface IndexedForm {
  secret: string;
  form: string;
  bytes: Buffer;
}

/** The base64 characters of `secret` at byte offset `k` (0..2) that depend on the secret's bytes only. */
export function base64Core(secret: Buffer, k: 0 | 1 | 2): string {
  const padded = Buffer.concat([Buffer.alloc(k), secret]);
  const encoded = padded.toString("base64").replace(/=+$/, "");
  // Character i covers bits [6i, 6i+6): keep those inside [8k, 8(k+n)).
  const first = Math.ceil((8 * k) / 6);
  const end = Math.floor((8 * (k + secret.length)) / 6);
  return end > first ? encoded.slice(first, end) : "";
}

function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** Go's encoding/json: HTML-safe escaping of < > & and the JS line separators. */
function goJsonEscape(s: string): string {
  return jsonEscape(s)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function asciiJsonEscape(s: string): string {
  // Every UTF-16 code unit outside ASCII (no `u` flag: surrogate halves one by one).
  return jsonEscape(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Every form of `secret` the scanner looks for (deduplicated; empty forms dropped). */
export function secretForms(secret: string, options: ScannerOptions = {}): SecretForm[] {
  const min = options.minFormLength ?? 8;
  const utf8 = Buffer.from(secret, "utf8");
  const candidates: SecretForm[] = [
    { name: "plain", text: secret },
    { name: "url", text: encodeURIComponent(secret) },
    { name: "url-lowercase", text: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) },
    { name: "form-url", text: new URLSearchParams({ s: secret }).toString().slice(2) },
    { name: "json", text: jsonEscape(secret) },
    { name: "json-go", text: goJsonEscape(secret) },
    { name: "json-ascii", text: asciiJsonEscape(secret) },
    { name: "json-in-json", text: jsonEscape(jsonEscape(secret)) },
    { name: "json-go-in-json-go", text: goJsonEscape(goJsonEscape(secret)) },
    { name: "hex", text: utf8.toString("hex") },
    { name: "HEX", text: utf8.toString("hex").toUpperCase() },
  ];
  for (const k of [0, 1, 2] as const) {
    const core = base64Core(utf8, k);
    candidates.push({ name: `base64@${k}`, text: core });
    candidates.push({ name: `base64url@${k}`, text: core.replace(/\+/g, "-").replace(/\//g, "_") });
  }
  const seen = new Set<string>();
  const forms: SecretForm[] = [];
  for (const f of candidates) {
    if (!f.text || seen.has(f.text)) continue;
    if (f.name !== "plain" && f.text.length < min) continue;
    seen.add(f.text);
    forms.push(f);
  }
  return forms;
}

function normalize(secret: SecretInput, index: number): Secret {
  if (typeof secret === "string") return { label: `secret #${index} (${secret.length} chars)`, value: secret };
  return secret;
}

export class SecretScanner {
  private readonly secrets: Secret[] = [];
  private readonly values = new Set<string>();
  private readonly options: Required<ScannerOptions>;
  /** Forms by their first 4 bytes (little-endian uint32); shorter forms apart. */
  private index = new Map<number, IndexedForm[]>();
  private short: IndexedForm[] = [];

  constructor(secrets: Iterable<SecretInput> = [], options: ScannerOptions = {}) {
    this.options = { minFormLength: options.minFormLength ?? 8, maxPerForm: options.maxPerForm ?? 5 };
    this.add(...secrets);
  }

  /** Adds secrets (empty and duplicate values are ignored). Returns this. */
  add(...secrets: SecretInput[]): this {
    for (const input of secrets) {
      const secret = normalize(input, this.secrets.length);
      if (typeof secret.value !== "string") throw new TypeError(`secret ${secret.label} is not a string`);
      if (!secret.value || this.values.has(secret.value)) continue;
      this.values.add(secret.value);
      this.secrets.push(secret);
      for (const form of secretForms(secret.value, this.options)) {
        const bytes = Buffer.from(form.text, "utf8");
        const entry: IndexedForm = { secret: secret.label, form: form.name, bytes };
        if (bytes.length < 4) {
          this.short.push(entry);
        } else {
          const key = bytes.readUInt32LE(0);
          const list = this.index.get(key);
          if (list) list.push(entry);
          else this.index.set(key, [entry]);
        }
      }
    }
    return this;
  }

  /** How many distinct secrets are searched. */
  get size(): number {
    return this.secrets.length;
  }

  /** Leaks in a text or buffer. */
  scanText(text: string | Buffer, where: string): Leak[] {
    const buf = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    const leaks: Leak[] = [];
    const counts = new Map<IndexedForm, number>();
    const report = (entry: IndexedForm, offset: number) => {
      const n = counts.get(entry) ?? 0;
      if (n >= this.options.maxPerForm) return;
      counts.set(entry, n + 1);
      leaks.push({ secret: entry.secret, form: entry.form, where, offset, line: lineOf(buf, offset) });
    };
    const last = buf.length - 4;
    for (let i = 0; i <= last; i++) {
      const candidates = this.index.get(buf.readUInt32LE(i));
      if (!candidates) continue;
      for (const entry of candidates) {
        if (
          i + entry.bytes.length <= buf.length &&
          buf.compare(entry.bytes, 0, entry.bytes.length, i, i + entry.bytes.length) === 0
        ) {
          report(entry, i);
        }
      }
    }
    for (const entry of this.short) {
      let at = buf.indexOf(entry.bytes);
      while (at >= 0) {
        report(entry, at);
        at = buf.indexOf(entry.bytes, at + 1);
      }
    }
    return leaks;
  }

  /** Leaks in several named texts. */
  scanTexts(sources: Iterable<TextSource>): Leak[] {
    const leaks: Leak[] = [];
    for (const { where, text } of sources) leaks.push(...this.scanText(text, where));
    return leaks;
  }

  /**
   * Leaks in any value: strings, buffers, arrays, plain objects (keys too), errors (name,
   * message, stack, own properties, cause), Maps and Sets. `where` names the root; leaks
   * carry the path inside it, e.g. `result.outputs.status`, `error.message`.
   */
  scanValue(value: unknown, where = "$"): Leak[] {
    const leaks: Leak[] = [];
    const seen = new Set<unknown>();
    // A path segment that is itself a secret must not end up in a report.
    const segment = (key: string) => (this.scanText(key, "").length > 0 ? "<secret key>" : key);
    const visit = (v: unknown, at: string) => {
      if (typeof v === "string") {
        leaks.push(...this.scanText(v, at));
        return;
      }
      if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
        leaks.push(...this.scanText(Buffer.from(v), at));
        return;
      }
      if (typeof v !== "object" || v === null) {
        if (
          v === null ||
          typeof v === "number" ||
          typeof v === "boolean" ||
          typeof v === "bigint" ||
          typeof v === "symbol"
        ) {
          leaks.push(...this.scanText(String(v), at));
        }
        return;
      }
      if (seen.has(v)) return;
      seen.add(v);
      if (v instanceof Error) {
        visit(v.name, `${at}.name`);
        visit(v.message, `${at}.message`);
        visit(v.stack ?? "", `${at}.stack`);
        for (const key of Object.getOwnPropertyNames(v)) {
          if (key === "name" || key === "message" || key === "stack") continue;
          visit((v as unknown as Record<string, unknown>)[key], `${at}.${key}`);
        }
        if ("cause" in v) visit((v as { cause?: unknown }).cause, `${at}.cause`);
        return;
      }
      if (v instanceof Map) {
        for (const [k, x] of v) {
          visit(k, `${at}.<key>`);
          visit(x, `${at}[${segment(String(k))}]`);
        }
        return;
      }
      if (v instanceof Set || Array.isArray(v)) {
        let i = 0;
        for (const x of v) visit(x, `${at}[${i++}]`);
        return;
      }
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const key = segment(k);
        visit(k, `${at}.${key}<key>`);
        visit(x, `${at}.${key}`);
      }
    };
    visit(value, where);
    return leaks;
  }

  /** Leaks in one file; `.gz` files are inflated first. */
  scanFile(file: string, where: string = file): Leak[] {
    let bytes = readFileSync(file);
    if (file.endsWith(".gz")) {
      try {
        bytes = gunzipSync(bytes);
      } catch {
        // not really gzip: scan as is
      }
    }
    return this.scanText(bytes, where);
  }

  /**
   * Leaks in every regular file under `dir` (recursively; symbolic links are not followed).
   * `exclude` skips files or directories by path.
   */
  scanDirectory(dir: string, options: { exclude?: (file: string) => boolean } = {}): Leak[] {
    const leaks: Leak[] = [];
    for (const file of listFiles(dir, options.exclude)) leaks.push(...this.scanFile(file));
    return leaks;
  }
}

/** Regular files under `dir`, recursively, symbolic links not followed. */
export function listFiles(dir: string, exclude?: (file: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (exclude?.(full)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          if (statSync(full).size > 0) out.push(full);
        } catch {
          // removed meanwhile
        }
      }
    }
  };
  walk(dir);
  return out;
}

function lineOf(buf: Buffer, offset: number): number {
  let line = 1;
  let at = buf.indexOf(10);
  while (at >= 0 && at < offset) {
    line++;
    at = buf.indexOf(10, at + 1);
  }
  return line;
}

/** One line per leak, for assertion messages (labels only, never a secret). */
export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.secret} as ${l.form} in ${l.where} (line ${l.line}, offset ${l.offset})`).join("\n");
}

/** Shorthand: a scanner over `secrets`, run over named texts. */
export function findSecrets(
  sources: Iterable<TextSource>,
  secrets: Iterable<SecretInput>,
  options?: ScannerOptions,
): Leak[] {
  return new SecretScanner(secrets, options).scanTexts(sources);
}

/** The AWS credentials of an environment (access key id, secret key, session token), labelled, for a scanner. */
export function awsCredentialSecrets(env: Record<string, string | undefined>): Secret[] {
  return ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
    .filter((k) => env[k])
    .map((k) => ({ label: k, value: env[k] as string }));
}
