# Minimal TAP helpers for the integration scripts (POSIX sh).
tap_n=0
tap_failed=0
ok() {		# description
	tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"
}
not_ok() {	# description [detail]
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
	return 0
}
check() {	# description command...
	d=$1; shift
	if out=$("$@" 2>&1); then ok "$d"; else not_ok "$d" "$out"; fi
}
# expect_exit CODE description command...: the command exits with CODE.
expect_exit() {
	want=$1; d=$2; shift 2
	out=$("$@" 2>&1); got=$?
	if [ "$got" -eq "$want" ]; then ok "$d"; else
		not_ok "$d" "exit $got, wanted $want: $out"; fi
}
tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
