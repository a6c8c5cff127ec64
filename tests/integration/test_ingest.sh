#!/bin/sh
# cybex ingest and cybex alerts end to end, through the real binary:
# Suricata's EVE examples (the bad one reported with file:line:col), an
# sshd brute force becoming one alert, thousands of indicator hits making
# one sighting with a count, a re-run counting nothing twice, --follow
# across a rename+create rotation and a copytruncate, a clean stop on
# SIGTERM, kill -9 during an ingest leaving a consistent database whose
# re-run completes the counts exactly, and two member organizations
# seeing the same attacker raising one cooperative alert naming both.
# usage: test_ingest.sh CYBEX JGET CONFORMANCE_DIR
# Environment: INGEST_KILL_LINES (300000) lines in the kill -9 input.
set -u
cybex=$1; jget=$2; conf=$3
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
fpid=""
cleanup() {
	[ -n "$fpid" ] && kill -KILL "$fpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
unset CYBEX_DB CYBEX_DATA_DIR XDG_DATA_HOME CYBEX_CONFIG
HOME=$tmp/home; export HOME
db=$tmp/hub.db
C2=209.53.113.5

# A number from one line of JSON: num KEY TEXT.
num() {
	printf '%s' "$2" | tr ',{}' '\n\n\n' | sed -n "s/^\"$1\":\([0-9][0-9]*\)$/\1/p" | head -n 1
}

# EVE flow records to $C2 from 10.1.0.1, one a second from START:
# flows FILE N START_EPOCH
flows() {
	awk -v n="$2" -v t0="$3" -v c2="$C2" 'BEGIN {
		for (i = 0; i < n; i++) {
			t = t0 + i
			printf "{\"timestamp\":\"%s.000000+0000\",\"flow_id\":%d,\"event_type\":\"flow\",\"src_ip\":\"10.1.0.1\",\"src_port\":%d,\"dest_ip\":\"%s\",\"dest_port\":443,\"proto\":\"TCP\",\"flow\":{\"pkts_toserver\":3,\"pkts_toclient\":2,\"bytes_toserver\":180,\"bytes_toclient\":120,\"start\":\"%s.000000+0000\",\"end\":\"%s.000000+0000\",\"state\":\"established\"}}\n", strftime("%Y-%m-%dT%H:%M:%S", t, 1), i + 1, 1024 + i % 60000, c2, strftime("%Y-%m-%dT%H:%M:%S", t, 1), strftime("%Y-%m-%dT%H:%M:%S", t, 1)
		}
	}' > "$1"
}

# The largest count among the latest versions of the stored sightings.
sighting_count() {
	"$cybex" export --quiet --db "$db" --collection sightings --type sighting \
	    --output "$tmp/sg.json" &&
	    "$jget" -c "$tmp/sg.json" /objects count | sort -n | tail -n 1
}
sighting_objects() {
	"$cybex" export --quiet --db "$db" --collection sightings --type sighting \
	    --version all --output "$tmp/sga.json" && "$jget" -n "$tmp/sga.json" /objects
}

"$cybex" org add cert-a --db "$db" >/dev/null
"$cybex" org add bank-b --db "$db" >/dev/null
cat > "$tmp/ind.json" <<EOF
{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-1111-4111-8111-111111111111","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"C2 server","pattern":"[ipv4-addr:value = '$C2']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","indicator_types":["malicious-activity"]}]}
EOF
expect_exit 0 "an indicator is imported" "$cybex" import --quiet --db "$db" "$tmp/ind.json"

# ---- Suricata's EVE examples ----
eve_ex=$conf/suricata/_extracted/eve-json-format.examples.jsonl
# The "event" member of each example (the first one: an example can hold
# another "event" key further in, which a greedy match would cut at).
awk '{ i = index($0, "\"event\": "); s = substr($0, i + 9); sub(/}$/, "", s); print s }' \
    "$eve_ex" > "$tmp/examples.json"
n=$(wc -l < "$tmp/examples.json")
out=$("$cybex" ingest --db "$db" --format eve --org cert-a --json "$tmp/examples.json" 2>"$tmp/err"); rc=$?
lines=$(num lines "$out"); obs=$(num observations "$out"); errs=$(num errors "$out")
if [ "$rc" = 0 ] && [ "$n" = 9 ] && [ "$lines" = "$n" ] && [ "$obs" = "$n" ] &&
    [ "$errs" = 0 ]; then
	ok "the $n EVE examples: $obs observations, none unreadable"
