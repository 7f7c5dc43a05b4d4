/**
 * Scrubs secrets from text that leaves the process (error messages quoting the service): a
 * password may come back from Cognito or a proxy plain, URL-encoded, JSON-escaped or in
 * base64, and every form must go.
 */

/**
 * The base64 characters that encode `secret` wherever it sits in a larger encoded text: at byte
 * offset 0, 1 or 2 of a 3-byte group the secret's bytes give different characters, and the ones
 * at either end also depend on the neighbouring bytes, so only the middle ("core") is certain.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    // Too short a core would redact innocent text; a secret that short has no core worth keeping.
    if (end - first >= 4) cores.push(encoded.slice(first, end));
  }
  return cores;
}

/**
 * Removes every occurrence of each secret from `text`: plain, URL-encoded, JSON-escaped, and in
 * base64 at any byte alignment.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret, "utf8").toString("base64"),
      ...base64Cores(secret),
    ]);
    // Longest first, so a form that contains another is removed whole.
    for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join("***");
  }
  return out;
}
