#!/bin/bash
# `cybex serve` listens at once and builds the indicator index for POST
# /api/v1/events in the background, lazily (issue 24): TAXII is answered
# while the index is being built, an events POST meanwhile gets 503 with
# Retry-After and a problem saying so, SIGTERM during the build stops
# the server at once (exit 0), and without --intel-eager no index is
# built until the first events POST.  The build is held up with the
# test-only hook CYBEX_TEST_INTEL_GATE (the loader waits, before its
# first indicator, until that file exists): no timing is measured.
# usage: test_serve_start.sh CYBEX CONFORMANCE_DIR JGET
set -u
cybex=$1; jget=$3
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

setup=""
"$cybex" org add cert-a >/dev/null 2>>"$tmp/setup" || setup="$setup org"
"$cybex" user add ann --no-password >/dev/null 2>>"$tmp/setup" || setup="$setup user"
"$cybex" org member cert-a ann --ingest 2>>"$tmp/setup" || setup="$setup member"
"$cybex" collection grant default --user ann --read 2>>"$tmp/setup" || setup="$setup grant"
tok=$("$cybex" token create ann 2>>"$tmp/setup") || setup="$setup token"
cat > "$tmp/ind.json" <<EOF
{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-1111-4111-8111-111111111111","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}
EOF
"$cybex" import --quiet "$tmp/ind.json" 2>>"$tmp/setup" || setup="$setup import"
printf '%s\n' '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","src_ip":"198.51.100.7","src_port":1,"dest_ip":"192.0.2.1","dest_port":2,"proto":"TCP"}' \
    > "$tmp/eve.json"
[ -z "$setup" ] && ok "a member, a token and an indicator set up" ||
    not_ok "set up" "$setup: $(cat "$tmp/setup")"
AUTH=(-H "Authorization: Bearer $tok")
post_events() {
	call -X POST -H 'Content-Type: application/x-ndjson' \
	    --data-binary "@$tmp/eve.json" "$url/api/v1/events?format=eve"
}
# exits_within PID SECONDS: the process has exited within that deadline
# (generous: it only keeps a hung test from hanging); sets $rc.
exits_within() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; rc=$?; return 0; }
		sleep 0.05
	done
	rc=timeout
	return 1
}

# ---- eager, held up: TAXII answers while the index is being built ----
CYBEX_TEST_INTEL_GATE=$tmp/gate; export CYBEX_TEST_INTEL_GATE
srv_start eager --intel-eager || { tap_done; exit 1; }
for ((i = 0; i < 200; i++)); do
	grep -q 'event=indicators-loading' "$srv_log" && break
	sleep 0.05
done
grep -q 'event=indicators-loading' "$srv_log" &&
    ok "--intel-eager: the index build starts without an events request" ||
    not_ok "--intel-eager starts the build" "$(cat "$srv_log")"
call -H "Accept: $TAXII" "$url/taxii2/"
expect_code 200 "TAXII discovery is answered while the index is being built"
post_events
expect_code 503 "POST /api/v1/events while the index is being built: 503"
[ "$(hdr Retry-After)" -gt 0 ] 2>/dev/null && ok "... with Retry-After" ||
    not_ok "... with Retry-After" "$(cat "$tmp/h")"
case "$(jv /detail)" in
*"indicator index is being built: "*" indicators so far"*)
	ok "... and a problem saying the index is being built" ;;
*)	not_ok "... and a problem saying the index is being built" "$(cat "$tmp/b")" ;;
esac
[ "$(hdr Content-Type)" = application/problem+json ] && ok "... as problem+json" ||
    not_ok "... as problem+json" "$(cat "$tmp/h")"
grep -q 'event=indicators-loaded' "$srv_log" &&
    not_ok "the hook holds the build up" "$(cat "$srv_log")" ||
    ok "the hook holds the build up (no indicators-loaded yet)"

# ---- SIGTERM during the build ----
kill -TERM "$srv_pid"
if exits_within "$srv_pid" 60 && [ "$rc" = 0 ] && [ ! -e "$tmp/gate" ]; then
	ok "SIGTERM during the index build: exit 0 while the build is still held up"
else
	not_ok "SIGTERM during the index build stops the server" "exit $rc: $(tail -n 5 "$srv_log")"
	kill -KILL "$srv_pid" 2>/dev/null
fi
srv_pid=""
grep -q 'event=indicators-load-stopped' "$srv_log" && grep -q 'event=stopped' "$srv_log" &&
    ok "the build was stopped and the server stopped cleanly" ||
    not_ok "the build was stopped and the server stopped cleanly" "$(tail -n 5 "$srv_log")"

# ---- lazy: nothing is built until the first events POST ----
srv_start lazy || { tap_done; exit 1; }
call -H "Accept: $TAXII" "$url/taxii2/"
expect_code 200 "lazy: TAXII discovery"
call -H "Accept: $TAXII" "$url/api1/collections/"
expect_code 200 "lazy: the collections"
grep -q 'event=indicators-load' "$srv_log" &&
    not_ok "without --intel-eager no index is built before an events POST" "$(cat "$srv_log")" ||
    ok "without --intel-eager no index is built before an events POST"
post_events
expect_code 503 "the first events POST starts the build and, held up, gets 503"
grep -q 'event=indicators-loading' "$srv_log" && ok "... and the build started" ||
    not_ok "... and the build started" "$(cat "$srv_log")"
: > "$tmp/gate"
for ((i = 0; i < 200; i++)); do
	grep -q 'event=indicators-loaded' "$srv_log" && break
	sleep 0.05
done
post_events
expect_code 202 "once the hook lets the build finish, events are accepted"
[ "$(jv /hits)" = 1 ] && ok "... and matched against the index" ||
    not_ok "... and matched against the index" "$(cat "$tmp/b")"
srv_stop lazy
tap_done
