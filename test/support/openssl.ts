import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from './run.js';

/** One extension as `openssl x509 -text` prints it. */
export interface TextExtension {
  /** openssl's display name, e.g. "X509v3 Key Usage". */
  readonly name: string;
  readonly critical: boolean;
  /** The value lines, trimmed and joined with "\n". */
  readonly value: string;
}

/** A certificate or request as `openssl x509|req -text` shows it, parsed. */
export interface OpensslText {
  readonly text: string;
  readonly version: number;
  /** Serial bytes as lower-case hex without separators (certificates only). */
  readonly serialHex: string;
  readonly serialNegative: boolean;
  readonly signatureAlgorithm: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: { readonly algorithm: string; readonly bits?: number; readonly curve?: string };
  /** In the order they appear. */
  readonly extensions: readonly TextExtension[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 25 13:04:00 2026 GMT` -> Date. */
export function parseOpensslDate(text: string): Date {
  const m = /^(\w{3})\s+(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text.trim());
  if (!m) throw new Error(`unexpected openssl date ${JSON.stringify(text)}`);
  return new Date(Date.UTC(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
}

/** Parses the text form of `openssl x509 -text -noout` or `openssl req -text -noout`. */
export function parseOpensslText(text: string): OpensslText {
  const lines = text.split('\n');
  const field = (label: RegExp): string | undefined => {
    for (const line of lines) {
      const m = label.exec(line);
      if (m) return m[1]!.trim();
    }
    return undefined;
  };
  const version = Number(field(/^\s+Version: (\d+)/) ?? 'NaN');

  let serialHex = '';
  let serialNegative = false;
  const serialAt = lines.findIndex((l) => /^\s+Serial Number:/.test(l));
  if (serialAt >= 0) {
    const inline = /Serial Number: (\(Negative\))?\s*(\d+) \((?:Negative\))?\s*0x([0-9a-f]+)\)/.exec(lines[serialAt]!);
    if (inline) {
      serialNegative = inline[1] !== undefined || lines[serialAt]!.includes('Negative');
      serialHex = inline[3]!.length % 2 ? '0' + inline[3]! : inline[3]!;
    } else {
      serialNegative = lines[serialAt]!.includes('Negative');
      serialHex = lines[serialAt + 1]!.trim().replace(/:/g, '');
    }
  }

  const extensions: TextExtension[] = [];
  const extStart = lines.findIndex((l) => /^\s+(X509v3 extensions|Requested Extensions):\s*$/.test(l));
  if (extStart >= 0) {
    const indent = lines[extStart]!.search(/\S/) + 4;
    let current: { name: string; critical: boolean; value: string[] } | undefined;
    for (const line of lines.slice(extStart + 1)) {
      const lead = line.search(/\S/);
      if (lead < 0) continue;
      if (lead < indent) break;
      if (lead === indent) {
        if (current) extensions.push({ ...current, value: current.value.join('\n') });
        const m = /^\s*(.+?):\s*(critical)?\s*$/.exec(line);
        current = { name: m ? m[1]! : line.trim(), critical: m?.[2] === 'critical', value: [] };
      } else {
        current?.value.push(line.trim());
      }
    }
    if (current) extensions.push({ ...current, value: current.value.join('\n') });
  }

  const algorithm = field(/^\s+Public Key Algorithm: (.+)$/) ?? '';
  const bits = field(/Public-Key: \((\d+) bit\)/);
  const curve = field(/^\s+NIST CURVE: (.+)$/) ?? field(/^\s+ASN1 OID: (.+)$/);
  // The last "Signature Algorithm" line is the outer one; certificates print it twice.
  const sigs = lines.filter((l) => /^\s+Signature Algorithm: /.test(l)).map((l) => l.split(': ')[1]!.trim());
  const notBefore = field(/^\s+Not Before\s*: (.+)$/);
  const notAfter = field(/^\s+Not After\s*: (.+)$/);
  return {
    text,
    version,
    serialHex,
    serialNegative,
    signatureAlgorithm: sigs.at(-1) ?? '',
    issuer: field(/^\s+Issuer: (.*)$/) ?? '',
    subject: field(/^\s+Subject: (.*)$/) ?? '',
    notBefore: notBefore ? parseOpensslDate(notBefore) : new Date(NaN),
    notAfter: notAfter ? parseOpensslDate(notAfter) : new Date(NaN),
    publicKey: {
      algorithm,
      ...(bits ? { bits: Number(bits) } : {}),
      ...(curve ? { curve } : {}),
    },
    extensions,
  };
}

/** `openssl x509 -text -noout` of a PEM certificate, parsed. */
export async function x509Text(pem: string): Promise<OpensslText> {
  return parseOpensslText(await runOk('openssl', ['x509', '-noout', '-text'], { input: pem }));
}

/** `openssl req -text -noout` of a PEM request, parsed. */
export async function reqText(pem: string): Promise<OpensslText> {
  return parseOpensslText(await runOk('openssl', ['req', '-noout', '-text'], { input: pem }));
}

/** The extension named `name` (openssl's display name without "X509v3 "). */
export function extension(text: OpensslText, name: string): TextExtension | undefined {
  return text.extensions.find((e) => e.name === name || e.name === `X509v3 ${name}`);
}

/** The SAN entries as openssl prints them: `DNS:a`, `IP Address:1.2.3.4`, `email:x`, `URI:y`. */
export function sanEntries(text: OpensslText): string[] {
  const san = extension(text, 'Subject Alternative Name');
  return san ? san.value.split(/,\s*/) : [];
}

export interface VerifyOptions {
  /** Intermediate CAs (PEM), passed with -untrusted. */
  readonly untrusted?: string;
  /** openssl -purpose, e.g. sslserver, sslclient. */
  readonly purpose?: string;
  /** Verification time (seconds since the epoch), for certificates not valid now. */
  readonly atTime?: number;
}

/**
 * `openssl verify -CAfile ca cert`: resolves to openssl's output when it says OK, rejects with
 * openssl's complaint otherwise.
 */
export async function opensslVerify(caPem: string, certPem: string, options: VerifyOptions = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-verify-'));
  try {
    const ca = join(dir, 'ca.pem');
    const cert = join(dir, 'cert.pem');
    writeFileSync(ca, caPem);
    writeFileSync(cert, certPem);
    const args = ['verify', '-x509_strict', '-CAfile', ca];
    if (options.untrusted) {
      const untrusted = join(dir, 'untrusted.pem');
      writeFileSync(untrusted, options.untrusted);
      args.push('-untrusted', untrusted);
    }
    if (options.purpose) args.push('-purpose', options.purpose);
    if (options.atTime !== undefined) args.push('-attime', String(options.atTime));
    args.push(cert);
    const result = await run('openssl', args);
    if (result.code !== 0 || !result.stdout.trim().endsWith(': OK')) {
      throw new Error(`openssl verify failed (${result.code}):\n${result.stdout}${result.stderr}`);
    }
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of hex text, e.g. "0d33db" -> [0x0d, 0x33, 0xdb]. */
export function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
