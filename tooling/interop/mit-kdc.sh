#!/usr/bin/env bash
# mit-kdc.sh start|stop|status|env DIR
#
# A throw-away MIT Kerberos 1.20 KDC for the interop tests. Everything it writes lives in
# DIR: the client profile (krb5.conf), the KDC profile (kdc.conf), the db2 database and its
# stash, the keytabs, kdc.log and the pid file. It listens on 127.0.0.1 only, UDP and TCP.
#
# Environment:
#   KDC_PORT   port for UDP and TCP (default 60088; the TypeScript harness picks a free one)
#   REALM      realm name (default MIT.TEST)
#   INTEROP_OWNER_PID  if set, a watchdog stops the KDC (and removes DIR when
#                      INTEROP_REMOVE_DIR=1) once that process has gone away.
#
# Exit codes: 0 ok, 1 failure, 2 usage, 3 not running (status), 75 port already in use.
#
# Principals (keys derive from fixed passwords, so a re-created realm has the same keys):
#   alice (+requires_preauth)            alice-Passw0rd
#   alice-nopreauth (-requires_preauth)  alice-Passw0rd
#   bob                                  bob-Passw0rd
#   krbtgt/REALM (cpw, not random)       krbtgt-Passw0rd
#   host/localhost host/samba.mit.test   host-Passw0rd
#   cifs/localhost cifs/samba.mit.test   cifs-Passw0rd   (+no_auth_data_required: no PAC;
#                                        Samba's standalone smbd rejects tickets with a PAC)
#   sha2svc/localhost                    sha2svc-Passw0rd (RFC 8009 keys only)
#   K/M master key                       master-Passw0rd
# Keytabs: service.keytab (host/, cifs/, sha2svc/), cifs.keytab (for Samba), alice.keytab,
# krbtgt.keytab.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin

usage() { echo "usage: $0 start|stop|status|env DIR" >&2; exit 2; }
action=${1:-}
dir_arg=${2:-}
[ -n "$action" ] && [ -n "$dir_arg" ] || usage

realm=${REALM:-MIT.TEST}
port=${KDC_PORT:-60088}
case $port in '' | *[!0-9]*) echo "mit-kdc: KDC_PORT must be a number, got '$port'" >&2; exit 2 ;; esac

pw_master='master-Passw0rd'
pw_alice='alice-Passw0rd'
pw_bob='bob-Passw0rd'
pw_krbtgt='krbtgt-Passw0rd'
pw_host='host-Passw0rd'
pw_cifs='cifs-Passw0rd'
pw_sha2='sha2svc-Passw0rd'
enctypes='aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128'

need() { # command, what it is
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "mit-kdc: $2 ($1) not found: run \`bash tooling/interop/install-peers.sh\`" >&2
  exit 1
}

# absolute path of DIR (created by start; the other actions only look at it)
if [ "$action" = start ]; then mkdir -p "$dir_arg"; fi
if [ -d "$dir_arg" ]; then dir=$(cd "$dir_arg" && pwd); else dir=$dir_arg; fi
pidfile=$dir/krb5kdc.pid
paramfile=$dir/kdc.params

# A KDC that was started in DIR keeps its realm and port for the other actions.
if [ "$action" != start ] && [ -f "$paramfile" ]; then
  realm=$(sed -n 's/^realm=//p' "$paramfile")
  port=$(sed -n 's/^port=//p' "$paramfile")
fi

export KRB5_CONFIG=$dir/krb5.conf
export KRB5_KDC_PROFILE=$dir/kdc.conf
export KRB5CCNAME=FILE:$dir/ccache
export KRB5_KTNAME=FILE:$dir/service.keytab
export KRB5RCACHEDIR=$dir

