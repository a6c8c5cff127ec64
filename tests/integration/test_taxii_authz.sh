#!/bin/bash
# `cybex serve` authorization: every TAXII endpoint against every kind of
# caller, each cell's exact status code (and a TAXII error body for the
# refusals); then grants, group membership, passwords and accounts changed
# while the server runs take effect at once.
# usage: test_taxii_authz.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

pw_rita='rita-Secret-11235'; pw_alice='alice-Secret-3141'
pw_gina='gina-Secret-81321'; pw_nora='nora-Secret-34558'
pw_root='root-Secret-98765'
setup=""
add_user() {	# NAME PASSWORD [--admin]
	"$cybex" user add "$1" --password "$2" ${3:+"$3"} 2>>"$tmp/setup" ||
	    setup="$setup user:$1"
}
add_user root "$pw_root" --admin
add_user rita "$pw_rita"
add_user walt 'walt-Secret-14142'
add_user alice "$pw_alice"
add_user gina "$pw_gina"
add_user nora "$pw_nora"
coll=$("$cybex" collection add --title Shared --alias shared 2>>"$tmp/setup") || setup="$setup coll"
grant "$coll" --user rita --read 2>>"$tmp/setup" || setup="$setup grant:rita"
grant "$coll" --user walt --write 2>>"$tmp/setup" || setup="$setup grant:walt"
grant "$coll" --user alice --read --write 2>>"$tmp/setup" || setup="$setup grant:alice"
"$cybex" group add analysts 2>>"$tmp/setup" || setup="$setup group"
"$cybex" group join analysts gina 2>>"$tmp/setup" || setup="$setup join"
grant "$coll" --group analysts --read 2>>"$tmp/setup" || setup="$setup grant:analysts"
tok_walt=$("$cybex" token create walt 2>>"$tmp/setup") || setup="$setup token:walt"
tok_root=$("$cybex" token create root 2>>"$tmp/setup") || setup="$setup token:root"
tok_revoked=$("$cybex" token create rita --name soon-revoked 2>"$tmp/tok") || setup="$setup token:rita"
tid_revoked=$(sed -n 's/^token \([0-9]*\) for rita.*/\1/p' "$tmp/tok")
if tok_expired=$("$fixture" "$db" expired-token rita 2>>"$tmp/setup"); then
	echo "# the expired token comes from taxii_fixture: 'cybex token create --expires' takes 1 to 3650 days"
else
	setup="$setup expired-token"
fi
[ -z "$setup" ] && [ -n "$tid_revoked" ] && ok "accounts, group, grants and tokens set up" ||
    not_ok "accounts, group, grants and tokens set up" "$setup: $(cat "$tmp/setup")"

srv_start authz || { tap_done; exit 1; }
api=$url/api1
as() {
	case $1 in
	anon) AUTH=() ;;
	wrongpw) AUTH=(-u "rita:not-Her-Password-1") ;;
	unknown) AUTH=(-u "mallory:mallory-Secret-1") ;;
	revoked) AUTH=(-H "Authorization: Bearer $tok_revoked") ;;
	expired) AUTH=(-H "Authorization: Bearer $tok_expired") ;;
	none) AUTH=(-u "nora:$pw_nora") ;;
	reader) AUTH=(-u "rita:$pw_rita") ;;
	writer) AUTH=(-H "Authorization: Bearer $tok_walt") ;;
	readwrite) AUTH=(-u "alice:$pw_alice") ;;
	group) AUTH=(-u "gina:$pw_gina") ;;
	admin) AUTH=(-H "Authorization: Bearer $tok_root") ;;
	esac
}

