import { readPrivateKey } from '../keys/read.js';
import type { KeyPair } from '../keys/types.js';
import { PEM_LABELS, decodePemBlocks, encodePem, looksLikePem } from '../pem/pem.js';
import { parseCertificate, type ParsedCertificate } from '../x509/parse.js';
import type { DeployedFile } from '../etcd-config/model.js';

/** A certificate file as read: every certificate in it (leaf first), or why there are none. */
export interface CertificateFile {
  /** The path as configured. */
  readonly path: string;
  readonly file: DeployedFile | undefined;
  readonly certificates?: readonly ParsedCertificate[];
  /** Why it could not be used; absent when `certificates` is set. */
  readonly error?: string;
}

/** A private-key file as read. */
export interface KeyFile {
  readonly path: string;
  readonly file: DeployedFile | undefined;
  readonly key?: KeyPair;
  readonly error?: string;
}

const certificateCache = new WeakMap<DeployedFile, CertificateFile>();
const keyCache = new WeakMap<DeployedFile, KeyFile>();

/** What the file a configuration names holds; each file is parsed once. */
export function readCertificateFile(files: ReadonlyMap<string, DeployedFile>, path: string): CertificateFile {
  const file = files.get(path);
  if (!file) return { path, file, error: 'was not read' };
  const cached = certificateCache.get(file);
  if (cached) return cached;
  const result = parseCertificates(path, file);
  certificateCache.set(file, result);
  return result;
}

export function readKeyFile(files: ReadonlyMap<string, DeployedFile>, path: string): KeyFile {
  const file = files.get(path);
  if (!file) return { path, file, error: 'was not read' };
  const cached = keyCache.get(file);
  if (cached) return cached;
  const result = parseKey(path, file);
  keyCache.set(file, result);
  return result;
}

function parseCertificates(path: string, file: DeployedFile): CertificateFile {
  if (!file.bytes) return { path, file, error: file.error ?? 'could not be read' };
  try {
    if (!looksLikePem(file.bytes)) return { path, file, certificates: [parseCertificate(file.bytes, path)] };
    const blocks = decodePemBlocks(Buffer.from(file.bytes).toString('utf8'), path);
    const certificates = blocks.filter((b) => b.label === PEM_LABELS.certificate);
    if (certificates.length === 0) {
      const labels = [...new Set(blocks.map((b) => b.label))];
      const holdsKey = labels.some((label) => label.endsWith('PRIVATE KEY'));
      return {
        path,
        file,
        error: holdsKey
          ? 'holds a private key, not a certificate (are the certificate and key paths swapped?)'
          : `holds no certificate${labels.length ? ` (found ${labels.map((l) => `"${l}"`).join(', ')})` : ' (empty, or not PEM)'}`,
      };
    }
    return { path, file, certificates: certificates.map((block) => parseCertificate(encodePem(block.label, block.der), path)) };
  } catch (error) {
    return { path, file, error: error instanceof Error ? error.message : String(error) };
  }
}

function parseKey(path: string, file: DeployedFile): KeyFile {
  if (!file.bytes) return { path, file, error: file.error ?? 'could not be read' };
  try {
    if (looksLikePem(file.bytes)) {
      const blocks = decodePemBlocks(Buffer.from(file.bytes).toString('utf8'), path);
      // Go's tls.X509KeyPair takes the first "... PRIVATE KEY" block and skips the rest.
      const key = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
      if (!key) {
        const holdsCertificate = blocks.some((b) => b.label === PEM_LABELS.certificate);
        return {
          path,
          file,
          error: holdsCertificate
            ? 'holds a certificate, not a private key (are the certificate and key paths swapped?)'
            : 'holds no private key (empty, or not PEM)',
        };
      }
      if (/ENCRYPTED/.test(key.headers['Proc-Type'] ?? '') || key.label === PEM_LABELS.encryptedPrivateKey) {
        return { path, file, error: 'is encrypted; etcd cannot read an encrypted key (it asks for no passphrase)' };
      }
      const params = blocks.find((b) => b.label === PEM_LABELS.ecParameters);
      const text = (params ? encodePem(params.label, params.der) : '') + encodePem(key.label, key.der);
      return { path, file, key: readPrivateKey(text, path) };
    }
    return { path, file, key: readPrivateKey(file.bytes, path) };
  } catch (error) {
    return { path, file, error: error instanceof Error ? error.message : String(error) };
  }
}
