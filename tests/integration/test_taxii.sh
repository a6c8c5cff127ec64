#!/bin/bash
# `cybex serve` end to end over HTTP: every TAXII 2.1 endpoint, every
# filter, paging (also while objects are being added), the date headers,
# content negotiation, every error code with its TAXII error body, the
# limits (body, objects, connections per client, slow clients), SIGHUP
# reopening the access log, no secret in any log line, and a clean stop.
# usage: test_taxii.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

pw_admin='admin-Secret-2718'; pw_alice='alice-Secret-3141'
pw_bob='bob-Secret-16180'; pw_carol='carol-Secret-1414'
as() {
	case $1 in
	anon) AUTH=() ;;
	admin) AUTH=(-H "Authorization: Bearer $tok_admin") ;;
	alice) AUTH=(-H "Authorization: Bearer $tok_alice") ;;
	bob) AUTH=(-u "bob:$pw_bob") ;;
	carol) AUTH=(-u "carol:$pw_carol") ;;
	esac
}

# ---- accounts, collections, grants ----
setup=""
for u in admin alice bob carol; do
	pw=pw_$u
	extra=(); [ "$u" = admin ] && extra=(--admin)
	"$cybex" user add "$u" "${extra[@]}" --password "${!pw}" 2>>"$tmp/setup" ||
	    setup="$setup user:$u"
done
c1=$("$cybex" collection add --title Main --alias main 2>>"$tmp/setup") || setup="$setup main"
c2=$("$cybex" collection add --title Other --alias other 2>>"$tmp/setup") || setup="$setup other"
c3=$("$cybex" collection add --title Bulk --alias bulk 2>>"$tmp/setup") || setup="$setup bulk"
c4=$("$cybex" collection add --title Paging --alias paging 2>>"$tmp/setup") || setup="$setup paging"
grant "$c1" --user alice --read --write 2>>"$tmp/setup" || setup="$setup grant1"
grant "$c1" --user bob --read 2>>"$tmp/setup" || setup="$setup grant2"
grant "$c2" --user bob --write 2>>"$tmp/setup" || setup="$setup grant3"
grant "$c3" --user alice --read --write 2>>"$tmp/setup" || setup="$setup grant4"
grant "$c4" --user alice --read --write 2>>"$tmp/setup" || setup="$setup grant5"
tok_alice=$("$cybex" token create alice --name tests 2>>"$tmp/setup") || setup="$setup token1"
tok_admin=$("$cybex" token create admin --name tests 2>>"$tmp/setup") || setup="$setup token2"
[ -z "$setup" ] && ok "users, collections, grants and tokens set up with the CLI" ||
    not_ok "users, collections, grants and tokens set up with the CLI" "$setup: $(cat "$tmp/setup")"

srv_start main --access-log "$tmp/access.log" --title "Test Hub" \
    --contact soc@example.org --max-body 2M --max-objects 5000 \
    --page-size 4 --max-page-size 5 --request-timeout 2 \
    --max-connections-per-ip 3 || { tap_done; exit 1; }
ok "server listens on 127.0.0.1, port $srv_port read from its log"
coll=$url/api1/collections

# ---- discovery, API root ----
as alice; call "$url/taxii2/"
expect_code 200 "discovery"
is "$(hdr Content-Type)" "$TAXII" "discovery is TAXII 2.1 JSON"
is "$(jv /title)" "Test Hub" "discovery title is --title"
is "$(jv /contact)" "soc@example.org" "discovery contact is --contact"
is "$(jv /default)" "$url/api1/" "discovery names api1 the default"
is "$(jv /api_roots)" "[\"$url/api1/\"]" "discovery lists the API roots"
call "$url/api1/"
expect_code 200 "API root information"
is "$(jv /versions/0)" "$TAXII" "API root versions"
is "$(jv /max_content_length)" 2097152 "API root max_content_length is --max-body"
[ -n "$(jv /title)" ] && ok "API root has a title" || not_ok "API root has a title"
call "$url/nope/"
expect_error 404 "an unknown API root is 404"

# ---- collections: only what the caller may see, with its rights ----
rights() {	# the "id:can_read:can_write" of each listed collection, sorted
	local i n
	n=$("$jget" -n "$tmp/b" /collections)
	for ((i = 0; i < n; i++)); do
		echo "$(jv /collections/$i/id):$(jv /collections/$i/can_read):$(jv /collections/$i/can_write)"
	done | sort | tr '\n' ' '
}
as alice; call "$coll/"
expect_code 200 "collections"
is "$(rights)" "$(printf '%s\n' "$c1:true:true" "$c3:true:true" "$c4:true:true" | sort | tr '\n' ' ')" \
    "alice sees her three collections, read and write"
