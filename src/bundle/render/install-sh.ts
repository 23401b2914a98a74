import { SECRET_FILE_MODE } from '../../fileset.js';

/** One file install.sh puts in place. */
export interface InstalledFile {
  /** Its name in the bundle directory (and in `pkiDir` on the node). */
  readonly name: string;
  readonly mode: number;
}

/** A configuration file installed outside `pkiDir`, at a path the operator may change. */
export interface InstalledConfig {
  readonly name: string;
  /** The shell variable that overrides its destination. */
  readonly variable: string;
  readonly destination: string;
  readonly description: string;
}

export interface InstallScriptOptions {
  readonly kind: 'member' | 'client';
  readonly name: string;
  readonly token: string;
  /** `pkiDir` with `{name}` expanded. */
  readonly pkiDir: string;
  /** `user:group` of the installed certificates and keys. */
  readonly owner: string;
  /** Certificates and keys (and a client's env file), installed into `pkiDir` owned by `owner`. */
  readonly files: readonly InstalledFile[];
  /** Configuration files (etcd.conf, etcd.yaml), 0644, left owned by root. */
  readonly configs: readonly InstalledConfig[];
  /** What to run after a first install; later installs say what their changes need. */
  readonly next: string;
}

const octal = (mode: number) => `0${mode.toString(8)}`;
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
/** The trusted CA files: etcd reads them only when it starts. */
const TRUST_FILES: readonly string[] = ['ca.pem', 'peer-ca.pem'];

/**
 * install.sh for one member or client directory: a POSIX sh script (plus `mv -T`, GNU coreutils
 * and busybox), run as root on the node from a copy of the directory.
 *
 * Certificates and keys go into a new directory, PKI_DIR/.etcd-pki.OWNER.STAMP-PID, and
 * PKI_DIR/.etcd-pki.OWNER (a symbolic link; one per member or client, as a member and a client
 * may share PKI_DIR) is switched to it with one rename; PKI_DIR/NAME are links into it. etcd
 * reads its certificate and key at each TLS handshake: with two renames, one after the other, a
 * handshake between them would pair a new key with the old certificate ("private key does not
 * match public key"); the switch changes both at once. The previous generation is kept, without
 * its keys, so that what changed can be compared; a replaced private key is never kept on the
 * node (the bundle holds the current one; an old key only widens what a stolen disk leaks), and
 * every older generation is removed. The CRLs (client-crl.pem, peer-crl.pem) are files of the
 * generation too, so they are in place before the configuration naming them is put: etcd refuses
 * every connection while a CRL it was given is missing or unreadable. Configuration files are
 * replaced by rename, the previous one kept as FILE.prev.
 *
 * It prints what it did, then what the node needs, from what changed: nothing; no restart
 * (certificates, keys and CRLs only: etcd reads them at every handshake); or a restart of this member
 * alone, one member at a time, when a trusted CA file or etcd's configuration changed (etcd
 * 3.4 reads them only at start: lifecycle/etcd-reload.ts). `DESTDIR` installs under another root.
 */
