#!/bin/bash
# Add-objects requests end to end: the API root's max_content_length (413,
# also chunked), objects without an id (failures, never an empty id),
# committed batches reported as stored when a later batch fails, work
# answered 202 done after kill -9 and a restart, the queue bound checked
# before a status is written (503 leaves none), and status expiry.
# usage: test_taxii_jobs.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

setup=""
"$cybex" user add alice --password 'alice-Secret-3141' 2>>"$tmp/setup" || setup="$setup user"
c1=$("$cybex" collection add --title Main --alias main 2>>"$tmp/setup") || setup="$setup main"
"$cybex" api-root add small --title Small --max-content-length 2048 2>>"$tmp/setup" || setup="$setup root"
c2=$("$cybex" collection add --title Tiny --alias tiny --api-root small 2>>"$tmp/setup") || setup="$setup tiny"
grant "$c1" --user alice --read --write 2>>"$tmp/setup" || setup="$setup grant1"
grant "$c2" --user alice --read --write 2>>"$tmp/setup" || setup="$setup grant2"
tok=$("$cybex" token create alice --name tests 2>>"$tmp/setup") || setup="$setup token"
[ -z "$setup" ] && ok "users, collections, an API root and grants set up" ||
    not_ok "users, collections, an API root and grants set up" "$setup: $(cat "$tmp/setup")"
AUTH=(-H "Authorization: Bearer $tok")
v1=2020-01-01T00:00:00.000Z

# N identities numbered from FIRST, as an envelope into FILE.
idents() {
	awk -v n="$1" -v first="$2" 'BEGIN { printf "{\"objects\":["
	for (i = first; i < first + n; i++)
		printf "%s{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--00000000-0000-4000-8000-%012d\",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"n\"}", (i > first ? "," : ""), i
	printf "]}" }' > "$3"
}
post() {	# post FILE COLLECTION-URL [CURL ARGS]: sets $code, $sid
	local f=$1 u=$2
	shift 2
	call -H "Content-Type: $TAXII" --data-binary @"$f" "$@" "$u/objects/"
	sid=$(jv /id 2>/dev/null)
}
# The number of objects (versions) in collection alias A, from the CLI.
count_in() {
	"$cybex" collection list --json > "$tmp/colls.json" 2>/dev/null
	local i n
	n=$("$jget" -n "$tmp/colls.json" "")
	for ((i = 0; i < n; i++)); do
		[ "$("$jget" "$tmp/colls.json" /$i/alias)" = "$1" ] &&
		    "$jget" "$tmp/colls.json" /$i/objects
	done
}

srv_start main --max-objects 50000 --max-body 32M || { tap_done; exit 1; }
main=$url/api1/collections/$c1
tiny=$url/small/collections/$c2

# ---- the API root's max_content_length ----
call "$url/small/"
is "$(jv /max_content_length)" 2048 "API root small advertises max_content_length 2048"
idents 30 1 "$tmp/big.json"
[ "$(wc -c < "$tmp/big.json")" -gt 2048 ] || not_ok "the test body is over 2048 bytes"
post "$tmp/big.json" "$tiny"
expect_error 413 "a body over the API root's max_content_length is 413, not 202"
post "$tmp/big.json" "$tiny" -H "Transfer-Encoding: chunked"
expect_error 413 "...also sent chunked, without Content-Length"
idents 2 1 "$tmp/two.json"
post "$tmp/two.json" "$tiny"
expect_code 202 "a body within it is accepted"
wait_status "$sid" small && is "$(jv /success_count)" 2 "...and stored" ||
    not_ok "...and stored" "$(cat "$tmp/b")"

# ---- objects without an id ----
noid='{"type":"identity","spec_version":"2.1","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"nobody"}'
envelope "$(ident 901 $v1)" "$noid" "$(ident 902 $v1)" > "$tmp/noid.json"
post "$tmp/noid.json" "$main"
expect_code 202 "an envelope with an object without an id is accepted"
is "$(jv /total_count) $(col /pendings id)" "3 $(ident_id 901) $(ident_id 902)" \
    "the pending list names only the objects with an id"