as bob; call "$coll/"
is "$(rights)" "$(printf '%s\n' "$c1:true:false" "$c2:false:true" | sort | tr '\n' ' ')" \
    "bob sees one to read, one to write"
as carol; call "$coll/"
expect_code 200 "collections without any permission"
is "$(cat "$tmp/b")" "{}" "carol sees no collection (an empty resource)"
as admin; call "$coll/"
is "$("$jget" -n "$tmp/b" /collections)" 5 "the administrator sees all five (with default)"

as bob; call "$coll/$c1/"
expect_code 200 "a collection"
is "$(jv /id) $(jv /title) $(jv /can_read) $(jv /can_write)" "$c1 Main true false" \
    "collection resource: id, title, can_read, can_write of the caller"
is "$(jv /media_types/0)" "application/stix+json;version=2.1" "collection media_types"
as carol; call "$coll/$c1/"
expect_error 404 "a collection the caller may not see is 404"
as alice; call "$coll/main/"
expect_error 404 "collections are named by id, not alias"
call "$coll/00000000-0000-4000-8000-000000000000/"
expect_error 404 "an unknown collection is 404"

# ---- add objects: 202 and a status; then readable ----
v1=2020-01-01T00:00:00.000Z; v2=2020-02-01T00:00:00.000Z; v3=2020-03-01T00:00:00.000Z
i1=$(ident_id 1); i2=$(ident_id 2); i5=$(ident_id 5)
ind3=indicator--00000000-0000-4000-8000-000000000003
mal4=malware--00000000-0000-4000-8000-000000000004
o_ind3="{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"$ind3\",\"created\":\"$v1\",\"modified\":\"$v1\",\"name\":\"bad address\",\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\",\"pattern_type\":\"stix\",\"valid_from\":\"2020-01-01T00:00:00Z\"}"
# STIX 2.0 style: no spec_version.
o_mal4="{\"type\":\"malware\",\"id\":\"$mal4\",\"created\":\"$v1\",\"modified\":\"$v1\",\"name\":\"old style\",\"is_family\":false}"
o_bad="{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"$(ident_id 6)\",\"created\":\"$v1\",\"modified\":\"$v1\"}"
good=("$(ident 1 $v1)" "$(ident 2 $v1)" "$o_ind3" "$o_mal4" "$(ident 1 $v2)" \
    "$(ident 1 $v3)" "$(ident 5 $v1)")
envelope "${good[@]}" > "$tmp/good.json"
envelope "${good[@]:0:4}" "$o_bad" "${good[@]:4}" "$(ident 2 $v1 'a different name')" > "$tmp/post1.json"
as alice
call -H "Content-Type: $TAXII" --data-binary @"$tmp/post1.json" "$coll/$c1/objects/"
expect_code 202 "add objects: 202 Accepted"
is "$(hdr Content-Type)" "$TAXII" "the status is TAXII 2.1 JSON"
st1=$(jv /id)
is "$(jv /status) $(jv /total_count) $(jv /pending_count)" "pending 9 9" \
    "the answer is a pending status for the 9 objects"
is "$("$jget" -n "$tmp/b" /pendings)" 9 "...listing the 9 pending"
if wait_status "$st1"; then ok "the status becomes complete"
else not_ok "the status becomes complete" "$(cat "$tmp/b")"; fi
is "$(jv /success_count) $(jv /failure_count) $(jv /pending_count)" "7 2 0" \
    "7 stored, 2 failed, none pending"
is "$(col /successes id | tr ' ' '\n' | sort -u | tr '\n' ' ')" "$i1 $i2 $i5 $ind3 $mal4 " \
    "successes name the stored objects"
[ "$(jv /successes/0/version)" = "$v1" ] && ok "successes carry the version" ||
    not_ok "successes carry the version" "$(cat "$tmp/b")"
