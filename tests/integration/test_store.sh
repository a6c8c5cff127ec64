#!/bin/sh
# The store through the CLI: import / export round trip of the official
# STIX 2.1 examples and the ATT&CK data (every version, JSON-equal),
# idempotent re-import, crash safety under kill -9 (whole batches only,
# the database stays consistent, a re-run completes the import), the
# collection and db commands, and clean errors (exit 2, never a crash)
# for an unknown collection, unreadable input, a database that cannot be
# created and a database file full of random bytes.
# usage: test_store.sh CYBEX STIX_SAME CONFORMANCE_DIR
# Environment: STORE_KILL_OBJECTS (200000) objects in the kill -9 input.
set -u
cybex=$1; same=$2; conf=$3
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Never touch the user's database: every command gets an explicit place.
unset CYBEX_DB CYBEX_DATA_DIR XDG_DATA_HOME
HOME=$tmp/home; export HOME
ex=$conf/stix21/json-schemas/examples
db=$tmp/rt.db

# A number from --json output: json_num KEY TEXT (the last KEY in TEXT).
json_num() {
	printf '%s' "$2" | tr ',{}' '\n\n\n' | sed -n "s/^\"$1\":\([0-9][0-9]*\)$/\1/p" | tail -n 1
}

# ---- round trip: everything in, everything out, all versions ----
# Files of STIX 2.0 content (objects without spec_version) are refused by
# import (issue 23); they are left out here and checked below.
find "$ex" "$conf/stix21/attack-data" -type f -name '*.json' | sort > "$tmp/found"
: > "$tmp/inputs"; : > "$tmp/stix20"
while read -r f; do
	if tr -d ' \n' < "$f" | grep -q '"spec_version":"2.0","type":"bundle"'; then
		echo "$f" >> "$tmp/stix20"
	else
		echo "$f" >> "$tmp/inputs"
	fi
done < "$tmp/found"
nin=$(wc -l < "$tmp/inputs")
# One example is TLP:RED: only a collection allowed to hold it takes it.
"$cybex" collection add --db "$db" --alias all --title All --max-tlp red >/dev/null
# shellcheck disable=SC2046
out=$("$cybex" import --quiet --json --db "$db" --collection all $(cat "$tmp/inputs") 2>&1); rc=$?
if [ "$rc" -eq 0 ] && [ "$nin" -gt 30 ]; then ok "import of $nin conformance files"
else not_ok "import of $nin conformance files" "exit $rc: $out"; fi
total=$(json_num objects "$out"); added=$(json_num added "$out")
present=$(json_num present "$out")
[ -n "$total" ] && [ "$total" -gt 250 ] && [ $((added + present)) -eq "$total" ] &&
    ok "summary: $total objects, $added added, $present already present" ||
    not_ok "summary adds up" "$out"
f20=$(head -n 1 "$tmp/stix20")
if [ -n "$f20" ]; then
	expect_exit 1 "a STIX 2.0 conformance file is refused" "$cybex" import --quiet \
	    --db "$tmp/s20.db" "$f20"
fi
expect_exit 0 "export --version all" "$cybex" export --quiet --db "$db" --version all \
    --output "$tmp/all.json"