else
	not_ok "the EVE examples are read" "exit $rc: $out $(cat "$tmp/err")"
fi
printf '%s\n' "$(head -n 1 "$tmp/examples.json")" '{"event_type": "flow", "src_ip": "10.0.0.300"}' \
    > "$tmp/badip.json"
"$cybex" ingest --db "$db" --format eve --quiet "$tmp/badip.json" 2>"$tmp/err"; rc=$?
if [ "$rc" = 1 ] && grep -Eq "^$tmp/badip.json:2:[0-9]+: error: .*src_ip" "$tmp/err"; then
	ok "unreadable records are reported as file:line:col: error: (exit 1)"
else
	not_ok "unreadable records are reported as file:line:col" "exit $rc: $(cat "$tmp/err")"
fi
[ "$(num hits "$out")" -ge 1 ] && ok "the example alert to $C2 hits the indicator" ||
    not_ok "the example alert to $C2 hits the indicator" "$out"

# Broken input: exit 1, every bad line located, the good ones still read.
printf '%s\n' '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"TCP"}' \
    'not json' '{"timestamp": 3}' '' '[1,2]' > "$tmp/bad.json"
out=$("$cybex" ingest --db "$db" --format eve --json "$tmp/bad.json" 2>"$tmp/err"); rc=$?
if [ "$rc" -eq 1 ] && grep -Eq "bad.json:2:[0-9]+: error: " "$tmp/err" &&
    grep -q "bad.json:3:" "$tmp/err" && grep -q "bad.json:5:" "$tmp/err" &&
    [ "$(num observations "$out")" = 1 ]; then
	ok "bad records: exit 1, each reported with its line, good ones read"
else
	not_ok "bad records: exit 1, each reported with its line" "exit $rc: $out $(cat "$tmp/err")"
fi
out=$("$cybex" ingest --db "$db" --format eve --max-errors 1 "$tmp/bad.json" 2>&1)
printf '%s' "$out" | grep -q "2 more unreadable records not shown" &&
    ok "--max-errors caps the messages and says how many more" ||
    not_ok "--max-errors caps the messages" "$out"
expect_exit 2 "an unknown format is a usage error" "$cybex" ingest --db "$db" --format nope "$tmp/bad.json"
expect_exit 2 "an unknown organization is refused" "$cybex" ingest --db "$db" --format eve --org nobody "$tmp/bad.json"
expect_exit 2 "a missing file is an error" "$cybex" ingest --db "$db" --format eve "$tmp/none.json"

# ---- sshd brute force -> one alert ----
awk 'BEGIN { for (i = 0; i < 40; i++)
	printf "Mar  1 10:%02d:%02d gw sshd[%d]: Failed password for root from 198.51.100.66 port %d ssh2\n", i / 60, i % 60, 1000 + i, 40000 + i }' > "$tmp/auth.log"
