#!/bin/bash
# The incident REST API against its OpenAPI 3.1 document: every route is
# called, successes and refusals alike, and each real answer (status,
# Content-Type, body) is checked against docs/api/openapi.json by
# openapi_check; the behaviour behind them is asserted too (ETag and
# If-Match: 412 when stale, 428 without on PATCH; strict bodies; keyset
# pages; the timeline; the export that `cybex validate` accepts; an
# escalated alert linked as x-cybex-alert--ID).
# usage: test_incident_api.sh CYBEX CONFORMANCE_DIR JGET ALERT_FIXTURE OPENAPI_CHECK SPEC
set -u
cybex=$1; jget=$3; fixture=$4; checker=$5; spec=$6
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/incident_lib.sh"

inc_setup
srv_start incapi || { tap_done; exit 1; }
# spec_ok METHOD TEMPLATE WANT DESC: the last answer is WANT and as documented.
spec_ok() {
	local out
	if [ "$code" != "$3" ]; then
		not_ok "$4" "HTTP $code, wanted $3: $(head -c 500 "$tmp/b")"
	elif ! out=$("$checker" "$spec" "$1" "$2" "$code" "$(hdr Content-Type)" "$tmp/b" 2>&1); then
		not_ok "$4: as the OpenAPI document says" "$out"
	else
		ok "$4 ($code, as documented)"
	fi
	echo "$1 $2" >> "$tmp/called"
}

as lead
api GET openapi.json
spec_ok GET /api/v1/openapi.json 200 "GET openapi.json"
[ "$(jv /openapi)" = 3.1.0 ] && cmp -s "$tmp/b" "$spec" &&
    ok "the served document is docs/api/openapi.json, OpenAPI 3.1.0" ||
    not_ok "the served document is docs/api/openapi.json"
"$checker" "$spec" GET /api/v1/incidents 299 application/json "$tmp/b" >/dev/null &&
    not_ok "the checker refuses an undocumented status" || ok "the checker refuses an undocumented status"
echo '{"more":true,"incidents":[{"id":1}]}' > "$tmp/bad.json"
"$checker" "$spec" GET /api/v1/incidents 200 application/json "$tmp/bad.json" >/dev/null &&
    not_ok "the checker refuses a body missing required fields" || ok "the checker refuses a body missing required fields"

# Create, strictly.
api POST incidents '{"title":"Phishing wave","severity":3,"class":"fraud","type":"phishing","tlp":"amber"}'
spec_ok POST /api/v1/incidents 201 "create"
id=$(jv /id); ver=$(jv /version)
is "$(hdr ETag)" "\"$ver\"" "the ETag is the version"
is "$(hdr Location)" "/api/v1/incidents/$id" "Location names the new incident"
is "$(jv /org)/$(jv /status)/$(jv /priority)" "acme/new/2" "own organization, status new, priority 5 - severity"
api POST incidents '{"title":"x","severty":3}'
spec_ok POST /api/v1/incidents 400 "create with an unknown member"
grep -q '/severty: unknown member' "$tmp/b" && ok "... the problem names it" || not_ok "... names it" "$(cat "$tmp/b")"
api POST incidents '{"title":"x","severity":9}'
spec_ok POST /api/v1/incidents 400 "create with severity 9"
grep -q '/severity: must be a whole number 1 to 4' "$tmp/b" && ok "... the problem says where and why" || not_ok "... says why" "$(cat "$tmp/b")"
api POST incidents '{"title":"x","class":"fraud","type":"no-such-type"}'
spec_ok POST /api/v1/incidents 400 "create outside the RSIT taxonomy"
api POST incidents '{"title":"x","assignee":"nobody-here"}'
spec_ok POST /api/v1/incidents 422 "create assigned to an unknown user"
api POST incidents '[1,2]'
spec_ok POST /api/v1/incidents 400 "create with an array"
api POST incidents '{"title":"x"'
spec_ok POST /api/v1/incidents 400 "create with broken JSON"
call -X POST -H "Content-Type: text/plain" --data-binary '{"title":"x"}' "$url/api/v1/incidents"
spec_ok POST /api/v1/incidents 415 "create as text/plain"
head -c 600000 /dev/zero | tr '\0' 'a' | sed 's/^/{"title":"/; s/$/"}/' > "$tmp/big.json"
call -X POST -H "Content-Type: $JSON" --data-binary @"$tmp/big.json" "$url/api/v1/incidents"
spec_ok POST /api/v1/incidents 413 "create with a 600 kB body"

