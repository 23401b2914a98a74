import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPrivateKey } from '../../src/keys/read.js';
import { FIXTURES } from './fixtures.js';
import { masked } from './masked.js';
import { parseOpensslText } from './openssl.js';
import { run } from './run.js';

/** One case of fixtures/interop-corpus (see its README.md). */
export interface CorpusCase {
  /** Folder name. */
  readonly name: string;
  /** The behaviour, as a test title. */
  readonly title: string;
  /** Whose command-line `run` is: cfssl (etcd-pki in its place) or cfssljson (etcd-pki json). */
  readonly tool: 'cfssl' | 'cfssljson';
  readonly run: readonly string[];
  /** A file of the run folder fed on standard input. */
  readonly stdin?: string;
  /** cfssl 1.6.5 arguments whose output is saved as `input.json` first, the same for both sides. */
  readonly prepare?: readonly string[];
  /** cfssljson arguments the output is piped through (etcd-pki json on etcd-pki's side), and crosswise. */
  readonly pipe?: readonly string[];
  /**
   * same: both succeed with the same fields, or both refuse; refused: cfssl accepts, etcd-pki
   * refuses; lenient: cfssl refuses, etcd-pki accepts; differs: both accept, the output differs.
   * All but `same` are listed in docs/cfssl-compatibility.md.
   */
  readonly expect: 'same' | 'refused' | 'lenient' | 'differs';
  /** Unless `same`: words of docs/cfssl-compatibility.md that list the difference. */
  readonly docs?: string;
  /** Words etcd-pki's standard error must hold (a warning where cfssl changes the input silently). */
  readonly warns?: string;
}

export const CORPUS = join(FIXTURES, 'interop-corpus');
export const CORPUS_SHARED = join(CORPUS, '_shared');

/** Every case of the corpus, sorted by folder name. */
export function loadCorpus(): CorpusCase[] {
  return readdirSync(CORPUS)
    .filter((name) => !name.startsWith('_') && statSync(join(CORPUS, name)).isDirectory())
    .sort()
    .map((name) => {
      const json = JSON.parse(readFileSync(join(CORPUS, name, 'case.json'), 'utf8')) as Omit<CorpusCase, 'name' | 'tool'> & {
        tool?: CorpusCase['tool'];
      };
      return { tool: 'cfssl', ...json, name };
    });
}

/** Copies the shared inputs and the case's own files into `dir`. */
export function stageCase(c: CorpusCase, dir: string, extra: string): void {
  cpSync(CORPUS_SHARED, dir, { recursive: true });
  cpSync(extra, dir, { recursive: true });
  cpSync(join(CORPUS, c.name), dir, { recursive: true, filter: (source) => !source.endsWith('case.json') });
}

/** Names of the files in `dir` (recursively, `a/b`), for what a run wrote. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const TIME = /^(UTCTIME|GENERALIZEDTIME)/;
const KEY_ID = /X509v3 (Subject|Authority) Key Identifier/;

/**
 * `openssl asn1parse` of a PEM object, one line per element as `depth type value`, with what
 * two issuances of one input do not share masked: the certificate serial, times, key ids. Key
 * and signature BIT STRINGs print no value. Lengths are dropped (an ECDSA signature's varies).
 */
export async function maskedAsn1(pem: string, isCertificate: boolean): Promise<string[]> {
  const result = await run('openssl', ['asn1parse', '-i'], { input: pem });
  if (result.code !== 0) return [`asn1parse failed: ${result.stderr.trim()}`];
  let serialSeen = !isCertificate;
  let maskNextOctets = false;
  return result.stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /d=(\d+)\s+hl=\d+\s+l=\s*\d+\s+(?:cons|prim):\s*(.*)$/.exec(line);
      if (!m) return line;
      const depth = m[1]!;
      let body = m[2]!.trim().replace(/\s+:/, ' :');
      if (!serialSeen && depth === '2' && body.startsWith('INTEGER')) {
        serialSeen = true;
        body = `INTEGER :<serial ${serialClass(body)}>`;
      }
      if (TIME.test(body)) body = body.replace(/:.*/, ':<time>');
      if (maskNextOctets && body.startsWith('OCTET STRING')) {
        body = 'OCTET STRING :<key id>';
        maskNextOctets = false;
      }
      if (body.startsWith('OBJECT') && KEY_ID.test(body)) maskNextOctets = true;
      return `${depth} ${body}`;
    });
}

// cfssl: 20 random bytes, top bit clear (signer/local); selfsign: below 2^63 (selfsign.Sign).
function serialClass(body: string): string {
  const hex = body.split(':').pop()!.trim();
  return hex.length > 16 ? 'over 8 bytes' : 'at most 8 bytes';
}

/** What is compared of a PEM object: its label, structure and values (masked), key type. */
export async function decodePem(pem: string): Promise<unknown> {
  const label = /-----BEGIN ([A-Za-z0-9 ]+)-----/.exec(pem)?.[1] ?? '<not PEM>';
  if (label === 'CERTIFICATE') {
    const text = parseOpensslText((await run('openssl', ['x509', '-noout', '-text'], { input: pem })).stdout);
    return { label, asn1: await maskedAsn1(pem, true), text: masked(text) };
  }
  if (label.endsWith('CERTIFICATE REQUEST')) return { label, asn1: await maskedAsn1(pem, false) };
  if (label.endsWith('PRIVATE KEY')) {
    try {
      return { label, key: readPrivateKey(pem).spec };
    } catch (error) {
      return { label, key: `unreadable: ${(error as Error).message}` };
    }
  }
  return { label, text: pem };
}

/** A tool's standard output, decoded: JSON with its PEM values decoded, or a list of PEM objects. */
export async function decodeOutput(stdout: string): Promise<unknown> {
  const trimmed = stdout.trim();
  if (trimmed === '') return '<empty>';
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(json).sort()) {
      const value = json[key];
      out[key] = typeof value === 'string' && value.includes('-----BEGIN ') ? await decodePem(value) : value;
    }
    return out;
  }
  const blocks = trimmed.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g);
  if (blocks)
    return {
      blocks: await Promise.all(blocks.map(decodePem)),
      layout: stdout.replace(/-----BEGIN ([^-]+)-----[\s\S]*?-----END [^-]+-----/g, '<$1>'),
    };
  return trimmed;
}