# shellcheck disable=SC2046
out=$("$same" "$tmp/all.json" $(cat "$tmp/inputs") 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "exported objects equal the imported ones (all versions)" ||
    not_ok "exported objects equal the imported ones" "$out"
expect_exit 0 "the export is valid STIX 2.1" "$cybex" validate -q "$tmp/all.json"
[ ! -e "$tmp/all.json.tmp" ] && ok "no FILE.tmp left behind" || not_ok "no FILE.tmp left behind"
n=$(grep -c '"bundle--' "$tmp/all.json")
[ "$n" -ge 1 ] && ok "export is a bundle" || not_ok "export is a bundle"
# The same through standard output, re-imported into a fresh database.
"$cybex" export --quiet --db "$db" --version all > "$tmp/all2.json"
"$cybex" collection add --db "$tmp/rt2.db" --alias all --title All --max-tlp red >/dev/null
out=$("$cybex" import --quiet --json --db "$tmp/rt2.db" --collection all "$tmp/all2.json" 2>&1)
[ "$(json_num added "$out")" = "$(json_num versions "$("$cybex" db stats --json --db "$db")")" ] &&
    ok "an export re-imports completely" || not_ok "an export re-imports completely" "$out"
# Only the last versions by default; --type filters.
out=$("$cybex" export --quiet --db "$db" --type identity --version all)
nall=$(printf '%s' "$out" | grep -c '"type": *"identity"')
out=$("$cybex" export --quiet --db "$db" --type identity)
nlast=$(printf '%s' "$out" | grep -c '"type": *"identity"')
nobj=$("$cybex" db stats --json --db "$db" | sed -n 's/.*"identity":{"objects":\([0-9]*\).*/\1/p')
[ "$nall" -gt "$nlast" ] && [ "$nlast" -eq "$nobj" ] &&
    ok "--version last gives one version per object ($nlast of $nall)" ||
    not_ok "--version last gives one version per object" "all $nall last $nlast objects $nobj"
out=$("$cybex" export --quiet --db "$db" --added-after 2999-01-01T00:00:00Z)
[ "$out" = "${out#*objects}" ] && ok "--added-after in the future: empty bundle" ||
    not_ok "--added-after in the future: empty bundle" "$out"
expect_exit 2 "bad --version" "$cybex" export --db "$db" --version newest
expect_exit 2 "bad --added-after" "$cybex" export --db "$db" --added-after yesterday

# ---- TLP: a collection refuses objects marked above its ceiling ----
red=$ex/interop-objectmarking-test.json
out=$("$cybex" import --db "$tmp/tlp.db" "$red" 2>&1); rc=$?
case "$rc $out" in "1 "*"TLP:RED"*"at most TLP:AMBER+STRICT"*) ok "a TLP:RED object is refused by a default collection";;
*) not_ok "a TLP:RED object is refused by a default collection" "exit $rc: $out";; esac
"$cybex" collection add --db "$tmp/tlp.db" --alias red --title Red --max-tlp red >/dev/null
expect_exit 0 "...and taken by a collection with --max-tlp red" \
    "$cybex" import --quiet --db "$tmp/tlp.db" --collection red "$red"
expect_exit 2 "--max-tlp takes only TLP levels" "$cybex" collection add --db \
    "$tmp/tlp.db" --title X --max-tlp purple

# ---- importing the same data twice adds nothing ----
f=$ex/threat-reports/poisonivy.json
out=$("$cybex" import --quiet --json --db "$tmp/twice.db" "$f")
a1=$(json_num added "$out"); o1=$(json_num objects "$out")
out=$("$cybex" import --quiet --json --db "$tmp/twice.db" "$f"); rc=$?
a2=$(json_num added "$out"); p2=$(json_num present "$out"); o2=$(json_num objects "$out")
[ "$rc" -eq 0 ] && [ "$a1" -eq "$o1" ] && [ "$o1" -gt 100 ] && [ "$a2" -eq 0 ] &&
    [ "$p2" -eq "$o2" ] && ok "second import: 0 added, $p2 of $o2 already present" ||
    not_ok "second import adds nothing" "first: $a1/$o1; second: $out"
out=$("$cybex" import --db "$tmp/twice.db" "$f" 2>&1)
case $out in *"0 added"*"$o1 already present, 0 rejected"*) ok "text summary says so";;
*) not_ok "text summary says so" "$out";; esac
# Into another collection: linked, not stored twice.
"$cybex" collection add --db "$tmp/twice.db" --alias feed --title Feed >/dev/null
out=$("$cybex" import --quiet --json --collection feed --db "$tmp/twice.db" "$f")
[ "$(json_num linked "$out")" = "$o1" ] && ok "into another collection: all linked" ||
    not_ok "into another collection: all linked" "$out"
st=$("$cybex" db stats --json --db "$tmp/twice.db")
case $st in *'"by_collection":{"default":{"objects":'"$o1"*'"feed":{"objects":'"$o1"*)
	ok "stats per collection";;
*) not_ok "stats per collection" "$st";; esac

# ---- rejects: file:line:col, exit 1, all-or-nothing ----
ve=$conf/stix21/validator-examples/test_examples
{ cat "$ve/identity.json"; cat "$ve/invalid_timestamp.json"; cat "$ve/tool.json"; } > "$tmp/mixed.json"
out=$("$cybex" import --db "$tmp/rej.db" "$tmp/mixed.json" 2>/dev/null); rc=$?
[ "$rc" -eq 1 ] && ok "rejected objects: exit 1" || not_ok "rejected objects: exit 1" "exit $rc"
case $out in *"mixed.json:"[0-9]*:[0-9]*": error: "*"[/modified]"*) ok "reject printed as file:line:col: error: ... [pointer]";;
*) not_ok "reject printed as file:line:col" "$out";; esac
out=$("$cybex" import --json --db "$tmp/rej.db" "$tmp/mixed.json" 2>/dev/null)
[ "$(json_num rejected "$out")" = 1 ] && [ "$(json_num present "$out")" = 2 ] &&
    ok "--json counts the reject" || not_ok "--json counts the reject" "$out"
