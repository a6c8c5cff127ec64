#!/bin/sh
# The source checks: the layering of the modules (scripts/check-layers)
# and the machine-checkable house style (scripts/check-source) pass on
# the tree, and each fails on a deliberate violation made in a copy.
# usage: test_source.sh SOURCE_ROOT
set -u
src=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "the tree keeps its layering" "$src/scripts/check-layers" "$src"
check "the tree keeps the house style" "$src/scripts/check-source"

# back_edge FILE LINE WANT: a copy with LINE added to FILE must fail with
# a message containing WANT and naming FILE.
back_edge() {
	rm -rf "$tmp/t"; mkdir "$tmp/t"
	(cd "$src" && cp -r include lib server cli "$tmp/t/")
	printf '%s\n' "$2" >> "$tmp/t/$1"
	out=$("$src/scripts/check-layers" "$tmp/t" 2>&1); rc=$?
	case "$rc:$out" in
	1:*"$1:"*"$3"*) ok "a back-edge is refused: $2 in $1";;
	*) not_ok "a back-edge is refused: $2 in $1" "exit $rc: $out";;
	esac
}
back_edge lib/core/buf.c '#include "cybex/store.h"' "core may not use store"
back_edge lib/stix/ids.c '#include "cybex/analysis.h"' "stix may not use analysis"
back_edge include/cybex/ingest.h '#include "cybex/detect.h"' "ingest may not use detect"
back_edge lib/ingest/eve.c '#include "core_int.h"' "internal to core"
back_edge lib/store/store.c '#include "../match/match_int.h"' "internal to match"
back_edge cli/cmd_db.c '#include "server.h"' "internal to server"

printf 'int foo(void)\n{\n\tchar b[8]; sprintf(b, "x"); // c\n\treturn 0;\n}\n' > "$tmp/bad.c"
out=$("$src/scripts/check-source" "$tmp/bad.c" 2>&1); rc=$?
case "$rc:$out" in
1:*return-type*cxx-comment*banned*) ok "check-source finds a misplaced return type, sprintf and a // comment";;
*) not_ok "check-source finds the violations" "exit $rc: $out";;
esac
tap_done
