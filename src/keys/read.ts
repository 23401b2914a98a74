import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { PkiError } from '../errors.js';
import { PEM_LABELS, decodeSinglePem, looksLikePem } from '../pem/pem.js';
import { keySpecOf } from './describe.js';
import type { KeyPair } from './types.js';

const KEY_FORMATS = {
  [PEM_LABELS.ecPrivateKey]: { type: 'sec1', format: 'der' },
  [PEM_LABELS.rsaPrivateKey]: { type: 'pkcs1', format: 'der' },
  [PEM_LABELS.privateKey]: { type: 'pkcs8', format: 'der' },
  [PEM_LABELS.ed25519PrivateKey]: { type: 'pkcs8', format: 'der' },
} as const;

/**
 * Reads a private key written by etcd-pki, cfssl or openssl, whatever its label: SEC1
 * `EC PRIVATE KEY` (with or without OpenSSL's `EC PARAMETERS` block), PKCS#1 `RSA PRIVATE KEY`,
 * PKCS#8 `PRIVATE KEY`, or the same in DER.
 * @throws PkiError KEY_ENCRYPTED for encrypted keys, INVALID_PEM / KEY_UNSUPPORTED otherwise.
 */
export function readPrivateKey(data: Uint8Array | string, file?: string): KeyPair {
  let privateKey: KeyObject;
  if (looksLikePem(data)) {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    if (text.includes(`BEGIN ${PEM_LABELS.encryptedPrivateKey}`) || /Proc-Type:\s*4,ENCRYPTED/.test(text)) {
      throw new PkiError('KEY_ENCRYPTED', 'the private key is encrypted and etcd-pki takes no passphrase', {
        file,
        hint: 'decrypt it first, e.g. "openssl pkey -in KEY -out KEY.plain" (keep the result mode 0600)',
      });
    }
    const block = decodeSinglePem(text, Object.keys(KEY_FORMATS), {
      file,
      what: 'private key',
      skip: [PEM_LABELS.ecParameters],
    });
    const format = KEY_FORMATS[block.label as keyof typeof KEY_FORMATS];
    privateKey = parseKey(() => createPrivateKey({ key: Buffer.from(block.der), ...format }), file);
  } else {
    const der = Buffer.from(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    privateKey = parseKey(() => tryDerFormats(der), file);
  }
  const spec = keySpecOf(privateKey, file);
  return { spec, privateKey, publicKey: createPublicKey(privateKey) };
}

function tryDerFormats(der: Buffer): KeyObject {
  let lastError: unknown;
  for (const format of Object.values(KEY_FORMATS)) {
    try {
      return createPrivateKey({ key: der, ...format });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function parseKey(parse: () => KeyObject, file: string | undefined): KeyObject {
  try {
    return parse();
  } catch (cause) {
    throw new PkiError('INVALID_PEM', 'the private key could not be parsed (corrupted or truncated?)', {
      file,
      hint: 'expected an EC, RSA or Ed25519 private key in PEM',
      cause,
    });
  }
}