expect_exit 1 "--all-or-nothing with an invalid object" \
    "$cybex" import --all-or-nothing --db "$tmp/aon.db" "$tmp/mixed.json"
st=$("$cybex" db stats --json --db "$tmp/aon.db")
case $st in *'"objects":0,'*) ok "--all-or-nothing stored nothing";;
*) not_ok "--all-or-nothing stored nothing" "$st";; esac
expect_exit 1 "--strict turns warnings into rejects" \
    "$cybex" import --strict --db "$tmp/strict.db" "$ve/identity_custom.json"
{ printf '{"type":"bundle","id":"bundle--nope","objects":['; cat "$ve/tool.json"; printf ']}'; } > "$tmp/badenv.json"
out=$("$cybex" import -q --db "$tmp/badenv.db" "$tmp/badenv.json" 2>&1); rc=$?
case "$rc:$out" in 1:*"badenv.json:1:1: error: "*"[/id]"*) ok "an invalid bundle envelope: reported, exit 1";;
*) not_ok "an invalid bundle envelope: reported, exit 1" "exit $rc: $out";; esac
expect_exit 0 "standard input" sh -c "\"$cybex\" import -q --db \"$tmp/stdin.db\" - < \"$ve/tool.json\""

# ---- collections and db commands ----
cdb=$tmp/coll.db
id=$("$cybex" collection add --db "$cdb" --alias intel --title "Intel" --description "d")
case $id in ????????-????-4???-????-????????????) ok "collection add prints the new id";;
*) not_ok "collection add prints the new id" "$id";; esac
expect_exit 2 "duplicate alias" "$cybex" collection add --db "$cdb" --alias intel --title X
expect_exit 2 "duplicate id" "$cybex" collection add --db "$cdb" --id "$id" --title X
expect_exit 2 "--title is required" "$cybex" collection add --db "$cdb" --alias y
expect_exit 0 "collection add with --id" "$cybex" collection add --db "$cdb" \
    --id 91a7b528-80eb-42ed-a74d-c6fbd5a26116 --title Fixed
out=$("$cybex" collection list --db "$cdb")
case $out in *default*"$id"*intel*91a7b528-80eb-42ed-a74d-c6fbd5a26116*) ok "collection list";;
*) not_ok "collection list" "$out";; esac
out=$("$cybex" collection list --json --db "$cdb")
case $out in '[{"id":'*'"alias":"default"'*'"alias":"intel"'*'"description":"d"'*) ok "collection list --json";;
*) not_ok "collection list --json" "$out";; esac
"$cybex" import -q --collection intel --db "$cdb" "$ve/tool.json"
expect_exit 0 "export --collection by alias" "$cybex" export -q --db "$cdb" --collection intel
expect_exit 0 "collection remove by alias" "$cybex" collection remove --db "$cdb" intel
expect_exit 2 "collection remove of an unknown one" "$cybex" collection remove --db "$cdb" intel
expect_exit 2 "the default collection cannot be removed" "$cybex" collection remove --db "$cdb" default
out=$("$cybex" db stats --json --db "$cdb")
case $out in *'"objects":0,'*) ok "removing the collection removed its only object";;
*) not_ok "removing the collection removed its only object" "$out";; esac
expect_exit 0 "db check on a used database" "$cybex" db check --db "$db"
out=$("$cybex" db check --json --db "$db")
case $out in *'"consistent":true'*) ok "db check --json";; *) not_ok "db check --json" "$out";; esac
out=$("$cybex" db stats --db "$db")
case $out in *"size on disk"*"identity"*"default"*) ok "db stats (text)";;
*) not_ok "db stats (text)" "$out";; esac
for c in import export db collection; do
	expect_exit 0 "$c --help" "$cybex" $c --help
done
expect_exit 2 "db without a subcommand" "$cybex" db
expect_exit 2 "import without FILE" "$cybex" import --db "$db"
expect_exit 2 "bad --batch" "$cybex" import --batch 0 --db "$db" "$f"