case $(col /failures message) in
*"'name'"*) ok "the invalid object failed, and the reason names the missing property" ;;
*) not_ok "the invalid object failed, and the reason names the missing property" "$(cat "$tmp/b")" ;;
esac
is "$(jv /failures/0/id)" "$(ident_id 6)" "the invalid object is the first failure"
is "$(jv /failures/1/id)" "$i2" "the conflicting second copy of $i2 failed"
[ -n "$(jv /failures/1/message)" ] && ok "...with a reason" || not_ok "...with a reason"
as bob; call "$url/api1/status/$st1/"
expect_error 404 "someone else's status is 404"
as admin; call "$url/api1/status/$st1/"
expect_code 200 "the administrator reads any status"
as alice; call "$url/api1/status/00000000-0000-4000-8000-000000000000/"
expect_error 404 "an unknown status is 404"
call "$coll/$c1/objects/?match[version]=all"
expect_code 200 "get objects"
walk "$coll/$c1/objects/?match[version]=all"; walk_envelope "$tmp/got.json"
if out=$("$jget" -s "$tmp/good.json" /objects "$tmp/got.json" /objects); then
	ok "the 7 stored objects (all versions) come back, JSON-equal"
else not_ok "the 7 stored objects (all versions) come back, JSON-equal" "$out"; fi
is "$npages $(jv /more)" "2 false" "two pages (--page-size 4): the last has more false"
is "$("$jget" -t "$tmp/b" /next)" absent "no next on the last page"

# Pending, then complete: a small request queued behind a large one.
awk 'BEGIN { printf "{\"objects\":["; for (i = 1; i <= 4000; i++)
	printf "%s{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--00000000-0000-4000-9000-%012d\",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"bulk %d\"}", (i > 1 ? "," : ""), i, i
	printf "]}" }' > "$tmp/bulk.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/bulk.json" "$coll/$c3/objects/"
expect_code 202 "a 4000-object request is accepted"
stbulk=$(jv /id)
envelope "$(ident 7 $v1)" > "$tmp/small.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$coll/$c3/objects/"
stsmall=$(jv /id)
# The 202 answer is the status as it was queued (reading it later races
# with the worker, which may already have finished both).
is "$code $(jv /status) $(jv /pending_count) $(jv /success_count)" "202 pending 1 0" \
    "a request queued behind it is answered pending, with its pending count"
call "$url/api1/status/$stsmall/"
case "$code $(jv /status)" in "200 pending"|"200 complete") ok "...and its status can be read while it runs";;
*) not_ok "...and its status can be read while it runs" "$code $(cat "$tmp/b")";; esac
wait_status "$stbulk" && is "$(jv /success_count) $(jv /pending_count)" "4000 0" \
    "the large request completes: 4000 stored" ||
    not_ok "the large request completes" "$(cat "$tmp/b")"
wait_status "$stsmall" && is "$(jv /success_count)" 1 "then the small one completes" ||
    not_ok "then the small one completes" "$(cat "$tmp/b")"

# ---- get an object, versions, manifest ----
call "$coll/$c1/objects/$i1/"
expect_code 200 "get an object"
is "$(col /objects modified)" "$v3" "get an object: its last version"
call "$coll/$c1/objects/$i1/?match[version]=all"
is "$(col /objects modified)" "$v1 $v2 $v3" "get an object, match[version]=all: every version, oldest first"
call "$coll/$c1/objects/$(ident_id 99)/"
expect_error 404 "get an unknown object is 404"
call "$coll/$c1/objects/$i1/versions/"
expect_code 200 "object versions"
is "$(jv /versions)" "[\"$v1\",\"$v2\",\"$v3\"]" "versions lists the three, oldest first"
is "$(jv /more)" false "versions: more is false"
call "$coll/$c1/objects/$(ident_id 99)/versions/"
expect_error 404 "versions of an unknown object is 404"
call "$coll/$c1/manifest/?limit=5"
expect_code 200 "manifest"
is "$(col /objects id)" "$i2 $ind3 $mal4 $i1 $i5" \
    "manifest: one record per object (last version), in date_added order"
is "$(jv /objects/3/version) $(jv /objects/3/media_type)" "$v3 application/stix+json;version=2.1" \
    "a manifest record has version and media_type"
[ -n "$(jv /objects/3/date_added)" ] && ok "a manifest record has date_added" ||
    not_ok "a manifest record has date_added"

# The full manifest (every version, in date_added order) for what follows.
walk "$coll/$c1/manifest/?match[version]=all"
walk_col id > "$tmp/m.ids"; walk_col date_added > "$tmp/m.added"; walk_col version > "$tmp/m.ver"
is "$(tr '\n' ' ' < "$tmp/m.ids")" "$i1 $i2 $ind3 $mal4 $i1 $i1 $i5 " \
    "manifest of every version: in the order they were added"
