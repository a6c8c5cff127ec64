#!/bin/bash
# `cybex serve` over HTTPS with a self-signed certificate, the refusal of
# plain HTTP on an address other than loopback, `--check-config` exit
# codes, and the precedence of the config file, the environment and flags.
# usage: test_taxii_tls.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

pw='tls-user-Secret-1'
"$cybex" user add tls --password "$pw" 2>/dev/null && ok "a user" || not_ok "a user"
tok=$("$cybex" token create tls 2>/dev/null)
conf_coll=$("$cybex" collection add --title Conf 2>/dev/null)
grant "$conf_coll" --user tls --read --write 2>/dev/null || not_ok "grant"
AUTH=(-H "Authorization: Bearer $tok")

# ---- HTTPS ----
if ! command -v openssl >/dev/null 2>&1; then
	ok "# SKIP no openssl to make a certificate (scripts/install-deps installs it)"
elif ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >"$tmp/openssl.out" 2>&1; then
	not_ok "openssl makes a self-signed P-256 certificate" "$(cat "$tmp/openssl.out")"
elif srv_start tls --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"; then
	ok "the server starts with --tls-cert and --tls-key"
	grep -q 'event=listening .*tls=yes' "$srv_log" && ok "...and logs tls=yes" ||
	    not_ok "...and logs tls=yes" "$(cat "$srv_log")"
	https=https://127.0.0.1:$srv_port
	call --cacert "$tmp/cert.pem" "$https/taxii2/"
	expect_code 200 "HTTPS discovery, the certificate checked with curl --cacert"
	is "$(jv /default)" "$https/api1/" "discovery gives https:// URLs"
	case $(hdr Strict-Transport-Security) in
	max-age=*) ok "HTTPS answers carry Strict-Transport-Security" ;;
	*) not_ok "HTTPS answers carry Strict-Transport-Security" "$(cat "$tmp/h")" ;;
	esac
	AUTH=(-u "tls:$pw")
	call --cacert "$tmp/cert.pem" "$https/api1/collections/"
	expect_code 200 "a password over HTTPS"
	AUTH=()
	call --cacert "$tmp/cert.pem" "$https/api1/"
	expect_error 401 "no credentials over HTTPS: 401"
	AUTH=(-H "Authorization: Bearer $tok")
	call "$https/taxii2/"
	is "$code" 000 "without --cacert curl refuses the self-signed certificate"
	call "http://127.0.0.1:$srv_port/taxii2/"
	[ "$code" != 200 ] && ok "plain HTTP to the HTTPS port gets no TAXII answer (HTTP $code)" ||
	    not_ok "plain HTTP to the HTTPS port gets no TAXII answer"
	call --cacert "$tmp/cert.pem" "$https/taxii2/"
	expect_code 200 "...and HTTPS still works after it"
	srv_stop "the HTTPS server"
fi

# ---- what cannot start ----
# start_fails DESC PATTERN FLAGS...: cybex serve exits 2 at once and says
# PATTERN; a server that starts anyway is killed at once.
start_fails() {
	local desc=$1 pat=$2 pid i rc
	shift 2
	"$cybex" serve "$@" >"$tmp/fail.out" 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		if grep -q event=listening "$tmp/fail.out"; then
			kill -KILL "$pid"
			break
		fi
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid"; rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- "$pat" "$tmp/fail.out" &&
	    ! grep -q event=listening "$tmp/fail.out"; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc: $(cat "$tmp/fail.out")"
	fi
}
start_fails "plain HTTP on 0.0.0.0 is refused at start (exit 2)" "refusing plain HTTP" \
    --listen 0.0.0.0:0
start_fails "plain HTTP on [::] is refused at start" "refusing plain HTTP" --listen '[::]:0'
start_fails "plain HTTP on 0.0.0.0 is refused with the loopback-only default otherwise" \
    "allow-plain-http" --listen 0.0.0.0:0 --no-allow-plain-http
# 192.0.2.1 (TEST-NET-1) is not ours: past the refusal, binding fails.
start_fails "--allow-plain-http lifts the refusal (192.0.2.1 then cannot be bound)" \
    "cannot listen on 192.0.2.1" --listen 192.0.2.1:0 --allow-plain-http
if [ -f "$tmp/cert.pem" ]; then
	start_fails "HTTPS lifts the refusal too" "cannot listen on 192.0.2.1" \
	    --listen 192.0.2.1:0 --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"
	start_fails "--tls-cert without --tls-key" "needs both" --tls-cert "$tmp/cert.pem"
	start_fails "a missing key file" "cannot read" --tls-cert "$tmp/cert.pem" \
	    --tls-key "$tmp/nokey.pem"
	printf 'not a certificate\n' > "$tmp/junk.pem"
	start_fails "a certificate file that is not PEM" "cannot" --tls-cert "$tmp/junk.pem" \
	    --tls-key "$tmp/key.pem"
fi
start_fails "--listen without a port" "is not ADDR:PORT" --listen 127.0.0.1
start_fails "an unknown option" "unknown option" --bogus
start_fails "--max-body below its minimum" "max-body" --max-body 10

# ---- --check-config ----
check_config() {	# WANT_EXIT DESC PATTERN FLAGS...
	local want=$1 desc=$2 pat=$3 rc
	shift 3
	"$cybex" serve --check-config "$@" >"$tmp/check.out" 2>&1; rc=$?
	if [ "$rc" -eq "$want" ] && grep -q -- "$pat" "$tmp/check.out"; then ok "$desc"
	else not_ok "$desc" "exit $rc: $(grep -v '  (.*)$' "$tmp/check.out")"; fi
}
check_config 0 "--check-config: a good configuration exits 0" "configuration ok"
if [ -f "$tmp/cert.pem" ]; then
	check_config 0 "--check-config with readable TLS files exits 0" "configuration ok" \
	    --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"
	check_config 1 "--check-config: a missing TLS key file exits 1" \
	    "cannot read --tls-key" --tls-cert "$tmp/cert.pem" --tls-key "$tmp/nokey.pem"
