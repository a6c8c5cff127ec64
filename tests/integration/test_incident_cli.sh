#!/bin/sh
# `cybex incident` end to end: open, triage, assign, note, task, link,
# refused changes (state machine, resolution, stale version, TLP), list
# with filters, show, merge, split, close, export accepted by `cybex
# validate` and read back by `cybex import` on another database.  Output is
# compared with golden files (tests/data/incident/*.exp): UUIDs are
# numbered in order of appearance, every change is made --at a fixed time.
# INCIDENT_BLESS=1 writes the golden files (review the diff).
# usage: test_incident_cli.sh CYBEX DATA_DIR
set -u
cybex=$1; data=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CYBEX_DB="$tmp/hub.db"
unset CYBEX_DATA_DIR

# Number the UUIDs of a file in order of first appearance.
norm() {
	# No interval expressions: mawk has none.
	awk '{
		out = ""
		while (match($0, /[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]/)) {
			u = substr($0, RSTART, RLENGTH)
			if (!(u in seen)) seen[u] = ++n
			out = out substr($0, 1, RSTART - 1) "UUID-" seen[u]
			$0 = substr($0, RSTART + RLENGTH)
		}
		print out $0
	}' "$1"
}
# golden NAME FILE: FILE (UUIDs numbered) is NAME.exp.
golden() {
	norm "$2" >"$2.n"
	[ -n "${INCIDENT_BLESS:-}" ] && cp "$2.n" "$data/$1.exp"
	if cmp -s "$data/$1.exp" "$2.n"; then ok "$1: output as $1.exp"
	else not_ok "$1: output as $1.exp" "$(diff "$data/$1.exp" "$2.n")"; fi
}
inc() { "$cybex" incident "$@"; }
log=$tmp/log

"$cybex" user add alice --no-password >/dev/null 2>&1
"$cybex" user add bob --no-password >/dev/null 2>&1
"$cybex" org add acme >/dev/null 2>&1
cat >"$tmp/ind.json" <<'J'
{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-12-01T09:00:00.000Z","modified":"2026-12-01T09:00:00.000Z","name":"evil.example","pattern":"[domain-name:value = 'evil.example']","pattern_type":"stix","valid_from":"2026-12-01T09:00:00Z","indicator_types":["malicious-activity"]}
J
check "an indicator is imported" "$cybex" import "$tmp/ind.json"
ind=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f
sig=sighting--1b1a0f4e-0a8e-4f0c-9d3e-3c1b2a4d5e6f
obs=ipv4-addr--3d3c2b6a-2cae-4b2e-9f5a-5e3d4c6f7081

for v in list show new update assign note task link merge split close export; do
	expect_exit 0 "incident $v --help" inc $v --help
done
expect_exit 2 "an unknown verb is a usage error" inc frobnicate

{
inc new --title "Phishing wave" --severity 3 --class fraud --type phishing \
    --org acme --at 2026-12-01T10:00:00Z --actor alice
inc new --title "Credential stuffing on VPN" --class intrusion-attempts \
    --type brute-force --at 2026-12-01T10:30:00Z --actor bob
} >"$log" 2>&1
a=$(inc list --text phishing --json | sed 's/.*"id":"\([^"]*\)".*/\1/')
b=$(inc list --text credential --json | sed 's/.*"id":"\([^"]*\)".*/\1/')
case $a$b in incident--*incident--*) ok "two incidents opened";;
*) not_ok "two incidents opened" "$(cat "$log")";; esac

{
inc update "$a" --status triage --at 2026-12-01T10:10:00Z --actor alice
inc assign "$a" bob --at 2026-12-01T10:11:00Z --actor alice
inc note "$a" "Mails from evil.example to 40 users" --at 2026-12-01T10:12:00Z \
    --actor alice
inc task "$a" add "Block the sender at the MTA" --assignee bob \
    --due 2026-12-01T12:00:00Z --at 2026-12-01T10:13:00Z --actor alice
inc task "$a" update 1 --status done --log "blocked" \
    --at 2026-12-01T10:40:00Z --actor bob
inc link "$a" "$ind" "$sig" "$obs" --at 2026-12-01T10:41:00Z --actor bob
inc update "$a" --status in-progress --at 2026-12-01T10:42:00Z --actor bob
} >>"$log" 2>&1
golden changes "$log"

