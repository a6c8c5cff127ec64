#!/bin/bash
# An incident's TLP on every way out: a TLP:RED (and an AMBER) incident of
# acme is invisible outside acme's members and the hub admins through
# every route that reads incidents (list, with every filter; get;
# timeline; export; the actions, which answer 404 as for no incident),
# an escalated alert is never below the alert's level, an export stays
# within the caller's audience, and TAXII never serves the incidents
# collection to a non-admin, even when it was granted.
# usage: test_incident_tlp.sh CYBEX CONFORMANCE_DIR JGET ALERT_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/incident_lib.sh"

inc_setup
srv_start inctlp || { tap_done; exit 1; }

inc_new '{"title":"Operation Nightjar","org":"acme","tlp":"red","class":"fraud","type":"phishing","severity":4}'
red=$inc_id
inc_new '{"title":"Amber matter","org":"acme","tlp":"amber"}'; amber=$inc_id
inc_new '{"title":"Green scan","org":"acme","tlp":"green"}'; green=$inc_id
as root
api POST "incidents/$red/notes" '{"text":"the CFO is the target"}'
api POST "incidents/$red/evidence" '{"refs":["indicator--11111111-1111-4111-8111-111111111111"]}'
[ "$code" = 200 ] && ok "the RED incident has a note and evidence" || not_ok "RED incident set up" "$(cat "$tmp/b")"

has() {	# does the last list answer hold incident $1?
	"$jget" -c "$tmp/b" /incidents id | grep -qx "$1"
}
# Outside acme: beo (analyst of beta).  Every list, every filter.
as beo
for q in "" "?org=acme" "?org=acme&status=new" "?org=acme&severity=4" \
    "?org=acme&class=fraud" "?org=acme&q=Nightjar" "?org=acme&open=true" \
    "?org=acme&limit=1"; do
	api GET "incidents$q"
	if [ "$code" = 200 ] && ! has "$red" && ! has "$amber"; then
		ok "list$q as beta: neither the RED nor the AMBER incident"
	else
		not_ok "list$q as beta: neither the RED nor the AMBER incident" "HTTP $code $(head -c 600 "$tmp/b")"
	fi
done
api GET "incidents?org=acme"
has "$green" && ok "list?org=acme as beta: the GREEN incident" ||
    not_ok "list?org=acme as beta: the GREEN incident" "$(head -c 600 "$tmp/b")"
for id in "$red" "$amber"; do
	for p in "" /timeline /export "/export?max_tlp=red"; do
		api GET "incidents/$id$p"
		if [ "$code" = 404 ] && ! grep -q "Nightjar\|CFO\|Amber matter" "$tmp/b"; then
			ok "GET incidents/$(echo "$id" | cut -c1-14)..$p as beta: 404, nothing of it"
		else
			not_ok "GET $id$p as beta: 404" "HTTP $code $(head -c 300 "$tmp/b")"
		fi
	done
done
api POST "incidents/$red/notes" '{"text":"hello"}'
expect_code 404 "a note on the RED incident as beta: 404"
api PATCH "incidents/$red" '{"title":"x"}' "$(etag_of "$red")"
expect_code 404 "a change of the RED incident as beta: 404"
api POST "incidents/$red/split" '{"refs":["indicator--11111111-1111-4111-8111-111111111111"]}'
expect_code 404 "a split of the RED incident as beta: 404"
# A lead of beta cannot merge acme's RED incident away into its own.
inc_new '{"title":"Beta case","org":"beta"}'; beta=$inc_id
"$cybex" org member beta beo --role lead 2>>"$tmp/setup"
as beo; api POST "incidents/$beta/merge" "{\"from\":\"$red\"}"
expect_code 404 "merging the RED incident into a beta incident as beta's lead: 404"
# Nobody of no organization sees anything.
as nob; api GET incidents
expect_code 403 "list as a user of no organization: 403"
as nob; api GET "incidents/$red"
expect_code 403 "get as a user of no organization: 403"

# Inside: acme's read-only member reads all of it; admins too.
for u in ro root; do
	as "$u"; api GET incidents
	has "$red" && has "$amber" && ok "list as $u: the RED and AMBER incidents" ||
	    not_ok "list as $u: the RED and AMBER incidents" "$(head -c 600 "$tmp/b")"
	api GET "incidents/$red"
	[ "$code" = 200 ] && [ "$(jv /tlp)" = red ] && ok "get as $u: the RED incident" ||
	    not_ok "get as $u: the RED incident" "HTTP $code $(head -c 300 "$tmp/b")"
	api GET "incidents/$red/timeline"
	[ "$code" = 200 ] && grep -q "the CFO is the target" "$tmp/b" &&
	    ok "timeline as $u: with the note" || not_ok "timeline as $u" "HTTP $code $(head -c 300 "$tmp/b")"
done
# Export: the audience is the caller's; below the incident's TLP it is refused.
as ana; api GET "incidents/$red/export"
[ "$code" = 200 ] && grep -q "$red" "$tmp/b" && [ "$(hdr Content-Type)" = "application/stix+json;version=2.1" ] &&
    ok "export as acme's analyst: the RED incident's bundle" || not_ok "export as acme's analyst" "HTTP $code $(head -c 300 "$tmp/b")"
