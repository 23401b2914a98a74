import { PkiError } from '../errors.js';

/** DER bytes (never PEM text). */
export type Der = Uint8Array & { readonly __encoding?: 'der' };
/** PEM text (never DER bytes). */
export type Pem = string & { readonly __encoding?: 'pem' };

/** Every PEM label etcd-pki reads or writes (RFC 7468, plus the OpenSSL legacy key labels). */
export const PEM_LABELS = {
  certificate: 'CERTIFICATE',
  certificateRequest: 'CERTIFICATE REQUEST',
  /** Netscape/OpenSSL's old spelling of a PKCS#10 request. */
  newCertificateRequest: 'NEW CERTIFICATE REQUEST',
  ecPrivateKey: 'EC PRIVATE KEY',
  ecParameters: 'EC PARAMETERS',
  rsaPrivateKey: 'RSA PRIVATE KEY',
  privateKey: 'PRIVATE KEY',
  /** cfssl 1.6's label for an Ed25519 key; the DER is PKCS#8 all the same. */
  ed25519PrivateKey: 'Ed25519 PRIVATE KEY',
  encryptedPrivateKey: 'ENCRYPTED PRIVATE KEY',
  publicKey: 'PUBLIC KEY',
} as const;

export type PemLabel = (typeof PEM_LABELS)[keyof typeof PEM_LABELS];

export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  der: Der;
}

const BLOCK = /-----BEGIN ([A-Za-z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Za-z0-9 ]+)-----/g;

/**
 * Every PEM block in `text`, in order. Text between blocks is ignored, as OpenSSL and Go do.
 * @throws PkiError INVALID_PEM for mismatched END lines or invalid base64.
 */
export function decodePemBlocks(text: string, file?: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', body = '', endLabel] = match;
    if (label !== endLabel) {
      throw new PkiError('INVALID_PEM', `PEM block "BEGIN ${label}" ends with "END ${endLabel}"`, { file });
    }
    const headers: Record<string, string> = {};
    let base64 = '';
    for (const line of body.split(/\r?\n/)) {
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (header) headers[header[1]!] = header[2]!;
      else base64 += line.trim();
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
      throw new PkiError('INVALID_PEM', `the ${label} PEM block is not valid base64 (truncated or corrupted?)`, { file });
    }
    blocks.push({ label, headers, der: new Uint8Array(Buffer.from(base64, 'base64')) });
  }
  if (blocks.length === 0 && /-----BEGIN /.test(text)) {
    throw new PkiError('INVALID_PEM', 'a PEM block has no END line (is the file truncated?)', { file });
  }
  return blocks;
}

/**
 * The single block with one of `labels`. Ignores blocks with other labels only where named in
 * `skip` (OpenSSL writes `EC PARAMETERS` before `EC PRIVATE KEY`).
 * @throws PkiError INVALID_PEM when there is none, or more than one.
 */
export function decodeSinglePem(
  text: string,
  labels: readonly string[],
  options: { file?: string | undefined; what: string; skip?: readonly string[] },
): PemBlock {
  const { file, what } = options;
  const blocks = decodePemBlocks(text, file).filter((b) => !(options.skip ?? []).includes(b.label));
  if (blocks.length === 0) {
    throw new PkiError('INVALID_PEM', `no PEM data found; expected a ${what}`, {
      file,
      hint: `the file should start with "-----BEGIN ${labels[0]}-----"`,
    });
  }
  if (blocks.length > 1) {
    throw new PkiError('INVALID_PEM', `${blocks.length} PEM blocks found where one ${what} was expected`, {
      file,
      hint: 'put each certificate or key in its own file',
    });
  }
  const block = blocks[0]!;
  if (!labels.includes(block.label)) {
    throw new PkiError('INVALID_PEM', `found a "${block.label}" PEM block, expected a ${what}`, {
      file,
      hint: `expected one of: ${labels.map((l) => `"${l}"`).join(', ')}`,
    });
  }
  return block;
}

/** PEM armour with 64-character lines and a final newline, as Go's `pem.Encode` writes it. */
export function encodePem(label: string, der: Uint8Array): Pem {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}

/** True when `data` looks like PEM rather than DER. */
export function looksLikePem(data: Uint8Array | string): boolean {
  const text = typeof data === 'string' ? data : Buffer.from(data.subarray(0, 4096)).toString('latin1');
  return text.includes('-----BEGIN ');
}
