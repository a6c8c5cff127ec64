#!/bin/bash
# `cybex serve` on medallion's test data: load default_data.json with
# `cybex taxii load`, then check that the server answers with the same API
# roots, collections (and user1's rights on them), objects, manifests
# (date_added kept), status resources and headers as the data says, and
# that each answer has the shape of the canned responses of the OASIS
# TAXII client's tests (keys and JSON types).
# usage: test_taxii_data.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; conf=$2; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"
data=$conf/taxii21/default_data.json
canned=$conf/taxii21/client_canned_responses.json
tg=/trustgroup1
hv=91a7b528-80eb-42ed-a74d-c6fbd5a26116		# High Value Indicator Collection
secret=64993447-4d7e-4f70-b94d-d7f33742ee63	# can_read and can_write false
st=2d086da7-4bdc-4f91-900e-d77486753710

pw_user1='user1-Secret-1234'; pw_admin='admin-Secret-1234'
as() {
	case $1 in
	user1) AUTH=(-u "user1:$pw_user1") ;;
	admin) AUTH=(-u "admin:$pw_admin") ;;
	esac
}
# The index of a collection of trustgroup1 in the data file.
data_coll() {
	"$jget" -c "$data" $tg/collections id | grep -n -x "$1" | cut -d: -f1 |
	    awk '{ print $1 - 1 }'
}

"$cybex" user add user1 --password "$pw_user1" 2>/dev/null &&
    "$cybex" user add admin --admin --password "$pw_admin" 2>/dev/null &&
    ok "users user1 and admin" || not_ok "users user1 and admin"
out=$("$cybex" taxii load --user user1 "$data" 2>"$tmp/load.err"); rc=$?
is "$rc $out" "0 $data: 3 API roots, 8 objects loaded, 0 rejected" \
    "cybex taxii load: 3 API roots, 8 objects"
shifted=$(sed -n 's/.*: \([0-9]*\) date_added values equal to another.s were moved by 1 microsecond.*/\1/p' "$tmp/load.err")
shifted=${shifted:-0}
echo "# cybex taxii load moved $shifted date_added value(s) by 1 microsecond"

srv_start data --title "$("$jget" "$data" /~1discovery/title)" \
    --description "$("$jget" "$data" /~1discovery/description)" \
    --contact "$("$jget" "$data" /~1discovery/contact)" || { tap_done; exit 1; }
as user1

# ---- discovery and API roots ----
call "$url/taxii2/"
expect_code 200 "discovery"
paths() {	# the path part of each URL, sorted
	sed 's|^[a-z]*://[^/]*||' | sort | tr '\n' ' '
}
is "$("$jget" -e "$tmp/b" /api_roots | tr -d '"' | paths)" \
    "$("$jget" -e "$data" /~1discovery/api_roots | tr -d '"' | paths)" \
    "discovery lists the three API roots: api1, api2, trustgroup1"
is "$(jv /title)|$(jv /contact)" "$("$jget" "$data" /~1discovery/title)|$("$jget" "$data" /~1discovery/contact)" \
    "discovery title and contact (server settings)"
for r in api1 api2 trustgroup1; do
	call "$url/$r/"
	if [ "$code" = 200 ] && out=$("$jget" -q "$data" "/$r/information" "$tmp/b" ""); then
		ok "$r information: title, description, versions, max_content_length as in the data"
	else not_ok "$r information as in the data" "HTTP $code: $out"; fi
done

# ---- collections of trustgroup1 for user1 ----
call "$url$tg/collections/"
expect_code 200 "collections of trustgroup1"
n=$("$jget" -n "$tmp/b" /collections)
got=$(for ((i = 0; i < n; i++)); do
	echo "$(jv /collections/$i/id) $(jv /collections/$i/can_read) $(jv /collections/$i/can_write)"
done | sort | tr '\n' ';')
want=$(m=$("$jget" -n "$data" $tg/collections); for ((i = 0; i < m; i++)); do
	c=$tg/collections/$i
	r=$("$jget" "$data" $c/can_read); w=$("$jget" "$data" $c/can_write)
	[ "$r" = true ] || [ "$w" = true ] && echo "$("$jget" "$data" $c/id) $r $w"
done | sort | tr '\n' ';')
is "$got" "$want" "user1 sees the collections the data lets her read or write, with those rights"
case $got in *$secret*) not_ok "Secret Indicators is not listed" ;;
*) ok "Secret Indicators (neither read nor write) is not listed" ;; esac
bad=""
for ((i = 0; i < n; i++)); do
	id=$(jv /collections/$i/id); k=$(data_coll "$id")
	for f in title description media_types; do
		[ "$("$jget" "$tmp/b" /collections/$i/$f)" = "$("$jget" "$data" $tg/collections/$k/$f)" ] ||
		    bad="$bad $id/$f"
	done
done
[ -z "$bad" ] && ok "titles, descriptions and media_types as in the data" ||
    not_ok "titles, descriptions and media_types as in the data" "$bad"