if wait_status "$sid"; then ok "...its status completes"
else not_ok "...its status completes" "$(cat "$tmp/b")"; fi
is "$(jv /success_count) $(jv /failure_count) $(jv /pending_count)" "2 1 0" \
    "the object without an id counts as a failure"
grep -q '"id":""' "$tmp/b" && not_ok "no status entry has an empty id" "$(cat "$tmp/b")" ||
    ok "no status entry has an empty id"
is "$(jv /x_cybex_failures_without_id/0/index)" 1 "...it is listed by its index in the request"
case $(jv /x_cybex_failures_without_id/0/message) in
*"no id"*) ok "...with a message that says why" ;;
*) not_ok "...with a message that says why" "$(cat "$tmp/b")" ;; esac

# ---- a later batch fails: the committed ones are stored, and said so ----
idents 1000 0 "$tmp/k.json"
bad=$(ident_id 700)
sqlite3 "$db" "CREATE TRIGGER boom BEFORE INSERT ON objects WHEN NEW.id = '$bad' BEGIN SELECT json('not json'); END;" ||
    not_ok "a trigger that fails one insert"
post "$tmp/k.json" "$main"
expect_code 202 "1000 objects accepted"
if wait_status "$sid"; then ok "...the status completes although storing failed"
else not_ok "...the status completes although storing failed" "$(cat "$tmp/b")"; fi
cp "$tmp/b" "$tmp/k.status"
is "$(jv /success_count) $(jv /failure_count) $(jv /pending_count)" "500 500 0" \
    "the first batch (500, committed) is a success, the failed batch's 500 are failures"
is "$("$jget" -n "$tmp/b" /successes)" 500 "...the 500 are listed as successes"
case $(jv /failures/0/message) in
*"not stored"*) ok "...the failures say they were not stored" ;;
*) not_ok "...the failures say they were not stored" "$(jv /failures/0/message)" ;; esac
call "$main/objects/$(ident_id 499)/"
expect_code 200 "a committed object is there"
call "$main/objects/$(ident_id 600)/"
expect_error 404 "an object of the failed batch is not"
sqlite3 "$db" "DROP TRIGGER boom;"

# ---- kill -9 after 202: the accepted work is done after the restart ----
idents 20000 10000 "$tmp/a.json"
idents 3 60000 "$tmp/b3.json"
post "$tmp/a.json" "$main"
sa=$sid; ca=$code
post "$tmp/b3.json" "$main"
sb=$sid; cb=$code
kill -KILL "$srv_pid"; wait "$srv_pid" 2>/dev/null; srv_pid=""
is "$ca $cb" "202 202" "two requests answered 202, then kill -9"
srv_start again --max-objects 50000 --max-body 32M || { tap_done; exit 1; }
main=$url/api1/collections/$c1
done_ok() {	# done_ok ID TOTAL DESC [TRIES]: complete, every object stored
	local i
	for ((i = 0; i < ${4:-1}; i++)); do wait_status "$1" && break; done
	if [ "$(jv /status) $(jv /success_count) $(jv /failure_count)" = "complete $2 0" ]; then ok "$3"
	else not_ok "$3" "$(head -c 400 "$tmp/b")"; fi
}
done_ok "$sa" 20000 "after the restart the big request completes with all 20000 stored" 6
grep -q "event=add-objects-waiting .*jobs=2" "$srv_err" &&
    ok "...the restarted server found the two stored jobs" ||
    not_ok "...the restarted server found the two stored jobs" "$(grep add-objects "$srv_err")"
done_ok "$sb" 3 "...and the one queued behind it (never started) completes with its 3"
call "$main/objects/$(ident_id 60002)/"
expect_code 200 "the queued request's objects are there"
is "$(count_in main)" $((2 + 500 + 20000 + 3)) "the collection holds every object accepted"

# ---- the queue is checked before any status is written ----
srv_stop again
srv_start queue --max-queued-adds 1 --max-objects 50000 --max-body 32M || { tap_done; exit 1; }
main=$url/api1/collections/$c1
idents 20000 100000 "$tmp/q.json"
nstatus() { sqlite3 "$db" "SELECT COUNT(*) FROM status"; }
post "$tmp/q.json" "$main"; sq=$sid
expect_code 202 "with --max-queued-adds 1, a big request is accepted"
before=$(nstatus)
post "$tmp/b3.json" "$main"
expect_error 503 "...and one more while it runs gets 503"
is "$(nstatus)" "$before" "...and no status was written for it (none left pending forever)"
wait_status "$sq" || not_ok "the big request completes" "$(cat "$tmp/b")"

