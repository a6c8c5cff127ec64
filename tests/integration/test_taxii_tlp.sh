#!/bin/bash
# TLP through marking-definition references, over TAXII: an object that
# references a marking-definition other than the predefined TLP ones
# counts as what that marking-definition says: a TLP definition of 2.0
# style with its own id (stored by an older hub), or its own TLP:RED
# marking.  Refused by a collection below RED (add objects), never served
# below RED (objects, one object, versions, manifest, `cybex export`); a
# reference the hub cannot resolve is withheld until its
# marking-definition arrives, later in the same envelope or in another;
# a lowered ceiling (`cybex collection set`) stops serving at once.
# Marking-definitions count only in the collection that holds them.
# usage: test_taxii_tlp.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

RED2=marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1
M20=marking-definition--1a2b3c4d-0000-4000-8000-000000000020
MRED=marking-definition--1a2b3c4d-0000-4000-8000-000000000021
MLATE=marking-definition--1a2b3c4d-0000-4000-8000-000000000022
MSTMT=marking-definition--1a2b3c4d-0000-4000-8000-000000000023
tool() {	# N MARKING_REF
	printf '{"type":"tool","spec_version":"2.1","id":"tool--1a2b3c4d-0000-4000-8000-0000000000%02d","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"tool %s","object_marking_refs":["%s"]}' \
	    "$1" "$1" "$2"
}
tool_id() { printf 'tool--1a2b3c4d-0000-4000-8000-0000000000%02d' "$1"; }
md_stmt() {	# ID [MARKING_REF]
	printf '{"type":"marking-definition","spec_version":"2.1","id":"%s","created":"2020-01-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"s"}%s}' \
	    "$1" "${2:+,\"object_marking_refs\":[\"$2\"]}"
}

setup=""
"$cybex" user add root --no-password --admin >/dev/null 2>>"$tmp/setup" || setup="$setup user"
tok=$("$cybex" token create root 2>>"$tmp/setup") || setup="$setup token"
shared=$("$cybex" collection add --title Shared --alias shared 2>>"$tmp/setup") || setup="$setup coll"
red=$("$cybex" collection add --title Red --alias red --max-tlp red 2>>"$tmp/setup") ||
    setup="$setup redcoll"
# A 2.0-style TLP:RED definition with its own id, as an older hub stored it.
"$fixture" "$db" put shared "{\"type\":\"marking-definition\",\"id\":\"$M20\",\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}" \
    2>>"$tmp/setup" || setup="$setup put"
[ -z "$setup" ] && ok "set up" || not_ok "set up" "$setup: $(cat "$tmp/setup")"
AUTH=(-H "Authorization: Bearer $tok")
srv_start tlp || { tap_done; exit 1; }
api=$url/api1/collections

add() {	# COLL FILE: POST, wait for the status (left in $tmp/b)
	call -H "Content-Type: $TAXII" --data-binary @"$2" "$api/$1/objects/"
	[ "$code" = 202 ] || return 1
	wait_status "$(jv /id)"
}
served_ids() {	# COLL: the ids served by objects and by manifest, sorted
	call "$api/$1/objects/?match[version]=all"
	"$jget" -c "$tmp/b" /objects id 2>/dev/null | sort > "$tmp/obj_ids"
	call "$api/$1/manifest/?match[version]=all"
	"$jget" -c "$tmp/b" /objects id 2>/dev/null | sort > "$tmp/man_ids"
	cmp -s "$tmp/obj_ids" "$tmp/man_ids" || echo "objects and manifest differ"
	cat "$tmp/obj_ids"
}

# ---- ingress: refused below RED ----
envelope "$(md_stmt "$MRED" "$RED2")" "$(tool 1 "$M20")" "$(tool 2 "$MRED")" > "$tmp/e1"
add "$shared" "$tmp/e1"
# tool 2's marking-definition was refused: tool 2 references one the hub
# does not hold, so it is taken but withheld (see below).
is "$(jv /success_count) $(jv /failure_count)" "1 2" \
    "shared refuses a RED-marked marking-definition and what references the 2.0 TLP:RED one"
"$jget" -c "$tmp/b" /failures message > "$tmp/why"
grep -q "through $M20" "$tmp/why" && ok "the failure names the marking-definition" ||
    not_ok "the failure names the marking-definition" "$(cat "$tmp/why")"
add "$red" "$tmp/e1"
is "$(jv /success_count)" 3 "a RED collection takes them"
is "$(served_ids "$red" | tr '\n' ' ')" "$MRED $(tool_id 1) $(tool_id 2) " \
    "...and serves them at RED (objects and manifest agree)"

# ---- egress: an unknown reference is withheld until it is settled ----
# tool 3's marking-definition comes later in the envelope and is RED
# (refused here: tool 3 stays withheld); tool 4's comes later and is a
# plain statement (tool 4 is served once it is stored).
envelope "$(tool 3 "$MLATE")" "$(tool 4 "$MSTMT")" "$(md_stmt "$MSTMT")" \
    "$(md_stmt "$MLATE" "$RED2")" > "$tmp/e2"
