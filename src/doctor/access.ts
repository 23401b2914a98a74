import type { FileStat, RunAsUser } from '../etcd-config/model.js';

/** Permission bits by who asks: owner, group, others. */
const READ = [0o400, 0o040, 0o004] as const;
const SEARCH = [0o100, 0o010, 0o001] as const;

function allowed(stat: FileStat, user: RunAsUser, bits: readonly [number, number, number]): boolean {
  // root reads anything (CAP_DAC_OVERRIDE); etcd as root is a finding of its own, not this one.
  if (user.uid === 0) return true;
  if (stat.uid === user.uid) return (stat.mode & bits[0]) !== 0;
  if (stat.gid === user.gid || user.groups.includes(stat.gid)) return (stat.mode & bits[1]) !== 0;
  return (stat.mode & bits[2]) !== 0;
}

/** Whether `user` may read a file with this owner and mode (POSIX permission bits; no ACLs). */
export function canRead(stat: FileStat, user: RunAsUser): boolean {
  return allowed(stat, user, READ);
}

/** Whether `user` may enter (search) a directory. */
export function canSearch(stat: FileStat, user: RunAsUser): boolean {
  return allowed(stat, user, SEARCH);
}

/** `0600`. */
export function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * The user named `name` from passwd(5) and group(5) texts (the CLI reads `/etc/passwd` and
 * `/etc/group`), or undefined when there is no such user. Numeric names are taken as uids.
 */
export function lookupUser(name: string, passwd: string, group: string): RunAsUser | undefined {
  const users = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4);
  const entry = users.find((fields) => fields[0] === name) ?? (/^\d+$/.test(name) ? users.find((f) => f[2] === name) : undefined);
  if (!entry) return undefined;
  const userName = entry[0]!;
  const groups = group
    .split('\n')
    .map((line) => line.split(':'))
    .filter(
      (fields) =>
        fields.length >= 4 &&
        fields[3]!
          .split(',')
          .map((m) => m.trim())
          .includes(userName),
    )
    .map((fields) => Number(fields[2]));
  return { name: userName, uid: Number(entry[2]), gid: Number(entry[3]), groups };
}

/** `root:root`, or numeric ids when passwd/group do not name them. */
export function ownerText(stat: FileStat, names?: { users: ReadonlyMap<number, string>; groups: ReadonlyMap<number, string> }): string {
  return `${names?.users.get(stat.uid) ?? stat.uid}:${names?.groups.get(stat.gid) ?? stat.gid}`;
}

/** uid -> user name and gid -> group name from passwd(5) and group(5) texts, for messages. */
export function accountNames(passwd: string, group: string): { users: Map<number, string>; groups: Map<number, string> } {
  const table = (text: string) =>
    new Map(
      text
        .split('\n')
        .map((line) => line.split(':'))
        .filter((fields) => fields.length >= 3 && /^\d+$/.test(fields[2]!))
        .map((fields) => [Number(fields[2]), fields[0]!] as const),
    );
  return { users: table(passwd), groups: table(group) };
}