call "$url$tg/collections/$secret/"
expect_error 404 "Secret Indicators: 404 for user1"
call "$url$tg/collections/$secret/objects/"
expect_error 404 "...and its objects too"
call "$url$tg/collections/$hv/"
expect_code 200 "the High Value Indicator Collection"
is "$(jv /can_read) $(jv /can_write)" "true true" "...user1 may read and write it"

# ---- objects, manifest, headers ----
k=$(data_coll $hv)
# Every version of every spec version (without match[spec_version] only
# the latest spec version of each object is served).
all_sv='match[spec_version]=2.0,2.1'
call "$url$tg/collections/$hv/objects/?match[version]=all&$all_sv"
expect_code 200 "get objects, every version"
if out=$("$jget" -s "$data" $tg/collections/$k/objects "$tmp/b" /objects); then
	ok "exactly the data file's 8 objects (JSON-equal, as a set)"
else not_ok "exactly the data file's 8 objects" "$out"; fi
cp "$tmp/b" "$tmp/objects.json"; cp "$tmp/h" "$tmp/objects.h"
call "$url$tg/collections/$hv/manifest/?match[version]=all&$all_sv"
expect_code 200 "manifest, every version"
cp "$tmp/b" "$tmp/manifest.json"
out=$("$jget" -d "$data" $tg/collections/$k/manifest "$tmp/b" /objects); rc=$?
[ "$rc" -eq 0 ] && ok "manifest records have the data's date_added ($out)" ||
    not_ok "manifest records have the data's date_added" "$out"
case $out in *"shifted $shifted "*) ok "...moved by 1 microsecond exactly where cybex taxii load said ($shifted)" ;;
*) not_ok "...moved by 1 microsecond exactly where cybex taxii load said ($shifted)" "$out" ;; esac
out=$("$jget" -m "$data" $tg/collections/$k/manifest "$tmp/b" /objects); rc=$?
[ "$rc" -eq 0 ] && ok "manifest records have the data's media_type ($out)" ||
    not_ok "manifest records have the data's media_type (2.0 for the version without spec_version)" "$out"
is "$(sed -n 's/^X-TAXII-Date-Added-First: *//Ip' "$tmp/objects.h" | tr -d '\r') $(sed -n 's/^X-TAXII-Date-Added-Last: *//Ip' "$tmp/objects.h" | tr -d '\r')" \
    "$(jv /objects/0/date_added) $(jv /objects/-1/date_added)" \
    "X-TAXII-Date-Added-First/Last: the first and last date_added of the manifest"
is "$(jv /objects/0/date_added) $(jv /objects/-1/date_added)" \
    "2014-05-08T09:00:00.000000Z 2017-12-31T13:49:53.935000Z" "...which are the data's earliest and latest"
call "$url$tg/collections/$hv/objects/"
is "$("$jget" -n "$tmp/b" /objects)" 5 "get objects: 5 objects in their last version"
call "$url$tg/collections/$hv/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/"
is "$(col /objects modified)" "2017-01-27T13:49:53.935Z" "get an object: the last of its three versions"
call "$url$tg/collections/$hv/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/versions/"
is "$(jv /versions)" '["2016-11-03T12:30:59.000Z","2016-12-25T12:30:59.444Z","2017-01-27T13:49:53.935Z"]' \
    "versions of that indicator"
call "$url$tg/collections/$hv/manifest/?added_after=2016-12-27T13:49:59.000000Z&match[version]=all&$all_sv"
is "$(col /objects id | wc -w)" 4 "added_after the fourth date_added of the data: the last four"
call "$url$tg/collections/$hv/objects/?match[type]=malware&match[version]=all&$all_sv"
is "$("$jget" -n "$tmp/b" /objects)" 2 "match[type]=malware, both spec versions: both versions"
# Poison Ivy: a 2.1 version (modified 2017) and a later-modified 2.0 one.
call "$url$tg/collections/$hv/objects/?match[type]=malware"
is "$(col /objects spec_version) $(col /objects modified)" "2.1 2017-01-27T13:49:53.997Z" \
    "no match[spec_version]: the latest version of the latest spec version (2.1, not the later 2.0)"
call "$url$tg/collections/$hv/objects/?match[type]=malware&match[version]=all"
is "$(col /objects spec_version)" "2.1" "...also with match[version]=all"
call "$url$tg/collections/$hv/objects/?match[type]=malware&match[spec_version]=2.0"
is "$(col /objects modified)" "2018-02-23T18:30:00.000Z" "match[spec_version]=2.0: the 2.0 version"

# ---- status ----
call "$url$tg/status/$st/"
expect_error 404 "status $st is not user1's: 404"
as admin; call "$url$tg/status/$st/"
expect_code 200 "status $st for the administrator"
s=$(m=$("$jget" -n "$data" $tg/status); for ((i = 0; i < m; i++)); do
	[ "$("$jget" "$data" $tg/status/$i/id)" = "$st" ] && echo $i; done)
