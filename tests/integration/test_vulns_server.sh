#!/bin/bash
# /api/v1/vulnerabilities of `cybex serve` over HTTP: the list in
# priority order, one vulnerability, and the affected list, with the
# authorization matrix (admins everything; members their own
# organization's affected list only; the vulnerabilities of a collection
# only to whom may read it; no credentials: 401).  Errors are RFC 9457.
# usage: test_vulns_server.sh CYBEX TESTDATA_DIR JGET
set -u
cybex=$1; data=$2/assets; jget=$3
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"

setup=""
for o in shop office; do "$cybex" org add $o >/dev/null 2>>"$tmp/setup" || setup="$setup org"; done
for u in root ann bob carl dan; do
	"$cybex" user add "$u" --no-password $([ "$u" = root ] && echo --admin) \
	    >/dev/null 2>>"$tmp/setup" || setup="$setup user:$u"
	t=$("$cybex" token create "$u" 2>>"$tmp/setup") || setup="$setup token:$u"
	eval "tok_$u=\$t"
done
"$cybex" org member shop ann 2>>"$tmp/setup" || setup="$setup member"
"$cybex" org member office bob 2>>"$tmp/setup" || setup="$setup member"
"$cybex" org member shop carl 2>>"$tmp/setup" || setup="$setup member"
for u in ann bob dan; do
	"$cybex" collection grant default --user "$u" --read 2>>"$tmp/setup" || setup="$setup grant"
done
"$cybex" asset import --org shop "$data/shop.cdx.json" 2>>"$tmp/setup" || setup="$setup sbom"
"$cybex" asset import --org office "$data/office.csv" 2>>"$tmp/setup" || setup="$setup csv"
"$cybex" vuln import "$data"/cve/*.json 2>>"$tmp/setup" || setup="$setup cve"
"$cybex" vuln epss "$data/epss.csv" 2>>"$tmp/setup" || setup="$setup epss"
"$cybex" vuln kev "$data/kev.json" 2>>"$tmp/setup" || setup="$setup kev"
[ -z "$setup" ] && ok "organizations, users, assets and vulnerabilities set up" ||
    not_ok "set up" "$setup: $(cat "$tmp/setup")"

as() {
	local t
	if [ "$1" = anon ]; then AUTH=(); return; fi
	eval "t=\$tok_$1"
	AUTH=(-H "Authorization: Bearer $t")
}
get() { as "$1"; call "$url/api/v1/vulnerabilities$2"; }
# The status of USER on PATH: one cell of the matrix.
cell() { get "$1" "$2"; echo "$code"; }
problem_ok() { [ "$(hdr Content-Type)" = application/problem+json ] &&
    [ "$("$jget" "$tmp/b" /status)" = "$code" ]; }
# "ORG CVE" of each affected row.
rows() {
	"$jget" -c "$tmp/b" /affected org > "$tmp/o" 2>/dev/null
	"$jget" -c "$tmp/b" /affected cve > "$tmp/c" 2>/dev/null
	paste -d ' ' "$tmp/o" "$tmp/c" | tr '\n' '|'
}

srv_start vulns || { tap_done; exit 1; }

# ---- the matrix: user x route -> status ----
exp="anon:401:401:401 root:200:200:200 ann:200:200:200 bob:200:200:200 carl:404:404:404 dan:200:200:403"
got=""
for u in anon root ann bob carl dan; do
	got="$got $u:$(cell $u ""):$(cell $u /CVE-2099-1001):$(cell $u /affected)"
done
is "${got# }" "$exp" "authorization matrix (list, show, affected)"
get ann "/affected?org=office"
[ "$code" = 403 ] && problem_ok && ok "a member may not read another organization's list: 403 problem" ||
    not_ok "member other org" "HTTP $code: $(cat "$tmp/b")"
get dan /affected
problem_ok && ok "403 is an RFC 9457 problem" || not_ok "problem body" "$(cat "$tmp/b")"
get root "/affected?org=nobody"
[ "$code" = 404 ] && problem_ok && ok "an unknown organization: 404" || not_ok "unknown org" "HTTP $code"

# ---- what each sees ----
get ann /affected
is "$(rows)" "shop CVE-2099-1003|shop CVE-2099-1004|shop CVE-2099-1002|shop CVE-2099-1001|" \
    "a member: its organization's affected list, in priority order"
get ann "/affected?org=shop"
is "$(rows)" "shop CVE-2099-1003|shop CVE-2099-1004|shop CVE-2099-1002|shop CVE-2099-1001|" \
    "a member naming its own organization"
get bob /affected
is "$(rows)" "office CVE-2099-1003|office CVE-2099-1006|" "the other member: its own only"
get root /affected
is "$("$jget" -n "$tmp/b" /affected)" 6 "an admin: every organization's"
get root "/affected?org=office"
is "$(rows)" "office CVE-2099-1003|office CVE-2099-1006|" "an admin naming an organization"
is "$("$jget" "$tmp/b" /affected/0/kev)" true "the KEV flag"
get ann ""
is "$("$jget" -c "$tmp/b" /vulnerabilities cve | tr '\n' ' ')" \
    "CVE-2099-1003 CVE-2099-1004 CVE-2099-1002 CVE-2099-1001 CVE-2099-1005 CVE-2099-1007 CVE-2099-1006 " \
    "the list in priority order (KEV, EPSS, CVSS)"
get ann /CVE-2099-1004
is "$(awk -v e="$("$jget" "$tmp/b" /epss)" 'BEGIN { printf "%.5f", e }')" 0.90000 \
    "one vulnerability: its EPSS"
is "$("$jget" "$tmp/b" /vulnerability/type)" vulnerability "... and the STIX object"
get ann /CVE-2099-9999
[ "$code" = 404 ] && problem_ok && ok "an unknown CVE: 404" || not_ok "unknown CVE" "HTTP $code"
as root; call -X POST "$url/api/v1/vulnerabilities"
[ "$code" = 405 ] && [ "$(hdr Allow)" = GET ] && ok "POST: 405 with Allow: GET" || not_ok "POST" "HTTP $code"
srv_stop
tap_done
