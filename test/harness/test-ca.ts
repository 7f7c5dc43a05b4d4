/**
 * A certificate authority made for one test run (openssl, into a temporary folder): its root
 * certificate (what AWS_CA_BUNDLE or a profile's ca_bundle names) and a server certificate it
 * signed for `localhost` and 127.0.0.1 (what a TLS front serves). Nothing is committed: the
 * keys live in the folder until `remove()`. A second, unrelated CA (`makeTestCa` again) stands
 * for "a bundle that does not sign this endpoint".
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCa {
  /** The CA's root certificate (PEM file). */
  caFile: string;
  /** The server certificate (PEM) and key the CA issued for localhost / 127.0.0.1. */
  cert: string;
  key: string;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function makeTestCa(name = "cognito-pw test CA"): TestCa {
  const dir = mkdtempSync(path.join(tmpdir(), "cup-test-ca-"));
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  openssl(
    ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
    dir,
  );
  writeFileSync(
    path.join(dir, "server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  return {
    caFile: path.join(dir, "ca.pem"),
    cert: readFileSync(path.join(dir, "server.pem"), "utf8"),
    key: readFileSync(path.join(dir, "server.key"), "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
