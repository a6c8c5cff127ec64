#!/bin/sh
# cybex vuln end to end: CVE records imported as STIX vulnerabilities,
# the KEV catalogue and EPSS scores changing the priority order as
# docs/vulnerabilities.md says, re-imports storing nothing twice, a bad
# file storing nothing and reported as file:line:col, untrusted text
# escaped on the terminal.
# usage: test_vuln.sh CYBEX TESTDATA_DIR
set -u
cybex=$1; data=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset CYBEX_DB CYBEX_DATA_DIR XDG_DATA_HOME CYBEX_CONFIG
HOME=$tmp/home; export HOME
db=$tmp/hub.db
v() { "$cybex" vuln "$@" --db "$db"; }
# The CVE ids of `vuln list`, in order, on one line.
order() { v list | awk 'NR > 1 { printf "%s ", $1 }'; }

out=$(v import "$data/cve/adp.json" "$data/cve/advanced.json" "$data/cve/rejected.json" 2>&1); rc=$?
case "$rc:$out" in
*"0:"*"2 added, 0 already present, 1 rejected CVE record skipped"*) ok "two records imported, the rejected one skipped";;
*) not_ok "import" "exit $rc: $out";; esac
out=$("$cybex" export --db "$db" 2>&1)
case $out in *'"type":"vulnerability"'*'"source_name":"cve","external_id":"CVE-2099-0001"'*)
	ok "stored as STIX vulnerability objects with the CVE reference";;
*'"source_name":"cve","external_id":"CVE-2099-0001"'*) ok "stored as STIX vulnerability objects with the CVE reference";;
*) not_ok "stored as STIX vulnerability objects" "$out";; esac

# Same CVSS (9.8): ties broken by CVE id.
got=$(order)
[ "$got" = "CVE-1337-1234 CVE-2099-0001 " ] && ok "CVSS only: ties by CVE id" ||
	not_ok "CVSS only order" "$got"

out=$(v epss "$data/epss/scores.csv" 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "EPSS scores imported" || not_ok "EPSS import" "exit $rc: $out"
got=$(order)
[ "$got" = "CVE-2099-0001 CVE-2099-0003 CVE-1999-0004 CVE-2099-0005 CVE-1337-1234 " ] &&
	ok "EPSS reorders: a known EPSS before an unknown one, higher first" ||
	not_ok "order after EPSS" "$got"

out=$(v kev "$data/kev/catalog.json" 2>&1); rc=$?
case "$rc:$out" in "0:"*"3 added, 0 already present"*) ok "KEV catalogue imported";;
*) not_ok "KEV import" "exit $rc: $out";; esac
# A KEV entry beats any EPSS: move CVE-2099-0005 (lowest EPSS) into KEV.
sed 's/CVE-1999-0004/CVE-2099-0005/' "$data/kev/catalog.json" |
    sed 's/"catalogVersion": "2099.02.03"/"catalogVersion": "2099.02.04"/;
	s/"dateReleased": "2099-02-03T14:00:12.5Z"/"dateReleased": "2099-02-04T09:00:00Z"/' > "$tmp/kev2.json"
out=$(v kev "$tmp/kev2.json" 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "a newer catalogue imported" || not_ok "newer catalogue" "exit $rc: $out"
got=$(order)
# The 1999 entry is not in the newer catalogue: no longer known exploited.
[ "$got" = "CVE-2099-0001 CVE-2099-0003 CVE-2099-0005 CVE-1999-0004 CVE-1337-1234 " ] &&
	ok "KEV first, then EPSS, then CVSS; the newest catalogue counts" ||
	not_ok "order after KEV" "$got"
out=$(v show CVE-1999-0004)
case $out in *"kev:         no longer listed (last in catalogue 2099.02.03)"*) ok "an entry dropped from the catalogue";;
*) not_ok "dropped KEV entry" "$out";; esac
out=$(v list)
case $out in *"CVE-2099-0005    yes 0.00004"*) ok "the KEV flag of a CVE known only from feeds";;
*) not_ok "KEV flag shown" "$out";; esac

