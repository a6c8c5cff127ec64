# Shared by the test_taxii*.sh scripts (bash): a temporary data directory,
# starting and stopping the real `cybex serve`, curl with the answer kept
# in files, and checks of TAXII answers.  Source after tap.sh, with
# $cybex and $jget set.
#
#   srv_start NAME [FLAGS...]  start on 127.0.0.1:0 (unless FLAGS has
#                              --listen); sets srv_pid, srv_port, url,
#                              srv_err (its standard error) and srv_log
#                              (where its log lines go)
#   srv_stop [NAME]            SIGTERM: checks exit 0 and event=stopped
#   call [CURL ARGS...] URL    curl with the credentials in $AUTH (an array):
#                              sets $code; body in $tmp/b, headers in $tmp/h
#   expect_code WANT DESC      $code is WANT (the body is shown if not)
#   expect_error WANT DESC     ... and the body is a TAXII error for it
tmp=$(mktemp -d)
srv_pid=""
cleanup() {
	[ -n "$srv_pid" ] && kill -KILL "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
# Never touch the user's database or configuration.
unset CYBEX_DB XDG_DATA_HOME CYBEX_CONFIG
HOME=$tmp/home; export HOME
CYBEX_DATA_DIR=$tmp/data; export CYBEX_DATA_DIR
db=$CYBEX_DATA_DIR/cybex.db
TAXII='application/taxii+json;version=2.1'

srv_start() {
	local name=$1 i listen="--listen 127.0.0.1:0" a throttle="--auth-fail-limit 0"
	shift
	# Tests sign in wrongly on purpose, many times: no throttle unless asked.
	for a in "$@"; do
		[ "$a" = --listen ] && listen=""
		[ "$a" = --auth-fail-limit ] && throttle=""
	done
	srv_err=$tmp/$name.err
	srv_log=$srv_err
	for ((i = 1; i <= $#; i++)); do
		[ "${!i}" = --access-log ] && { i=$((i + 1)); srv_log=${!i}; }
	done
	# shellcheck disable=SC2086
	"$cybex" serve $listen $throttle "$@" 2>"$srv_err" &
	srv_pid=$!
	srv_port=""
	for ((i = 0; i < 200; i++)); do
		srv_port=$(sed -n 's/.*event=listening .*port=\([0-9]*\).*/\1/p' \
		    "$srv_log" 2>/dev/null | tail -n 1)
		[ -n "$srv_port" ] && break
		kill -0 "$srv_pid" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$srv_port" ]; then
		not_ok "server $name starts" "$(cat "$srv_err" "$srv_log" 2>/dev/null)"
		kill -KILL "$srv_pid" 2>/dev/null
		srv_pid=""
		return 1
	fi
	url=http://127.0.0.1:$srv_port
	return 0
}

srv_stop() {
	local rc name=${1:-server}
	[ -z "$srv_pid" ] && { not_ok "$name stops cleanly" "it was not running"; return; }
	kill -TERM "$srv_pid"
	wait "$srv_pid"; rc=$?
	srv_pid=""
	if [ "$rc" -eq 0 ] && grep -q 'event=stopped' "$srv_log"; then
		ok "$name stops on SIGTERM: exit 0, event=stopped"
	else
		not_ok "$name stops on SIGTERM: exit 0, event=stopped" \
		    "exit $rc; $(tail -n 3 "$srv_log")"
	fi
}

AUTH=()
call() {
	code=$(curl -gs --max-time 10 "${AUTH[@]}" -o "$tmp/b" -D "$tmp/h" -w '%{http_code}' "$@")
	[ -n "$code" ] || code=000
}

# A response header's value (the last one of that name).
hdr() {
	sed -n "s/^$1: *//Ip" "$tmp/h" | tr -d '\r' | tail -n 1
}

expect_code() {
	if [ "$code" = "$1" ]; then ok "$2"
	else not_ok "$2" "HTTP $code, wanted $1: $(head -c 600 "$tmp/b")"; fi
}

# A TAXII error message: title, description, http_status (a string).
error_body_ok() {
	[ "$(hdr Content-Type)" = "$TAXII" ] &&
	    [ -n "$("$jget" "$tmp/b" /title)" ] &&
	    [ -n "$("$jget" "$tmp/b" /description)" ] &&
	    [ "$("$jget" -t "$tmp/b" /http_status)" = string ] &&
	    [ "$("$jget" "$tmp/b" /http_status)" = "$1" ]
}

expect_error() {
	if [ "$code" = "$1" ] && error_body_ok "$1"; then ok "$2"
	else not_ok "$2" "HTTP $code, wanted $1 with a TAXII error body: $(head -c 600 "$tmp/b")"; fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then ok "$3"
	else not_ok "$3" "got '$1', wanted '$2'"; fi
}

# A STIX identity: ident N MODIFIED [NAME]
ident() {
	printf '{"type":"identity","spec_version":"2.1","id":"identity--00000000-0000-4000-8000-%012d","created":"2020-01-01T00:00:00.000Z","modified":"%s","name":"%s","identity_class":"organization"}' \
	    "$1" "$2" "${3:-identity $1}"
}
ident_id() {
	printf 'identity--00000000-0000-4000-8000-%012d' "$1"
}
envelope() {
	local IFS=,
	printf '{"objects":[%s]}' "$*"
}

# The value at a JSON pointer of the last answer.
jv() {
	"$jget" "$tmp/b" "$1"
}
# One member of each element of an array of the last answer, on one line.
col() {
	"$jget" -c "$tmp/b" "$1" "$2" | tr '\n' ' ' | sed 's/ $//'
}

# Grants: `cybex collection grant/revoke` when the CLI has them, else the
# store directly (taxii_fixture, same arguments).
if "$cybex" collection grant --help >/dev/null 2>&1; then
	grant_via=cli
else
	grant_via=fixture
	echo "# 'cybex collection grant' does not exist: grants go through taxii_fixture"
fi
grant() {
	if [ "$grant_via" = cli ]; then "$cybex" collection grant "$@"
	else "$fixture" "$db" grant "$@"; fi
}
revoke() {
	if [ "$grant_via" = cli ]; then "$cybex" collection revoke "$@"
	else "$fixture" "$db" revoke "$@"; fi
}

# wait_status ID: poll the status (as $AUTH) until complete; the last
# answer stays in $tmp/b.  1 when it is not complete within 10 seconds.
wait_status() {
	local i
	for ((i = 0; i < 200; i++)); do
		call "$url/${2:-api1}/status/$1/"
		[ "$code" = 200 ] && [ "$(jv /status)" = complete ] && return 0
		sleep 0.05
	done
	return 1
}

# walk URL: follow next from URL (GET, as $AUTH) until more is false; the
# pages are $tmp/page.1 ... $tmp/page.$npages.  1 on an error answer or
# after 100 pages.
walk() {
	local next=""
	npages=0
	rm -f "$tmp"/page.*
	while [ "$npages" -lt 100 ]; do
		if [ -n "$next" ]; then call -G --data-urlencode "next=$next" "$1"
		else call "$1"; fi
		[ "$code" = 200 ] || return 1
		npages=$((npages + 1))
		cp "$tmp/b" "$tmp/page.$npages"
		[ "$(jv /more)" = true ] || return 0
		next=$(jv /next) || return 1
	done
	return 1
}
# The MEMBER of every element of /objects (or another array) on every
# page of the last walk, one a line.
walk_col() {
	local i
	for ((i = 1; i <= npages; i++)); do
		"$jget" -c "$tmp/page.$i" "${2:-/objects}" "$1"
	done
}
# The objects of every page of the last walk as one envelope, into FILE.
walk_envelope() {
	local i
	{
		printf '{"objects":['
		for ((i = 1; i <= npages; i++)); do
			"$jget" -e "$tmp/page.$i" /objects
		done | paste -sd, -
		printf ']}'
	} > "$1"
}
