#!/bin/sh
# The asset inventory and the prioritized remediation list end to end: a
# CycloneDX SBOM and a CSV inventory for two organizations, seven CVE
# records, then EPSS and KEV; `cybex vuln affected` must print exactly the
# golden lists (tests/data/assets/affected-*.exp) and change order as
# docs/vulnerabilities.md says.  Bad files store nothing and say where.
# usage: test_assets.sh CYBEX TESTDATA_DIR
set -u
cybex=$1; data=$2/assets
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset CYBEX_DB CYBEX_DATA_DIR XDG_DATA_HOME CYBEX_CONFIG
HOME=$tmp/home; export HOME
CYBEX_DB=$tmp/hub.db; export CYBEX_DB
c() { "$cybex" "$@"; }
same() {	# name expected-file command...
	name=$1; exp=$2; shift 2
	"$@" > "$tmp/got" 2>"$tmp/err"
	if cmp -s "$tmp/got" "$exp"; then ok "$name"
	else not_ok "$name" "$(diff "$exp" "$tmp/got"; cat "$tmp/err")"; fi
}

out=$(c asset import --org shop "$data/shop.cdx.json" 2>&1); rc=$?
case "$rc:$out" in "1:"*"no organization 'shop'"*) ok "an unknown organization is refused";;
*) not_ok "unknown org" "exit $rc: $out";; esac
c org add shop >/dev/null 2>&1 && c org add office >/dev/null 2>&1
out=$(c asset import --org shop "$data/shop.cdx.json" 2>&1); rc=$?
case "$rc:$out" in "0:"*"7 added, 0 already present"*) ok "CycloneDX: every component, nested ones too";;
*) not_ok "CycloneDX import" "exit $rc: $out";; esac
out=$(c asset import --org office "$data/office.csv" 2>&1); rc=$?
case "$rc:$out" in "0:"*"4 added, 0 already present"*) ok "CSV imported";;
*) not_ok "CSV import" "exit $rc: $out";; esac
out=$(c asset import --org shop "$data/shop.cdx.json" 2>&1)
case $out in *"0 added, 7 already present"*) ok "a re-import stores nothing twice";;
*) not_ok "re-import" "$out";; esac
out=$(c asset list --org office)
case $out in *"office - pkg:pypi/django 3.2.16 Django, for intranet"*) ok "normalized purl, quoted CSV field";;
*) not_ok "asset list" "$out";; esac

# Bad inventories: nothing stored, file:line:col and why.
printf 'cpe,version\ncpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*,1\ncpe:2.3:a:x:y:1*0:*:*:*:*:*:*:*,1\n' > "$tmp/bad.csv"
out=$(c asset import --org office "$tmp/bad.csv" 2>&1); rc=$?
case "$rc:$out" in "1:"*"bad.csv:3:16: error: an unquoted '*' inside a value"*) ok "a bad CPE: line and column";;
*) not_ok "bad CSV" "exit $rc: $out";; esac
sed 's#pkg:npm/lodash@4.17.20#pkg:npm/lodash%zz#' "$data/shop.cdx.json" > "$tmp/bad.json"
out=$(c asset import --org office "$tmp/bad.json" 2>&1); rc=$?
case "$rc:$out" in "1:"*"hex digits [/components/2/purl]"*) ok "a bad purl: its JSON pointer";;
*) not_ok "bad SBOM" "exit $rc: $out";; esac
sed 's/"specVersion": "1.5"/"specVersion": "1.2"/' "$data/shop.cdx.json" > "$tmp/old.json"
out=$(c asset import --org office "$tmp/old.json" 2>&1); rc=$?
case "$rc:$out" in "1:"*"CycloneDX 1.2; 1.4, 1.5 and 1.6 are read"*) ok "an old CycloneDX version is refused";;
*) not_ok "old CycloneDX" "exit $rc: $out";; esac
n=$(c asset list --org office | wc -l)
[ "$n" -eq 4 ] && ok "bad files stored nothing" || not_ok "bad files stored" "$n assets"

c vuln import "$data"/cve/*.json >/dev/null 2>&1 || not_ok "CVE import" ""
same "CVSS alone orders the affected list (golden)" "$data/affected-cvss.exp" c vuln affected
c vuln epss "$data/epss.csv" >/dev/null 2>&1
same "EPSS reorders it (golden)" "$data/affected-epss.exp" c vuln affected
c vuln kev "$data/kev.json" >/dev/null 2>&1
same "KEV puts its entries first (golden)" "$data/affected-kev.exp" c vuln affected
same "--json (golden)" "$data/affected-kev.json.exp" c vuln affected --json
out=$(c vuln affected --org office | awk '{ print $2 }' | tr '\n' ' ')
[ "$out" = "CVE-2099-1003 CVE-2099-1006 " ] && ok "--org: one organization's list" ||
	not_ok "--org" "$out"
out=$(c vuln affected --org nobody 2>&1); rc=$?
[ "$rc" -eq 1 ] && ok "--org of an unknown organization" || not_ok "--org unknown" "exit $rc: $out"
# VEX: CVE-2099-1007 lists lodash 4.17.20 unaffected inside its range.
case $(c vuln affected) in *CVE-2099-1007*) not_ok "known_not_affected respected" "listed";;
*) ok "an explicit unaffected version (VEX known_not_affected) is left out";; esac

id=$(c asset list --org shop | awk '/log4j-core/ { print $1 }')
out=$(c asset remove --org shop "$id" 2>&1); rc=$?
case "$rc:$out" in "0:"*"1 removed"*) ok "remove one asset";; *) not_ok "remove" "exit $rc: $out";; esac
case $(c vuln affected --org shop) in *CVE-2099-1001*) not_ok "removed asset gone" "still listed";;
*) ok "a removed asset is no longer affected";; esac
out=$(c asset remove --org shop "$id" 2>&1); rc=$?
[ "$rc" -eq 1 ] && ok "removing it again: not found" || not_ok "remove twice" "exit $rc: $out"
out=$(c asset remove --org office --all 2>&1)
case $out in *"4 removed"*) ok "remove --all";; *) not_ok "remove --all" "$out";; esac
tap_done
