import { isIP } from 'node:net';

/** A URL as etcd reads it (`types.NewURLs`). */
export type EtcdUrl =
  | {
      readonly ok: true;
      readonly text: string;
      readonly scheme: 'http' | 'https' | 'unix' | 'unixs';
      /** Without IPv6 brackets; `''` for "every interface". */
      readonly host: string;
      readonly port: string;
      /** `host:port` as written (with brackets), for comparing addresses. */
      readonly address: string;
    }
  | { readonly ok: false; readonly text: string; readonly reason: string };

/**
 * Parses `scheme://host:port` with etcd's rules: scheme http, https, unix or unixs; a port; no
 * path, query or fragment (etcd: "URL must not contain a path").
 */
export function parseEtcdUrl(text: string): EtcdUrl {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(text);
  if (!match) return { ok: false, text, reason: 'is not scheme://host:port' };
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'unix' && scheme !== 'unixs') {
    return { ok: false, text, reason: `has scheme "${scheme}"; etcd takes http, https, unix or unixs` };
  }
  if (match[3] !== '') return { ok: false, text, reason: `has a path "${match[3]}"; etcd URLs are scheme://host:port only` };
  const authority = match[2]!;
  if (scheme === 'unix' || scheme === 'unixs') {
    return { ok: true, text, scheme, host: authority, port: '', address: authority };
  }
  const hostPort = /^(\[[^\]]*\]|[^:[\]]*):(\d+)$/.exec(authority);
  if (!hostPort) return { ok: false, text, reason: `has no port ("${authority}" is not host:port)` };
  const port = Number(hostPort[2]);
  if (port < 1 || port > 65535) return { ok: false, text, reason: `has port ${hostPort[2]}, outside 1-65535` };
  const rawHost = hostPort[1]!;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (rawHost.startsWith('[') && isIP(host) !== 6) return { ok: false, text, reason: `has "${rawHost}", not an IPv6 address in brackets` };
  if (
    host !== '' &&
    isIP(host) === 0 &&
    !/^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(host)
  ) {
    return { ok: false, text, reason: `has host "${host}", which is neither an IP address nor a DNS name` };
  }
  return { ok: true, text, scheme, host, port: hostPort[2]!, address: `${rawHost.toLowerCase()}:${port}` };
}

/** True for hosts that mean "every interface" in a listen URL: `0.0.0.0`, `::`, empty. */
export function isUnspecifiedHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || /^0*:(0*:)*0*$/.test(host);
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host.toLowerCase() === 'localhost';
}

/** Two URLs name the same place (scheme, host and port; host case-insensitive). */
export function sameUrl(a: string, b: string): boolean {
  const x = parseEtcdUrl(a);
  const y = parseEtcdUrl(b);
  if (!x.ok || !y.ok) return a === b;
  return x.scheme === y.scheme && x.address === y.address;
}
