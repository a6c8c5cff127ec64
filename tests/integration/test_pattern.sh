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
expect_exit 1 "START after STOP" "$cybex" pattern check \
    "[file:name = 'a'] START t'2020-01-02T00:00:00Z' STOP t'2020-01-01T00:00:00Z'"
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