fi
check_config 1 "--check-config: --page-size above --max-page-size exits 1" \
    "above --max-page-size" --page-size 50 --max-page-size 10
check_config 1 "--check-config: --tls-key alone exits 1" "needs both" --tls-key "$tmp/x.pem"
# The usage promises a check of the address: what serve refuses must fail.
check_config 1 "--check-config: plain HTTP on 0.0.0.0 (serve refuses it) exits 1" \
    "configuration has errors" --listen 0.0.0.0:8400
check_config 1 "--check-config: a --listen that is not ADDR:PORT exits 1" \
    "configuration has errors" --listen nonsense
check_config 1 "--check-config: a database that does not exist exits 1" "configuration has errors" \
    --db "$tmp/nowhere/none.db"

# ---- the config file, the environment, flags ----
printf '# test configuration\nmax-body = 1k\n\nmax_page_size = 700\n' > "$tmp/serve.conf"
check_config 0 "max-body = 1k in the --config file" "^max-body  *1024  *(file $tmp/serve.conf)" \
    --config "$tmp/serve.conf"
check_config 0 "...max_page_size spelt with '_'" "^max-page-size  *700 " --config "$tmp/serve.conf"
check_config 0 "a flag overrides the file" "^max-body  *4096  *(flag)" \
    --config "$tmp/serve.conf" --max-body 4k
CYBEX_MAX_BODY=2k check_config 0 "the environment overrides the file" \
    "^max-body  *2048  *(CYBEX_MAX_BODY)" --config "$tmp/serve.conf"
CYBEX_MAX_BODY=2k check_config 0 "a flag overrides the environment" \
    "^max-body  *4096  *(flag)" --config "$tmp/serve.conf" --max-body=4k
CYBEX_CONFIG=$tmp/serve.conf check_config 0 "CYBEX_CONFIG names the file" \
    "^max-body  *1024  *(file" 
printf 'max-body = 1k\nmax-bodies = 2\n' > "$tmp/bad.conf"
check_config 2 "an unknown setting in the file: exit 2, file:line" "bad.conf:2: unknown setting" \
    --config "$tmp/bad.conf"
printf 'max-body = 12\n' > "$tmp/small.conf"
check_config 2 "a value out of bounds in the file names the setting and the file" \
    "max-body: '12' (from file" --config "$tmp/small.conf"
check_config 2 "a config file that does not exist" "cannot read config file" \
    --config "$tmp/none.conf"

# The file's max-body takes effect in a running server; a flag wins.
envelope "$(ident 1 2020-01-01T00:00:00.000Z "$(head -c 1800 /dev/zero | tr '\0' x)")" > "$tmp/2000.json"
if srv_start conf --config "$tmp/serve.conf"; then
	AUTH=(-H "Authorization: Bearer $tok")
	call "$url/api1/"
	is "$(jv /max_content_length)" 1024 "max-body = 1k from the file: max_content_length 1024"
	call -H "Content-Type: $TAXII" --data-binary @"$tmp/2000.json" \
	    "$url/api1/collections/$conf_coll/objects/"
	expect_error 413 "...and a 2000-byte envelope is 413"
	srv_stop "the server with a config file"
fi
if srv_start conf2 --config "$tmp/serve.conf" --max-body 4k; then
	AUTH=(-H "Authorization: Bearer $tok")
	call "$url/api1/"
	is "$(jv /max_content_length)" 4096 "--max-body 4k overrides the file"
	call -H "Content-Type: $TAXII" --data-binary @"$tmp/2000.json" \
	    "$url/api1/collections/$conf_coll/objects/"
	expect_code 202 "...and the 2000-byte envelope is accepted"
	srv_stop "the server with a config file and a flag"
fi

# --page-size above --max-page-size: --check-config calls it an error;
# serve must then either refuse to start or never send a larger page.
envelope "$(ident 2 2020-01-01T00:00:00.000Z)" "$(ident 3 2020-01-01T00:00:00.000Z)" \
    "$(ident 4 2020-01-01T00:00:00.000Z)" > "$tmp/three.json"
"$cybex" serve --page-size 3 --max-page-size 2 --listen 127.0.0.1:0 >"$tmp/ps.out" 2>&1 &
ps_pid=$!
for ((i = 0; i < 100; i++)); do
	grep -q event=listening "$tmp/ps.out" && break
	kill -0 "$ps_pid" 2>/dev/null || break
	sleep 0.05
done
port=$(sed -n 's/.*event=listening .*port=\([0-9]*\).*/\1/p' "$tmp/ps.out")
if [ -z "$port" ]; then
	wait "$ps_pid"
	ok "--page-size 3 --max-page-size 2: refused at start"
else
	u=http://127.0.0.1:$port/api1/collections/$conf_coll/objects/
	call -H "Content-Type: $TAXII" --data-binary @"$tmp/three.json" "$u"
	st=$(jv /id); url=http://127.0.0.1:$port; wait_status "$st"
	call "$u"
	n=$("$jget" -n "$tmp/b" /objects)
	[ "$n" -le 2 ] && ok "--page-size 3 --max-page-size 2: a page without limit has at most 2 objects" ||
	    not_ok "--page-size 3 --max-page-size 2: a page without limit has at most 2 objects" "$n objects: $(head -c 300 "$tmp/b")"
	kill -TERM "$ps_pid"; wait "$ps_pid"
fi

tap_done
