#!/bin/bash
# What the CLI leaves for other local users to see (issue 25):
#  - files it creates are 0600 and its data directory 0700 under any umask
#    (the database, its -wal and -shm files, exports, the access log);
#  - text from input (values in files, file names, stored alert fields,
#    unknown commands) reaches the terminal with its control bytes and
#    escape sequences escaped, printable UTF-8 left readable;
#  - passwords: --password-file and --password-stdin work, --password
#    warns and does not stay in the process's command line.
# usage: test_cli_safety.sh CYBEX ALERT_FIXTURE
set -u
cybex=$1; fixture=$2; jget=""
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"	# tmp, HOME, srv_start/srv_stop
unset CYBEX_DATA_DIR

# Control bytes in TEXT other than newline: none of C0, DEL, or the C1
# bytes 0x80-0x9f that do not follow a UTF-8 lead byte (a raw CSI).
ctl_count() {
	printf '%s' "$1" | LC_ALL=C tr -d -c '\000-\011\013-\037\177' | wc -c
}
no_raw_ctl() {	# description text
	if [ "$(ctl_count "$2")" -eq 0 ]; then ok "$1"
	else not_ok "$1" "$(printf '%s' "$2" | od -c | head -n 8)"; fi
}
mode_is() {	# description want path
	got=$(stat -c %a "$3" 2>&1)
	[ "$got" = "$2" ] && ok "$1: $2" || not_ok "$1: $2" "got $got"
}

ind='"spec_version":"2.1","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '\''1.2.3.4'\'']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"'
cat > "$tmp/ok.json" <<EOF
{"type":"bundle","id":"bundle--6b7e8a8a-2c8f-4f8e-9a0f-6c2a3c9d1e01","objects":[
{"type":"indicator","id":"indicator--6b7e8a8a-2c8f-4f8e-9a0f-6c2a3c9d1e02",$ind}]}
EOF

# ---- 1. modes under a permissive umask ----
for um in 022 000; do
	rm -rf "$tmp/m"; mkdir "$tmp/m"
	(umask $um; "$cybex" import --quiet --db "$tmp/m/c.db" "$tmp/ok.json") ||
	    not_ok "umask $um: import"
	mode_is "umask $um: a new database is" 600 "$tmp/m/c.db"
	(umask $um; "$cybex" export --quiet --db "$tmp/m/c.db" --output "$tmp/m/out.json")
	mode_is "umask $um: export --output is" 600 "$tmp/m/out.json"
	# An old FILE.tmp from someone else's umask does not leak its mode.
	: > "$tmp/m/out2.json.tmp"; chmod 644 "$tmp/m/out2.json.tmp"
	(umask $um; "$cybex" export --quiet --db "$tmp/m/c.db" --output "$tmp/m/out2.json")
	mode_is "umask $um: export over an old FILE.tmp is" 600 "$tmp/m/out2.json"
	(umask $um; "$cybex" collection list --data-dir "$tmp/m/dd/sub" >/dev/null 2>&1;
	    "$cybex" import --quiet --data-dir "$tmp/m/dd/sub" "$tmp/ok.json")
	mode_is "umask $um: the data directory it makes is" 700 "$tmp/m/dd/sub"
	mode_is "umask $um: ...and its parents" 700 "$tmp/m/dd"
	mode_is "umask $um: the database in it is" 600 "$tmp/m/dd/sub/cybex.db"
	# -wal and -shm exist while a connection is open: the server's.
	old=$(umask); umask $um
	srv_start "srv$um" --db "$tmp/m/s.db" --access-log "$tmp/m/access.log"
	started=$?; umask "$old"
	[ "$started" -eq 0 ] || continue
	for _ in $(seq 200); do [ -e "$tmp/m/s.db-shm" ] && break; sleep 0.05; done
	mode_is "umask $um: the database serve makes is" 600 "$tmp/m/s.db"
	mode_is "umask $um: its -wal is" 600 "$tmp/m/s.db-wal"
	mode_is "umask $um: its -shm is" 600 "$tmp/m/s.db-shm"
	mode_is "umask $um: the access log is" 600 "$tmp/m/access.log"
	srv_stop "srv$um"
done