as ana; api GET "incidents/$red/export?max_tlp=amber"
expect_code 403 "export of the RED incident for an AMBER audience: 403"
# Linked objects come only from collections the caller may read.
"$cybex" collection add --alias secret --title "admins only" --max-tlp amber >/dev/null 2>>"$tmp/setup"
"$cybex" collection grant default --user ana --read 2>>"$tmp/setup"
cat > "$tmp/sec.json" <<EOT
{"type":"indicator","spec_version":"2.1","id":"indicator--44444444-4444-4444-8444-444444444444","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"secret source Kestrel","pattern":"[ipv4-addr:value = '203.0.113.7']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}
EOT
cat > "$tmp/pub.json" <<EOT
{"type":"indicator","spec_version":"2.1","id":"indicator--55555555-5555-4555-8555-555555555555","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"public scanner Wren","pattern":"[ipv4-addr:value = '203.0.113.8']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}
EOT
"$cybex" import --quiet --collection secret "$tmp/sec.json" 2>>"$tmp/setup"
"$cybex" import --quiet "$tmp/pub.json" 2>>"$tmp/setup"
as root; api POST "incidents/$amber/evidence" '{"refs":["indicator--44444444-4444-4444-8444-444444444444","indicator--55555555-5555-4555-8555-555555555555"]}'
as ana; api GET "incidents/$amber/export"
if [ "$code" = 200 ] && ! grep -q Kestrel "$tmp/b" && grep -q Wren "$tmp/b" && [ "$(hdr X-Cybex-Withheld)" = 1 ]; then
	ok "export as acme's analyst: the object of a collection it may not read is withheld"
else
	not_ok "export as acme's analyst: withheld" "HTTP $code withheld=$(hdr X-Cybex-Withheld) $(grep -o 'Kestrel\|Wren' "$tmp/b" | tr '\n' ' ')"
fi
as root; api GET "incidents/$amber/export"
[ "$code" = 200 ] && grep -q Kestrel "$tmp/b" && grep -q Wren "$tmp/b" && [ "$(hdr X-Cybex-Withheld)" = 0 ] &&
    ok "export as admin: both objects" || not_ok "export as admin: both" "HTTP $code $(hdr X-Cybex-Withheld)"
# An escalated alert keeps its level.
ralert=$("$fixture" "$db" acme red-key red 2>>"$tmp/setup")
as ana; api POST "alerts/$ralert/escalate" '{"tlp":"green"}'
[ "$code" = 201 ] && [ "$(jv /tlp)" = red ] && ok "an escalated RED alert is a RED incident" ||
    not_ok "an escalated RED alert is a RED incident" "HTTP $code $(head -c 300 "$tmp/b")"
esc=$(jv /id)
as beo; api GET "incidents/$esc"
expect_code 404 "... which beta does not see"
as beo; api GET "alerts/$ralert"
expect_code 404 "... nor the alert"

# TAXII: the incidents collection, even granted, is for admins only.
"$cybex" collection grant incidents --user beo --read 2>>"$tmp/setup"
"$cybex" collection grant incidents --user ro --read 2>>"$tmp/setup"
icoll=$("$cybex" collection list --json 2>/dev/null | sed -n 's/.*"id":"\([^"]*\)".*"alias":"incidents".*/\1/p')
[ -n "$icoll" ] && ok "the incidents collection exists ($icoll)" || not_ok "the incidents collection exists"
for u in beo ro; do
	as "$u"
	call -H "Accept: $TAXII" "$url/api1/collections/"
	if [ "$code" = 200 ] && ! grep -q "$icoll" "$tmp/b"; then
		ok "TAXII collections as $u: the incidents collection is not listed"
	else
		not_ok "TAXII collections as $u: not listed" "HTTP $code $(head -c 400 "$tmp/b")"
	fi
	for p in "" objects/ manifest/ "objects/$red/" "objects/$red/versions/"; do
		call -H "Accept: $TAXII" "$url/api1/collections/$icoll/$p"
		if [ "$code" = 404 ] && ! grep -q "Nightjar" "$tmp/b"; then
			ok "TAXII collections/incidents/$p as $u: 404"
		else
			not_ok "TAXII collections/incidents/$p as $u: 404" "HTTP $code $(head -c 300 "$tmp/b")"
		fi
	done
	call -X POST -H "Accept: $TAXII" -H "Content-Type: $TAXII" \
	    --data-binary '{"objects":[]}' "$url/api1/collections/$icoll/objects/"
	expect_code 404 "TAXII add objects to the incidents collection as $u: 404"
done
as root
call -H "Accept: $TAXII" "$url/api1/collections/$icoll/objects/$red/"
[ "$code" = 200 ] && grep -q Nightjar "$tmp/b" && ok "TAXII: an admin reads the RED incident" ||
    not_ok "TAXII: an admin reads the RED incident" "HTTP $code $(head -c 300 "$tmp/b")"
srv_stop
tap_done
