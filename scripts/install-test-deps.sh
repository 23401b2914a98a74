#!/usr/bin/env bash
# Installs what the test suite runs against: real openssl, cfssl/cfssljson (Debian golang-cfssl)
# and etcd/etcdctl (Debian etcd-server, etcd-client). Idempotent: does nothing when all are there.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v cfssl >/dev/null && command -v cfssljson >/dev/null || need+=(golang-cfssl)
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "install-test-deps: installing ${need[*]} (Debian packages)" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
    echo "install-test-deps: missing ${need[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >&2
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
# Debian's etcd-server package enables a system etcd on 127.0.0.1:2379; the tests start their own
# members on other loopback addresses, but stop the packaged one where a service manager runs it.
if command -v systemctl >/dev/null && systemctl is-active --quiet etcd 2>/dev/null; then
  "${sudo_cmd[@]}" systemctl stop etcd >&2 || true
fi