export function renderInstallScript(options: InstallScriptOptions): string {
  const configLines = options.configs.map(
    (c) =>
      `#   ${`${c.variable}=PATH`.padEnd(17)} where ${c.name} goes (default ${c.destination}${c.description ? `; ${c.description}` : ''})`,
  );
  const keyNames = options.files.filter((f) => f.mode === SECRET_FILE_MODE).map((f) => f.name);
  const trustNames = options.files.filter((f) => TRUST_FILES.includes(f.name)).map((f) => f.name);
  const member = options.kind === 'member';
  const restart = member
    ? `restart etcd on this member only, and one member at a time: etcd reads $why only when it starts. First check that all members are healthy (etcdctl endpoint health --cluster), then: systemctl restart etcd; wait until etcdctl endpoint health reports this member healthy before installing on the next member, and restart the leader last (etcdctl endpoint status shows IS LEADER)`
    : `etcdctl reads these files at every run; restart a long-running client (on etcd's client library) if ca.pem changed: it reads its trusted CA only when it starts`;
  return `#!/bin/sh
# install.sh for ${options.kind} ${options.name} of cluster "${options.token}", made by etcd-pki.
# Puts this directory's files in place on ${options.name}'s node. Copy the directory there and run,
# as root:  sh install.sh
# Certificates and keys go to ${options.pkiDir} (owner ${options.owner}; keys 0600, certificates 0644),
# as links into ${options.pkiDir}/.etcd-pki.${options.name}/, which is switched to a new directory
# with one rename, so a key and its certificate change together. Old keys are not kept; the
# previous certificates stay in the directory it pointed to before. Settings (environment variables):
#   OWNER=USER:GROUP  owner of the certificates and keys (default ${options.owner})
${configLines.join('\n')}${configLines.length ? '\n' : ''}#   DESTDIR=DIR       install under DIR instead of / (to look before installing)
set -eu
umask 077
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
OWNER=\${OWNER:-${options.owner}}
DESTDIR=\${DESTDIR:-}
PKI_DIR="$DESTDIR"${quote(options.pkiDir)}
${options.configs.map((c) => `${c.variable}="$DESTDIR\${${c.variable}:-${c.destination}}"`).join('\n')}
stamp=$(date +%Y%m%d%H%M%S)

user=\${OWNER%%:*}
if ! id -u "$user" >/dev/null 2>&1; then
  echo "install.sh: there is no user $user on this node; install etcd first (it adds the etcd user), or set OWNER=USER:GROUP" >&2
  exit 1
fi

files='${options.files.map((f) => f.name).join(' ')}'
link='.etcd-pki.${options.name}'
first=1
changed=
trust=
config=

# Directories are made world-traversable (0755) except the one holding the keys (0750).
if [ ! -d "$PKI_DIR" ]; then
  (umask 022 && mkdir -p "$PKI_DIR")
  chmod 0750 "$PKI_DIR"
  chown "$OWNER" "$PKI_DIR"
  echo "created $PKI_DIR (mode 0750, owner $OWNER)"
fi
${options.configs.map((c) => `(umask 022 && mkdir -p "$(dirname -- "$${c.variable}")")`).join('\n')}

# mode NAME: the mode NAME is installed with.
mode() {
  case "$1" in
${options.files.map((f) => `    ${quote(f.name)}) echo ${octal(f.mode)} ;;`).join('\n')}
  esac
}

for f in $files; do
  if [ -e "$PKI_DIR/$f" ]; then first=0; fi
  if [ -f "$PKI_DIR/$f" ] && cmp -s "$here/$f" "$PKI_DIR/$f"; then
    chmod "$(mode "$f")" "$PKI_DIR/$f"
    chown "$OWNER" "$PKI_DIR/$f"
    echo "unchanged $PKI_DIR/$f (mode $(mode "$f"), owner $OWNER)"
  else
    changed="$changed $f"
${trustNames.length ? `    case "$f" in ${trustNames.join('|')}) if [ -e "$PKI_DIR/$f" ]; then trust="\${trust:+$trust, }$f"; fi ;; esac\n` : ''}  fi
done

if [ -n "$changed" ]; then
  gen="$link.$stamp-$$"
  mkdir "$PKI_DIR/$gen"
  chmod 0750 "$PKI_DIR/$gen"
  chown "$OWNER" "$PKI_DIR/$gen"
  for f in $files; do
    cp "$here/$f" "$PKI_DIR/$gen/$f"
    chmod "$(mode "$f")" "$PKI_DIR/$gen/$f"
    chown "$OWNER" "$PKI_DIR/$gen/$f"
  done
  old=$(readlink "$PKI_DIR/$link" 2>/dev/null || true)
  if [ -z "$old" ]; then
    # Files from before (installed by hand or by an older install.sh): the link first points at a
    # copy of them, and they become links into it, so etcd sees no change until the switch.
    old="$link.$stamp-0"
    mkdir "$PKI_DIR/$old"
    chmod 0750 "$PKI_DIR/$old"
    chown "$OWNER" "$PKI_DIR/$old"
    for f in $files; do
      if [ -f "$PKI_DIR/$f" ]; then cp -p "$PKI_DIR/$f" "$PKI_DIR/$old/$f"; fi
    done
    rm -f "$PKI_DIR/$link.new"
    ln -s "$old" "$PKI_DIR/$link.new"
    mv -T -f "$PKI_DIR/$link.new" "$PKI_DIR/$link"
  fi
  for f in $files; do
    if [ "$(readlink "$PKI_DIR/$f" 2>/dev/null || true)" != "$link/$f" ]; then
      rm -f "$PKI_DIR/.$f.etcd-pki-link"
      ln -s "$link/$f" "$PKI_DIR/.$f.etcd-pki-link"
      mv -T -f "$PKI_DIR/.$f.etcd-pki-link" "$PKI_DIR/$f"
    fi
  done
  # The switch: every certificate and key of this generation at once.
  rm -f "$PKI_DIR/$link.new"
  ln -s "$gen" "$PKI_DIR/$link.new"
  mv -T -f "$PKI_DIR/$link.new" "$PKI_DIR/$link"
  for f in $changed; do echo "installed $PKI_DIR/$f (mode $(mode "$f"), owner $OWNER)"; done
  # One previous generation, without its keys; none older; no key backups of older install.sh.
  for dir in "$PKI_DIR/$link".*; do
    case "\${dir##*/}" in
      "$gen") ;;
      "$old") rm -f${keyNames.map((k) => ` "$dir/${k}"`).join('')} ;;
      "$link".[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-*) rm -rf "$dir" ;;
    esac
  done
  rm -f${keyNames.map((k) => ` "$PKI_DIR/${k}".bak.*`).join('')}
fi

# put NAME DEST: install ./NAME as DEST (0644), keeping the file it replaces as DEST.prev.
put() {
  if [ -f "$2" ] && cmp -s "$here/$1" "$2"; then
    chmod 0644 "$2"
    echo "unchanged $2 (mode 0644)"
    return
  fi
  if [ -e "$2" ]; then
    cp -p "$2" "$2.prev"
    config=1
    echo "kept the previous $2 as $2.prev"
  fi
  cp "$here/$1" "$2.etcd-pki-tmp"
  chmod 0644 "$2.etcd-pki-tmp"
  mv -f "$2.etcd-pki-tmp" "$2"
  echo "installed $2 (mode 0644)"
}
${options.configs.map((c) => `put '${c.name}' "$${c.variable}"`).join('\n')}

echo "${options.kind} ${options.name}: done.${keyNames.length ? ` Keys (${keyNames.join(', ')}) are readable by ${'$'}OWNER only.` : ''}"
if [ "$first" = 1 ]; then
  echo ${quote(`next: ${options.next}`)}
elif [ -n "$trust" ] || [ -n "$config" ]; then
  why=${member ? `"\${trust:+its trusted CA file ($trust)}\${trust:+\${config:+ and }}\${config:+its configuration (${options.configs.map((c) => c.name).join(', ')})}"` : "''"}
  echo "next: ${restart}"
elif [ -n "$changed" ]; then
  echo "next: no restart${member ? ': etcd reads its certificate and key files at every new TLS handshake, so new connections use them now' : ": etcdctl and etcd's client library read the certificate and key at every new connection"}"
else
  echo "next: nothing changed on this node; nothing to restart"
fi
`;
}
