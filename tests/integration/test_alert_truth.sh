#!/bin/sh
# Alerts that tell the truth on real logs (issue 23), through the real
# binary: the running totals of a brute force reach the stored alert, one
# sshd attempt at an unknown account counts once, PAM sources logged only
# by host name count, Suricata's own alerts become alerts, and year-less
# syslog times are never dated in the future.
# usage: test_alert_truth.sh CYBEX JGET
set -u
cybex=$1; jget=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset CYBEX_DB CYBEX_DATA_DIR XDG_DATA_HOME CYBEX_CONFIG
HOME=$tmp/home; export HOME
db=$tmp/hub.db
"$cybex" org add cert-a --db "$db" >/dev/null

# The first alert of a detector as one JSON line: first DETECTOR OUT
first() {
	"$cybex" alerts list --db "$db" --detector "$1" --json > "$tmp/all.jsonl"
	grep -F "$3" "$tmp/all.jsonl" | head -n 1 > "$2"
}

# ---- 1. the running totals reach the stored alert ----
# 203.0.113.50 fails 286 times against 10 accounts over 10 minutes
# (one try every 2.1 s), in sshd's own words.
awk 'BEGIN { split("root admin oracle postgres ubuntu test git deploy user pi", u, " ")
	for (i = 0; i < 286; i++) {
		t = int(i * 2.1); p = 3000 + i
		printf "Mar  1 10:%02d:%02d gw sshd[%d]: Failed password for %s from 203.0.113.50 port %d ssh2\n", t / 60, t % 60, p, u[i % 10 + 1], 40000 + i
	} }' > "$tmp/bf.log"
"$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ssh \
    --ref-time 2024-03-02T00:00:00Z --quiet "$tmp/bf.log"
first bruteforce "$tmp/bf.json" '"key":"bruteforce|cert-a|203.0.113.50"'
count=$("$jget" "$tmp/bf.json" /count)
summary=$("$jget" "$tmp/bf.json" /summary)
last=$("$jget" "$tmp/bf.json" /last_seen)
accounts=$("$jget" "$tmp/bf.json" /evidence/accounts)
if [ "$count" = 286 ] && [ "$accounts" = 10 ] &&
    printf '%s' "$summary" | grep -q "286 failed logins in 598 s, against about 10 accounts" &&
    printf '%s' "$last" | grep -q "^2024-03-01T10:09:58"; then
	ok "a brute force's alert carries its running totals: $summary"
else
	not_ok "a brute force's alert carries its running totals" "$(cat "$tmp/bf.json")"
fi
# Read in two parts (two runs): the stored alert is updated with the rest
# (its count is the sum; its text describes the latest part, as the
# detector of the second run knows only that).
rm -f "$db"; "$cybex" org add cert-a --db "$db" >/dev/null
head -n 100 "$tmp/bf.log" > "$tmp/bf1.log"; tail -n +101 "$tmp/bf.log" > "$tmp/bf2.log"
for f in bf1 bf2; do
	"$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ssh \
	    --ref-time 2024-03-02T00:00:00Z --quiet "$tmp/$f.log"
done
first bruteforce "$tmp/bf.json" '"key":"bruteforce|cert-a|203.0.113.50"'
if [ "$("$jget" "$tmp/bf.json" /count)" = 286 ] &&
    "$jget" "$tmp/bf.json" /last_seen | grep -q "^2024-03-01T10:09:58"; then
	ok "a later run updates the stored alert's count and last seen"
else
	not_ok "a later run updates the stored alert's count and last seen" "$(cat "$tmp/bf.json")"
fi