# ---- expiry: complete statuses beyond --status-max-bytes go, oldest first ----
srv_stop queue
srv_start expire --status-max-bytes 4k || { tap_done; exit 1; }
main=$url/api1/collections/$c1
call "$url/api1/status/$sq/"
expect_error 404 "at start-up, statuses beyond 4k together are removed (a 20000-object one)"
kept=$(sqlite3 "$db" "SELECT COALESCE(SUM(length(CAST(detail AS BLOB))), 0) FROM status WHERE complete = 1")
[ "$kept" -le 4096 ] && ok "...the complete statuses left take at most 4k ($kept bytes)" ||
    not_ok "...the complete statuses left take at most 4k" "$kept bytes"
idents 20 70000 "$tmp/e1.json"
idents 20 70100 "$tmp/e2.json"
post "$tmp/e1.json" "$main"; s1=$sid
wait_status "$s1" || not_ok "the first status completes" "$(cat "$tmp/b")"
[ "$(wc -c < "$tmp/b")" -gt 2048 ] || not_ok "a status of 20 objects takes over 2k"
post "$tmp/e2.json" "$main"; s2=$sid
wait_status "$s2" || not_ok "the second status completes" "$(cat "$tmp/b")"
for ((i = 0; i < 100; i++)); do
	call "$url/api1/status/$s1/"; [ "$code" = 404 ] && break; sleep 0.05
done
expect_error 404 "the older status is removed when both exceed --status-max-bytes"
call "$url/api1/status/$s2/"
expect_code 200 "...the newer one is kept"
srv_stop expire

# ---- small requests queued together: each gets its own status ----
srv_start group || { tap_done; exit 1; }
main=$url/api1/collections/$c1
# Queued behind a big one, they are usually stored in one shared commit
# (the log says group=N); whether or not, each status must be its own.
idents 5000 100000 "$tmp/g-big.json"
post "$tmp/g-big.json" "$main"; gbig=$sid
for k in 0 1 2 3 4; do
	idents 10 $((91000 + k * 100)) "$tmp/g$k.json"
done
# Request 2: one object without a name (invalid), one without an id.
sed -i 's/,"name":"n"}\]}$/}]}/' "$tmp/g2.json"
sed -i 's/^{"objects":\[/{"objects":[{"type":"identity","spec_version":"2.1","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"x"},/' "$tmp/g2.json"
for k in 0 1 2 3 4; do
	post "$tmp/g$k.json" "$main"; eval "gs$k=\$sid"
done
wait_status "$gbig" || not_ok "the big request completes" "$(cat "$tmp/b")"
for k in 0 1 3 4; do
	eval "s=\$gs$k"
	wait_status "$s"
	is "$(jv /success_count) $(jv /failure_count) $(jv /pending_count) $("$jget" -n "$tmp/b" /successes)" \
	    "10 0 0 10" "queued request $k: its own 10 successes"
	is "$(jv /successes/0/id)" "$(ident_id $((91000 + k * 100)))" "...listed by its own ids"
done
wait_status "$gs2"
is "$(jv /success_count) $(jv /failure_count) $(jv /pending_count)" "9 2 0" \
    "the request with two bad objects: 9 stored, 2 failed"
is "$(jv /failures/0/id)" "$(ident_id 91209)" "...the invalid one is named"
is "$(jv /x_cybex_failures_without_id/0/index)" 0 "...the one without an id by its index"
call "$main/objects/$(ident_id 91208)/"
expect_code 200 "...its good objects are stored"
call "$main/objects/$(ident_id 91209)/"
expect_error 404 "...its invalid one is not"
g=$(sed -n 's/.*event=add-objects-done.* group=\([0-9]*\).*/\1/p' "$srv_log" | sort -n | tail -n 1)
echo "# largest group of jobs in one commit: ${g:-none}"
srv_stop group
tap_done
