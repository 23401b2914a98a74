import { ipToBytes } from '../x509/ip.js';
import type { SubjectAltNames } from '../x509/hosts.js';

/**
 * Whether a certificate with these SANs is valid for `host`, as Go's `VerifyHostname` decides
 * (etcd and etcdctl are Go): an IP address only against IP SANs, a DNS name against DNS SANs
 * (case-insensitive, `*.` matching exactly one leftmost label). The common name is never used
 * (Go 1.15+).
 */
export function certificateNamesHost(sans: SubjectAltNames, host: string): boolean {
  const ip = ipToBytes(host.replace(/^\[|\]$/g, ''));
  if (ip) return sans.ip.some((san) => sameBytes(ipToBytes(san), ip));
  const name = host.toLowerCase().replace(/\.$/, '');
  return sans.dns.some((san) => {
    const pattern = san.toLowerCase().replace(/\.$/, '');
    if (pattern === name) return true;
    if (!pattern.startsWith('*.')) return false;
    const dot = name.indexOf('.');
    return dot > 0 && name.slice(dot + 1) === pattern.slice(2);
  });
}

/** `IP 192.168.0.91, DNS localhost` or `no SANs`, for evidence. */
export function sansText(sans: SubjectAltNames): string {
  const all = [...sans.dns.map((d) => `DNS ${d}`), ...sans.ip.map((i) => `IP ${i}`)];
  return all.length === 0 ? 'no DNS or IP SANs' : all.join(', ');
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  // An IPv4 SAN written as IPv4-mapped IPv6 still names the IPv4 address (Go compares net.IP.Equal).
  const norm = (x: Uint8Array) =>
    x.length === 16 && x.subarray(0, 10).every((v) => v === 0) && x[10] === 0xff && x[11] === 0xff ? x.subarray(12) : x;
  const x = norm(a);
  const y = norm(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