# ---- 2. one try at an unknown account counts once ----
# 12 connections from 203.0.113.77, each naming an unknown account and
# trying two passwords: 24 tries (sshd and PAM log 6 lines for each).
awk 'BEGIN { for (i = 0; i < 12; i++) {
	p = 51000 + i; t = i * 5
	printf "Mar  3 04:%02d:%02d gw sshd[%d]: Invalid user guest%d from 203.0.113.77 port %d\n", t / 60, t % 60, 21000 + i, i, p
	printf "Mar  3 04:%02d:%02d gw sshd[%d]: pam_unix(sshd:auth): check pass; user unknown\n", t / 60, t % 60, 21000 + i
	printf "Mar  3 04:%02d:%02d gw sshd[%d]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.77\n", t / 60, t % 60, 21000 + i
	printf "Mar  3 04:%02d:%02d gw sshd[%d]: Failed password for invalid user guest%d from 203.0.113.77 port %d ssh2\n", t / 60, t % 60 + 1, 21000 + i, i, p
	printf "Mar  3 04:%02d:%02d gw sshd[%d]: Failed password for invalid user guest%d from 203.0.113.77 port %d ssh2\n", t / 60, t % 60 + 3, 21000 + i, i, p
	printf "Mar  3 04:%02d:%02d gw sshd[%d]: Connection closed by invalid user guest%d 203.0.113.77 port %d [preauth]\n", t / 60, t % 60 + 4, 21000 + i, i, p
	} }' > "$tmp/inv.log"
"$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ssh \
    --ref-time 2024-03-04T00:00:00Z --quiet "$tmp/inv.log"
first bruteforce "$tmp/inv.json" '"key":"bruteforce|cert-a|203.0.113.77"'
if [ "$("$jget" "$tmp/inv.json" /count)" = 24 ] &&
    [ "$("$jget" "$tmp/inv.json" /evidence/accounts)" = 12 ]; then
	ok "an sshd try at an unknown account counts once: 24 tries, 12 accounts"
else
	not_ok "an sshd try at an unknown account counts once" "$(cat "$tmp/inv.json")"
fi

# ---- 3. sources logged only by host name ----
awk 'BEGIN { for (i = 0; i < 25; i++)
	printf "Mar  3 05:00:%02d gw vsftpd[%d]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=FTP-Client.example.org  user=bob\n", i, 800 + i
	}' > "$tmp/host.log"
"$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ftp \
    --ref-time 2024-03-04T00:00:00Z --quiet "$tmp/host.log"
first bruteforce "$tmp/host.json" '"key":"bruteforce|cert-a|ftp-client.example.org"'
if [ "$("$jget" "$tmp/host.json" /count)" = 25 ] &&
    grep -q '{"role":"attacker","kind":"domain-name","value":"ftp-client.example.org"}' "$tmp/host.json"; then
	ok "a source logged as rhost=HOST counts as a domain-name party"
else
	not_ok "a source logged as rhost=HOST counts" "$(cat "$tmp/host.json")"
fi