running_pid() { # prints the pid and succeeds while our krb5kdc is alive
  [ -s "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = krb5kdc ] || return 1
  echo "$pid"
}

# true when the process with pid $2 has bound 127.0.0.1:$1 for protocol $3 (udp|tcp)
bound_by() {
  local flag=-lnt
  [ "$3" = udp ] && flag=-lnu
  ss -H "$flag" -p "sport = :$1" 2>/dev/null | grep -q "pid=$2,"
}

port_taken() {
  [ -n "$(ss -H -lnt "sport = :$port" 2>/dev/null)" ] || [ -n "$(ss -H -lnu "sport = :$port" 2>/dev/null)" ]
}

write_profiles() {
  cat >"$dir/krb5.conf" <<EOF
# client profile of the throw-away KDC in $dir
[libdefaults]
	default_realm = $realm
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1465
	permitted_enctypes = $enctypes
	default_tkt_enctypes = $enctypes
	default_tgs_enctypes = $enctypes
	default_ccache_name = FILE:$dir/ccache
	default_keytab_name = FILE:$dir/service.keytab
	forwardable = true

[realms]
	$realm = {
		kdc = 127.0.0.1:$port
	}

[domain_realm]
	localhost = $realm
	.localhost = $realm
	mit.test = $realm
	.mit.test = $realm
EOF
  cat >"$dir/kdc.conf" <<EOF
# KDC profile of the throw-away KDC in $dir
[kdcdefaults]
	kdc_listen = 127.0.0.1:$port
	kdc_tcp_listen = 127.0.0.1:$port

[realms]
	$realm = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		kdc_listen = 127.0.0.1:$port
		kdc_tcp_listen = 127.0.0.1:$port
		master_key_type = aes256-cts-hmac-sha1-96
		supported_enctypes = $(printf '%s:normal ' $enctypes)
		default_principal_flags = +preauth
		max_life = 10h 0m 0s
		max_renewable_life = 7d 0h 0m 0s
	}

[dbmodules]
	$realm = {
		db_library = db2
		database_name = $dir/principal
	}

[logging]
	kdc = FILE:$dir/kdc.log
	admin_server = FILE:$dir/kadmin.log
	default = FILE:$dir/kdc.log
EOF
  echo "*/admin@$realm *" >"$dir/kadm5.acl"
}

