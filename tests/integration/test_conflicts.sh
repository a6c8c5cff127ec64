#!/bin/sh
# Conflicts through the CLI (issue 23): the same id and modified with other
# content in one collection keeps the first and records the second; the
# import summary counts it, `cybex db conflicts` and `cybex db check` list
# it, `cybex db conflicts resolve` keeps either; another collection with
# other content for the same version is no conflict.  Output is compared
# with golden files (tests/data/conflicts/*.exp), times blanked.
# usage: test_conflicts.sh CYBEX DATA_DIR
set -u
cybex=$1; data=$2
case $cybex in /*) ;; *) cybex=$PWD/$cybex ;; esac
case $data in /*) ;; *) data=$PWD/$data ;; esac
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
unset CYBEX_DB CYBEX_DATA_DIR XDG_DATA_HOME
HOME=$tmp/home; export HOME
db=$tmp/c.db
cp "$data/first.json" "$data/second.json" "$tmp/"
cd "$tmp" || exit 2

# golden NAME FILE: FILE, then FILE.e (its standard error), times and the
# database path blanked, is NAME.exp
golden() {
	[ -f "$2.e" ] && cat "$2.e" >> "$2"
	sed -e 's/ at [0-9][0-9T:.Z-]*/ at TIME/' -e "s|$db|DB|g" \
	    -e 's/"created_us":[0-9]*/"created_us":T/' \
	    -e 's/"collection":"[0-9a-f-]*"/"collection":"C"/' "$2" > "$2.n"
	# CONFLICTS_BLESS=1 writes the golden files (review the diff).
	[ -n "${CONFLICTS_BLESS:-}" ] && cp "$2.n" "$data/$1.exp"
	if cmp -s "$data/$1.exp" "$2.n"; then ok "$1: output as $1.exp"
	else not_ok "$1: output as $1.exp" "$(diff "$data/$1.exp" "$2.n")"; fi
}

"$cybex" import --db "$db" first.json >"$tmp/out" 2>"$tmp/out.e"; rc=$?
"$cybex" import --db "$db" second.json >>"$tmp/out" 2>>"$tmp/out.e"; rc2=$?
is_rc="$rc $rc2"
[ "$is_rc" = "0 1" ] && ok "a conflict makes the import exit 1" ||
    not_ok "a conflict makes the import exit 1" "exit $is_rc"
golden import "$tmp/out"
out=$("$cybex" import --json --quiet --db "$db" second.json 2>/dev/null)
case $out in *'"rejected":1,"conflicts":1,'*) ok "import --json counts the conflict" ;;
*) not_ok "import --json counts the conflict" "$out" ;; esac

"$cybex" db conflicts --db "$db" >"$tmp/list" 2>"$tmp/list.e"; rc=$?
[ "$rc" = 1 ] && ok "db conflicts exits 1 when it lists some" ||
    not_ok "db conflicts exits 1 when it lists some" "exit $rc"
golden list "$tmp/list"
"$cybex" db conflicts --json --db "$db" >"$tmp/json" 2>"$tmp/json.e"
golden list-json "$tmp/json"
"$cybex" db check --db "$db" >"$tmp/check" 2>"$tmp/check.e"; rc=$?
[ "$rc" = 0 ] && ok "db check: conflicts are no inconsistency (exit 0)" ||
    not_ok "db check: conflicts are no inconsistency (exit 0)" "exit $rc"
golden check "$tmp/check"

# Other content for the same version in another collection: no conflict.
"$cybex" collection add --db "$db" --alias other --title Other >/dev/null
"$cybex" import --db "$db" --collection other second.json 2>"$tmp/other"; rc=$?
[ "$rc" = 0 ] && ok "another collection takes the other content" ||
    not_ok "another collection takes the other content" "exit $rc: $(cat "$tmp/other")"
"$cybex" db conflicts --collection other --db "$db" >"$tmp/l2" 2>&1; rc=$?
is_out=$(cat "$tmp/l2")
[ "$rc:$is_out" = "0:0 conflicts" ] && ok "...and has no conflict" ||
    not_ok "...and has no conflict" "exit $rc: $is_out"

# Resolve: keep the second.
"$cybex" db conflicts resolve 1 --keep second --db "$db" >"$tmp/res" 2>"$tmp/res.e"; rc=$?
[ "$rc" = 0 ] && ok "resolve --keep second" || not_ok "resolve --keep second" "exit $rc: $(cat "$tmp/res.e")"
golden resolve "$tmp/res"
"$cybex" export --db "$db" --collection default 2>/dev/null | grep -c '"name":"second"' >"$tmp/n"
[ "$(cat "$tmp/n")" = 1 ] && ok "the default collection now holds the second content" ||
    not_ok "the default collection now holds the second content" "$(cat "$tmp/n")"
"$cybex" db conflicts resolve 1 --keep first --db "$db" >"$tmp/res2" 2>&1; rc=$?
[ "$rc" = 1 ] && ok "a resolved conflict is gone (exit 1)" ||
    not_ok "a resolved conflict is gone (exit 1)" "exit $rc: $(cat "$tmp/res2")"
expect_exit 2 "resolve needs --keep" "$cybex" db conflicts resolve 1 --db "$db"
expect_exit 2 "--keep first or second only" "$cybex" db conflicts resolve 1 --keep both --db "$db"
expect_exit 2 "a conflict number" "$cybex" db conflicts resolve x1 --keep first --db "$db"
expect_exit 0 "db check after resolving" "$cybex" db check --db "$db"
tap_done