# ---- where the database is ----
"$cybex" import -q "$ve/tool.json" 2>/dev/null
[ -f "$HOME/.local/share/cybex/cybex.db" ] && ok "default: ~/.local/share/cybex/cybex.db" ||
    not_ok "default: ~/.local/share/cybex/cybex.db" "$(ls -R "$HOME" 2>&1)"
mode=$(stat -c %a "$HOME/.local/share/cybex" 2>/dev/null)
[ "$mode" = 700 ] && ok "data directory created with mode 0700" ||
    not_ok "data directory created with mode 0700" "mode $mode"
XDG_DATA_HOME=$tmp/xdg "$cybex" import -q "$ve/tool.json"
[ -f "$tmp/xdg/cybex/cybex.db" ] && ok "\$XDG_DATA_HOME/cybex" || not_ok "\$XDG_DATA_HOME/cybex"
CYBEX_DATA_DIR=$tmp/dd "$cybex" import -q "$ve/tool.json"
[ -f "$tmp/dd/cybex.db" ] && ok "\$CYBEX_DATA_DIR" || not_ok "\$CYBEX_DATA_DIR"
CYBEX_DB=$tmp/env.db "$cybex" import -q "$ve/tool.json"
[ -f "$tmp/env.db" ] && ok "\$CYBEX_DB" || not_ok "\$CYBEX_DB"
CYBEX_DB=$tmp/env.db "$cybex" import -q --data-dir "$tmp/flag" "$ve/tool.json"
[ -f "$tmp/flag/cybex.db" ] && ok "--data-dir beats \$CYBEX_DB" || not_ok "--data-dir beats \$CYBEX_DB"
expect_exit 0 "every command finds it the same way" env CYBEX_DATA_DIR="$tmp/dd" \
    "$cybex" db check
expect_exit 2 "reading commands do not create a database" \
    "$cybex" export --db "$tmp/none.db"
[ ! -e "$tmp/none.db" ] && ok "... and none was created" || not_ok "... and none was created"

# ---- errors: exit 2 with a message, never a crash ----
out=$("$cybex" import --db "$db" --collection nope "$f" 2>&1); rc=$?
case "$rc:$out" in 2:*"no collection 'nope'"*"cybex collection add"*) ok "unknown collection: exit 2, names it, suggests collection add";;
*) not_ok "unknown collection" "exit $rc: $out";; esac
expect_exit 2 "export of an unknown collection" "$cybex" export --db "$db" --collection nope
expect_exit 2 "missing input file" "$cybex" import --db "$db" "$tmp/nope.json"
out=$("$cybex" import --db "$db" "$tmp" 2>&1); rc=$?
[ "$rc" -eq 2 ] && ok "a directory as input: exit 2" || not_ok "a directory as input: exit 2" "exit $rc: $out"
if [ "$(id -u)" -ne 0 ]; then
	cp "$f" "$tmp/noread.json"; chmod 000 "$tmp/noread.json"
	expect_exit 2 "unreadable input file" "$cybex" import --db "$db" "$tmp/noread.json"
	mkdir "$tmp/ro"; chmod 555 "$tmp/ro"
	rodb=$tmp/ro/cybex.db; rodir=$tmp/ro/sub
else
	# Root ignores permissions: /proc refuses new files for everyone.
	ok "unreadable input file # SKIP root ignores file permissions"
	rodb=/proc/cybex-test-$$.db; rodir=/proc/cybex-test-$$
fi
out=$("$cybex" import --db "$rodb" "$f" 2>&1); rc=$?
case "$rc:$out" in 2:*"cannot open the database"*) ok "database in a read-only directory: exit 2";;
*) not_ok "database in a read-only directory: exit 2" "exit $rc: $out";; esac
out=$("$cybex" import --data-dir "$rodir" "$f" 2>&1); rc=$?
case "$rc:$out" in 2:*"cannot create the data directory"*) ok "data directory that cannot be made: exit 2";;
*) not_ok "data directory that cannot be made: exit 2" "exit $rc: $out";; esac
head -c 65536 /dev/urandom > "$tmp/junk.db"
for c in "import $f" "export" "db check" "db stats" "collection list"; do
	# shellcheck disable=SC2086
	out=$("$cybex" $c --db "$tmp/junk.db" 2>&1); rc=$?
	case "$rc:$out" in 2:*"cannot open the database"*) ok "random-bytes database: $c exits 2";;
	*) not_ok "random-bytes database: $c exits 2" "exit $rc: $out";; esac