# Objects: one to read, and one per caller to delete.
principals=(anon wrongpw unknown revoked expired none reader writer readwrite group admin)
seed=("$(ident 1000 2020-01-01T00:00:00.000Z)")
for i in "${!principals[@]}"; do seed+=("$(ident $((2000 + i)) 2020-01-01T00:00:00.000Z)"); done
envelope "${seed[@]}" > "$tmp/seed.json"
as admin
call -H "Content-Type: $TAXII" --data-binary @"$tmp/seed.json" "$api/collections/$coll/objects/"
wait_status "$(jv /id)" && [ "$(jv /success_count)" = ${#seed[@]} ] &&
    ok "the collection is filled (${#seed[@]} objects)" || not_ok "the collection is filled" "$(cat "$tmp/b")"
# A status owned by the writer.
as writer
call -H "Content-Type: $TAXII" --data-binary "$(envelope "$(ident 1001 2020-01-01T00:00:00.000Z)")" \
    "$api/collections/$coll/objects/"
st_walt=$(jv /id)
wait_status "$st_walt" || not_ok "the writer's request completes" "$(cat "$tmp/b")"
# The token to be revoked works until it is revoked, server running.
as revoked; call "$url/taxii2/"
expect_code 200 "rita's second token works"
"$cybex" token revoke "$tid_revoked" 2>/dev/null &&
    ok "cybex token revoke $tid_revoked (server running)" || not_ok "cybex token revoke $tid_revoked"

endpoints=(disc root colls coll objs add obj del vers mani status)
# The request of an endpoint for principal number $2.
request() {
	local o=$api/collections/$coll/objects
	case $1 in
	disc) call "$url/taxii2/" ;;
	root) call "$api/" ;;
	colls) call "$api/collections/" ;;
	coll) call "$api/collections/$coll/" ;;
	objs) call "$o/" ;;
	add) call -H "Content-Type: $TAXII" --data-binary \
	    "$(envelope "$(ident $((3000 + $2)) 2020-01-01T00:00:00.000Z)")" "$o/" ;;
	obj) call "$o/$(ident_id 1000)/" ;;
	del) call -X DELETE "$o/$(ident_id $((2000 + $2)))/" ;;
	vers) call "$o/$(ident_id 1000)/versions/" ;;
	mani) call "$api/collections/$coll/manifest/" ;;
	status) call "$api/status/$st_walt/" ;;
	esac
}
# What each cell must answer, in the order of $endpoints.
U="401 401 401 401 401 401 401 401 401 401 401"
declare -A want=(
	[anon]=$U [wrongpw]=$U [unknown]=$U [revoked]=$U [expired]=$U
	[none]="200 200 200 404 404 404 404 404 404 404 404"
	[reader]="200 200 200 200 200 403 200 403 200 200 404"
	[writer]="200 200 200 200 403 202 403 403 403 403 200"
	[readwrite]="200 200 200 200 200 202 200 200 200 200 404"
	[group]="200 200 200 200 200 403 200 403 200 200 404"
	[admin]="200 200 200 200 200 202 200 200 200 200 200"
)
matrix=$(printf '%-10s' caller; printf ' %-6s' "${endpoints[@]}")
for i in "${!principals[@]}"; do
	p=${principals[$i]}
	as "$p"
	read -r -a w <<< "${want[$p]}"
	row=$(printf '%-10s' "$p")
	for j in "${!endpoints[@]}"; do
		e=${endpoints[$j]}
		request "$e" "$i"
		cell=$code
		if [ "$code" != "${w[$j]}" ]; then
			not_ok "$p $e: ${w[$j]}" "HTTP $code: $(head -c 300 "$tmp/b")"
			cell="$code!${w[$j]}"
		elif [ "$code" -ge 400 ] && ! error_body_ok "$code"; then
			not_ok "$p $e: $code with a TAXII error body" "$(head -c 300 "$tmp/b")"
			cell="$code!body"
		elif [ "$code" = 401 ] && [ -z "$(hdr WWW-Authenticate)" ]; then
			not_ok "$p $e: 401 with WWW-Authenticate" "$(cat "$tmp/h")"
			cell="$code!hdr"
		else
			ok "$p $e: $code"
		fi
		row="$row $(printf '%-6s' "$cell")"
	done
	matrix="$matrix
$row"
done
echo "# The authorization matrix (got!wanted where they differ):"
printf '%s\n' "$matrix" | sed 's/^/#   /'

# Refusals changed nothing; what was allowed happened.
as admin
last=$(ident_id $((3000 + ${#principals[@]} - 1)))
for ((i = 0; i < 100; i++)); do	# adds are queued: the administrator's is the last
	call "$api/collections/$coll/objects/$last/"
	[ "$code" = 200 ] && break
	sleep 0.05
done
call "$api/collections/$coll/manifest/?limit=100"
want_ids=$({ ident_id 1000; echo; ident_id 1001; echo
	for i in "${!principals[@]}"; do
		case ${principals[$i]} in
		readwrite|admin) ident_id $((3000 + i)); echo ;;
		writer) ident_id $((2000 + i)); echo; ident_id $((3000 + i)); echo ;;
		*) ident_id $((2000 + i)); echo ;;
		esac
	done; } | sort | tr '\n' ' ')
is "$(col /objects id | tr ' ' '\n' | sort | tr '\n' ' ')" "$want_ids" \
    "after the matrix: only the allowed adds and deletes took effect"

as revoked; call "$url/taxii2/"
case $(jv /description) in *revoked*) ok "the revoked token is refused as revoked" ;;
*) not_ok "the revoked token is refused as revoked" "$(cat "$tmp/b")" ;; esac
as expired; call "$url/taxii2/"
case $(jv /description) in *expired*) ok "the expired token is refused as expired" ;;
*) not_ok "the expired token is refused as expired" "$(cat "$tmp/b")" ;; esac