# Read.
api GET "incidents/$id"
spec_ok GET "/api/v1/incidents/{id}" 200 "get"
api GET "incidents/incident--00000000-0000-4000-8000-000000000000"
spec_ok GET "/api/v1/incidents/{id}" 404 "get an unknown incident"
api GET "incidents/$id/nosuch"
expect_code 404 "an unknown sub-resource: 404"
api DELETE "incidents/$id"
expect_code 405 "DELETE an incident: 405"
is "$(hdr Allow)" "GET, PATCH" "... with Allow"

# Optimistic concurrency.
api PATCH "incidents/$id" '{"severity":4}'
spec_ok PATCH "/api/v1/incidents/{id}" 428 "PATCH without If-Match"
api PATCH "incidents/$id" '{"severity":4}' "$ver"
spec_ok PATCH "/api/v1/incidents/{id}" 200 "PATCH with the current ETag"
ver2=$(jv /version)
[ "$ver2" != "$ver" ] && [ "$(jv /severity)" = 4 ] && ok "a new version with severity 4" || not_ok "new version" "$(head -c 300 "$tmp/b")"
api PATCH "incidents/$id" '{"severity":1}' "$ver"
spec_ok PATCH "/api/v1/incidents/{id}" 412 "PATCH with a stale ETag"
api GET "incidents/$id"; is "$(jv /severity)" 4 "... changed nothing"
api POST "incidents/$id/notes" '{"text":"stale"}' "$ver"
spec_ok POST "/api/v1/incidents/{id}/notes" 412 "a note with a stale If-Match"
api PATCH "incidents/$id" '{}' "$ver2"
spec_ok PATCH "/api/v1/incidents/{id}" 400 "PATCH that changes nothing"
api PATCH "incidents/$id" '{"tlp":"purple"}' "$ver2"
spec_ok PATCH "/api/v1/incidents/{id}" 400 "PATCH with an unknown TLP"
call -X PATCH -H "Content-Type: $JSON" -H "If-Match: W/\"$ver2\"" --data-binary '{"severity":2}' "$url/api/v1/incidents/$id"
spec_ok PATCH "/api/v1/incidents/{id}" 400 "PATCH with a weak If-Match"