done
# A real database with one page overwritten: it opens, the check finds it.
cp "$tmp/twice.db" "$tmp/damaged.db"
head -c 4096 /dev/urandom | dd of="$tmp/damaged.db" bs=4096 seek=20 conv=notrunc 2>/dev/null
out=$("$cybex" db check --db "$tmp/damaged.db" 2>&1); rc=$?
case "$rc:$out" in 1:*"error: integrity"*) ok "a damaged page: db check exits 1 and says where";;
*) not_ok "a damaged page: db check exits 1" "exit $rc: $out";; esac
{ printf 'SQLite format 3\000'; head -c 65520 /dev/urandom; } > "$tmp/junk2.db"
out=$("$cybex" import --db "$tmp/junk2.db" "$f" 2>&1); rc=$?
[ "$rc" -eq 2 ] && ok "SQLite header + random bytes: exit 2" ||
    not_ok "SQLite header + random bytes: exit 2" "exit $rc: $out"
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[' > "$tmp/trunc.json"
cat "$ve/tool.json" >> "$tmp/trunc.json"; printf ',{"type":' >> "$tmp/trunc.json"
out=$("$cybex" import --db "$tmp/trunc.db" "$tmp/trunc.json" 2>/dev/null); rc=$?
case "$rc:$out" in 2:*trunc.json:[0-9]*:[0-9]*": error: "*) ok "truncated input: exit 2 with file:line:col";;
*) not_ok "truncated input: exit 2 with file:line:col" "exit $rc: $out";; esac
out=$("$cybex" db stats --json --db "$tmp/trunc.db")
case $out in *'"objects":1,'*) ok "... and the objects before the break are kept";;
*) not_ok "... and the objects before the break are kept" "$out";; esac

# ---- kill -9 during a large import ----
N=${STORE_KILL_OBJECTS:-200000}
B=1000
awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--%08x-0000-4000-8000-%012x\",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"generated %d\",\"identity_class\":\"organization\"}\n", i, i, i
}' > "$tmp/big.jsonl"
n=$(wc -l < "$tmp/big.jsonl")
[ "$n" -eq "$N" ] && ok "generated $N objects as JSON lines" || not_ok "generated $N objects"
# How long a whole import takes here, to kill at fractions of it.
t0=$(date +%s.%N)
"$cybex" import --quiet --batch $B --db "$tmp/full.db" "$tmp/big.jsonl" >/dev/null 2>&1
t1=$(date +%s.%N)
full=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "# a whole import of $N objects takes ${full}s"
rm -f "$tmp/full.db"*
run=0
for frac in 0.1 0.3 0.6 0.9; do
	run=$((run + 1))
	t=$(awk -v f="$frac" -v T="$full" 'BEGIN { printf "%.2f", f * T }')
	k=$tmp/kill$run.db
	"$cybex" collection add --db "$k" --alias bulk --title Bulk >/dev/null
	"$cybex" import --quiet --batch $B --collection bulk --db "$k" "$tmp/big.jsonl" \
	    >/dev/null 2>&1 &
	pid=$!
	sleep "$t"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; killed=$?
	expect_exit 0 "kill -9 after ${t}s (exit $killed): db check passes" \
	    "$cybex" db check --db "$k"
	st=$("$cybex" db stats --json --db "$k")
	got=$(json_num objects "$(printf '%s' "$st" | sed 's/,"types".*//')")
	if [ -n "$got" ] && [ $((got % B)) -eq 0 ] && [ "$got" -le "$N" ]; then
		ok "kill -9 after ${t}s: $got objects stored, whole batches of $B"
	else
		not_ok "kill -9 after ${t}s: whole batches only" "$st"
	fi
	out=$("$cybex" import --quiet --json --batch $B --collection bulk --db "$k" \
	    "$tmp/big.jsonl" 2>&1); rc=$?
	a=$(json_num added "$out"); p=$(json_num present "$out")
	if [ "$rc" -eq 0 ] && [ $((a + p)) -eq "$N" ] && [ "$p" -eq "$got" ]; then
		ok "re-run after kill: $a added + $p present = $N"
	else
		not_ok "re-run after kill completes the import" "exit $rc: $(printf '%s' "$out" | tail -c 300)"
	fi
	st=$("$cybex" db stats --json --db "$k")
	case $st in *"\"objects\":$N,\"versions\":$N,"*) ok "no duplicates: $N objects, $N versions";;
	*) not_ok "no duplicates after the re-run" "$st";; esac
	rm -f "$k" "$k-wal" "$k-shm"
done

tap_done