add "$shared" "$tmp/e2"
is "$(jv /success_count) $(jv /failure_count)" "3 1" \
    "shared takes the tools and the statement, refuses the RED definition"
is "$(served_ids "$shared" | tr '\n' ' ')" "$M20 $MSTMT $(tool_id 4) " \
    "objects and manifest serve tool 4, not tool 3 (its marking is unknown)"
call "$api/$shared/objects/$(tool_id 3)/"
expect_error 404 "GET tool 3: 404"
call "$api/$shared/objects/$(tool_id 3)/versions/"
expect_error 404 "its versions: 404"
call "$api/$shared/objects/$(tool_id 4)/versions/"
expect_code 200 "tool 4's versions: 200"
"$cybex" export --quiet --collection shared --output "$tmp/x1.json"
"$jget" -c "$tmp/x1.json" /objects id | sort | tr '\n' ' ' > "$tmp/x1.ids"
is "$(cat "$tmp/x1.ids")" "$M20 $MSTMT $(tool_id 4) " "cybex export --collection shared: the same"
# The RED definition arrives in the RED collection only: it counts there,
# never in shared (issue 25: no probing another collection's definitions).
envelope "$(md_stmt "$MLATE" "$RED2")" > "$tmp/e3"
add "$red" "$tmp/e3"
is "$(jv /success_count)" 1 "the RED definition is stored where RED goes"
is "$(served_ids "$shared" | tr '\n' ' ')" "$M20 $MSTMT $(tool_id 4) " "tool 3 stays withheld in shared"
envelope "$(tool 3 "$MLATE")" > "$tmp/e4"
add "$shared" "$tmp/e4"
is "$(jv /success_count) $(jv /failure_count)" "1 0" \
    "shared answers tool 3 as before: red's definition does not show through"
"$jget" -c "$tmp/b" /failures message 2>/dev/null | grep -q "$MLATE" &&
    not_ok "no failure names red's definition" || ok "no failure names red's definition"

# ---- a lowered ceiling stops serving at once ----
"$cybex" collection set red --max-tlp amber 2>"$tmp/set"; rc=$?
[ "$rc" = 0 ] && grep -q "4 stored versions are above TLP:AMBER" "$tmp/set" &&
    ok "collection set red --max-tlp amber says how many are kept but not served" ||
    not_ok "collection set" "exit $rc: $(cat "$tmp/set")"
is "$(served_ids "$red" | tr '\n' ' ')" "" "red serves none of them now"
call "$api/$red/objects/$(tool_id 1)/"
expect_error 404 "GET tool 1 from red: 404"
"$cybex" export --quiet --collection red --output "$tmp/x2.json"
is "$("$jget" -n "$tmp/x2.json" /objects 2>/dev/null || echo 0)" 0 "cybex export --collection red: nothing"
"$cybex" export --collection red --ignore-tlp --output "$tmp/x3.json" 2>"$tmp/warn"
is "$("$jget" -n "$tmp/x3.json" /objects)" 4 "--ignore-tlp exports them"
grep -q "warning: --ignore-tlp" "$tmp/warn" && ok "...with a warning" ||
    not_ok "...with a warning" "$(cat "$tmp/warn")"
"$cybex" collection set red --max-tlp red 2>/dev/null
is "$(served_ids "$red" | wc -l)" 4 "raised again, red serves them again"

# ---- another collection's definitions never count (issue 25) ----
# shared's own statement marking; a writer to red stores a RED version of
# the same id there: shared's tool 5 must stay served.
MOWN=marking-definition--1a2b3c4d-0000-4000-8000-000000000024
envelope "$(md_stmt "$MOWN")" "$(tool 5 "$MOWN")" > "$tmp/e5"
add "$shared" "$tmp/e5"
is "$(jv /success_count)" 2 "shared takes its own statement marking and tool 5"
served_ids "$shared" | grep -qx "$(tool_id 5)" && ok "tool 5 is served" ||
    not_ok "tool 5 is served" "$(served_ids "$shared")"
printf '{"type":"marking-definition","spec_version":"2.1","id":"%s","created":"2021-01-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"mine"},"object_marking_refs":["%s"]}' \
    "$MOWN" "$RED2" > "$tmp/own_red"
envelope "$(cat "$tmp/own_red")" > "$tmp/e6"
add "$red" "$tmp/e6"
is "$(jv /success_count)" 1 "red stores a RED version of shared's marking-definition id"
served_ids "$shared" | grep -qx "$(tool_id 5)" && ok "shared still serves tool 5" ||
    not_ok "shared still serves tool 5" "$(served_ids "$shared")"
envelope "$(tool 6 "$MOWN")" > "$tmp/e7"
add "$shared" "$tmp/e7"
is "$(jv /success_count)" 1 "and still takes what references its own definition"
srv_stop tlp
tap_done
