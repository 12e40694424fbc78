#!/usr/bin/env bash
# Installs the real peers PostNTLM's interop tests drive, on Debian 12 (bookworm):
#   MIT Kerberos 1.20 (krb5kdc, kadmin.local, kinit/klist/kvno/ktutil, gss-client/gss-server),
#   Samba 4.17 (smbd, smbclient, smbtorture), impacket, python3-gssapi, tshark,
#   and MIT's headers plus a C compiler (libkrb5-dev, gcc, libc6-dev) for the krb5-crypto
#   bench, which times libkrb5's own crypto next to ours; tmux (the postntlm-smb shell test
#   types into it) and headless Chromium with a font (renders the --trace-svg diagram).
#
# Idempotent and non-interactive: a second run installs nothing and says so. Package
# postinst scripts are not allowed to start daemons, and any distro daemon that is
# running anyway is stopped, so only the harness's own throw-away peers listen.
# Needs root: it re-runs itself through sudo when started as another user (CI runs as root).
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo bash "$0" "$@"
  fi
  echo "install-peers.sh: needs root, and sudo is not installed: run it as root" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-peers.sh: needs a Debian-like system with apt-get" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

packages=(
  krb5-kdc krb5-admin-server krb5-user krb5-gss-samples krb5-config
  samba smbclient samba-common-bin samba-testsuite
  python3-impacket python3-gssapi
  tshark
  libkrb5-dev gcc libc6-dev
  procps iproute2
  tmux chromium fonts-dejavu-core
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers.sh: all packages already installed"
else
  echo "install-peers.sh: installing ${missing[*]}"
  # Answers for the questions these packages would otherwise ask. The realm written into
  # /etc/krb5.conf is never used: every harness peer gets its own KRB5_CONFIG.
  debconf-set-selections <<'EOF'
krb5-config krb5-config/default_realm string POSTNTLM.INVALID
krb5-config krb5-config/kerberos_servers string 127.0.0.1
krb5-config krb5-config/admin_server string 127.0.0.1
krb5-config krb5-config/add_servers_realm string POSTNTLM.INVALID
krb5-config krb5-config/add_servers boolean false
krb5-config krb5-config/read_conf boolean true
krb5-admin-server krb5-admin-server/kadmind boolean false
krb5-admin-server krb5-admin-server/newrealm note
krb5-kdc krb5-kdc/debconf boolean false
krb5-kdc krb5-kdc/purge_data_too boolean false
samba-common samba-common/workgroup string WORKGROUP
samba-common samba-common/dhcp boolean false
samba-common samba-common/do_debconf boolean false
wireshark-common wireshark-common/install-setuid boolean false
EOF
  # policy-rc.d exit 101 forbids postinst scripts to start services.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  trap 'if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  # Refresh the package lists only when they are missing or older than six hours.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -360 2>/dev/null | head -n 1)" ]; then
    apt-get update -q
  fi
  apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}"
fi

for svc in krb5-kdc krb5-admin-server smbd nmbd samba-ad-dc winbind; do
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$svc" ]; then
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
  fi
done

echo "install-peers.sh: versions"
dpkg-query -W -f='  ${Package} ${Version}\n' krb5-kdc krb5-user krb5-gss-samples libkrb5-dev samba \
  smbclient samba-testsuite python3-impacket python3-gssapi tshark gcc tmux chromium 2>/dev/null
