#!/bin/bash
# `cybex serve` against hostile clients (127.0.0.1 and 127.0.0.2 only):
# many slow connections from one address (--max-conns-per-ip: a client of
# another address is still served), headers and bodies trickled past
# --header-timeout and --body-timeout (cut, while others are served),
# a %00 in the path (400, never a shorter path), and uploads over
# --max-upload-memory refused when their headers arrive.  Outcomes are
# checked, never durations; the deadlines only keep a broken server
# from hanging the suite.
# usage: test_server_limits.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE SLOW_CLIENT
set -u
cybex=$1; jget=$3; fixture=$4; slow=$5
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

"$cybex" user add alice --password 'alice-Secret-3141' 2>"$tmp/setup" &&
    tok=$("$cybex" token create alice --name tests 2>>"$tmp/setup") &&
    ok "a user and a token" || not_ok "a user and a token" "$(cat "$tmp/setup")"
AUTH=(-H "Authorization: Bearer $tok")

# run_slow NAME N MODE INTERVAL_MS DURATION_S: in the background; waits
# for its "ready" line.  Then slow_done NAME waits for its summary.
run_slow() {
	local i
	"$slow" "$srv_port" "$2" "$3" "$4" "$5" > "$tmp/$1.out" &
	slow_pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -q ready "$tmp/$1.out" && return 0
		sleep 0.05
	done
	return 1
}
slow_done() {
	wait "$slow_pid"
	summary=$(grep open= "$tmp/$1.out")
	s_open=$(sed -n 's/.*open=\([0-9]*\).*/\1/p' <<<"$summary")
	s_cut=$(sed -n 's/.* cut=\([0-9]*\).*/\1/p' <<<"$summary")
	s_after=$(sed -n 's/.*cut_after_trickle=\([0-9]*\).*/\1/p' <<<"$summary")
}

# ---- a NUL in the path ----
if srv_start nul --access-log "$tmp/nul.log"; then
	call "$url/taxii2/%00/"
	expect_error 400 "400: %00 in the path"
	grep -q 'NUL byte' "$tmp/b" && ok "...which the error names" ||
	    not_ok "...which the error names" "$(cat "$tmp/b")"
	call "$url/taxii2%00anything/"
	expect_error 400 "400: %00 inside a segment (never routed as /taxii2)"
	call "$url/api1/collections/%00/objects/"
	expect_error 400 "400: %00 as a collection id"
	grep -q 'path=/taxii2%00anything/' "$tmp/nul.log" &&
	    ok "the access log shows the path as sent, not cut at the NUL" ||
	    not_ok "the access log shows the path as sent" "$(grep event=http "$tmp/nul.log")"
	call "$url/taxii2/?x=%00"
	expect_code 200 "a %00 in the query string is not the path"
	call "$url/taxii2/%2500/"
	expect_error 404 "%2500 (an escaped %) is no NUL: 404"
	srv_stop "the NUL server"
fi

# ---- many slow connections from one address ----
# 30 from 127.0.0.1 against 20 connections in all: the per-address cap
# keeps 10 for everyone else.  The deadlines are far off: every cut here
# is the cap's.
if srv_start cap --max-connections 20 --max-connections-per-ip 5 \
    --max-conns-per-ip 10 --header-timeout 120 --request-timeout 120; then
	if run_slow cap 30 head 1000 8; then
		call --interface 127.0.0.2 "$url/taxii2/"
		expect_code 200 "a client of another address is served while one address holds its cap"
	else
		not_ok "the slow client gets ready" "$(cat "$tmp/cap.out")"
	fi
	slow_done cap
	[ -n "$s_open" ] && [ "$s_open" -le 10 ] && [ "$s_cut" -ge 20 ] &&
	    ok "--max-conns-per-ip 10: at most 10 of 30 slow connections are kept ($summary)" ||
	    not_ok "--max-conns-per-ip 10: at most 10 of 30 slow connections are kept" "$summary"
	srv_stop "the per-address cap server"
fi
if timeout 20 "$cybex" serve --listen 127.0.0.1:0 --max-connections-per-ip 20 \
    --max-conns-per-ip 10 2>"$tmp/badcap.err"; then
	not_ok "--max-conns-per-ip below --max-connections-per-ip is refused" "it ran"
else
	grep -q 'max-conns-per-ip 10 is below' "$tmp/badcap.err" &&
	    ok "--max-conns-per-ip below --max-connections-per-ip is refused" ||
	    not_ok "--max-conns-per-ip below --max-connections-per-ip is refused" "$(cat "$tmp/badcap.err")"
fi

