#!/bin/bash
# The incident REST API's authorization matrix (docs/incidents.md): every
# route against every kind of caller (hub admin; lead, analyst and
# read-only of the incident's organization acme; an analyst of another
# organization; a user of no organization; no credentials), each cell's
# exact status code, refusals as RFC 9457 problem details, and every
# change in the audit log with who and what.
# usage: test_incident_authz.sh CYBEX CONFORMANCE_DIR JGET ALERT_FIXTURE
set -u
cybex=$1; jget=$3; fixture=$4
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/incident_lib.sh"

inc_setup
expect_exit 2 "cybex org member --role admin is refused (admin is no role)" \
    "$cybex" org member acme ana --role admin
sqlite3 "$db" "SELECT u.name, m.rights FROM org_members m JOIN users u USING (uid) ORDER BY u.name" > "$tmp/roles"
is "$(tr '\n' ' ' < "$tmp/roles")" "ana|16 beo|16 lead|32 ro|0 " "the roles are stored with the memberships"
srv_start incauthz || { tap_done; exit 1; }

roles=(root lead ana ro beo nob anon)
problem_ok() {
	[ "$(hdr Content-Type)" = application/problem+json ] &&
	    [ "$(jv /status)" = "$code" ] && [ -n "$(jv /title)" ] &&
	    [ -n "$(jv /detail)" ]
}
# cell ROUTE ROLE WANT: the last call answered WANT (refusals: a problem).
cell() {
	if [ "$code" != "$3" ]; then
		not_ok "$1 as $2: $3" "HTTP $code: $(head -c 400 "$tmp/b")"
	elif [ "$3" -ge 400 ] && [ "$3" != 401 ] && ! problem_ok; then
		not_ok "$1 as $2: $3 as application/problem+json" "$(hdr Content-Type) $(head -c 400 "$tmp/b")"
	else
		ok "$1 as $2: $3"
	fi
}
# run ROUTE: before each cell prep (a function named by $prep, or
# nothing) makes what the cell acts on ($inc_id...); act makes the call;
# want holds one code per role, in the order of roles.
run() {
	local route=$1 i
	for i in "${!roles[@]}"; do
		[ -n "$prep" ] && $prep
		as "${roles[$i]}"
		act
		cell "$route" "${roles[$i]}" "${want[$i]}"
	done
}
fresh() { inc_new; }
with_task() {
	inc_new
	as root; api POST "incidents/$inc_id/tasks" '{"title":"Block the sender"}'
}
ev=indicator--11111111-1111-4111-8111-111111111111
ev2=ipv4-addr--22222222-2222-4222-8222-222222222222
with_evidence() {
	inc_new
	as root; api POST "incidents/$inc_id/evidence" "{\"refs\":[\"$ev\",\"$ev2\"]}"
}
with_other() {
	inc_new; into=$inc_id
	inc_new; from=$inc_id
}
new_alert() {
	alert=$("$fixture" "$db" acme "key-$RANDOM-$RANDOM" amber 2>>"$tmp/setup")
}

