# Shared by the test_incident_*.sh scripts (bash), after tap.sh and
# taxii_lib.sh: the organizations, users and roles of the incident REST
# API tests, and calls to it.
#
#   inc_setup            orgs acme and beta; users (tokens in $tok_NAME):
#                        root (hub admin), lead, ana (analyst), ro
#                        (read-only) of acme, beo (analyst of beta),
#                        nob (of no organization)
#   as NAME              the credentials of NAME (anon: none)
#   api METHOD PATH [BODY] [IF-MATCH]
#                        a JSON call to /api/v1/PATH: $code, $tmp/b, $tmp/h
#   inc_new [BODY]       as root, a new incident (default: acme, AMBER):
#                        $inc_id and $inc_ver (call it outside $(...))
#   etag_of ID           as root, the current version of ID
JSON=application/json
inc_setup() {
	local u t setup=""
	"$cybex" org add acme >/dev/null 2>>"$tmp/setup" || setup="$setup org"
	"$cybex" org add beta >/dev/null 2>>"$tmp/setup" || setup="$setup org"
	for u in root lead ana ro beo nob; do
		"$cybex" user add "$u" --no-password $([ "$u" = root ] && echo --admin) \
		    >/dev/null 2>>"$tmp/setup" || setup="$setup user:$u"
	done
	"$cybex" org member acme lead --role lead 2>>"$tmp/setup" || setup="$setup lead"
	"$cybex" org member acme ana --role analyst 2>>"$tmp/setup" || setup="$setup ana"
	"$cybex" org member acme ro --role read-only 2>>"$tmp/setup" || setup="$setup ro"
	"$cybex" org member beta beo 2>>"$tmp/setup" || setup="$setup beo"
	for u in root lead ana ro beo nob; do
		t=$("$cybex" token create "$u" 2>>"$tmp/setup") || setup="$setup token:$u"
		eval "tok_$u=\$t"
	done
	[ -z "$setup" ] && ok "organizations, users, roles and tokens set up" ||
	    not_ok "set up" "$setup: $(cat "$tmp/setup")"
}
as() {
	local t
	if [ "$1" = anon ]; then AUTH=(); return; fi
	eval "t=\$tok_$1"
	AUTH=(-H "Authorization: Bearer $t")
}
api() {
	local m=$1 p=$2 body=${3:-} im=${4:-}
	local args=(-X "$m")
	[ -n "$body" ] && args+=(-H "Content-Type: $JSON" --data-binary "$body")
	[ -n "$im" ] && args+=(-H "If-Match: \"$im\"")
	call "${args[@]}" "$url/api/v1/$p"
}
inc_new() {
	local save=("${AUTH[@]}") body='{"title":"Phishing wave","org":"acme"}'
	[ $# -gt 0 ] && body=$1
	as root
	api POST incidents "$body"
	AUTH=("${save[@]}")
	[ "$code" = 201 ] || { echo "inc_new: HTTP $code $(head -c 300 "$tmp/b")" >&2; return 1; }
	inc_ver=$(jv /version)
	inc_id=$(jv /id)
}
etag_of() {
	local save=("${AUTH[@]}")
	as root
	api GET "incidents/$1"
	AUTH=("${save[@]}")
	jv /version
}
