import { domainToASCII } from 'node:url';
import { PkiError, jsonPointer, type WarningSink } from '../errors.js';
import { ipToBytes } from './ip.js';

/** Subject alternative names by kind, in the order Go's x509 writes them: DNS, email, IP, URI. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly email: readonly string[];
  readonly ip: readonly string[];
  readonly uri: readonly string[];
}

export const EMPTY_SANS: SubjectAltNames = { dns: [], email: [], ip: [], uri: [] };

export interface ClassifyHostsOptions {
  file?: string | undefined;
  /** JSON pointer of the hosts array, e.g. `/hosts`; each error names the element. */
  path?: string | undefined;
  /**
   * Hosts from a cfssl input (CSR JSON, -hostname): as cfssl 1.6.5 does, duplicates are kept and
   * an empty host becomes an empty DNS name, which is reported here. Without it (etcd-pki's own
   * files) an empty host is refused and duplicates are dropped.
   */
  asCfssl?: WarningSink | undefined;
}

const DNS_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/**
 * Most hosts one certificate may name. Thousands of SANs make a certificate larger than TLS
 * peers accept (OpenSSL's default certificate-list limit is 100 KiB), and no etcd member needs them.
 */
export const MAX_HOSTS = 1000;
/** Longest host (a URI or email address; DNS names stop at 253). */
export const MAX_HOST_LENGTH = 1024;
const EMAIL = /^[^\s@]+@[^\s@]+\.?[^\s@]*$/;

/**
 * Sorts `hosts` into SANs as cfssl does (IP, then email, then URI, else DNS name), refusing what
 * cfssl would write into a certificate that no TLS client can match: spaces, ports, CIDR ranges,
 * misplaced wildcards, non-ASCII names (the hint gives the IDNA form), empty strings (but see
 * `options.asCfssl`). Duplicates are dropped (first one kept), unless `asCfssl`.
 * @throws PkiError INVALID_HOST naming the element.
 */
export function classifyHosts(hosts: readonly string[], options: ClassifyHostsOptions = {}): SubjectAltNames {
  const out = { dns: [] as string[], email: [] as string[], ip: [] as string[], uri: [] as string[] };
  if (hosts.length > MAX_HOSTS) {
    throw new PkiError('INVALID_HOST', `${hosts.length} hosts are more than the ${MAX_HOSTS} one certificate may name`, {
      file: options.file,
      path: options.path,
      hint: 'TLS peers refuse certificates that large; give each member its own certificate with its own hosts',
    });
  }
  const seen = new Set<string>();
  for (let index = 0; index < hosts.length; index++) {
    const raw = hosts[index]!;
    // The error and its JSON path are made only on failure: bulk issuance classifies every host.
    const fail = (why: string, hint: string) =>
      new PkiError('INVALID_HOST', `host ${JSON.stringify(raw)} ${why}`, {
        file: options.file,
        path: options.path === undefined ? undefined : `${options.path}${jsonPointer(index)}`,
        hint,
      });
    const host = raw;
    if (host === '' && options.asCfssl) {
      // cfssl: an empty host is none of IP, email or URI, so it is written as an empty dNSName.
      options.asCfssl({
        message: 'empty host: written as an empty DNS name (DNS:), as cfssl does; remove it to have none',
        file: options.file,
        path: options.path === undefined ? undefined : `${options.path}${jsonPointer(index)}`,
      });
      out.dns.push('');
      continue;
    }
    if (host.trim() === '') throw fail('is empty', 'remove it, or write a DNS name or IP address');
    if (host !== host.trim() || /\s/.test(host)) throw fail('contains white space', 'remove the spaces');
    if (host.length > MAX_HOST_LENGTH) throw fail(`is ${host.length} characters long`, `hosts are at most ${MAX_HOST_LENGTH} characters`);
    const lower = host.toLowerCase();
    if (seen.has(lower) && !options.asCfssl) continue;
    seen.add(lower);
    const bracketed = host.startsWith('[') && host.endsWith(']');
    const ip = ipToBytes(bracketed ? host.slice(1, -1) : host);
    if (ip) {
      out.ip.push(bracketed ? host.slice(1, -1) : host);
      continue;
    }
    if (host.includes('/') && !host.includes('://') && ipToBytes(host.split('/')[0]!)) {
      throw fail('is a CIDR range', 'certificates name single addresses; list each IP address');
    }
    if (host.includes('://')) {
      // RFC 5280 4.2.1.6: a scheme and a scheme-specific part; "spiffe://" alone names nothing.
      let url: URL | undefined;
      try {
        url = new URL(host);
      } catch {
        url = undefined;
      }
      if (!url || (url.host === '' && url.pathname.replace(/^\/+/, '') === '')) {
        throw fail('is not a valid URI', 'write an absolute URI such as "spiffe://cluster/etcd1"');
      }
      out.uri.push(host);
      continue;
    }
    if (host.includes('@')) {
      if (!EMAIL.test(host)) throw fail('is not a valid email address', 'write it as "name@example.com"');
      out.email.push(host);
      continue;
    }
    // cfssl writes these as DNS names (Go's ParseIP refuses them), which no client matches: an
    // IPv4 address with a fifth part, a part over 255, or leading zeros (which some resolvers read
    // as octal: 010 is 8).
    if (/^[0-9]+(\.[0-9]+)+\.?$/.test(host)) {
      const parts = host.replace(/\.$/, '').split('.');
      const plain = parts.map((part) => String(Number(part))).join('.');
      throw fail(
        'looks like an IPv4 address but is not one',
        parts.length === 4 && parts.every((part) => Number(part) <= 255)
          ? `write ${JSON.stringify(plain)} without leading zeros`
          : 'an IPv4 address is four numbers from 0 to 255, e.g. "10.0.0.1"',
      );
    }
    const hostPort = /^(.*):(\d+)$/.exec(host);
    if (hostPort) throw fail('includes a port', `hosts take no port; write ${JSON.stringify(hostPort[1])}`);
    if (/[^\x21-\x7e]/.test(host)) {
      const ascii = domainToASCII(host);
      throw fail('is not ASCII', ascii ? `write its IDNA form ${JSON.stringify(ascii)}` : 'use an ASCII DNS name');
    }
    const name = host.endsWith('.') ? host.slice(0, -1) : host;
    const labels = name.split('.');
    if (labels.some((label, i) => label.includes('*') && (i !== 0 || label !== '*')) || (labels[0] === '*' && labels.length < 2)) {
      throw fail('has a wildcard that TLS clients will not match', 'a wildcard must be the whole leftmost label, as in "*.example.com"');
    }
    if (name.length > 253 || !labels.every((label, i) => (i === 0 && label === '*') || DNS_LABEL.test(label))) {
      throw fail(
        'is not a valid DNS name, IP address, email address or URI',
        'DNS names are dot-separated labels of letters, digits and hyphens',
      );
    }
    out.dns.push(host);
  }
  return out;
}

/** Every SAN as text, in cfssl's certinfo order: DNS names then IP addresses, then emails and URIs. */
export function sanList(sans: SubjectAltNames): string[] {
  return [...sans.dns, ...sans.ip, ...sans.email, ...sans.uri];
}
