#!/usr/bin/env bash
# samba.sh start|stop|status|env DIR KDC_DIR
#
# A throw-away Samba 4.17 smbd for the interop tests that accepts Kerberos (SPNEGO with
# MS-KRB5/KRB5) using the service keys of the MIT KDC started by mit-kdc.sh in KDC_DIR.
# Standalone server (no domain join, no winbindd, no nmbd); every file and socket it
# uses is under DIR; it listens on 127.0.0.1 only.
#
#   security = user + server role = standalone server + kerberos method = dedicated keytab
#   (a copy of KDC_DIR/cifs.keytab: cifs/samba.mit.test and cifs/localhost). Any principal
#   of the realm is mapped to the unix user root ("root = *"). Shares: [share] = DIR/share,
#   [enc] = the same directory with smb encrypt = required. Clients must address the server
#   by name (//samba.mit.test/share -I 127.0.0.1): smbclient refuses Kerberos to an IP
#   address or to "localhost". DIR/client.conf is a matching smbclient configuration
#   (smbclient -s DIR/client.conf), so the client does not read /etc/samba/smb.conf.
#
# KDC_DIR may also be a directory written for another KDC: it needs cifs.keytab (keys of
# cifs/samba.mit.test@REALM) and krb5.conf (smbd's KRB5_CONFIG, naming that KDC); without
# mit-kdc.sh's kdc.params the realm comes from REALM.
#
# Environment:
#   REALM          realm when KDC_DIR has no kdc.params (default MIT.TEST)
#   SMB_PORT       TCP port (default 44445; the TypeScript harness picks a free one)
#   SMB_KRB5_ONLY  1 = no NTLMSSP in SPNEGO (gensec:ntlmssp = no) and ntlm auth = disabled
#   SMB_SIGNING    server signing (default mandatory; auto allows unsigned sessions)
#   INTEROP_OWNER_PID / INTEROP_REMOVE_DIR  as for mit-kdc.sh: a watchdog stops smbd
#                  (and removes DIR) once the owner process has gone away.
#
# Exit codes: 0 ok, 1 failure, 2 usage, 3 not running (status), 75 port already in use.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin

usage() { echo "usage: $0 start|stop|status|env DIR KDC_DIR" >&2; exit 2; }
action=${1:-}
dir_arg=${2:-}
kdc_arg=${3:-}
[ -n "$action" ] && [ -n "$dir_arg" ] || usage

port=${SMB_PORT:-44445}
case $port in '' | *[!0-9]*) echo "samba: SMB_PORT must be a number, got '$port'" >&2; exit 2 ;; esac
signing=${SMB_SIGNING:-mandatory}
case $signing in mandatory | required | auto | default | disabled | off) ;; *)
  echo "samba: SMB_SIGNING must be mandatory, auto, default or disabled, got '$signing'" >&2; exit 2 ;;
esac
krb5_only=${SMB_KRB5_ONLY:-0}
server_name=samba.mit.test

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "samba: $2 ($1) not found: run \`bash tooling/interop/install-peers.sh\`" >&2
  exit 1
}

if [ "$action" = start ]; then mkdir -p "$dir_arg"; fi
if [ -d "$dir_arg" ]; then dir=$(cd "$dir_arg" && pwd); else dir=$dir_arg; fi
pidfile=$dir/smbd.pid.run
paramfile=$dir/smb.params

if [ "$action" != start ] && [ -f "$paramfile" ]; then
  port=$(sed -n 's/^port=//p' "$paramfile")
  realm=$(sed -n 's/^realm=//p' "$paramfile")
fi

