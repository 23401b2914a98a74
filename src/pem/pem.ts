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
  /** RFC 7468 5: a CRL, the label Go's and OpenSSL's readers take. */
  crl: 'X509 CRL',
} as const;

export type PemLabel = (typeof PEM_LABELS)[keyof typeof PEM_LABELS];

export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  der: Der;
}

/**
 * A label: uppercase words (RFC 7468's labels and OpenSSL's legacy ones are all uppercase), or one
 * of PEM_LABELS, for cfssl 1.6's mixed-case "Ed25519 PRIVATE KEY". Any other "BEGIN lower" line is
 * not a boundary, and the search goes on to the next.
 */
const isLabel = (label: string) => /^[A-Z0-9 ]+$/.test(label) || (Object.values(PEM_LABELS) as string[]).includes(label);

/**
 * Every PEM block in `text`, in order. Text between blocks is ignored, as OpenSSL and Go do.
 * One pass: each BEGIN line is matched with the first END line after it, and the search goes
 * on after that END, so no text is scanned twice (40,000 BEGIN lines without an END take no
 * longer than one).
 * @throws PkiError INVALID_PEM for mismatched END lines or invalid base64.
 */
export function decodePemBlocks(text: string, file?: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let sawBegin = false;
  for (let at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at)) {
    sawBegin = true;
    const beginLine = boundary(text, at + BEGIN.length, true);
    if (!beginLine) {
      at += BEGIN.length;
      continue;
    }
    const end = findEnd(text, beginLine.next);
    if (!end) break; // no END anywhere after this BEGIN, so none after a later one either
    const { label } = beginLine;
    if (label !== end.label) {
      throw new PkiError('INVALID_PEM', `PEM block "BEGIN ${label}" ends with "END ${end.label}"`, { file });
    }
    blocks.push(decodeBody(label, text.slice(beginLine.next, end.at), file));
    at = end.next;
  }
  if (blocks.length === 0 && sawBegin) {
    throw new PkiError('INVALID_PEM', 'a PEM block has no END line (is the file truncated?)', { file });
  }
  return blocks;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
/** The longest label looked for between BEGIN and its dashes (the longest real one has 29 characters). */
const MAX_LABEL = 64;

/**
 * The label after `-----BEGIN ` or `-----END ` at `from` and where its line's text ends: for a
 * BEGIN line, after its line break (`\n` or `\r\n`), which must follow at once.
 */
function boundary(text: string, from: number, lineBreak: boolean): { label: string; next: number } | undefined {
  const window = text.slice(from, from + MAX_LABEL + DASHES.length).indexOf(DASHES);
  if (window < 0) return undefined;
  const close = from + window;
  const label = text.slice(from, close);
  if (!isLabel(label)) return undefined;
  let next = close + DASHES.length;
  if (!lineBreak) return { label, next };
  if (text[next] === '\r') next++;
  if (text[next] !== '\n') return undefined;
  return { label, next: next + 1 };
}

/** The first well-formed END line at or after `from`. */
function findEnd(text: string, from: number): { at: number; label: string; next: number } | undefined {
  for (let at = text.indexOf(END, from); at >= 0; at = text.indexOf(END, at + END.length)) {
    const line = boundary(text, at + END.length, false);
    if (line) return { at, ...line };
  }
  return undefined;
}

function decodeBody(label: string, body: string, file: string | undefined): PemBlock {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  let base64 = '';
  for (const line of body.split(/\r?\n/)) {
    const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (header) headers[header[1]!] = header[2]!;
    else base64 += line.trim();
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new PkiError('INVALID_PEM', `the ${label} PEM block is not valid base64 (truncated or corrupted?)`, { file });
  }
  return { label, headers, der: new Uint8Array(Buffer.from(base64, 'base64')) };
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