# Lifecycle.
api POST "incidents/$id/transitions" '{"status":"triage"}' "$ver2"
spec_ok POST "/api/v1/incidents/{id}/transitions" 200 "transition to triage"
api POST "incidents/$id/transitions" '{"status":"new"}'
spec_ok POST "/api/v1/incidents/{id}/transitions" 400 "transition back to new"
api POST "incidents/$id/transitions" '{"status":"asleep"}'
spec_ok POST "/api/v1/incidents/{id}/transitions" 400 "transition to an unknown status"
api POST "incidents/$id/assign" '{"assignee":"ana"}'
spec_ok POST "/api/v1/incidents/{id}/assign" 200 "assign"
is "$(jv /assignee)" ana "... to ana"
api POST "incidents/$id/assign" '{"assignee":"nobody-here"}'
spec_ok POST "/api/v1/incidents/{id}/assign" 422 "assign an unknown user"
api POST "incidents/$id/notes" '{"text":"Mails from evil.example to 40 users"}'
spec_ok POST "/api/v1/incidents/{id}/notes" 201 "note"
api POST "incidents/$id/notes" '{"text":""}'
spec_ok POST "/api/v1/incidents/{id}/notes" 400 "an empty note"
api POST "incidents/$id/tasks" '{"title":"Block the sender","assignee":"ana","due":"2030-01-01T12:00:00Z"}'
spec_ok POST "/api/v1/incidents/{id}/tasks" 201 "task"
is "$(jv /no)" 1 "... number 1"
api PATCH "incidents/$id/tasks/1" '{"status":"done","log":"blocked at the MTA"}'
spec_ok PATCH "/api/v1/incidents/{id}/tasks/{no}" 200 "task update"
is "$(jv /tasks/0/status)" done "... done"
api PATCH "incidents/$id/tasks/7" '{"status":"done"}'
spec_ok PATCH "/api/v1/incidents/{id}/tasks/{no}" 404 "update of no such task"
api PATCH "incidents/$id/tasks/1" '{"status":"sleeping"}'
spec_ok PATCH "/api/v1/incidents/{id}/tasks/{no}" 400 "task update to an unknown status"
ind=indicator--11111111-1111-4111-8111-111111111111
ip=ipv4-addr--22222222-2222-4222-8222-222222222222
api POST "incidents/$id/evidence" "{\"refs\":[\"$ind\",\"$ip\"]}"
spec_ok POST "/api/v1/incidents/{id}/evidence" 200 "link evidence"
api POST "incidents/$id/evidence" "{\"refs\":[\"$ind\"]}"
spec_ok POST "/api/v1/incidents/{id}/evidence" 409 "link it again"
api POST "incidents/$id/evidence" '{"refs":["not-an-id"]}'
spec_ok POST "/api/v1/incidents/{id}/evidence" 400 "link a malformed id"
api POST "incidents/$id/evidence" '{"refs":[]}'
spec_ok POST "/api/v1/incidents/{id}/evidence" 400 "link nothing"
api DELETE "incidents/$id/evidence/$ind"
spec_ok DELETE "/api/v1/incidents/{id}/evidence/{ref}" 200 "unlink"
api DELETE "incidents/$id/evidence/$ind"
spec_ok DELETE "/api/v1/incidents/{id}/evidence/{ref}" 404 "unlink what is not linked"
api POST "incidents/$id/split" "{\"refs\":[\"$ip\"],\"title\":\"Scanning\"}"
spec_ok POST "/api/v1/incidents/{id}/split" 201 "split"
sp=$(jv /id)
is "$(jv /title)" Scanning "... a new incident titled Scanning"
api POST "incidents/$id/split" "{\"refs\":[\"$ip\"]}"
spec_ok POST "/api/v1/incidents/{id}/split" 422 "split what is not evidence"
api POST incidents '{"title":"Same wave, second report"}'; dup=$(jv /id)
api POST "incidents/$id/merge" "{\"from\":\"$dup\"}"
spec_ok POST "/api/v1/incidents/{id}/merge" 200 "merge"
api GET "incidents/$dup"
is "$(jv /status)/$(jv /resolution)/$(jv /duplicate_of)" "closed/duplicate/$id" "the merged one is closed as a duplicate"
api POST "incidents/$id/merge" "{\"from\":\"$sp\"}"
spec_ok POST "/api/v1/incidents/{id}/merge" 200 "merge the split-off incident back"
api GET "incidents/$sp"
is "$(jv /status)/$(jv /duplicate_of)" "closed/$id" "... which is closed as its duplicate"
api POST "incidents/$id/merge" "{\"from\":\"$id\"}"
spec_ok POST "/api/v1/incidents/{id}/merge" 400 "merge into itself"
api POST "incidents/$id/transitions" '{"status":"closed"}'
spec_ok POST "/api/v1/incidents/{id}/transitions" 400 "close without a resolution"
api POST "incidents/$id/transitions" '{"status":"closed","resolution":"true-positive"}'
spec_ok POST "/api/v1/incidents/{id}/transitions" 200 "close"

# History and sharing.
api GET "incidents/$id/timeline"
spec_ok GET "/api/v1/incidents/{id}/timeline" 200 "timeline"
is "$(col /events action)" "created update status assign note task task link unlink split merge merge close" "the timeline in order"
is "$("$jget" "$tmp/b" /events/4/text)" "Mails from evil.example to 40 users" "... the note's text"
is "$(col /events actor | tr ' ' '\n' | sort -u | tr '\n' ' ')" "lead " "... every change by lead"
api GET "incidents/$id/export"
spec_ok GET "/api/v1/incidents/{id}/export" 200 "export"
cp "$tmp/b" "$tmp/bundle.json"
"$cybex" validate "$tmp/bundle.json" >/dev/null 2>&1 && ok "cybex validate accepts the export" ||
    not_ok "cybex validate accepts the export" "$("$cybex" validate "$tmp/bundle.json" 2>&1 | head -5)"