#                 root lead ana ro  beo nob anon
prep=fresh
act() { api GET incidents; }
want=(200 200 200 200 200 403 401); run "list"
act() { api GET "incidents/$inc_id"; }
want=(200 200 200 200 404 403 401); run "get"
prep=""
act() { api POST incidents '{"title":"New one","org":"acme"}'; }
want=(201 201 201 403 403 403 401); run "create in acme"
act() { api POST incidents '{"title":"New one"}'; }
want=(201 201 201 403 201 403 401); run "create in one's own organization"
prep=fresh
act() { api PATCH "incidents/$inc_id" '{"severity":3}' "$inc_ver"; }
want=(200 200 200 403 404 403 401); run "update"
act() { api POST "incidents/$inc_id/transitions" '{"status":"triage"}'; }
want=(200 200 200 403 404 403 401); run "transition to triage"
act() { api POST "incidents/$inc_id/transitions" '{"status":"closed","resolution":"benign"}'; }
want=(200 200 403 403 404 403 401); run "close"
act() { api POST "incidents/$inc_id/assign" '{"assignee":"ana"}'; }
want=(200 200 403 403 404 403 401); run "assign"
act() { api POST "incidents/$inc_id/notes" '{"text":"Mails from evil.example"}'; }
want=(201 201 201 403 404 403 401); run "note"
act() { api POST "incidents/$inc_id/tasks" '{"title":"Block the sender"}'; }
want=(201 201 201 403 404 403 401); run "task"
prep=with_task
act() { api PATCH "incidents/$inc_id/tasks/1" '{"status":"done","log":"blocked"}'; }
want=(200 200 200 403 404 403 401); run "task update"
prep=fresh
act() { api POST "incidents/$inc_id/evidence" "{\"refs\":[\"$ev\"]}"; }
want=(200 200 200 403 404 403 401); run "link evidence"
prep=with_evidence
act() { api DELETE "incidents/$inc_id/evidence/$ev"; }
want=(200 200 200 403 404 403 401); run "unlink evidence"
act() { api POST "incidents/$inc_id/split" "{\"refs\":[\"$ev2\"],\"title\":\"Scanning\"}"; }
want=(201 201 201 403 404 403 401); run "split"
prep=with_other
act() { api POST "incidents/$into/merge" "{\"from\":\"$from\"}"; }
want=(200 200 403 403 404 403 401); run "merge"
prep=fresh
act() { api GET "incidents/$inc_id/timeline"; }
want=(200 200 200 200 404 403 401); run "timeline"
act() { api GET "incidents/$inc_id/export"; }
want=(200 200 200 403 404 403 401); run "export"
prep=new_alert
act() { api GET alerts; }
want=(200 200 200 200 200 403 401); run "alerts list"
act() { api GET "alerts/$alert"; }
want=(200 200 200 200 404 403 401); run "alert get"
act() { api POST "alerts/$alert/acknowledge"; }
want=(200 200 200 403 404 403 401); run "alert acknowledge"
act() { api POST "alerts/$alert/escalate"; }
want=(201 201 201 403 404 403 401); run "alert escalate"
prep=""
act() { api GET openapi.json; }
want=(200 200 200 200 200 200 401); run "openapi.json"

# Another organization's TLP:GREEN incident: readable, not changeable.
prep=""
inc_new '{"title":"Shared scan","org":"beta","tlp":"green"}'; green=$inc_id
act() { api GET "incidents/$green"; }
want=(200 200 200 200 200 403 401); run "get beta's GREEN incident"
act() { api POST "incidents/$green/notes" '{"text":"seen here too"}'; }
want=(201 403 403 403 201 403 401); run "note on beta's GREEN incident"
act() { api GET "incidents/$green/export"; }
want=(200 200 200 403 200 403 401); run "export beta's GREEN incident"
# An analyst takes (but does not hand out) an incident it opens.
as ana; api POST incidents '{"title":"Mine","assignee":"ana"}'
cell "create assigned to oneself" ana 201
as ana; api POST incidents '{"title":"Yours","assignee":"lead"}'
cell "create assigned to another" ana 403
# Lowering the TLP is the lead's; moving an incident the admin's.
inc_new '{"title":"Red one","org":"acme","tlp":"red"}'
as ana; api PATCH "incidents/$inc_id" '{"tlp":"amber"}' "$inc_ver"
cell "lower the TLP" ana 403
as lead; api PATCH "incidents/$inc_id" '{"org":"beta"}' "$inc_ver"
cell "move to another organization" lead 403
as root; api PATCH "incidents/$inc_id" '{"org":"beta"}' "$inc_ver"
cell "move to another organization" root 200

# Every change is in the audit log: who, when, what.
as ana; api POST incidents '{"title":"Audited"}'; aud=$(jv /id)
as ana; api POST "incidents/$aud/notes" '{"text":"audit me"}'
n=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit WHERE target = '$aud' AND actor = 'ana' AND ts_us > 0 AND action IN ('incident-created', 'incident-note')")
is "$n" 2 "create and note are in the audit log as ana, with a time"
new_alert; as lead; api POST "alerts/$alert/acknowledge"
n=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit WHERE target = '$alert' AND actor = 'lead' AND action = 'alert-acknowledge'")
is "$n" 1 "acknowledging an alert is in the audit log as lead"
srv_stop
tap_done