bad=""
for f in status request_timestamp total_count success_count failure_count pending_count \
    successes failures pendings; do
	"$jget" -q "$data" $tg/status/$s/$f "$tmp/b" /$f >/dev/null || bad="$bad $f"
done
[ -z "$bad" ] && ok "status: counts, timestamp and the three lists as in the data" ||
    not_ok "status as in the data" "differs:$bad: $(cat "$tmp/b")"
call "$url/api1/status/$st/"
expect_error 404 "the status belongs to trustgroup1, not api1"

# ---- the shape of each canned response ----
shape() {	# DESC CANNED_NAME URL [OPTIONAL_KEYS [CURL ARGS...]]
	call "${@:5}" "$3"
	if [ "$code" = 200 ] || [ "$code" = 202 ]; then
		if out=$("$jget" -S "$canned" "/responses/$2" "$tmp/b" "" "${4:-}"); then
			ok "shape of $2: $1"
		else not_ok "shape of $2: $1" "$out"; fi
	else not_ok "shape of $2: $1" "HTTP $code"; fi
}
as user1
c=$url$tg/collections
shape discovery DISCOVERY_RESPONSE "$url/taxii2/"
shape "API root" API_ROOT_RESPONSE "$url$tg/"
shape collections COLLECTIONS_RESPONSE "$c/" description
shape "a collection" COLLECTION_RESPONSE "$c/$hv/"
shape "a write-only collection" WRITABLE_COLLECTION "$c/472c94ae-3113-4e3e-a4dd-a9f4ac7471d4/" description
shape "get objects (indicators)" GET_OBJECTS_RESPONSE "$c/$hv/objects/?match[type]=indicator"
is "$(jv /more)" false "...the envelope has more (false)"
call "$c/$hv/objects/?limit=2"
is "$("$jget" -t "$tmp/b" /more) $("$jget" -t "$tmp/b" /next) $("$jget" -t "$tmp/b" /objects)" \
    "boolean string array" "an envelope with more pages: more, next, objects"
shape "get an object" GET_OBJECT_RESPONSE "$c/$hv/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/"
shape manifest GET_MANIFEST_RESPONSE "$c/$hv/manifest/"
as admin
shape status STATUS_RESPONSE "$url$tg/status/$st/"
as user1
# Add the canned envelope to the collection for adding objects.
add=$c/365fed99-08fa-fdcd-a1b3-fb247eb41d01
"$jget" "$canned" /responses/STIX_ENVELOPE > "$tmp/envelope.json"
shape "add objects (202)" ADD_OBJECTS_RESPONSE_FROM_SPEC "$add/objects/" successes \
    -H "Content-Type: $TAXII" --data-binary @"$tmp/envelope.json"
call -H "Content-Type: $TAXII" --data-binary @"$tmp/envelope.json" "$add/objects/"
expect_code 202 "add the canned envelope"
id=$(jv /id)
wait_status "$id" trustgroup1 || not_ok "...its status completes" "$(cat "$tmp/b")"
shape "status after adding" ADD_OBJECTS_RESPONSE "$url$tg/status/$id/"
call "$add/objects/"
if out=$("$jget" -q "$canned" /responses/GET_OBJECTS_RESPONSE/objects "$tmp/b" /objects); then
	ok "get objects after adding: the canned GET_OBJECTS_RESPONSE's objects"
else not_ok "get objects after adding: the canned GET_OBJECTS_RESPONSE's objects" "$out"; fi
call "$add/objects/indicator--252c7c11-daf2-42bd-843b-be65edca9f61/"
if out=$("$jget" -q "$canned" /responses/GET_OBJECT_RESPONSE/objects "$tmp/b" /objects); then
	ok "get that object: the canned GET_OBJECT_RESPONSE's objects"
else not_ok "get that object: the canned GET_OBJECT_RESPONSE's objects" "$out"; fi

# Many clients at once: each answered, all alike.
pids=()
for ((i = 1; i <= 24; i++)); do
	curl -gs --max-time 20 -u "user1:$pw_user1" -o "$tmp/par.$i" -w '%{http_code}' \
	    "$url$tg/collections/$hv/objects/?match[version]=all&$all_sv" > "$tmp/par.$i.code" &
	pids+=($!)
done
wait "${pids[@]}"
bad=""
for ((i = 1; i <= 24; i++)); do
	[ "$(cat "$tmp/par.$i.code")" = 200 ] && cmp -s "$tmp/par.$i" "$tmp/objects.json" ||
	    bad="$bad $i:$(cat "$tmp/par.$i.code")"
done
[ -z "$bad" ] && ok "24 clients at once: all answered 200 with the same objects" ||
    not_ok "24 clients at once: all answered 200 with the same objects" "$bad"

srv_stop "the server"
tap_done