out=$(v kev "$tmp/kev2.json" 2>&1)
case $out in *"0 added, 3 already present"*) ok "the same catalogue again stores nothing";;
*) not_ok "re-import KEV" "$out";; esac
out=$(v import "$data/cve/adp.json" 2>&1)
case $out in *"0 added, 1 already present"*) ok "the same record again stores nothing";;
*) not_ok "re-import CVE" "$out";; esac

# A newer EPSS file: the newest score date wins.
out=$(v epss "$data/epss/scores-crlf.csv" 2>&1); rc=$?
out=$(v show CVE-2099-0001 2>&1)
case "$rc:$out" in "0:"*"epss:        0.96000 (percentile 0.99900) on 2099-02-04"*)
	ok "the newest EPSS score is the one shown";;
*) not_ok "newest EPSS" "exit $rc: $out";; esac
case $out in *"cvss 3.1:    9.8 Critical CVSS:3.1/"*"(CISA-ADP)"*"cwe:         CWE-787"*"affected:    foobar in https://pypi.org (1 version range)"*"kev:         added 2099-02-01"*)
	ok "show: CVSS per source, CWE, affected products, KEV";;
*) not_ok "show" "$out";; esac
out=$(v show --json CVE-2099-0001 2>&1)
case $out in '{"cve":"CVE-2099-0001","kev":true,"epss":0.96,"cvss":9.8,"vulnerability":{'*'"x-cybex-kev":{'*'"x-cybex-epss":{'*) ok "show --json: one line with the three objects";;
*) not_ok "show --json" "$out";; esac

# Bad input: precise error, nothing stored, exit 1.
before=$(v list | wc -l)
out=$(v epss "$data/epss/bad/epss-range.csv" 2>&1); rc=$?
case "$rc:$out" in "1:$data/epss/bad/epss-range.csv:3:15: error: the EPSS score must be a number from 0 to 1"*)
	ok "a bad EPSS file: file:line:col, exit 1";;
*) not_ok "bad EPSS" "exit $rc: $out";; esac
out=$(v import "$data/cve/bad/cvss-vector.json" "$data/cve/basic.json" 2>&1); rc=$?
case "$rc:$out" in "1:$data/cve/bad/cvss-vector.json:74:13: error: 'vectorString' column 41: CVSS 3.0 vector: base metric A is missing [/containers/cna/metrics/0/cvssV3_0/vectorString]"*"1 added"*)
	ok "a bad CVE record: line:col and pointer; the next file still imported";;
*) not_ok "bad CVE" "exit $rc: $out";; esac
sed 's/"cveID": "CVE-2099-0003"/"cveID": "CVE-2099-0007"/; s/"dateAdded": "2021-11-03"/"dateAdded": "2021-11-3"/' \
    "$data/kev/catalog.json" > "$tmp/kevbad.json"
out=$(v kev "$tmp/kevbad.json" 2>&1); rc=$?
got=$(v list | grep -c CVE-2099-0007)
[ "$rc" -eq 1 ] && [ "$got" -eq 0 ] && ok "a bad catalogue stores none of its entries" ||
	not_ok "bad KEV atomic" "exit $rc, $got stored: $out"
after=$(v list | wc -l)
[ "$after" -eq $((before + 0)) ] && ok "nothing from the bad files but the good record" ||
	not_ok "counts" "$before -> $after"

# Untrusted text is escaped on the terminal.
sed 's/A buffer overflow in Foo Bar/\\u001b]0;owned\\u0007A buffer overflow/; s/CVE-2099-0001/CVE-2099-0009/g' \
    "$data/cve/adp.json" > "$tmp/esc.json"
v import "$tmp/esc.json" >/dev/null 2>&1
out=$(v list 2>&1; v show CVE-2099-0009 2>&1)
case $out in *"$(printf '\033')"*|*"$(printf '\007')"*) not_ok "escape bytes reach the terminal" "$out";;
*"CVE-2099-0009"*) ok "escape sequences in a description are printed escaped";;
*) not_ok "escaped record listed" "$out";; esac

expect_exit 1 "show of an unknown CVE: exit 1" v show CVE-2000-0001
expect_exit 2 "no collection: exit 2" v list --collection nope
expect_exit 2 "usage: exit 2" "$cybex" vuln frobnicate
out=$("$cybex" vuln --help); case $out in *"usage: cybex vuln import"*) ok "--help";; *) not_ok "--help" "$out";; esac
tap_done