sort -c "$tmp/m.added" 2>/dev/null && [ "$(sort -u "$tmp/m.added" | wc -l)" -eq 7 ] &&
    ok "date_added strictly increases" || not_ok "date_added strictly increases" "$(cat "$tmp/m.added")"

# ---- filters ----
call "$coll/$c1/objects/?added_after=$(sed -n 4p "$tmp/m.added")&match[version]=all"
is "$(col /objects id)" "$i1 $i1 $i5" "added_after: only what was added later"
call "$coll/$c1/manifest/?added_after=$(sed -n 7p "$tmp/m.added")"
is "$code $(cat "$tmp/b")" '200 {"more":false}' "added_after the last: an empty page"
call "$coll/$c1/objects/?match[id]=$i5,$ind3"
is "$(col /objects id)" "$ind3 $i5" "match[id] with two ids"
call "$coll/$c1/objects/?match[id]=$i1"
is "$(col /objects modified)" "$v3" "match[id]: the last version by default"
call "$coll/$c1/objects/?match[type]=indicator,malware"
is "$(col /objects id)" "$ind3 $mal4" "match[type] with two types"
call "$coll/$c1/manifest/?match[type]=identity"
is "$(col /objects id)" "$i2 $i1 $i5" "match[type]=identity on the manifest"
call "$coll/$c1/objects/?match[type]=identity&match[id]=$i2,$ind3"
is "$(col /objects id)" "$i2" "match[type] and match[id] together"
for spec in "first|$v1" "last|$v3" "all|$v1 $v2 $v3" "$v2|$v2" "first,last|$v1 $v3" \
    "first,$v2|$v1 $v2" "$v1,$v3|$v1 $v3" "last,$v3|$v3" "all,first|$v1 $v2 $v3" \
    "2021-01-01T00:00:00.000Z|"; do
	mv=${spec%%|*}; want=${spec#*|}
	call "$coll/$c1/objects/?match[id]=$i1&match[version]=$mv"
	is "$code $(col /objects modified)" "200 $want" "match[version]=$mv"
done
call "$coll/$c1/manifest/?match[version]=first&match[type]=identity"
is "$(col /objects version | tr ' ' '\n' | sort -u | tr '\n' ' ')" "$v1 " \
    "match[version]=first on the manifest"
call "$coll/$c1/objects/?match[spec_version]=2.0"
is "$(col /objects id)" "$mal4" "match[spec_version]=2.0: the object without spec_version"
call "$coll/$c1/objects/?match[spec_version]=2.1"
is "$(col /objects id)" "$i2 $ind3 $i1 $i5" "match[spec_version]=2.1"
call "$coll/$c1/objects/?match[spec_version]=2.0,2.1&limit=5"
is "$("$jget" -n "$tmp/b" /objects)" 5 "match[spec_version]=2.0,2.1: all five"
call "$coll/$c1/objects/?match[spec_version]=2.1&match[version]=all&match[type]=identity&limit=5"
is "$("$jget" -n "$tmp/b" /objects)" 5 "spec_version, version and type together"

# ---- limit, paging, the date headers ----
call "$coll/$c1/objects/?limit=2&match[version]=all"
is "$("$jget" -n "$tmp/b" /objects) $(jv /more) $("$jget" -t "$tmp/b" /next)" "2 true string" \
    "limit=2: two objects, more, and a next"
call "$coll/$c1/objects/?limit=100&match[version]=all"
is "$("$jget" -n "$tmp/b" /objects) $(jv /more)" "5 true" "limit above --max-page-size is clamped to 5"
call "$coll/$c1/objects/?match[version]=all"
is "$("$jget" -n "$tmp/b" /objects) $(jv /more)" "4 true" "no limit: --page-size (4)"
walk "$coll/$c1/objects/?limit=2&match[version]=all"
is "$npages" 4 "next: 7 versions in pages of 2 are 4 pages"
is "$(for f in "$tmp"/page.[123]; do "$jget" "$f" /more; "$jget" -t "$f" /next; done | tr '\n' ' ')" \
    "true string true string true string " "every page but the last has more and next"
is "$("$jget" "$tmp/page.4" /more) $("$jget" -t "$tmp/page.4" /next)" "false absent" \
    "the last page: more false, no next"
is "$(walk_col modified | tr '\n' ' ')" "$v1 $v1 $v1 $v1 $v2 $v3 $v1 " "the pages in date_added order"
is "$(walk_col id | tr '\n' ' ')" "$(tr '\n' ' ' < "$tmp/m.ids")" \
    "the pages together: every version once, as in the manifest"
walk "$coll/$c1/manifest/?limit=3&match[version]=all&match[type]=identity"
is "$(walk_col id | tr '\n' ' ')" "$i1 $i2 $i1 $i1 $i5 " "manifest paging with filters"
call "$coll/$c1/objects/?next=bogus"
expect_error 400 "a next the server did not give is 400"

# X-TAXII-Date-Added-First/Last against the manifest, page by page.
hdrs_ok=""; next=""
for p in 1 2 3; do
	if [ -z "$next" ]; then call "$coll/$c1/objects/?limit=3&match[version]=all"
	else call -G --data-urlencode "next=$next" "$coll/$c1/objects/?limit=3&match[version]=all"; fi
	first=$(hdr X-TAXII-Date-Added-First); last=$(hdr X-TAXII-Date-Added-Last)
	next=$(jv /next)
	n=$("$jget" -n "$tmp/b" /objects)
	k=$(( (p - 1) * 3 + 1 ))
	want_first=$(sed -n "${k}p" "$tmp/m.added"); want_last=$(sed -n "$((k + n - 1))p" "$tmp/m.added")
	[ "$first" = "$want_first" ] && [ "$last" = "$want_last" ] && [ -n "$first" ] ||
	    hdrs_ok="$hdrs_ok page $p: First '$first' Last '$last', wanted '$want_first' '$want_last';"
done
[ -z "$hdrs_ok" ] && ok "X-TAXII-Date-Added-First/Last of each objects page are its first and last date_added" ||
    not_ok "X-TAXII-Date-Added-First/Last of each objects page" "$hdrs_ok"
call "$coll/$c1/manifest/?limit=2&match[version]=all"
is "$(hdr X-TAXII-Date-Added-First) $(hdr X-TAXII-Date-Added-Last)" "$(jv /objects/0/date_added) $(jv /objects/-1/date_added)" \
    "the manifest's date headers match its records"
call "$coll/$c1/objects/$i1/versions/"
is "$(hdr X-TAXII-Date-Added-First) $(hdr X-TAXII-Date-Added-Last)" "$(sed -n 1p "$tmp/m.added") $(sed -n 6p "$tmp/m.added")" \
    "the versions' date headers"
call "$coll/$c1/manifest/?added_after=$(sed -n 7p "$tmp/m.added")"
is "$(hdr X-TAXII-Date-Added-First)" "" "an empty page has no date headers"

# Paging while objects are being added between pages: each seen once.
objs=(); for i in 1 2 3 4 5 6; do objs+=("$(ident $((100 + i)) $v1)"); done
envelope "${objs[@]}" > "$tmp/p0.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/p0.json" "$coll/$c4/objects/"
wait_status "$(jv /id)" || not_ok "paging collection filled" "$(cat "$tmp/b")"
seen=""; next=""; added=0; pages=0
while [ "$pages" -lt 30 ]; do
	if [ -z "$next" ]; then call "$coll/$c4/objects/?limit=2"
	else call -G --data-urlencode "next=$next" "$coll/$c4/objects/?limit=2"; fi
	[ "$code" = 200 ] || break
	pages=$((pages + 1))
	seen="$seen $(col /objects id)"
	more=$(jv /more); next=$(jv /next)
	if [ "$added" -lt 3 ]; then	# two more objects after each of the first pages
		envelope "$(ident $((200 + 2 * added)) $v1)" "$(ident $((201 + 2 * added)) $v1)" > "$tmp/pn.json"
		call -H "Content-Type: $TAXII" --data-binary @"$tmp/pn.json" "$coll/$c4/objects/"
		wait_status "$(jv /id)" || break
		added=$((added + 1))
	fi
	[ "$more" = true ] || break
done
walk "$coll/$c4/manifest/"
is "$(echo $seen)" "$(walk_col id | tr '\n' ' ' | sed 's/ $//')" \
    "paging while objects are added: all 12 seen once each, in date_added order"
is "$(echo $seen | wc -w) $(echo $seen | tr ' ' '\n' | sort -u | wc -l)" "12 12" \
    "...12 objects, no repeats"

# ---- content negotiation ----
as alice
call -H "Accept: text/html" "$url/taxii2/"
expect_error 406 "Accept: text/html is 406"
call -H "Accept: application/taxii+json;version=2.0" "$url/taxii2/"
expect_error 406 "Accept: TAXII 2.0 is 406"
call -H "Accept: */*" "$url/taxii2/"
expect_code 200 "Accept: */* is 200"
call -H "Accept: $TAXII" "$coll/$c1/objects/"
expect_code 200 "Accept: $TAXII is 200"
call -H "Accept: text/html, application/taxii+json;version=2.1;q=0.9" "$url/api1/"
expect_code 200 "Accept with TAXII 2.1 among others is 200"
call -H "Content-Type: application/json" --data-binary @"$tmp/small.json" "$coll/$c1/objects/"
expect_error 415 "add objects as application/json is 415"
call -H "Content-Type: $TAXII" --data-binary '{"objects":[]}' "$coll/$c1/objects/"
expect_code 202 "an empty envelope is accepted"
is "$(jv /status) $(jv /total_count)" "complete 0" "...and complete at once"

# ---- errors, each with a TAXII error body ----
alive() {	# the server still answers after a refusal
	local saved=("${AUTH[@]}") try
	# Closed connections are counted out asynchronously: allow a moment.
	as alice
	for try in 1 2 3 4 5 6 7 8 9 10; do
		call "$url/taxii2/"
		[ "$code" = 200 ] && break
		sleep 0.2
	done
	[ "$code" = 200 ] && ok "$1; then the server still answers" ||
	    not_ok "$1; then the server still answers" "HTTP $code"
	AUTH=("${saved[@]}")
}
call "$coll/$c1/objects/?added_after=yesterday"
expect_error 400 "400: added_after that is not a timestamp"
for l in abc 0 -1 2x; do
	call "$coll/$c1/objects/?limit=$l"
	expect_error 400 "400: limit=$l"
done
call "$coll/$c1/objects/?match[version]=newest"
expect_error 400 "400: match[version]=newest"
call "$coll/$c1/manifest/?match[id]="
expect_error 400 "400: an empty match[id]"
printf '{\n"objects": [\n{"type": "identity",}\n]}' > "$tmp/broken.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/broken.json" "$coll/$c1/objects/"
expect_error 400 "400: malformed JSON body"
case $(jv /description) in
3:[0-9]*:*) ok "...its description has line:col (3:N)" ;;
*) not_ok "...its description has line:col (3:N)" "$(jv /description)" ;;
esac
call -H "Content-Type: $TAXII" --data-binary "$(ident 1 $v1)" "$coll/$c1/objects/"
expect_error 400 "400: a bare object instead of an envelope"
alive "after the 400s"