out=$("$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ssh \
    --ref-time 2024-03-02T00:00:00Z --json "$tmp/auth.log" 2>&1); rc=$?
[ "$rc" -eq 0 ] && [ "$(num observations "$out")" = 40 ] &&
    ok "40 sshd failures read" || not_ok "40 sshd failures read" "exit $rc: $out"
"$cybex" alerts list --db "$db" --detector bruteforce --json > "$tmp/bf.jsonl"
n=$(wc -l < "$tmp/bf.jsonl")
head -n 1 "$tmp/bf.jsonl" > "$tmp/bf.json"
if [ "$n" -ge 1 ] && [ "$("$jget" "$tmp/bf.json" /org)" = cert-a ] &&
    [ "$("$jget" "$tmp/bf.json" /classification/class)" = intrusion-attempts ] &&
    "$jget" -c "$tmp/bf.json" /parties value | grep -qx 198.51.100.66 &&
    [ "$("$jget" -t "$tmp/bf.json" /evidence)" = object ]; then
	ok "an sshd brute force raises an alert: class, parties, evidence"
else
	not_ok "an sshd brute force raises an alert" "$(cat "$tmp/bf.jsonl")"
fi
"$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ssh \
    --ref-time 2024-03-02T00:00:00Z --quiet "$tmp/auth.log"
"$cybex" alerts list --db "$db" --detector bruteforce --json > "$tmp/bf2.jsonl"
if [ "$(wc -l < "$tmp/bf2.jsonl")" -eq "$n" ] &&
    [ "$("$jget" "$tmp/bf.json" /count)" = "$(head -n 1 "$tmp/bf2.jsonl" | "$jget" - /count)" ]; then
	ok "the same log again changes no alert"
else
	not_ok "the same log again changes no alert" "$(cat "$tmp/bf.jsonl" "$tmp/bf2.jsonl")"
fi
id=$("$jget" "$tmp/bf.json" /id)
"$cybex" alerts show --db "$db" "$id" > "$tmp/show" &&
    grep -q "^detector *bruteforce" "$tmp/show" && ok "alerts show ID" ||
    not_ok "alerts show ID" "$(cat "$tmp/show")"
expect_exit 1 "alerts show of an unknown id" "$cybex" alerts show --db "$db" 00000000-0000-4000-8000-000000000000
out=$("$cybex" alerts list --db "$db" --since 2099-01-01T00:00:00Z)
[ -z "$out" ] && ok "alerts list --since in the future is empty" || not_ok "--since filters" "$out"
out=$("$cybex" alerts list --db "$db" --since 2024-03-01T10:00:00Z --detector bruteforce)
[ -n "$out" ] && ok "alerts list --since includes what was seen after it" || not_ok "--since includes" "$out"

# ---- many hits, one sighting; a re-run counts nothing twice ----
flows "$tmp/flows.json" 5000 1704067200	# 2024-01-01
out=$("$cybex" ingest --db "$db" --format eve --org cert-a --sensor edge-1 --json "$tmp/flows.json" 2>&1); rc=$?
[ "$rc" -eq 0 ] && [ "$(num hits "$out")" = 5000 ] && ok "5000 hits" || not_ok "5000 hits" "exit $rc: $out"
before=$(sighting_objects)
count=$(sighting_count)
[ "$count" = 5000 ] && ok "5000 hits of one indicator by one sensor: one sighting, count 5000" ||
    not_ok "one sighting with count 5000" "count $count; $(cat "$tmp/sg.json" | head -c 2000)"
expect_exit 0 "the sightings collection is valid STIX 2.1" "$cybex" validate -q "$tmp/sga.json"
out=$("$cybex" ingest --db "$db" --format eve --org cert-a --sensor edge-1 --json "$tmp/flows.json" 2>&1)
if [ "$(num replays "$out")" = 5000 ] && [ "$(num sightings_updated "$out")" = 0 ] &&
    [ "$(sighting_objects)" = "$before" ] && [ "$(sighting_count)" = 5000 ]; then
	ok "the same file again: no new sighting, no new version, count stays 5000"
else
	not_ok "re-running does not duplicate sightings" "$out; objects $(sighting_objects) vs $before"
fi

# ---- --follow: growth, rename+create rotation, copytruncate, SIGTERM ----
log=$tmp/follow.json
flows "$tmp/f1" 100 1706745600	# 2024-02-01
flows "$tmp/f2" 100 1706745700
flows "$tmp/f3" 100 1706745800
flows "$tmp/f4" 100 1706745900
cp "$tmp/f1" "$log"
"$cybex" ingest --db "$db" --format eve --org cert-a --sensor edge-2 --follow \
    --flush 0.2 --json "$log" > "$tmp/follow.out" 2>"$tmp/follow.err" &
fpid=$!
sleep 1
cat "$tmp/f2" >> "$log"				# it grows
sleep 1
mv "$log" "$log.1"; cp "$tmp/f3" "$log"		# rename + create
sleep 1
cp "$log" "$log.2"; : > "$log"; sleep 0.5; cat "$tmp/f4" > "$log"	# copytruncate
sleep 1.5
kill -TERM "$fpid"; wait "$fpid"; rc=$?; fpid=""
out=$(cat "$tmp/follow.out")
if [ "$rc" -eq 0 ] && [ "$(num lines "$out")" = 400 ] && [ "$(num hits "$out")" = 400 ] &&
    grep -q '"interrupted":true' "$tmp/follow.out"; then
	ok "--follow reads growth, a rotation and a copytruncate; SIGTERM stops it with exit 0"
else
	not_ok "--follow across rotations" "exit $rc: $out $(cat "$tmp/follow.err")"
fi
expect_exit 0 "the database is consistent after --follow" "$cybex" db check --db "$db"

# ---- kill -9 during an ingest ----
# The input comes through a FIFO whose writer stays open after the first
# half, so the ingest is always killed mid-way (never after it finished),
# and only once it has written some sightings.
big=${INGEST_KILL_LINES:-300000}
kdb=$tmp/kill.db
"$cybex" import --quiet --db "$kdb" "$tmp/ind.json"
flows "$tmp/big.json" "$big" 1709251200	# 2024-03-01
mkfifo "$tmp/kill.fifo"
"$cybex" ingest --db "$kdb" --format eve --sensor big --flush 0.05 --quiet "$tmp/kill.fifo" &
kpid=$!
exec 3>"$tmp/kill.fifo"
head -n $((big / 2)) "$tmp/big.json" >&3
db=$kdb
for i in $(seq 1 200); do	# at most 20 s
	count=$(sighting_count 2>/dev/null)
	[ -n "$count" ] && [ "$count" -gt 0 ] && break
	sleep 0.1
done
if kill -0 "$kpid" 2>/dev/null && [ -n "$count" ] && [ "$count" -gt 0 ]; then
	kill -KILL "$kpid"; wait "$kpid" 2>/dev/null
	ok "ingest killed with SIGKILL mid-way, after $count of $big hits were written"
else
	kill -KILL "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null
	not_ok "ingest killed with SIGKILL mid-way" "no sighting written after half the input (count '$count')"
fi
exec 3>&-
expect_exit 0 "after kill -9 the database is consistent (cybex db check)" "$cybex" db check --db "$kdb"
out=$("$cybex" ingest --db "$kdb" --format eve --sensor big --json "$tmp/big.json" 2>&1); rc=$?
db=$kdb
count=$(sighting_count)
if [ "$rc" -eq 0 ] && [ "$count" = "$big" ]; then
	ok "a re-run completes it: count $count, each hit counted once ($(num replays "$out") replays skipped)"
else
	not_ok "a re-run after kill -9 counts each hit once" "exit $rc, count $count, want $big: $out"
fi
db=$tmp/hub.db

# ---- two organizations, one attacker: one cooperative alert ----
flows "$tmp/b.json" 3 1711929600	# bank-b's sensor sees the same C2
sed 's/10\.1\.0\.1/10.2.0.9/' "$tmp/b.json" > "$tmp/b2.json"
"$cybex" ingest --db "$db" --format eve --org bank-b --sensor bank-edge --quiet "$tmp/b2.json"
"$cybex" alerts list --db "$db" --detector coop --json > "$tmp/coop.jsonl"
grep "\"key\":\"coop|indicator|" "$tmp/coop.jsonl" | head -n 1 > "$tmp/coop.json"
if [ "$(grep -c '"key":"coop|indicator|' "$tmp/coop.jsonl")" = 1 ] &&
    [ "$("$jget" "$tmp/coop.json" /evidence/members)" = 2 ] &&
    [ "$("$jget" -c "$tmp/coop.json" /orgs "" 2>/dev/null | wc -l)" -ge 0 ] &&
    [ "$("$jget" -n "$tmp/coop.json" /orgs)" = 2 ] &&
    [ "$("$jget" -t "$tmp/coop.json" /org)" = null ]; then
	ok "cert-a and bank-b saw the same C2: one cooperative alert naming both, 2 members"
else
	not_ok "one cooperative alert naming both organizations" "$(cat "$tmp/coop.jsonl")"
fi
out=$("$cybex" alerts list --db "$db" --org bank-b --detector coop)
[ -n "$out" ] && ok "alerts list --org bank-b shows the cooperative alert" ||
    not_ok "alerts list --org shows cooperative alerts naming the org" "$out"
expect_exit 0 "the database is consistent at the end" "$cybex" db check --db "$db"
tap_done