api GET "incidents/$id/export?max_tlp=beige"
spec_ok GET "/api/v1/incidents/{id}/export" 400 "export for an unknown TLP"
api GET "incidents/$id/export?max_tlp=green"
spec_ok GET "/api/v1/incidents/{id}/export" 403 "export of an AMBER incident for GREEN"

# Lists: filters and keyset pages.
for i in 1 2 3 4 5; do api POST incidents "{\"title\":\"Batch $i\",\"severity\":1}" >/dev/null; done
api GET "incidents?severity=1&limit=2"
spec_ok GET /api/v1/incidents 200 "list, a page of 2"
p1=$(col /incidents title); next=$(jv /next)
is "$p1" "Batch 5 Batch 4" "... newest first"
is "$(jv /more)" true "... more"
api GET "incidents?severity=1&limit=2&next=$next"
p2=$(col /incidents title); next=$(jv /next)
api GET "incidents?severity=1&limit=2&next=$next"
p3=$(col /incidents title)
is "$p2 | $p3 | $(jv /more)" "Batch 3 Batch 2 | Batch 1 | false" "the next pages, to the end"
api GET "incidents?q=atch%203"
is "$(col /incidents title)" "Batch 3" "q matches a substring of the title"
api GET "incidents?status=closed"
is "$(col /incidents title)" "Same wave, second report Scanning Phishing wave" "status=closed: the closed three, newest first"
api GET "incidents?severity=7"
spec_ok GET /api/v1/incidents 400 "list with severity 7"
api GET "incidents?next=garbage"
spec_ok GET /api/v1/incidents 400 "list with a bad token"

# Alerts.
al=$("$fixture" "$db" acme key-1 amber)
api GET alerts
spec_ok GET /api/v1/alerts 200 "alerts list"
api GET "alerts/$al"
spec_ok GET "/api/v1/alerts/{id}" 200 "alert get"
api GET "alerts/00000000-0000-4000-8000-000000000000"
spec_ok GET "/api/v1/alerts/{id}" 404 "alert get, unknown"
api POST "alerts/$al/escalate" '{"title":"Escalated","severity":3}'
spec_ok POST "/api/v1/alerts/{id}/escalate" 201 "escalate"
is "$(jv /title)/$(jv /org)/$(jv /links/0/ref)" "Escalated/acme/x-cybex-alert--$al" "the incident links the alert as x-cybex-alert--ID"
api POST "alerts/$al/escalate" '{"colour":"red"}'
spec_ok POST "/api/v1/alerts/{id}/escalate" 400 "escalate with an unknown member"
api POST "alerts/$al/acknowledge"
spec_ok POST "/api/v1/alerts/{id}/acknowledge" 200 "acknowledge"
api GET "alerts/$al"; is "$(jv /status)" closed "an acknowledged alert is closed"
api POST "alerts/$al/acknowledge"
spec_ok POST "/api/v1/alerts/{id}/acknowledge" 409 "acknowledge again"
api POST "alerts/no-such/acknowledge"
spec_ok POST "/api/v1/alerts/{id}/acknowledge" 404 "acknowledge an unknown alert"
api GET "alerts/$al/acknowledge"
expect_code 405 "GET acknowledge: 405"
# Every operation of the document was called and checked above.
"$checker" -l "$spec" | sort > "$tmp/documented"
sort -u "$tmp/called" > "$tmp/called.u"
missing=$(comm -23 "$tmp/documented" "$tmp/called.u" | tr '\n' ';')
extra=$(comm -13 "$tmp/documented" "$tmp/called.u" | tr '\n' ';')
[ "$(wc -l < "$tmp/documented")" -ge 20 ] && [ -z "$missing$extra" ] &&
    ok "every documented operation ($(wc -l < "$tmp/documented")) was checked against its real answers" ||
    not_ok "every documented operation was checked" "not called: $missing; not documented: $extra"
srv_stop
tap_done
