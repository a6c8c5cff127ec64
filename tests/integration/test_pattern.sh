#!/bin/sh
# cybex pattern check|match and cybex index build|stats, end to end.
# usage: test_pattern.sh CYBEX CONFORMANCE_DIR
set -u
cybex=$1; conf=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ex=$conf/stix21/json-schemas/examples

expect_exit 0 "a valid pattern" "$cybex" pattern check "[ipv4-addr:value = '198.51.100.1/32']"
expect_exit 1 "a broken pattern" "$cybex" pattern check "[ipv4-addr:value = '1.2.3.4'"
out=$("$cybex" pattern check "[ipv4-addr:value = '1.2.3.4'" 2>&1)
case $out in *"pattern:1:29: error:"*) ok "the error names its line and column";; *) not_ok "the error names its line and column" "$out";; esac
expect_exit 0 "START after STOP: never matches, a warning" "$cybex" pattern check \
    "[file:name = 'a'] START t'2020-01-02T00:00:00Z' STOP t'2020-01-01T00:00:00Z'"
expect_exit 1 "...and an error with --strict" "$cybex" pattern check --strict \
    "[file:name = 'a'] START t'2020-01-02T00:00:00Z' STOP t'2020-01-01T00:00:00Z'"
expect_exit 0 "two REPEATS on one expression are evaluated" "$cybex" pattern check \
    "[file:name = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES"
expect_exit 1 "a bad regular expression" "$cybex" pattern check "[file:name MATCHES '(']"
expect_exit 0 "an unknown object type is a warning" "$cybex" pattern check "[x-thing:name = 'a']"
expect_exit 1 "...and an error with --strict" "$cybex" pattern check --strict "[x-thing:name = 'a']"

cat > "$tmp/obs.json" <<'JSON'
{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
{"type":"observed-data","spec_version":"2.1","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]},
{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}]}
JSON
expect_exit 0 "pattern match: a matching observation" "$cybex" pattern match \
    --pattern "[ipv4-addr:value ISSUBSET '198.51.100.0/24']" "$tmp/obs.json"
expect_exit 1 "pattern match: no match" "$cybex" pattern match \
    --pattern "[ipv4-addr:value = '203.0.113.9']" "$tmp/obs.json"
printf '{"type":' > "$tmp/broken.json"
expect_exit 2 "pattern match: unreadable observations" "$cybex" pattern match \
    --pattern "[ipv4-addr:value = '203.0.113.9']" "$tmp/broken.json"

# Many patterns in one run, against the same observations.
cat > "$tmp/pats.txt" <<'PATS'
# C2 addresses
[ipv4-addr:value ISSUBSET '198.51.100.0/24']

[ipv4-addr:value = '203.0.113.9']
[ipv4-addr:value = '198.51.100.3'] OR [domain-name:value = 'x.example']
PATS
out=$("$cybex" pattern match --patterns "$tmp/pats.txt" "$tmp/obs.json" "$tmp/obs.json" 2>&1); rc=$?
case "$rc:$out" in
"0:line 2: match: 2 of 2 observed-data objects"*"line 4: no match: 0 of 2"*"line 5: match: 2 of 2"*"2 of 3 patterns match"*)
	ok "--patterns: each pattern by its line, against all files, read once";;
*) not_ok "--patterns: each pattern by its line" "exit $rc: $out";; esac
out=$("$cybex" pattern match --json --patterns "$tmp/pats.txt" "$tmp/obs.json" 2>&1); rc=$?
case "$rc:$out" in
'0:{"patterns":[{"line":2,"pattern":"[ipv4-addr:value ISSUBSET '"'"'198.51.100.0/24'"'"']","matched":true,"observations":[{"file":'*'{"line":4,'*'"matched":false,"observations":[]}'*'],"matched":2,"patterns_total":3,"observations_total":1}')
	ok "--patterns --json: one result per pattern and the totals";;
*) not_ok "--patterns --json" "exit $rc: $out";; esac
printf "[ipv4-addr:value = '203.0.113.9']\n" > "$tmp/none.txt"
expect_exit 1 "--patterns: none matches: exit 1" "$cybex" pattern match --patterns "$tmp/none.txt" "$tmp/obs.json"
printf "[ipv4-addr:value = '1.2.3.4']\n[ipv4-addr:value = \n[file:name = 'a']\n" > "$tmp/badp.txt"
out=$("$cybex" pattern match --patterns "$tmp/badp.txt" "$tmp/obs.json" 2>&1); rc=$?
case "$rc:$out" in
"2:$tmp/badp.txt:2:"*"error:"*"1 invalid pattern in"*"nothing evaluated"*)
	case $out in *"line 1:"*) not_ok "--patterns: an invalid line is reported, nothing evaluated" "$out";;
	*) ok "--patterns: an invalid line is reported as FILE:LINE:COLUMN, nothing evaluated";; esac;;
*) not_ok "--patterns: an invalid line is reported as FILE:LINE:COLUMN" "exit $rc: $out";; esac
printf '# nothing\n\n' > "$tmp/empty.txt"
expect_exit 2 "--patterns: a file without patterns is an error" "$cybex" pattern match --patterns "$tmp/empty.txt" "$tmp/obs.json"
expect_exit 2 "--patterns -: standard input cannot be both" "$cybex" pattern match --patterns - - < /dev/null

out=$("$cybex" index build "$ex"/*.json "$ex"/threat-reports/*.json 2>&1)
case $out in *"indicators"*"indexed"*) ok "index build over the examples";;
*) not_ok "index build over the examples" "$out";; esac
CYBEX_DATA_DIR=$tmp/data "$cybex" import --collection default "$ex"/*.json "$ex"/threat-reports/*.json >/dev/null 2>&1
built=$("$cybex" index build --json "$ex"/*.json "$ex"/threat-reports/*.json 2>/dev/null)
stored=$(CYBEX_DATA_DIR=$tmp/data "$cybex" index stats --json 2>/dev/null)
[ -n "$stored" ] && [ "$built" = "$stored" ] &&
    ok "index stats on the store holds what index build on the files holds" ||
    not_ok "index stats equals index build" "files: $built store: $stored"
expect_exit 2 "index stats: unknown collection" env CYBEX_DATA_DIR="$tmp/data" \
    "$cybex" index stats --collection nope

tap_done