# ---- 2. untrusted text is escaped on the terminal ----
db=$tmp/e.db
printf '{"type":"indicator\\u001b[31mX","spec_version":"2.1","id":"indicator--6b7e8a8a-2c8f-4f8e-9a0f-6c2a3c9d1e03","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z"}\n' > "$tmp/esc.json"
out=$("$cybex" validate "$tmp/esc.json" 2>&1)
no_raw_ctl "validate: an ESC in a reported value is not printed raw" "$out"
case $out in *'indicator\x1b[31mX'*) ok "...but shown escaped";;
*) not_ok "...but shown escaped" "$out";; esac
out=$("$cybex" import --db "$db" "$tmp/esc.json" 2>&1)
no_raw_ctl "import: the same" "$out"
# C1 CSI (U+009B), DEL, BEL and an OSC title sequence; JSON output too.
printf '{"type":"x\\u009b2J\\u007f\\u0007\\u001b]0;pwned\\u0007"}\n' > "$tmp/c1.json"
out=$("$cybex" validate "$tmp/c1.json" 2>&1)
no_raw_ctl "validate: BEL, DEL and OSC escaped" "$out"
case $out in *$'\xc2\x9b'*) not_ok "validate: C1 CSI escaped" "$out";;
*) ok "validate: C1 CSI escaped";; esac
out=$("$cybex" validate --json "$tmp/c1.json" 2>&1)
no_raw_ctl "validate --json: no raw control bytes" "$out"
case $out in *$'\xc2\x9b'*) not_ok "validate --json: C1 CSI as \\u009b" "$out";;
*'\u009b'*) ok "validate --json: C1 CSI as \\u009b";;
*) not_ok "validate --json: C1 CSI as \\u009b" "$out";; esac
# Chinese stays readable.
printf '{"type":"\xe6\x83\x85\xe6\x8a\xa5"}\n' > "$tmp/zh.json"
out=$("$cybex" validate "$tmp/zh.json" 2>&1)
case $out in *$'\xe6\x83\x85\xe6\x8a\xa5'*) ok "Chinese text in a message stays readable";;
*) not_ok "Chinese text in a message stays readable" "$out";; esac
# A file name with an escape sequence, in validate, import and taxii load.
evil=$tmp/$'a\e]0;x\ab\e[2J.json'
printf '{"type": "bundle",\n' > "$evil"
for c in "validate" "import --db $db" "taxii load --db $db"; do
	# shellcheck disable=SC2086
	out=$("$cybex" $c "$evil" 2>&1)
	no_raw_ctl "$c: a file name's escape sequence is escaped" "$out"
done
out=$("$cybex" validate "$tmp/"$'\e[2Jmissing' 2>&1)
no_raw_ctl "validate: a missing file's name is escaped" "$out"
out=$("$cybex" $'\e[2J' 2>&1)
no_raw_ctl "an unknown command's name is escaped" "$out"
# Alert fields (from sensors and peers) in alerts list and show.
"$cybex" org add bank --db "$db" 2>/dev/null
id=$("$fixture" "$db" bank $'k\e]0;x\a\e[2J' amber 2>&1)
out=$("$cybex" alerts show "$id" --db "$db" 2>&1)
no_raw_ctl "alerts show: the key's escape sequence is escaped" "$out"
case $out in *'k\x1b]0;x\x07\x1b[2J'*) ok "...and shown";;
*) not_ok "...and shown" "$out";; esac
# collection, export and serve's settings repeat what they were given.
esc=$'x\e]0;pwned\a\e[2J'
for c in "collection add --title T --alias" "collection set --max-tlp red" \
    "collection remove" "collection grant --read --user" \
    "collection add --title T --max-tlp" "collection add --title T --id" \
    "export --collection" "export --version" "export --added-after"; do
	# shellcheck disable=SC2086
	out=$("$cybex" $c "$esc" --db "$db" 2>&1 </dev/null)
	no_raw_ctl "$c: the value's escape sequence is escaped" "$out"