create_database() {
  rm -f "$dir"/principal* "$dir/stash" "$dir"/*.keytab "$dir/ccache"
  kdb5_util -r "$realm" create -s -P "$pw_master" >"$dir/kdb5_util.out" 2>&1 || {
    cat "$dir/kdb5_util.out" >&2
    echo "mit-kdc: kdb5_util create failed" >&2
    exit 1
  }
  local sha2_keys=aes256-cts-hmac-sha384-192:normal,aes128-cts-hmac-sha256-128:normal
  # One kadmin.local session, requests on stdin (passwords are fixed test values).
  kadmin.local -r "$realm" >"$dir/kadmin.out" 2>&1 <<EOF
cpw -pw $pw_krbtgt krbtgt/$realm
addprinc -pw $pw_alice +requires_preauth alice
addprinc -pw $pw_alice -requires_preauth alice-nopreauth
addprinc -pw $pw_bob bob
addprinc -pw $pw_host host/localhost
addprinc -pw $pw_host host/samba.mit.test
addprinc -pw $pw_cifs +no_auth_data_required cifs/localhost
addprinc -pw $pw_cifs +no_auth_data_required cifs/samba.mit.test
addprinc -pw $pw_sha2 -e $sha2_keys sha2svc/localhost
ktadd -norandkey -k $dir/service.keytab host/localhost host/samba.mit.test cifs/localhost cifs/samba.mit.test sha2svc/localhost
ktadd -norandkey -k $dir/cifs.keytab cifs/samba.mit.test cifs/localhost host/samba.mit.test host/localhost
ktadd -norandkey -k $dir/alice.keytab alice
ktadd -norandkey -k $dir/krbtgt.keytab krbtgt/$realm
EOF
  # kadmin.local reads requests from stdin without failing on a bad one: check the result.
  if grep -Ei 'error|usage|unknown request|while ' "$dir/kadmin.out" >/dev/null; then
    cat "$dir/kadmin.out" >&2
    echo "mit-kdc: creating the principals failed" >&2
    exit 1
  fi
  local kt
  for kt in service cifs alice krbtgt; do
    [ -s "$dir/$kt.keytab" ] || { echo "mit-kdc: $dir/$kt.keytab was not written" >&2; exit 1; }
  done
  chmod 600 "$dir"/*.keytab
  cat >"$dir/passwords.txt" <<EOF
krbtgt/$realm@$realm $pw_krbtgt
alice@$realm $pw_alice
alice-nopreauth@$realm $pw_alice
bob@$realm $pw_bob
host/localhost@$realm $pw_host
host/samba.mit.test@$realm $pw_host
cifs/localhost@$realm $pw_cifs
cifs/samba.mit.test@$realm $pw_cifs
sha2svc/localhost@$realm $pw_sha2
K/M@$realm $pw_master
EOF
}

start_watchdog() { # pid of the daemon
  [ -n "${INTEROP_OWNER_PID:-}" ] || return 0
  local owner=$INTEROP_OWNER_PID daemon=$1 remove=${INTEROP_REMOVE_DIR:-0}
  # Detached from our stdio (the caller waits for EOF on it) and from our process group.
  setsid bash -c '
    owner=$1 daemon=$2 dir=$3 remove=$4
    while kill -0 "$daemon" 2>/dev/null; do
      if ! kill -0 "$owner" 2>/dev/null; then
        kill -TERM "$daemon" 2>/dev/null
        sleep 1
        kill -KILL "$daemon" 2>/dev/null
        if [ "$remove" = 1 ]; then rm -rf -- "$dir"; fi
        exit 0
      fi
      sleep 1
    done' mit-kdc-watchdog "$owner" "$daemon" "$dir" "$remove" </dev/null >/dev/null 2>&1 &
}

do_start() {
  need krb5kdc 'MIT krb5kdc'
  need kdb5_util 'MIT kdb5_util'
  need kadmin.local 'MIT kadmin.local'
  need ss 'ss (iproute2)'
  need setsid 'setsid (util-linux)'
  if pid=$(running_pid); then
    echo "mit-kdc: already running (pid $pid) in $dir"
    return 0
  fi
  if port_taken; then
    echo "mit-kdc: port $port is already in use" >&2
    exit 75
  fi
  if [ -f "$paramfile" ] && [ "$(sed -n 's/^realm=//p' "$paramfile")" != "$realm" ]; then
    echo "mit-kdc: $dir holds a database for another realm; use a fresh DIR" >&2
    exit 1
  fi
  write_profiles
  printf 'realm=%s\nport=%s\n' "$realm" "$port" >"$paramfile"
  [ -f "$dir/principal" ] || create_database
  rm -f "$pidfile"
  local log_lines=0
  [ -f "$dir/kdc.log" ] && log_lines=$(wc -l <"$dir/kdc.log")
  # -n: stay in the foreground, so $! is the daemon itself; setsid gives it its own
  # session and process group (no controlling terminal, signals of the caller's group
  # do not reach it).
  setsid krb5kdc -n -r "$realm" </dev/null >>"$dir/krb5kdc.out" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"
  local i
  for i in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if bound_by "$port" "$pid" udp && bound_by "$port" "$pid" tcp; then
      start_watchdog "$pid"
      echo "mit-kdc: realm $realm on 127.0.0.1:$port (udp+tcp), pid $pid, dir $dir"
      return 0
    fi
    sleep 0.05
  done
  # did not come up: find out why, leave nothing running
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  if tail -n "+$((log_lines + 1))" "$dir/kdc.log" 2>/dev/null | grep -q 'Address already in use'; then
    echo "mit-kdc: port $port is already in use" >&2
    exit 75
  fi
  echo "mit-kdc: krb5kdc did not start listening on 127.0.0.1:$port; last log lines:" >&2
  tail -n 20 "$dir/kdc.log" "$dir/krb5kdc.out" >&2 2>/dev/null || true
  exit 1
}

do_stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    echo "mit-kdc: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  echo "mit-kdc: stopped pid $pid"
}

case $action in
  start) do_start ;;
  stop) do_stop ;;
  status)
    if pid=$(running_pid); then
      echo "mit-kdc: running, pid $pid, realm $realm, port $port"
    else
      echo "mit-kdc: not running"
      exit 3
    fi
    ;;
  env)
    cat <<EOF
export KRB5_CONFIG=$dir/krb5.conf
export KRB5_KDC_PROFILE=$dir/kdc.conf
export KRB5CCNAME=FILE:$dir/ccache
export KRB5_KTNAME=FILE:$dir/service.keytab
export KRB5RCACHEDIR=$dir
export MIT_KDC_REALM=$realm
export MIT_KDC_HOST=127.0.0.1
export MIT_KDC_PORT=$port
export MIT_KDC_DIR=$dir
export MIT_KDC_ALICE_PASSWORD=$pw_alice
EOF
    ;;
  *) usage ;;
esac