: >"$tmp/err"
for args in "update $a --status triage" "update $a --status new" \
    "close $a" "close $a --resolution duplicate" \
    "update $a --class fraud --type scanner" "assign $a mallory" \
    "update $a --expect 2026-12-01T10:10:00.000000Z --severity 4" \
    "link $a $ind" "link $a not-an-id" "show incident--00000000-0000-4000-8000-000000000000"; do
	# shellcheck disable=SC2086
	inc $args --at 2026-12-01T10:50:00Z >>"$tmp/err" 2>&1
	echo "exit $?" >>"$tmp/err"
done
golden refused "$tmp/err"

inc list >"$tmp/list" 2>&1
inc list --status in-progress --json >>"$tmp/list" 2>&1
inc list --limit 1 >>"$tmp/list" 2>&1
inc list --assignee bob --org acme >>"$tmp/list" 2>&1
golden list "$tmp/list"
inc show "$a" >"$tmp/show" 2>&1
golden show "$tmp/show"

out=$(inc show "$a" --json)
case $out in *'"incident": {'*"\"id\": \"$a\""*'"phase_nist": '*'"timeline": ['*'"action": "note"'*)
	ok "show --json: the STIX object, phases, timeline";;
*) not_ok "show --json: the STIX object, phases, timeline" "$out";; esac
v=$(inc list --text phishing --json | sed 's/.*"version":"\([^"]*\)".*/\1/')
expect_exit 1 "linking one new and one linked object is refused" \
    inc link "$a" report--5a5b2c6d-3dbf-4c3f-8a6b-6f4e5d7a8192 "$ind" --expect "$v"
expect_exit 0 "... and wrote nothing: --expect the same version passes" \
    inc update "$a" --priority 1 --expect "$v" --at 2026-12-01T10:55:00Z
expect_exit 1 "... once: that version is stale now" \
    inc update "$a" --priority 2 --expect "$v" --at 2026-12-01T10:56:00Z

# Export: valid, read back elsewhere, TLP enforced.
expect_exit 0 "export --max-tlp amber" inc export "$a" --max-tlp amber -o "$tmp/a.json"
expect_exit 0 "the export is valid STIX" "$cybex" validate -q "$tmp/a.json"
out=$(CYBEX_DB="$tmp/other.db" "$cybex" import "$tmp/a.json" 2>&1); rc=$?
case $rc:$out in 0:*" 0 rejected"*) ok "another database imports the export";;
*) not_ok "another database imports the export" "$out";; esac
n=$(grep -c '"id": ' "$tmp/a.json")
[ "$n" -ge 9 ] && ok "the export holds incident, note, evidence, markings, definitions ($n ids)" ||
    not_ok "the export holds everything" "$(cat "$tmp/a.json")"
grep -q '"extension-definition--ef765651-680c-498d-9894-99799f2fa126"' "$tmp/a.json" &&
    grep -q '"type": "note"' "$tmp/a.json" && grep -q "\"$ind\"" "$tmp/a.json" &&
    ok "the export has the Incident Core definition, the note, the indicator" ||
    not_ok "the export has the Incident Core definition, the note, the indicator"
expect_exit 1 "an AMBER incident is not exported to a GREEN audience" \
    inc export "$a" --max-tlp green

# Merge b into a, split the observable off, close the split-off one.
{
inc merge "$a" "$b" --at 2026-12-01T11:00:00Z --actor alice
inc split "$a" "$obs" --title "Scanning from the same host" \
    --at 2026-12-01T11:05:00Z --actor alice
} >"$log" 2>&1
c=$(inc list --text scanning --json | sed 's/.*"id":"\([^"]*\)".*/\1/')
inc close "$c" --resolution false-positive --at 2026-12-01T11:10:00Z \
    --actor alice >>"$log" 2>&1
inc update "$c" --status triage --at 2026-12-01T11:20:00Z --actor alice \
    >>"$log" 2>&1
inc show "$a" >>"$log" 2>&1
inc show "$b" >>"$log" 2>&1
inc show "$c" >>"$log" 2>&1
golden merge-split "$log"

tap_done