# ---- 4. Suricata's own alerts ----
# Two of Suricata's documentation examples; the first one's signature
# fires three times on its flow (one alert, count 3), then once on
# another flow (another alert).
cat > "$tmp/eve.json" <<'EVE'
{"timestamp": "2017-04-07T22:24:37.251547+0100", "flow_id": 586497171462735, "pcap_cnt": 53381, "event_type": "alert", "src_ip": "192.168.2.14", "src_port": 50096, "dest_ip": "209.53.113.5", "dest_port": 80, "proto": "TCP", "metadata": {"flowbits": ["http.dottedquadhost"]}, "tx_id": 4, "alert": {"action": "allowed", "gid": 1, "signature_id": 2018358, "rev": 10, "signature": "ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1", "category": "Potentially Bad Traffic", "severity": 2}, "app_proto": "http"}
{"timestamp": "2017-04-07T22:24:38.251547+0100", "flow_id": 586497171462735, "pcap_cnt": 53390, "event_type": "alert", "src_ip": "192.168.2.14", "src_port": 50096, "dest_ip": "209.53.113.5", "dest_port": 80, "proto": "TCP", "tx_id": 5, "alert": {"action": "allowed", "gid": 1, "signature_id": 2018358, "rev": 10, "signature": "ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1", "category": "Potentially Bad Traffic", "severity": 2}, "app_proto": "http"}
{"timestamp": "2017-04-07T22:24:39.251547+0100", "flow_id": 586497171462735, "pcap_cnt": 53399, "event_type": "alert", "src_ip": "192.168.2.14", "src_port": 50096, "dest_ip": "209.53.113.5", "dest_port": 80, "proto": "TCP", "tx_id": 6, "alert": {"action": "allowed", "gid": 1, "signature_id": 2018358, "rev": 10, "signature": "ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1", "category": "Potentially Bad Traffic", "severity": 2}, "app_proto": "http"}
{"timestamp": "2017-04-07T22:25:37.251547+0100", "flow_id": 586497171469999, "pcap_cnt": 54001, "event_type": "alert", "src_ip": "192.168.2.14", "src_port": 50200, "dest_ip": "209.53.113.5", "dest_port": 80, "proto": "TCP", "tx_id": 0, "alert": {"action": "allowed", "gid": 1, "signature_id": 2018358, "rev": 10, "signature": "ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1", "category": "Potentially Bad Traffic", "severity": 2}, "app_proto": "http"}
{"timestamp": "2023-09-18T06:13:41.532140+0000", "flow_id": 1676750115612680, "pcap_cnt": 130, "event_type": "alert", "src_ip": "142.11.240.191", "src_port": 35361, "dest_ip": "192.168.100.237", "dest_port": 49175, "proto": "TCP", "pkt_src": "wire/pcap", "tx_id": 1, "alert": {"action": "allowed", "gid": 1, "signature_id": 2045001, "rev": 1, "signature": "ET ATTACK_RESPONSE Win32/LeftHook Stealer Browser Extension Config Inbound", "category": "A Network Trojan was detected", "severity": 1}, "http": {"hostname": "142.11.240.191", "http_port": 35361, "url": "/", "http_method": "POST", "protocol": "HTTP/1.1", "status": 200, "length": 5362}, "app_proto": "http", "direction": "to_client"}
EVE
"$cybex" ingest --db "$db" --format eve --org cert-a --sensor ids1 --quiet "$tmp/eve.json"
"$cybex" alerts list --db "$db" --detector ids --json > "$tmp/ids.jsonl"
grep -F '"key":"ids|cert-a|flow:586497171462735|sid:2018358"' "$tmp/ids.jsonl" > "$tmp/ids1.json"
grep -F '"key":"ids|cert-a|flow:1676750115612680|sid:2045001"' "$tmp/ids.jsonl" > "$tmp/ids2.json"
if [ "$(wc -l < "$tmp/ids.jsonl")" -eq 3 ] && [ "$(wc -l < "$tmp/ids1.json")" -eq 1 ] &&
    [ "$("$jget" "$tmp/ids1.json" /count)" = 3 ] &&
    [ "$("$jget" "$tmp/ids1.json" /severity)" = 2 ] &&
    [ "$("$jget" "$tmp/ids1.json" /classification/type)" = ids-alert ] &&
    grep -q '{"role":"attacker","kind":"ipv4-addr","value":"192.168.2.14"},{"role":"victim","kind":"ipv4-addr","value":"209.53.113.5"}' "$tmp/ids1.json"; then
	ok "Suricata alerts become alerts, one per flow and signature"
else
	not_ok "Suricata alerts become alerts, one per flow and signature" "$(cat "$tmp/ids.jsonl")"
fi
if [ "$("$jget" "$tmp/ids2.json" /classification/class)" = malicious-code ] &&
    [ "$("$jget" "$tmp/ids2.json" /classification/type)" = infected-system ] &&
    [ "$("$jget" "$tmp/ids2.json" /severity)" = 3 ] &&
    [ "$("$jget" "$tmp/ids2.json" /evidence/signature_id)" = 2045001 ] &&
    grep -q '"victim","kind":"ipv4-addr","value":"192.168.100.237"' "$tmp/ids2.json" &&
    ! grep -q '"kind":"domain-name"' "$tmp/ids2.json"; then
	ok "a Suricata alert's category and severity give the RSIT class and the severity"
else
	not_ok "Suricata category and severity are mapped" "$(cat "$tmp/ids2.json")"
fi

# ---- 5. a time without a year is not in the future ----
awk 'BEGIN { for (i = 0; i < 25; i++)
	printf "Mar  5 10:00:%02d gw sshd[%d]: Failed password for root from 198.51.100.5 port %d ssh2\n", i, 900 + i, 41000 + i
	}' > "$tmp/year.log"
