import type { ParsedCertificate } from '../../x509/parse.js';
import { commonNameOf } from '../chain.js';
import { baseName, clientFiles, perClient, perMember, tlsPairs, type Check, type CheckContext } from '../context.js';
import type { FindingSink } from '../findings.js';
import type { DeployedClient, DeployedMember } from '../../etcd-config/model.js';

interface Dated {
  readonly file: string;
  readonly certificate: ParsedCertificate;
}

function memberCertificates(member: DeployedMember): Dated[] {
  const out: Dated[] = [];
  for (const pair of tlsPairs(member)) {
    for (const file of [pair.cert, pair.trustedCa]) {
      for (const certificate of file?.certificates ?? []) out.push({ file: file!.path, certificate });
    }
  }
  return unique(out);
}

function clientCertificates(client: DeployedClient): Dated[] {
  const { ca, cert } = clientFiles(client);
  return unique([ca, cert].flatMap((file) => (file?.certificates ?? []).map((certificate) => ({ file: file!.path, certificate }))));
}

function unique(list: Dated[]): Dated[] {
  return list.filter(
    (item, i) => list.findIndex((other) => Buffer.from(other.certificate.der).equals(Buffer.from(item.certificate.der))) === i,
  );
}

const day = 86_400_000;
const label = (d: Dated) => `${baseName(d.file)}${d.certificate.isCA ? ` (CA "${commonNameOf(d.certificate, 'subject')}")` : ''}`;
const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Whose certificate it is, for the command that renews it. */
interface Owner {
  readonly kind: 'member' | 'client';
  readonly name: string;
}

type Rule = (context: CheckContext, dated: Dated, sink: FindingSink, owner: Owner) => void;

/** The command that issues `dated` again, from the bundle that made it. */
const renewCommand = (owner: Owner) => `etcd-pki renew -out BUNDLE -${owner.kind} ${owner.name}`;

function timeCheck(
  id: 'time.not-yet-valid' | 'time.expired' | 'time.expiring',
  rule: Rule,
  ok: (context: CheckContext, list: Dated[]) => string,
): Check {
  return async (context) => [
    ...(await perMember(
      context,
      id,
      (m, sink) => memberCertificates(m).forEach((d) => rule(context, d, sink, { kind: 'member', name: m.name })),
      (m) => {
        const list = memberCertificates(m);
        return list.length ? ok(context, list) : undefined;
      },
    )),
    ...(await perClient(
      context,
      id,
      (c, sink) => clientCertificates(c).forEach((d) => rule(context, d, sink, { kind: 'client', name: c.name })),
      (c) => {
        const list = clientCertificates(c);
        return list.length ? ok(context, list) : undefined;
      },
    )),
  ];
}

/** time.not-yet-valid: a certificate whose NotBefore is in the future (clock skew, or issued with a wrong clock). */
export const checkNotYetValid: Check = timeCheck(
  'time.not-yet-valid',
  (context, d, sink) => {
    if (d.certificate.notBefore.getTime() <= context.now.getTime()) return;
    sink.fail(
      `${label(d)} is not valid until ${iso(d.certificate.notBefore)} (now is ${iso(context.now)}); TLS fails with "x509: certificate has expired or is not yet valid"`,
      'check the clock of this machine and of the one that issued it (NTP); or re-issue the certificate',
    );
  },
  (_, list) => `all ${list.length} certificates are already valid`,
);

/** time.expired: a certificate whose NotAfter has passed. */
export const checkExpired: Check = timeCheck(
  'time.expired',
  (context, d, sink, owner) => {
    if (d.certificate.notAfter.getTime() >= context.now.getTime()) return;
    sink.fail(
      `${label(d)} expired on ${iso(d.certificate.notAfter)}; TLS fails with "x509: certificate has expired or is not yet valid"`,
      d.certificate.isCA
        ? 'make a new CA and re-issue every certificate from it (etcd-pki cluster-bundle with a new -out)'
        : `${renewCommand(owner)}, then install the renewed files on the node with its install.sh (etcd reads them at the next TLS handshake: no restart)`,
    );
  },
  (context, list) => {
    const first = list.reduce((a, b) => (a.certificate.notAfter < b.certificate.notAfter ? a : b));
    return `none expired; the first to expire is ${label(first)} on ${iso(first.certificate.notAfter)}`;
  },
);

/** time.expiring: a certificate that expires within the warning threshold (default 30 days). */
export const checkExpiring: Check = timeCheck(
  'time.expiring',
  (context, d, sink, owner) => {
    const left = d.certificate.notAfter.getTime() - context.now.getTime();
    if (left < 0 || left >= context.warnWithinMs) return;
    sink.warn(
      `${label(d)} expires on ${iso(d.certificate.notAfter)}, in ${Math.floor(left / day)} days (warning threshold ${Math.round(context.warnWithinMs / day)} days)`,
      d.certificate.isCA
        ? `rotate the CA before ${iso(d.certificate.notAfter)} (etcd-pki rotate-ca -phase 1)`
        : `before ${iso(d.certificate.notAfter)}: ${renewCommand(owner)}, then install it with install.sh (no restart)`,
    );
  },
  (context, list) => {
    const left = Math.min(...list.map((d) => d.certificate.notAfter.getTime() - context.now.getTime()));
    return `none expires within ${Math.round(context.warnWithinMs / day)} days (the soonest in ${Math.floor(left / day)} days)`;
  },
);