# What the collections resource says to each.
seen() {	# "can_read can_write" of $coll in the caller's collections, or "-"
	local i n
	call "$api/collections/"
	n=$("$jget" -n "$tmp/b" /collections)
	for ((i = 0; i < n; i++)); do
		[ "$(jv /collections/$i/id)" = "$coll" ] &&
		    { echo "$(jv /collections/$i/can_read) $(jv /collections/$i/can_write)"; return; }
	done
	echo -
}
for spec in "none:-" "reader:true false" "writer:false true" "readwrite:true true" \
    "group:true false" "admin:true true"; do
	as "${spec%%:*}"
	is "$(seen)" "${spec#*:}" "collections as ${spec%%:*}: ${spec#*:}"
done
as writer; call "$api/collections/$coll/"
is "$(jv /can_read) $(jv /can_write)" "false true" "the collection resource tells the writer it may only write"

# Changes while the server runs take effect at once.
revoke "$coll" --user rita 2>/dev/null && ok "revoke rita's grant (server running)" ||
    not_ok "revoke rita's grant"
as reader; call "$api/collections/$coll/objects/"
expect_error 404 "...then rita's read is 404"
grant "$coll" --user rita --read --write 2>/dev/null
call -H "Content-Type: $TAXII" --data-binary "$(envelope "$(ident 1002 2020-01-01T00:00:00.000Z)")" \
    "$api/collections/$coll/objects/"
expect_code 202 "a new grant with write: rita may add objects"
"$cybex" group leave analysts gina 2>/dev/null && ok "gina leaves the group" || not_ok "gina leaves the group"
as group; call "$api/collections/$coll/"
expect_error 404 "...then the group's grant no longer reaches her"
"$cybex" group join analysts gina 2>/dev/null
call "$api/collections/$coll/"
expect_code 200 "...and joining again restores it"
revoke "$coll" --group analysts 2>/dev/null
call "$api/collections/$coll/"
expect_error 404 "revoking the group's grant: 404 for its members"
as reader; call "$url/taxii2/"
expect_code 200 "rita signs in (the password is now remembered)"
"$cybex" user passwd rita --password 'rita-New-Secret-1' 2>/dev/null
call "$url/taxii2/"
expect_error 401 "after cybex user passwd the old password is refused at once"
AUTH=(-u 'rita:rita-New-Secret-1'); call "$url/taxii2/"
expect_code 200 "...and the new one works"
"$cybex" user remove walt 2>/dev/null && ok "cybex user remove walt (server running)" ||
    not_ok "cybex user remove walt"
as writer; call "$url/taxii2/"
expect_error 401 "a removed user's token is refused"
as readwrite; call "$url/taxii2/"
expect_code 200 "alice signs in"
"$cybex" user remove alice 2>/dev/null
call "$url/taxii2/"
expect_error 401 "a removed user's remembered password is refused"

srv_stop "the server"

# Failed sign-ins are throttled per address before any password hashing.
srv_start throttled --auth-fail-limit 3 || true
if [ -n "$srv_pid" ]; then
	AUTH=(-u 'rita:wrong-Password-1')
	for i in 1 2 3; do call "$url/taxii2/"; done
	expect_error 401 "three failed sign-ins: 401 each"
	call "$url/taxii2/"
	expect_error 429 "the fourth from the same address: 429 (--auth-fail-limit 3)"
	[ -n "$(hdr Retry-After)" ] && ok "...with Retry-After" || not_ok "...with Retry-After"
	AUTH=(-u 'rita:rita-New-Secret-1'); call "$url/taxii2/"
	expect_error 429 "...and even right credentials wait out the minute"
	srv_stop "the throttled server"
fi
tap_done