as anon; call "$coll/$c1/objects/"
expect_error 401 "401 without credentials"
case $(hdr WWW-Authenticate) in
*Basic*Bearer*) ok "401 has WWW-Authenticate: Basic and Bearer" ;;
*) not_ok "401 has WWW-Authenticate: Basic and Bearer" "$(cat "$tmp/h")" ;;
esac
AUTH=(-u "alice:wrong-Password-27"); call "$url/taxii2/"
expect_error 401 "401 for a wrong password"
AUTH=(-H "Authorization: Bearer cybex_notatokenatall"); call "$url/taxii2/"
expect_error 401 "401 for an unknown token"
AUTH=(-H "Authorization: Negotiate abc"); call "$url/taxii2/"
expect_error 401 "401 for an unsupported scheme"
as bob; call -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$coll/$c1/objects/"
expect_error 403 "403: a reader adds objects"
as bob; call "$coll/$c2/objects/"
expect_error 403 "403: a writer reads"
as alice; call "$url/api1/nothing/"
expect_error 404 "404: an unknown path"
call "$url/"
expect_error 404 "404: /"
call -X PUT "$url/taxii2/"
expect_error 405 "405: PUT discovery"
is "$(hdr Allow)" "GET" "...with Allow: GET"
call -X DELETE "$coll/$c1/objects/"
expect_error 405 "405: DELETE objects"
is "$(hdr Allow)" "GET, POST" "...with Allow: GET, POST"
call -X POST -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$coll/$c1/objects/$i1/"
expect_error 405 "405: POST to an object"
is "$(hdr Allow)" "GET, DELETE" "...with Allow: GET, DELETE"
call -X POST "$coll/$c1/manifest/"
expect_error 405 "405: POST manifest"
alive "after 401, 403, 404, 405"

