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
  /** Certificates and keys, installed into `pkiDir` owned by `owner`. */
  readonly files: readonly InstalledFile[];
  /** Configuration files (etcd.conf, etcd.yaml, the client env), 0644, left owned by root. */
  readonly configs: readonly InstalledConfig[];
  /** What to run once the files are in place. */
  readonly next: string;
}

const octal = (mode: number) => `0${mode.toString(8)}`;

/**
 * install.sh for one member or client directory: a POSIX sh script, run as root on the node from a
 * copy of the directory, that installs each file with its owner and mode (keys 0600, owned by
 * `owner` so that etcd can read them: the walkthrough's "permission denied"), keeps what it
 * replaces as FILE.bak.TIME, never leaves a half-copied file (copy, chmod, chown, then rename),
 * and prints what it did. `DESTDIR` installs under another root, to try it out.
 */
export function renderInstallScript(options: InstallScriptOptions): string {
  const configLines = options.configs.map(
    (c) => `#   ${`${c.variable}=PATH`.padEnd(17)} where ${c.name} goes (default ${c.destination}${c.description ? `; ${c.description}` : ''})`,
  );
  const keyNames = options.files.filter((f) => f.mode === SECRET_FILE_MODE).map((f) => f.name);
  return `#!/bin/sh
# install.sh for ${options.kind} ${options.name} of cluster "${options.token}", made by etcd-pki.
# Puts this directory's files in place on ${options.name}'s node. Copy the directory there and run,
# as root:  sh install.sh
# Certificates and keys go to ${options.pkiDir} (owner ${options.owner}; keys 0600, certificates 0644).
# Anything replaced is kept as FILE.bak.TIME. Settings (environment variables):
#   OWNER=USER:GROUP  owner of the certificates and keys (default ${options.owner})
${configLines.join('\n')}${configLines.length ? '\n' : ''}#   DESTDIR=DIR       install under DIR instead of / (to look before installing)
set -eu
umask 077
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
OWNER=\${OWNER:-${options.owner}}
DESTDIR=\${DESTDIR:-}
PKI_DIR="$DESTDIR"'${options.pkiDir}'
${options.configs.map((c) => `${c.variable}="$DESTDIR\${${c.variable}:-${c.destination}}"`).join('\n')}
stamp=$(date +%Y%m%d%H%M%S)

user=\${OWNER%%:*}
if ! id -u "$user" >/dev/null 2>&1; then
  echo "install.sh: there is no user $user on this node; install etcd first (it adds the etcd user), or set OWNER=USER:GROUP" >&2
  exit 1
fi

# put NAME DEST MODE [OWNER]: install ./NAME as DEST with MODE (and OWNER), keeping a different DEST.
put() {
  if [ -f "$2" ] && cmp -s "$here/$1" "$2"; then
    action=unchanged
  else
    if [ -e "$2" ]; then
      cp -p "$2" "$2.bak.$stamp"
      echo "backed up $2 as $2.bak.$stamp"
    fi
    cp "$here/$1" "$2.etcd-pki-tmp"
    chmod "$3" "$2.etcd-pki-tmp"
    if [ -n "\${4:-}" ]; then chown "$4" "$2.etcd-pki-tmp"; fi
    mv -f "$2.etcd-pki-tmp" "$2"
    action=installed
  fi
  chmod "$3" "$2"
  if [ -n "\${4:-}" ]; then chown "$4" "$2"; fi
  echo "$action $2 (mode $3\${4:+, owner $4})"
}

# Directories are made world-traversable (0755) except the one holding the keys (0750).
if [ ! -d "$PKI_DIR" ]; then
  (umask 022 && mkdir -p "$PKI_DIR")
  chmod 0750 "$PKI_DIR"
  chown "$OWNER" "$PKI_DIR"
  echo "created $PKI_DIR (mode 0750, owner $OWNER)"
fi
${options.configs.map((c) => `(umask 022 && mkdir -p "$(dirname -- "$${c.variable}")")`).join('\n')}

${options.files.map((f) => `put '${f.name}' "$PKI_DIR/${f.name}" ${octal(f.mode)} "$OWNER"`).join('\n')}
${options.configs.map((c) => `put '${c.name}' "$${c.variable}" 0644`).join('\n')}

echo "${options.kind} ${options.name}: done.${keyNames.length ? ` Keys (${keyNames.join(', ')}) are readable by ${'$'}OWNER only.` : ''}"
echo "next: ${options.next}"
`;
}