done
out=$("$cybex" collection set default --max-tlp "$esc" --db "$db" 2>&1)
no_raw_ctl "collection set --max-tlp: escaped" "$out"
out=$("$cybex" collection grant default --read --user nobody --db "$db" 2>&1)
"$cybex" collection add --title $'T\e[2J' --alias esc --db "$db" >/dev/null 2>&1
out=$("$cybex" collection list --db "$db" 2>&1)
no_raw_ctl "collection list: a stored title's escape sequence is escaped" "$out"
case $out in *'T\x1b[2J'*) ok "...and shown";; *) not_ok "...and shown" "$out";; esac
out=$("$cybex" export --db "$db" --output "$tmp/"$'\e[2Jno/such' 2>&1)
no_raw_ctl "export --output: an unwritable name is escaped" "$out"
out=$("$cybex" serve --check-config --db "$db" --max-body "$esc" 2>&1)
no_raw_ctl "serve: a bad flag value is escaped" "$out"
out=$(CYBEX_MAX_CONNECTIONS="$esc" "$cybex" serve --check-config --db "$db" 2>&1)
no_raw_ctl "serve: a bad environment value is escaped" "$out"
printf '%s = 1\n' "$esc" > "$tmp/esc.conf"
out=$("$cybex" serve --check-config --db "$db" --config "$tmp/esc.conf" 2>&1)
no_raw_ctl "serve: an unknown setting's name in a config file is escaped" "$out"
printf 'title = 1\n' > "$tmp/"$'\e[2J.conf'
out=$("$cybex" serve --check-config --db "$db" --config "$tmp/"$'\e[2J.conf' 2>&1)
no_raw_ctl "serve: a config file's name is escaped" "$out"
out=$("$cybex" serve --check-config --db "$db" "--$esc" 2>&1)
no_raw_ctl "serve: an unknown option is escaped" "$out"
out=$("$cybex" serve --check-config --db "$db" --tls-cert "$esc" --tls-key "$esc" 2>&1)
no_raw_ctl "serve --check-config: a value printed back is escaped" "$out"

# ---- 3. passwords ----
db=$tmp/u.db
out=$("$cybex" user add ann --password 'Ann-Secret-123' --db "$db" 2>&1); rc=$?
case "$rc:$out" in 0:*"warning: --password is visible"*) ok "--password works and warns";;
*) not_ok "--password works and warns" "exit $rc: $out";; esac
(umask 077; printf 'Bob-Secret-456\n' > "$tmp/pw")
expect_exit 0 "--password-file" "$cybex" user add bob --password-file "$tmp/pw" --db "$db"
out=$(printf 'Cat-Secret-789\n' | "$cybex" user add cat --password-stdin --db "$db" 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "--password-stdin" || not_ok "--password-stdin" "exit $rc: $out"
case $out in *warning*) not_ok "--password-stdin does not warn" "$out";;
*) ok "--password-stdin does not warn";; esac
expect_exit 2 "a missing --password-file" "$cybex" user add dan --password-file "$tmp/nope" --db "$db"
: > "$tmp/empty"
expect_exit 2 "an empty --password-file" "$cybex" user add dan --password-file "$tmp/empty" --db "$db"
expect_exit 2 "two password sources" "$cybex" user add dan --password-file "$tmp/pw" \
    --password-stdin --db "$db"
expect_exit 0 "passwd --password-file" "$cybex" user passwd ann --password-file "$tmp/pw" --db "$db"
# The stored hashes verify (the file's password, not its newline).
if "$cybex" user list --db "$db" | grep -q '^bob '; then ok "bob exists"; else not_ok "bob exists"; fi
case $("$cybex" user --help) in *"--password-file FILE"*"--password P"*"visible"*) ok "--help tells the better ways";;
*) not_ok "--help tells the better ways";; esac
# While it runs, the command line no longer holds the password: a write
# lock held by sqlite3 makes `user add` wait for the database.
mkfifo "$tmp/ctl"
sqlite3 "$db" < "$tmp/ctl" > "$tmp/lockout" 2>&1 &
lpid=$!
exec 3> "$tmp/ctl"
printf 'BEGIN IMMEDIATE;\nSELECT '\''locked'\'';\n' >&3
for _ in $(seq 200); do grep -q locked "$tmp/lockout" && break; sleep 0.05; done
"$cybex" user add eve --password 'Eve-Visible-42' --db "$db" 2>/dev/null &
upid=$!
seen=""
for _ in $(seq 100); do
	cl=$(tr '\0' ' ' < "/proc/$upid/cmdline" 2>/dev/null)
	case $cl in *"user add eve"*)
		case $cl in *Eve-Visible-42*) ;; *) seen=$cl; break;; esac;;
	esac
	sleep 0.05
done
[ -n "$seen" ] && ok "--password leaves the process's command line" ||
    not_ok "--password leaves the process's command line" "$cl"
printf 'COMMIT;\n' >&3; exec 3>&-
wait "$lpid"
wait "$upid" && ok "...and the waiting user add completes" ||
    not_ok "...and the waiting user add completes"
tap_done
