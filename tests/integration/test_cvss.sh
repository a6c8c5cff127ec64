#!/bin/sh
# cybex cvss end to end: scores, --json, standard input, errors.
# usage: test_cvss.sh CYBEX
set -u
cybex=$1
. "$(dirname "$0")/tap.sh"

out=$("$cybex" cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H AV:N/AC:L/Au:N/C:P/I:P/A:P \
    CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N 2>&1); rc=$?
case "$rc:$out" in
"0:9.8 Critical CVSS:3.1/"*"7.5 High AV:N/"*"5.1 Medium CVSS:4.0/"*"(CVSS-B, macrovector 102201)")
	ok "three versions scored with their ratings";;
*) not_ok "three versions scored" "exit $rc: $out";; esac
out=$("$cybex" cvss --json 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N/E:P/CR:H' 2>&1); rc=$?
case "$rc:$out" in
'0:{"vector":"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N/E:P/CR:H","version":"3.1","score":'*'"base":6.4,"impact":2.7,"exploitability":3.1,"temporal":6.1,"environmental":'*'}')
	ok "--json gives every sub-score";;
*) not_ok "--json gives every sub-score" "exit $rc: $out";; esac
out=$(printf '# a comment\nCVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N\n\nCVSS:3.1/AV:N/AC:L\n' |
    "$cybex" cvss - 2>&1); rc=$?
case "$rc:$out" in
"1:"*"CVSS:3.1/AV:N/AC:L:19: error: CVSS 3.1 vector: base metric PR is missing"*)
	case $out in *"6.5 Medium CVSS:3.0/"*)
		ok "standard input: one a line; a bad one is reported with its column, exit 1";;
	*) not_ok "standard input: the good one scored" "$out";; esac;;
*) not_ok "standard input" "exit $rc: $out";; esac
out=$("$cybex" cvss "$(printf 'CVSS:3.1/AV:\033[2JN')" 2>&1); rc=$?
case "$out" in *"$(printf '\033')"*) not_ok "no raw escape byte in an error" "$out";;
*) [ "$rc" -eq 1 ] && ok "an escape sequence in a vector is printed escaped" ||
	not_ok "an escape sequence: exit 1" "exit $rc";; esac
expect_exit 2 "no vector: usage, exit 2" "$cybex" cvss
out=$("$cybex" cvss --help); case $out in *"usage: cybex cvss"*) ok "--help";; *) not_ok "--help" "$out";; esac
tap_done