"$cybex" ingest --db "$db" --format syslog --org cert-a --sensor gw-ssh \
    --ref-time 2024-03-01T12:00:00Z --quiet "$tmp/year.log"
first bruteforce "$tmp/year.json" '"key":"bruteforce|cert-a|198.51.100.5"'
if "$jget" "$tmp/year.json" /first_seen | grep -q "^2023-03-05T10:00:00"; then
	ok "Mar 5 read on Mar 1 is last year's, not four days ahead"
else
	not_ok "a time without a year is not in the future" "$(cat "$tmp/year.json")"
fi
"$cybex" ingest --help > "$tmp/help" 2>&1
grep -q "no later than TS plus one day" "$tmp/help" &&
    ok "ingest --help says how the year is chosen" ||
    not_ok "ingest --help says how the year is chosen" "$(cat "$tmp/help")"

# ---- 6. inputs that are not what cybex reads say so ----
cat > "$tmp/stix20.json" <<'J'
{"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "spec_version": "2.0", "objects": [
{"type": "indicator", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z", "labels": ["malicious-activity"], "name": "Poison Ivy Malware", "pattern": "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']", "valid_from": "2016-01-01T00:00:00Z"}]}
J
"$cybex" import --db "$db" --quiet "$tmp/stix20.json" > "$tmp/out20" 2>&1; rc=$?
"$cybex" export --db "$db" --quiet --output "$tmp/exp.json" 2>/dev/null
if [ "$rc" = 1 ] &&
    grep -q "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f is a STIX 2.0 object (no spec_version); only STIX 2.1 is stored: convert it to 2.1" "$tmp/out20" &&
    ! grep -q "indicator--8e2e2d2b" "$tmp/exp.json"; then
	ok "a STIX 2.0 object is refused, named, with what to do"
else
	not_ok "a STIX 2.0 object is refused" "exit $rc: $(cat "$tmp/out20")"
fi
cat > "$tmp/misp.json" <<'J'
{"Event": {"id": "1", "orgc_id": "1", "org_id": "1", "date": "2024-03-01", "threat_level_id": "1", "info": "Phishing campaign", "published": true, "uuid": "5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b", "analysis": "2", "Attribute": [{"type": "domain", "category": "Network activity", "to_ids": true, "uuid": "6e7f8a9b-2c3d-4e5f-8a1b-2c3d4e5f6a7b", "value": "login-bank.example"}]}}
J
"$cybex" import --db "$db" --quiet "$tmp/misp.json" > "$tmp/outm" 2>&1; rc=$?
if [ "$rc" = 1 ] && grep -q "this is a MISP event, not STIX 2.1: cybex does not read MISP JSON yet" "$tmp/outm" &&
    ! grep -q "'type' is missing" "$tmp/outm"; then
	ok "a MISP event is recognised and refused with a clear message"
else
	not_ok "a MISP event is recognised" "exit $rc: $(cat "$tmp/outm")"
fi
# A JSON array of EVE records: the hint once, not one bare error a line.
printf '[\n  {"timestamp": "2024-03-01T10:00:00.000000+0000", "event_type": "flow",\n   "src_ip": "10.0.0.1", "dest_ip": "10.0.0.2"},\n  {"timestamp": "2024-03-01T10:00:01.000000+0000", "event_type": "flow",\n   "src_ip": "10.0.0.1", "dest_ip": "10.0.0.3"}\n]\n' > "$tmp/arr.json"
"$cybex" ingest --db "$db" --format eve "$tmp/arr.json" > "$tmp/outa" 2>&1
if [ "$(grep -c "EVE is one JSON object per line" "$tmp/outa")" = 1 ] &&
    grep -q "^$tmp/arr.json:1:1: error: a JSON array: EVE is one JSON object per line" "$tmp/outa"; then
	ok "a JSON-array EVE file says once that EVE is one JSON object per line"
else
	not_ok "a JSON-array EVE file is explained" "$(cat "$tmp/outa")"
fi

tap_done