head -c $((2 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' > "$tmp/huge.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/huge.json" "$coll/$c1/objects/"
expect_error 413 "413: a body one byte over --max-body"
alive "after 413 (Content-Length)"
call -H "Content-Type: $TAXII" -H "Transfer-Encoding: chunked" --data-binary @"$tmp/huge.json" "$coll/$c1/objects/"
expect_error 413 "413: a chunked body over --max-body"
alive "after 413 (chunked)"
awk 'BEGIN { printf "{\"objects\":["; for (i = 1; i <= 5001; i++)
	printf "%s{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--00000000-0000-4000-b000-%012d\",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"n\"}", (i > 1 ? "," : ""), i
	printf "]}" }' > "$tmp/many.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/many.json" "$coll/$c1/objects/"
expect_error 413 "413: 5001 objects, over --max-objects"
call "$coll/$c1/objects/?match[id]=identity--00000000-0000-4000-b000-000000000001"
is "$code $(cat "$tmp/b")" '200 {"more":false}' "...and none of them was stored"
alive "after 413 (objects)"

call -H "X-Padding: $(head -c 40000 /dev/zero | tr '\0' a)" "$url/taxii2/"
is "$code" 431 "431: headers over --max-header (32k)"
alive "after 431"

# 429: idle connections from this address up to --max-connections-per-ip.
# (The server counts connections as it accepts them: give it time under load.)
sleep 0.5
exec {k1}<>"/dev/tcp/127.0.0.1/$srv_port" {k2}<>"/dev/tcp/127.0.0.1/$srv_port"
sleep 0.5
call "$url/taxii2/"
expect_code 200 "two idle connections and this one: 3, at the limit, served"
exec {k3}<>"/dev/tcp/127.0.0.1/$srv_port"
sleep 0.5
call "$url/taxii2/"
expect_error 429 "429: a fourth connection from one client"
[ -n "$(hdr Retry-After)" ] && ok "429 has Retry-After" || not_ok "429 has Retry-After" "$(cat "$tmp/h")"
exec {k1}>&- {k2}>&- {k3}>&-
sleep 0.3
alive "after 429, once the idle connections closed"

# A slow client: part of a request line, then nothing.
exec {slow}<>"/dev/tcp/127.0.0.1/$srv_port"
printf 'GET /taxii2/ HT' >&"$slow"
t0=$(date +%s%N)
call "$url/api1/"
expect_code 200 "another client is served while a slow one is connected"
rc=0; while :; do read -r -t 8 -u "$slow" _ || { rc=$?; break; }; done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
exec {slow}>&-
[ "$rc" -eq 1 ] && [ "$ms" -ge 1000 ] && [ "$ms" -le 5000 ] &&
    ok "the slow client is dropped after --request-timeout 2 (${ms} ms)" ||
    not_ok "the slow client is dropped after --request-timeout 2" "read status $rc after $ms ms"
alive "after dropping the slow client"

# ---- delete ----
as bob; call -X DELETE "$coll/$c1/objects/$i5/"
expect_error 403 "delete as a reader is 403"
as alice; call -X DELETE "$coll/$c1/objects/$i5/"
expect_code 200 "delete an object: 200"
call "$coll/$c1/objects/$i5/"
expect_error 404 "...then get it: 404"
call "$coll/$c1/objects/$i5/versions/"
expect_error 404 "...and its versions: 404"
call -X DELETE "$coll/$c1/objects/$i5/"
expect_error 404 "...and delete it again: 404"
call -X DELETE "$coll/$c1/objects/$i1/?match[version]=$v1"
expect_code 200 "delete one version (match[version])"
call "$coll/$c1/objects/$i1/versions/"
is "$(jv /versions)" "[\"$v2\",\"$v3\"]" "...the other versions remain"
call -X DELETE "$coll/$c1/objects/$(ident_id 99)/"
expect_error 404 "delete an unknown object: 404"

# ---- SIGHUP reopens the access log ----
mv "$tmp/access.log" "$tmp/access.log.1"
kill -HUP "$srv_pid"
for ((i = 0; i < 100; i++)); do
	grep -q event=log-reopened "$tmp/access.log" 2>/dev/null && break
	sleep 0.05
done
call "$url/after-hup/"
# The access line is written when the request completes, after the reply.
for ((i = 0; i < 60; i++)); do
	grep -q 'path=/after-hup/' "$tmp/access.log" 2>/dev/null && break
	sleep 0.05
done
grep -q 'path=/after-hup/' "$tmp/access.log" 2>/dev/null &&
    ! grep -q 'path=/after-hup/' "$tmp/access.log.1" &&
    ok "SIGHUP: new lines go to a new access log file" ||
    not_ok "SIGHUP: new lines go to a new access log file" "$(tail -n 3 "$tmp/access.log" "$tmp/access.log.1" 2>&1)"
grep -q 'event=http .*status=200' "$tmp/access.log.1" &&
    ok "the old file kept the earlier lines" || not_ok "the old file kept the earlier lines"

# ---- no secret in any log line ----
as anon; call "$url/taxii2/?token=$tok_alice&password=$pw_alice"
AUTH=(-u "admin:$pw_admin"); call "$url/taxii2/"
expect_code 200 "password sign-in"
leaks=$(cat "$tmp/access.log" "$tmp/access.log.1" "$srv_err" | grep -c -F \
    -e "$pw_admin" -e "$pw_alice" -e "$pw_bob" -e "$pw_carol" -e wrong-Password-27 \
    -e "$tok_alice" -e "$tok_admin" -e cybex_notatokenatall)
is "$leaks" 0 "no password or token in the logs"
call "$url/x%0Aevent=forged%20user=admin/"
for ((i = 0; i < 60; i++)); do
	grep -q 'forged' "$tmp/access.log" 2>/dev/null && break
	sleep 0.05
done
if grep -q '^event=forged' "$tmp/access.log" || ! grep -q 'event=http .*path="/x\\nevent=forged user=admin/"' "$tmp/access.log"; then
	not_ok "a newline in the path is escaped in the access log" "$(grep -n forged "$tmp/access.log")"
else ok "a newline in the path is escaped in the access log (one line, quoted)"; fi
lines=$(cat "$tmp/access.log" "$tmp/access.log.1" | grep -c 'event=http ')
[ "$lines" -gt 100 ] && ok "one access-log line per request ($lines)" ||
    not_ok "one access-log line per request" "$lines lines"
grep -q 'user=alice auth=token' "$tmp/access.log.1" && grep -q 'user=bob auth=password' "$tmp/access.log.1" &&
    ok "access lines name the user and how they signed in" ||
    not_ok "access lines name the user and how they signed in"

srv_stop "the server"

# ---- the memory of all uploads together (--max-upload-memory) ----
# The held uploads must not be cut by the body deadline however slow
# the machine is: --body-timeout well past the longest wait below.
if srv_start budget --max-body 1k --max-upload-memory 2k --body-timeout 3600; then
	basic=$(printf 'alice:%s' "$pw_alice" | base64 -w0)
	post_head() {	# fd: a POST whose 1024-byte body has 1000 bytes sent
		printf 'POST /api1/collections/%s/objects/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\nContent-Type: %s\r\nContent-Length: 1024\r\n\r\n%s' \
		    "$c1" "$basic" "$TAXII" "$(head -c 1000 /dev/zero | tr '\0' ' ')" >&"$1"
	}
	exec {u1}<>"/dev/tcp/127.0.0.1/$srv_port"; post_head "$u1"
	exec {u2}<>"/dev/tcp/127.0.0.1/$srv_port"; post_head "$u2"
	printf '{"objects":[{"type":"identity","spec_version":"2.1","id":"identity--0b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","name":"budget"}]}' > "$tmp/small.json"
	AUTH=(-u "alice:$pw_alice")
	url=http://127.0.0.1:$srv_port
	# The server holds the two uploads once it has read their bodies,
	# which a busy machine may take long to do.  Ask until it does with
	# a probe that stores nothing whatever the answer (an upload to a
	# collection that does not exist: 503 while the budget is full, else
	# 404), then send the real upload.  What is checked is the answer,
	# never how long it took; the bound only keeps a broken budget from
	# hanging the suite.
	probe="$url/api1/collections/00000000-0000-4000-8000-0000000000ff/objects/"
	for ((i = 0; i < 600; i++)); do
		call -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$probe"
		[ "$code" = 503 ] && break
		sleep 0.05
	done
	call -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$url/api1/collections/$c1/objects/"
	expect_error 503 "503: two uploads hold 2000 of the 2k --max-upload-memory; a third is refused"
	[ -n "$(hdr Retry-After)" ] && ok "...with Retry-After" || not_ok "...with Retry-After"
	exec {u1}>&- {u2}>&-
	# Released when the server sees the connections closed: ask until then.
	for ((i = 0; i < 600; i++)); do
		call -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$probe"
		[ "$code" = 503 ] || break
		sleep 0.05
	done
	call -H "Content-Type: $TAXII" --data-binary @"$tmp/small.json" "$url/api1/collections/$c1/objects/"
	expect_code 202 "...and accepted once the others are gone"
	srv_stop "the upload-budget server"
fi
tap_done