# ---- headers and bodies trickled past their deadlines ----
# The idle timeout (30 s) never fires: each connection sends every 0.5 s.
if srv_start trickle --header-timeout 2 --body-timeout 2 --request-timeout 30 \
    --access-log "$tmp/trickle.log"; then
	if run_slow head 10 head 500 25; then
		call "$url/taxii2/"
		expect_code 200 "another client is served while 10 trickle headers"
	else
		not_ok "the slow client gets ready" "$(cat "$tmp/head.out")"
	fi
	slow_done head
	[ "$s_cut" = 10 ] && [ "$s_after" = 10 ] &&
	    ok "--header-timeout: all 10 trickling connections are cut, after they were held ($summary)" ||
	    not_ok "--header-timeout: all 10 trickling connections are cut" "$summary"
	grep -q 'event=connection-cut .*reason=header-timeout' "$tmp/trickle.log" &&
	    ok "...and logged as header-timeout" ||
	    not_ok "...and logged as header-timeout" "$(tail -n 5 "$tmp/trickle.log")"
	# Signed in: a refused upload (401) would be closed at once.
	export SLOW_AUTH="Bearer $tok"
	if run_slow body 5 body 500 25; then
		call "$url/api1/"
		expect_code 200 "another client is served while 5 trickle bodies"
	else
		not_ok "the slow client gets ready" "$(cat "$tmp/body.out")"
	fi
	slow_done body
	unset SLOW_AUTH
	[ "$s_cut" = 5 ] && [ "$s_after" = 5 ] &&
	    ok "--body-timeout: all 5 trickling bodies are cut ($summary)" ||
	    not_ok "--body-timeout: all 5 trickling bodies are cut" "$summary"
	grep -q 'event=connection-cut .*reason=body-timeout' "$tmp/trickle.log" &&
	    ok "...and logged as body-timeout" ||
	    not_ok "...and logged as body-timeout" "$(tail -n 5 "$tmp/trickle.log")"
	grep -q 'event=http .*method=POST .*status=408' "$tmp/trickle.log" &&
	    ok "...with status 408 in the access log" ||
	    not_ok "...with status 408 in the access log" "$(grep event=http "$tmp/trickle.log" | tail -n 3)"
	call "$url/taxii2/"
	expect_code 200 "served after the cuts"
	srv_stop "the trickle server"
fi

# ---- the upload budget refuses at the headers ----
# --max-upload-memory 3k holds three bodies of 1k (--max-body).  Each
# upload asks "Expect: 100-continue": the server answers 100 once it has
# taken the body's bytes from the budget, or 503 when they do not fit, so
# what it holds is known without waiting for anything.
if srv_start budget --max-body 1k --max-upload-memory 3k; then
	hold() {	# fd: an upload's headers; its first answer line in $line
		printf 'POST /api1/collections/x/objects/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: 1024\r\nExpect: 100-continue\r\n\r\n' \
		    "$tok" "$TAXII" >&"$1"
		line=""
		read -r -t 20 -u "$1" line
		line=${line%$'\r'}
	}
	exec {h1}<>"/dev/tcp/127.0.0.1/$srv_port"; hold "$h1"; l1=$line
	exec {h2}<>"/dev/tcp/127.0.0.1/$srv_port"; hold "$h2"; l2=$line
	exec {h3}<>"/dev/tcp/127.0.0.1/$srv_port"; hold "$h3"; l3=$line
	is "$l1|$l2|$l3" "HTTP/1.1 100 Continue|HTTP/1.1 100 Continue|HTTP/1.1 100 Continue" \
	    "three uploads of 1k fit --max-upload-memory 3k (100 Continue)"
	exec {h4}<>"/dev/tcp/127.0.0.1/$srv_port"; hold "$h4"
	is "$line" "HTTP/1.1 503 Service Unavailable" \
	    "a fourth is refused 503 at its headers, before its body is read"
	resp=$(timeout 20 cat <&"$h4" | tr -d '\r')
	grep -qi '^Retry-After: ' <<<"$resp" && grep -q 'max-upload-memory' <<<"$resp" &&
	    ok "...with Retry-After and a body that names --max-upload-memory" ||
	    not_ok "...with Retry-After and a body that names --max-upload-memory" "$resp"
	call "$url/taxii2/"
	expect_code 200 "a request without a body is served meanwhile"
	exec {h1}>&- {h2}>&- {h3}>&- {h4}>&-
	# Given back when the server sees them closed: ask until then.
	for ((i = 0; i < 400; i++)); do
		exec {h5}<>"/dev/tcp/127.0.0.1/$srv_port"; hold "$h5"
		exec {h5}>&-
		[ "$line" = "HTTP/1.1 100 Continue" ] && break
		sleep 0.05
	done
	is "$line" "HTTP/1.1 100 Continue" "the budget is given back when the uploads end"
	srv_stop "the budget server"
fi
tap_done