running_pid() {
  [ -s "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = smbd ] || return 1
  echo "$pid"
}

listening_pid() { # pid: true once that process listens on 127.0.0.1:$port
  ss -H -lnt -p "sport = :$port" 2>/dev/null | grep -q "pid=$1,"
}

write_config() {
  mkdir -p "$dir"/{private,lock,state,cache,pid,log,ncalrpc,share}
  chmod 0777 "$dir/share"
  [ -f "$dir/share/hello.txt" ] || echo "hello from the samba interop share" >"$dir/share/hello.txt"
  cp "$kdc_dir/cifs.keytab" "$dir/cifs.keytab"
  chmod 600 "$dir/cifs.keytab"
  echo 'root = *' >"$dir/users.map"
  local ntlm_lines=''
  if [ "$krb5_only" = 1 ]; then
    ntlm_lines=$'\tntlm auth = disabled\n\tgensec:ntlmssp = no'
  fi
  cat >"$dir/smb.conf" <<EOF
# smb.conf of the throw-away smbd in $dir (KDC: $kdc_dir)
[global]
	netbios name = SAMBA
	workgroup = MIT
	realm = $realm
	server role = standalone server
	security = user
	kerberos method = dedicated keytab
	dedicated keytab file = FILE:$dir/cifs.keytab
	username map = $dir/users.map
	idmap config * : backend = tdb
	idmap config * : range = 3000-7999
	passdb backend = tdbsam:$dir/private/passdb.tdb
	obey pam restrictions = no
	unix password sync = no
$ntlm_lines

	smb ports = $port
	interfaces = 127.0.0.1
	bind interfaces only = yes
	disable netbios = yes
	server services = -nbt
	server min protocol = SMB2_02
	server max protocol = SMB3_11
	server signing = $signing
	server smb encrypt = if_required

	private dir = $dir/private
	lock directory = $dir/lock
	state directory = $dir/state
	cache directory = $dir/cache
	pid directory = $dir/pid
	ncalrpc dir = $dir/ncalrpc
	log file = $dir/log/%m.log
	log level = 1 auth:3 auth_audit:3 kerberos:3
	max log size = 0
	config backend = file
	usershare path =
	usershare max shares = 0
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes

[share]
	path = $dir/share
	read only = no
	guest ok = no
	create mask = 0666
	directory mask = 0777

[enc]
	path = $dir/share
	read only = no
	guest ok = no
	smb encrypt = required
EOF
  # For smbclient -s DIR/client.conf: keeps the client off /etc/samba, its caches in DIR.
  mkdir -p "$dir"/client/{private,lock,state,cache,ncalrpc}
  cat >"$dir/client.conf" <<EOF
# smbclient configuration for the throw-away smbd in $dir
[global]
	workgroup = MIT
	realm = $realm
	disable netbios = yes
	client min protocol = SMB2_02
	client max protocol = SMB3_11
	private dir = $dir/client/private
	lock directory = $dir/client/lock
	state directory = $dir/client/state
	cache directory = $dir/client/cache
	ncalrpc dir = $dir/client/ncalrpc
	log file = $dir/log/client.log
	load printers = no
EOF
}

start_watchdog() { # pid (= process group) of smbd
  [ -n "${INTEROP_OWNER_PID:-}" ] || return 0
  setsid bash -c '
    owner=$1 daemon=$2 dir=$3 remove=$4
    while kill -0 "$daemon" 2>/dev/null; do
      if ! kill -0 "$owner" 2>/dev/null; then
        kill -TERM -- "-$daemon" 2>/dev/null
        sleep 1
        kill -KILL -- "-$daemon" 2>/dev/null
        if [ "$remove" = 1 ]; then rm -rf -- "$dir"; fi
        exit 0
      fi
      sleep 1
    done' samba-watchdog "$INTEROP_OWNER_PID" "$1" "$dir" "${INTEROP_REMOVE_DIR:-0}" \
    </dev/null >/dev/null 2>&1 &
}

do_start() {
  need smbd 'Samba smbd'
  need ss 'ss (iproute2)'
  need setsid 'setsid (util-linux)'
  [ -n "$kdc_arg" ] || usage
  kdc_dir=$(cd "$kdc_arg" && pwd)
  [ -s "$kdc_dir/cifs.keytab" ] && [ -f "$kdc_dir/krb5.conf" ] || {
    echo "samba: $kdc_dir has no cifs.keytab/krb5.conf: start the KDC first (mit-kdc.sh start $kdc_dir)" >&2
    exit 1
  }
  realm=$(sed -n 's/^realm=//p' "$kdc_dir/kdc.params" 2>/dev/null || true)
  realm=${realm:-${REALM:-MIT.TEST}}
  if pid=$(running_pid); then
    echo "samba: already running (pid $pid) in $dir"
    return 0
  fi
  if [ -n "$(ss -H -lnt "sport = :$port" 2>/dev/null)" ]; then
    echo "samba: port $port is already in use" >&2
    exit 75
  fi
  write_config
  printf 'port=%s\nrealm=%s\nkdc_dir=%s\n' "$port" "$realm" "$kdc_dir" >"$paramfile"
  rm -f "$pidfile"
  local log_lines=0
  [ -f "$dir/log/smbd.log" ] && log_lines=$(wc -l <"$dir/log/smbd.log")
  # smbd forks per connection and starts samba-dcerpcd helpers: setsid makes it the
  # leader of a new process group, which stop signals as a whole. Samba's embedded
  # Heimdal reads the realm settings from KRB5_CONFIG; it never contacts the KDC.
  KRB5_CONFIG=$kdc_dir/krb5.conf KRB5_KTNAME=FILE:$dir/cifs.keytab KRB5RCACHEDIR=$dir \
    setsid smbd --foreground --no-process-group -s "$dir/smb.conf" \
    </dev/null >>"$dir/log/smbd.stdout" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"
  local i
  for i in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    if listening_pid "$pid"; then
      start_watchdog "$pid"
      echo "samba: smbd pid $pid on 127.0.0.1:$port, //$server_name/share and //$server_name/enc, dir $dir"
      return 0
    fi
    sleep 0.05
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  if tail -n "+$((log_lines + 1))" "$dir/log/smbd.log" 2>/dev/null |
    grep -Eq 'Address already in use|ADDRESS_ALREADY_ASSOCIATED'; then
    echo "samba: port $port is already in use" >&2
    exit 75
  fi
  echo "samba: smbd did not start listening on 127.0.0.1:$port; last log lines:" >&2
  tail -n 20 "$dir/log/smbd.stdout" "$dir/log/smbd.log" >&2 2>/dev/null || true
  exit 1
}

do_stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    echo "samba: not running"
    return 0
  fi
  # the process group this script created with setsid, by its id
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "samba: stopped process group $pid"
}

case $action in
  start) do_start ;;
  stop) do_stop ;;
  status)
    if pid=$(running_pid); then
      echo "samba: running, pid $pid, port $port"
    else
      echo "samba: not running"
      exit 3
    fi
    ;;
  env)
    realm=${realm:-${REALM:-MIT.TEST}}
    cat <<EOF
export SMB_HOST=127.0.0.1
export SMB_PORT=$port
export SMB_SERVER_NAME=$server_name
export SMB_SPN=cifs/$server_name@$realm
export SMB_SHARE=share
export SMB_ENC_SHARE=enc
export SMB_SHARE_DIR=$dir/share
export SMB_KEYTAB=$dir/cifs.keytab
export SMB_CLIENT_CONF=$dir/client.conf
EOF
    ;;
  *) usage ;;
esac
