#!/usr/bin/env bash
# Makes sure the tests can start etcd, so that `./mvnw -B verify` works on a fresh machine by itself.
# Found: ETCD_BINARY (environment variable or -DETCD_BINARY, passed as $1), or etcd and etcdctl on the PATH.
# Missing: installs Debian's etcd-server and etcd-client when running as root on Debian/Ubuntu; otherwise stops with
# one message that says exactly what to run. Also used by demo.sh.
set -euo pipefail

configured="${1:-${ETCD_BINARY:-}}"
case "$configured" in '${'*) configured="${ETCD_BINARY:-}" ;; esac   # Maven passes the literal when unset
if [ -n "$configured" ]; then
  if [ -x "$configured" ]; then exit 0; fi
  echo "ETCD_BINARY=$configured is not an executable file: point it at etcd (etcdctl is looked up beside it)" >&2
  exit 1
fi

if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then exit 0; fi

debian=false
if [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then debian=true; fi

if $debian && [ "$(id -u)" = 0 ]; then
  echo "etcd is not installed: installing Debian's etcd-server and etcd-client with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq etcd-server etcd-client >/dev/null
  if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
    etcd --version | head -1
    exit 0
  fi
  echo "apt-get installed etcd-server and etcd-client, but etcd or etcdctl is still not on the PATH ($PATH)" >&2
  exit 1
fi

if $debian; then
  echo "The tests need etcd and etcdctl. Run: sudo apt-get install etcd-server etcd-client" >&2
else
  echo "The tests need etcd and etcdctl (3.4 or later). Download a release from" \
    "https://github.com/etcd-io/etcd/releases and put etcd and etcdctl on the PATH, or set ETCD_BINARY=/path/to/etcd" >&2
fi
exit 1
