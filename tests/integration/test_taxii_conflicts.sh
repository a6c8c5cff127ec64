#!/bin/bash
# `cybex serve`: versions are compared within the target collection only.
# A writer to one collection learns nothing of a collection it cannot read
# (a TLP:RED one here) and cannot be blocked by it: the same id and
# modified with other content, or a revocation, stored there first change
# neither the status nor its messages.  Within the collection, other
# content of a stored version fails with a message naming the conflict,
# is recorded, and `cybex db conflicts` shows it to the operator.
# usage: test_taxii_conflicts.sh CYBEX CONFORMANCE_DIR JGET TAXII_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

pw_rita='rita-Secret-11235'; pw_walt='walt-Secret-14142'
setup=""
"$cybex" user add rita --password "$pw_rita" 2>>"$tmp/setup" || setup="$setup rita"
"$cybex" user add walt --password "$pw_walt" 2>>"$tmp/setup" || setup="$setup walt"
red=$("$cybex" collection add --title Red --alias red --max-tlp red 2>>"$tmp/setup") || setup="$setup red"
shared=$("$cybex" collection add --title Shared --alias shared 2>>"$tmp/setup") || setup="$setup shared"
grant "$red" --user rita --read --write 2>>"$tmp/setup" || setup="$setup grant:rita"
grant "$shared" --user walt --read --write 2>>"$tmp/setup" || setup="$setup grant:walt"
[ -z "$setup" ] && ok "accounts, collections and grants set up" ||
    not_ok "accounts, collections and grants set up" "$setup: $(cat "$tmp/setup")"
srv_start conflicts || { tap_done; exit 1; }
api=$url/api1
rita=(-u "rita:$pw_rita"); walt=(-u "walt:$pw_walt")
v1=2020-01-01T00:00:00.000Z; v2=2020-02-01T00:00:00.000Z; v3=2020-03-01T00:00:00.000Z
RED=marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1
# A TLP:RED identity: red_ident N MODIFIED NAME [,"revoked":true]
red_ident() {
	printf '{"type":"identity","spec_version":"2.1","id":"%s","created":"%s","modified":"%s","name":"%s","identity_class":"organization","object_marking_refs":["%s"]%s}' \
	    "$(ident_id "$1")" "$v1" "$2" "$3" "$RED" "${4:-}"
}
# post AUTH-ARRAY-NAME COLLECTION OBJECT...: add, wait; the status in $tmp/b
post() {
	local who=$1 c=$2; shift 2
	envelope "$@" > "$tmp/post.json"
	eval "AUTH=(\"\${$who[@]}\")"
	call -H "Content-Type: $TAXII" --data-binary @"$tmp/post.json" "$api/collections/$c/objects/"
	[ "$code" = 202 ] || return 1
	wait_status "$(jv /id)"
}

# rita fills the hidden collection first: identity 1 (other content),
# identity 2 revoked at v2, identity 3 revoked in the future (v3).
post rita "$red" "$(red_ident 1 $v1 'secret name')" \
    "$(red_ident 2 $v1 'two')" "$(red_ident 2 $v2 'two' ',"revoked":true')" \
    "$(red_ident 3 $v3 'three' ',"revoked":true')" &&
    [ "$(jv /success_count)" = 4 ] && ok "the hidden collection holds 4 versions" ||
    not_ok "the hidden collection holds 4 versions" "$(cat "$tmp/b")"

# walt cannot read it; his writes to shared do not depend on it.
AUTH=("${walt[@]}"); call "$api/collections/$red/objects/"
expect_error 404 "walt cannot see the red collection"
post walt "$shared" "$(ident 1 $v1 'walt one')" "$(ident 2 $v1 'walt two')" \
    "$(ident 2 $v2 'walt two')" "$(ident 2 $v3 'walt two')" \
    "$(ident 3 $v1 'walt three')" "$(ident 3 $v2 'walt three')"
is "$(jv /status) $(jv /success_count) $(jv /failure_count)" "complete 6 0" \
    "other content and revocations in a hidden collection refuse nothing"
is "$(col /successes message | tr ' ' '\n' | sort -u | tr '\n' ' ')" "added " \
    "...and every success just says added"
AUTH=("${walt[@]}"); call "$api/collections/$shared/objects/$(ident_id 1)/"
case $(jv /objects/0/name) in "walt one") ok "walt reads his own content of identity 1" ;;
*) not_ok "walt reads his own content of identity 1" "$(head -c 400 "$tmp/b")" ;; esac
AUTH=("${rita[@]}"); call "$api/collections/$red/objects/$(ident_id 1)/"
case $(jv /objects/0/name) in "secret name") ok "rita's content of identity 1 is unchanged" ;;
*) not_ok "rita's content of identity 1 is unchanged" "$(head -c 400 "$tmp/b")" ;; esac

# Conflicts within shared: the same message whether or not the hidden
# collection holds the id (identity 1 it does, identity 4 not).
post walt "$shared" "$(ident 4 $v1 'walt four')"
post walt "$shared" "$(ident 1 $v1 'walt one, changed')" "$(ident 4 $v1 'walt four, changed')"
is "$(jv /success_count) $(jv /failure_count)" "0 2" "other content of a version in the collection fails"
m1=$(jv /failures/0/message); m4=$(jv /failures/1/message)
is "$m1" "$m4" "...with the same message for an id the hidden collection holds and one it does not"
case $m1 in *conflict*"this collection"*) ok "...a message naming the conflict in this collection" ;;
*) not_ok "...a message naming the conflict in this collection" "$m1" ;; esac
AUTH=("${walt[@]}"); call "$api/collections/$shared/objects/$(ident_id 4)/"
case $(jv /objects/0/name) in "walt four") ok "the first content is kept" ;;
*) not_ok "the first content is kept" "$(head -c 400 "$tmp/b")" ;; esac

# The operator sees them, for shared only.
out=$("$cybex" db conflicts --collection shared 2>"$tmp/err")
case $out$(cat "$tmp/err") in "conflict 1 in 'shared': $(ident_id 1) "*"taxii status"*"conflict 2 in 'shared': $(ident_id 4) "*"2 conflicts")
	ok "cybex db conflicts lists both, with their source" ;;
*) not_ok "cybex db conflicts lists both, with their source" "$out" ;; esac
out=$("$cybex" db conflicts --collection red 2>&1)
is "$out" "0 conflicts" "the red collection has none"
srv_stop
tap_done
