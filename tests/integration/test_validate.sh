#!/bin/sh
# `cybex validate` end to end: the official STIX 2.1 examples, the ATT&CK
# data, the validator examples, and error handling (exit codes, file:line:col
# diagnostics, stdin, JSON lines, --json, limits).
# usage: test_validate.sh CYBEX CONFORMANCE_DIR TESTDATA_DIR
set -u
cybex=$1; conf=$2; data=$3
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ve=$conf/stix21/validator-examples/test_examples

for f in "$conf"/stix21/json-schemas/examples/*.json \
    "$conf"/stix21/json-schemas/examples/threat-reports/*.json; do
	expect_exit 0 "example $(basename "$f") is valid" "$cybex" validate -q "$f"
done
n=0; bad=""
for f in $(find "$conf/stix21/attack-data" -type f -name '*.json'); do
	n=$((n + 1))
	"$cybex" validate -q "$f" >"$tmp/out" 2>&1 || bad="$bad $f: $(cat "$tmp/out")"
done
[ -z "$bad" ] && [ "$n" -gt 20 ] && ok "all $n ATT&CK data files are valid" ||
    not_ok "ATT&CK data files are valid" "$bad"

# Validator examples: valid ones exit 0, schema errors 1, broken JSON 2.
for f in identity identity_unicode identity_warning identity_custom tool tlp-amber; do
	expect_exit 0 "validator example $f.json is valid" "$cybex" validate -q "$ve/$f.json"
done
expect_exit 1 "invalid_identity.json (no modified) is invalid" \
    "$cybex" validate -q "$ve/invalid_identity.json"
expect_exit 1 "invalid_timestamp.json (modified < created) is invalid" \
    "$cybex" validate -q "$ve/invalid_timestamp.json"
expect_exit 2 "invalid_comma.json is not JSON" "$cybex" validate -q "$ve/invalid_comma.json"
expect_exit 2 "invalid_braces.json is not JSON" "$cybex" validate -q "$ve/invalid_braces.json"

out=$("$cybex" validate -q "$ve/identity_custom.json")
case $out in *"warning:"*"'foo'"*"[/objects/0/foo]"*) ok "custom property warns with its pointer";;
*) not_ok "custom property warns with its pointer" "$out";; esac
expect_exit 1 "--strict makes that warning an error" \
    "$cybex" validate -q --strict "$ve/identity_custom.json"

out=$("$cybex" validate -q "$ve/invalid_identity.json")
case $out in *"invalid_identity.json:1:1: error: required property 'modified' is missing"*) \
	ok "missing property reported at file:line:col";;
*) not_ok "missing property reported at file:line:col" "$out";; esac

out=$("$cybex" validate -q "$ve/invalid_timestamp.json")
case $out in *"invalid_timestamp.json:6:3: error:"*"[/modified]"*) \
	ok "bad modified located at its line and column";;
*) not_ok "bad modified located at its line and column" "$out";; esac

out=$("$cybex" validate -q "$ve/invalid_comma.json" 2>&1)
case $out in *invalid_comma.json:[0-9]*:[0-9]*": error: "*) ok "JSON error has file:line:col";;
*) not_ok "JSON error has file:line:col" "$out";; esac

# Standard input, JSON lines, a top-level list.
expect_exit 0 "'-' reads standard input" sh -c "\"$cybex\" validate -q - < \"$ve/identity.json\""
{ tr -d '\n' < "$ve/identity.json"; echo; tr -d '\n' < "$ve/tool.json"; echo; } > "$tmp/lines.jsonl"
out=$("$cybex" validate "$tmp/lines.jsonl" 2>&1)
case $out in *"1 file, 2 objects: 0 errors"*) ok "JSON lines: two objects";;
*) not_ok "JSON lines: two objects" "$out";; esac
{ echo '['; cat "$ve/identity.json"; echo ','; cat "$ve/tool.json"; echo ']'; } > "$tmp/list.json"
expect_exit 0 "a top-level list of objects" "$cybex" validate -q "$tmp/list.json"

# Machine-readable output.
out=$("$cybex" validate --json "$ve/invalid_identity.json" 2>/dev/null)
case $out in *'"rule":"required-property"'*'"valid":false'*) ok "--json reports rule and validity";;
*) not_ok "--json reports rule and validity" "$out";; esac

# Bad input of every kind: exit 2 with a located error, never a crash.
printf '' > "$tmp/empty.json"
expect_exit 2 "empty file" "$cybex" validate -q "$tmp/empty.json"
head -c 300 "$conf/stix21/json-schemas/examples/threat-reports/apt1.json" > "$tmp/trunc.json"
expect_exit 2 "truncated bundle" "$cybex" validate -q "$tmp/trunc.json"
printf '{"type":"identity","type":"tool"}' > "$tmp/dup.json"
expect_exit 2 "duplicate keys are rejected" "$cybex" validate -q "$tmp/dup.json"
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"a":1,"a":2}]}' > "$tmp/dup2.json"
expect_exit 2 "duplicate keys inside a bundle element" "$cybex" validate -q "$tmp/dup2.json"
printf '{"a":"\\u0000"}' > "$tmp/nul.json"
expect_exit 2 "\\u0000 is rejected" "$cybex" validate -q "$tmp/nul.json"
printf '{"a":"\377"}' > "$tmp/utf8.json"
expect_exit 2 "invalid UTF-8 is rejected" "$cybex" validate -q "$tmp/utf8.json"
awk 'BEGIN{for(i=0;i<10000;i++)printf "["; for(i=0;i<10000;i++)printf "]"}' > "$tmp/deep.json"
expect_exit 2 "10000-deep nesting is refused" "$cybex" validate -q "$tmp/deep.json"
out=$("$cybex" validate -q "$tmp/deep.json" 2>&1)
case $out in *"nesting deeper than 64"*) ok "depth error names the limit";;
*) not_ok "depth error names the limit" "$out";; esac
expect_exit 2 "object over --max-object-size" "$cybex" validate -q --max-object-size 100 "$ve/identity.json"
printf '42' > "$tmp/num.json"
expect_exit 1 "a top-level number is not STIX" "$cybex" validate -q "$tmp/num.json"
# MUST rules are errors (issues 22, 25): no spec_version on a standalone
# SDO, a lang that is no RFC 5646 tag, a leap second past 9999.
id='"id":"identity--8c6af861-7b20-41ef-9b59-6344fd872a8f","created":"2016-08-08T15:50:10.983Z"'
printf '{"type":"identity",%s,"modified":"2016-08-08T15:50:10.983Z","name":"a"}' "$id" > "$tmp/nosv.json"
expect_exit 1 "an SDO without spec_version is invalid" "$cybex" validate -q "$tmp/nosv.json"
printf '{"type":"identity","spec_version":"2.1",%s,"modified":"2016-08-08T15:50:10.983Z","name":"a","lang":"en_GB"}' "$id" > "$tmp/lang.json"
expect_exit 1 "a lang that is no RFC 5646 tag is invalid" "$cybex" validate -q "$tmp/lang.json"
printf '{"type":"identity","spec_version":"2.1",%s,"modified":"9999-12-31T23:59:60.999Z","name":"a"}' "$id" > "$tmp/leap.json"
expect_exit 1 "a modified past 9999 (leap second) is invalid" "$cybex" validate -q "$tmp/leap.json"
# The reference validator's options.  dup.json: one identity twice with the
# same modified (203 duplicate-ids), a relationship malware -mitigates->
# campaign (202 relationship-types) whose ends are not in the file.
cat > "$tmp/dup.json" <<'JSON'
{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[
{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1","created":"2016-08-22T14:09:00.123Z","modified":"2016-08-22T14:09:00.123Z","name":"a","identity_class":"organization"},
{"type":"identity","spec_version":"2.1","id":"identity--8ae20dde-83d4-4218-88fd-41ef0dabf9d1","created":"2016-08-22T14:09:00.123Z","modified":"2016-08-22T14:09:00.123Z","name":"b","identity_class":"organization"},
{"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2016-04-06T20:06:37.000Z","modified":"2016-04-06T20:06:37.000Z","source_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","target_ref":"campaign--a2576331-d670-4fb3-8ff3-6fb6b4e698b2","relationship_type":"mitigates"}
]}
JSON
out=$("$cybex" validate --json "$tmp/dup.json" 2>/dev/null); rc=$?
case $rc:$out in 0:*'"rule":"bundle-duplicate-id","line":3,'*'"rule":"relationship-type-suggested"'*)
	ok "a streamed bundle: duplicate id (line 3) and relationship type are warnings";;
*) not_ok "a streamed bundle: duplicate id and relationship type are warnings" "$rc $out";; esac
expect_exit 1 "--strict makes them errors" "$cybex" validate -q --strict "$tmp/dup.json"
expect_exit 0 "--strict --disable 202,duplicate-ids" "$cybex" validate -q --strict \
    --disable 202,duplicate-ids "$tmp/dup.json"
expect_exit 0 "--strict --enable 111 (only that check)" "$cybex" validate -q --strict \
    --enable 111 "$tmp/dup.json"
expect_exit 1 "--strict --enable 203" "$cybex" validate -q --strict --enable 203 "$tmp/dup.json"
expect_exit 2 "--disable of an unknown check is a usage error" "$cybex" validate -q \
    --disable nosuch "$tmp/dup.json"
expect_exit 1 "--enforce-refs: the relationship's ends are not in the file" \
    "$cybex" validate -q --enforce-refs "$tmp/dup.json"
expect_exit 2 "--version 2.0 is refused (2.1 only)" "$cybex" validate -q --version 2.0 \
    "$tmp/dup.json"
expect_exit 0 "--version 2.1" "$cybex" validate -q --version 2.1 "$tmp/dup.json"
printf '{"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--8c6af861-7b20-41ef-9b59-6344fd872a8f","created":"2016-08-08T15:50:10.983Z","modified":"2016-08-08T15:50:10.983Z","x_acme_size":1}' > "$tmp/custom.json"
expect_exit 0 "a custom object is a warning" "$cybex" validate -q "$tmp/custom.json"
expect_exit 1 "--strict-types refuses it" "$cybex" validate -q --strict-types "$tmp/custom.json"
printf '{"type":"identity","spec_version":"2.1",%s,"modified":"2016-08-08T15:50:10.983Z","name":"a","x_acme_size":1}' "$id" > "$tmp/cprop.json"
expect_exit 0 "a custom property is a warning" "$cybex" validate -q "$tmp/cprop.json"
expect_exit 1 "--strict-properties refuses it" "$cybex" validate -q --strict-properties \
    "$tmp/cprop.json"
expect_exit 1 "--interop: an SDO without created_by_ref" "$cybex" validate -q --interop \
    "$tmp/cprop.json"
printf '{"type":"location","spec_version":"2.1",%s,"modified":"2016-08-08T15:50:10.983Z","country":"th"}' "$id" | sed 's/identity--/location--/' > "$tmp/loc.json"
expect_exit 0 "a lower-case ISO 3166 country is valid even with --strict" \
    "$cybex" validate -q --strict "$tmp/loc.json"
expect_exit 2 "missing file" "$cybex" validate -q "$tmp/nope.json"
expect_exit 2 "no file argument is a usage error" "$cybex" validate
expect_exit 2 "unknown option is a usage error" "$cybex" validate --bogus x
expect_exit 0 "--help" "$cybex" validate --help
expect_exit 0 "cybex --help" "$cybex" --help
expect_exit 2 "unknown command" "$cybex" frobnicate

tap_done
