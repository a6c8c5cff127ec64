/*
 * A sensor's own IDS alerts (Suricata EVE "event_type": "alert") as
 * cybex alerts.
 *
 * The sensor has decided already; what is left is to say it in the hub's
 * terms: the severity from the sensor's (Suricata: 1 high, 2 medium, 3
 * low, 4 and above informational), the RSIT class and type from the rule's
 * category (the classtype description of Suricata's classification.config,
 * or the classtype's short name), the parties from the addresses (source
 * the attacker, destination the victim; for infected-system classes the
 * inside end of a flow from inside to outside is the victim when home_net
 * is set), and a key per flow and signature: the repeats of one signature
 * on one flow are one alert, merged by key (updates within the quiet
 * period), while another flow is another alert.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect_int.h"

struct ids_class {
	const char	*match;		/* classtype name or description */
	const char	*cls, *type;
};

/*
 * Suricata's classification.config (classtype, description) and the ET
 * additions, to RSIT (machinev1).  Matched whole, case-insensitively;
 * anything else is intrusion-attempts / ids-alert.
 */
static const struct ids_class classes[] = {
	{ "not-suspicious", "other", "other" },
	{ "Not Suspicious Traffic", "other", "other" },
	{ "attempted-recon", "information-gathering", "scanner" },
	{ "Attempted Information Leak", "information-gathering", "scanner" },
	{ "successful-recon-limited", "information-content-security",
	    "unauthorised-information-access" },
	{ "Information Leak", "information-content-security",
	    "unauthorised-information-access" },
	{ "successful-recon-largescale", "information-content-security",
	    "data-leak" },
	{ "Large Scale Information Leak", "information-content-security",
	    "data-leak" },
	{ "network-scan", "information-gathering", "scanner" },
	{ "Detection of a Network Scan", "information-gathering", "scanner" },
	{ "attempted-dos", "availability", "dos" },
	{ "Attempted Denial of Service", "availability", "dos" },
	{ "successful-dos", "availability", "dos" },
	{ "Denial of Service", "availability", "dos" },
	{ "denial-of-service", "availability", "dos" },
	{ "Detection of a Denial of Service Attack", "availability", "dos" },
	{ "attempted-user", "intrusion-attempts", "exploit" },
	{ "Attempted User Privilege Gain", "intrusion-attempts", "exploit" },
	{ "unsuccessful-user", "intrusion-attempts", "exploit" },
	{ "Unsuccessful User Privilege Gain", "intrusion-attempts", "exploit" },
	{ "attempted-admin", "intrusion-attempts", "exploit" },
	{ "Attempted Administrator Privilege Gain", "intrusion-attempts",
	    "exploit" },
	{ "web-application-attack", "intrusion-attempts", "exploit" },
	{ "Web Application Attack", "intrusion-attempts", "exploit" },
	{ "shellcode-detect", "intrusion-attempts", "exploit" },
	{ "Executable code was detected", "intrusion-attempts", "exploit" },
	{ "successful-user", "intrusions", "unprivileged-account-compromise" },
	{ "Successful User Privilege Gain", "intrusions",
	    "unprivileged-account-compromise" },
	{ "successful-admin", "intrusions", "privileged-account-compromise" },
	{ "Successful Administrator Privilege Gain", "intrusions",
	    "privileged-account-compromise" },
	{ "trojan-activity", "malicious-code", "infected-system" },
	{ "A Network Trojan was detected", "malicious-code",
	    "infected-system" },
	{ "command-and-control", "malicious-code", "infected-system" },
	{ "Malware Command and Control Activity Detected", "malicious-code",
	    "infected-system" },
	{ "domain-c2", "malicious-code", "infected-system" },
	{ "Domain Observed Used for C2 Detected", "malicious-code",
	    "infected-system" },
	{ "exploit-kit", "malicious-code", "malware-distribution" },
	{ "Exploit Kit Activity Detected", "malicious-code",
	    "malware-distribution" },
	{ "social-engineering", "information-gathering",
	    "social-engineering" },
	{ "Possible Social Engineering Attempted", "information-gathering",
	    "social-engineering" },
	{ "coin-mining", "fraud", "unauthorised-use-of-resources" },
	{ "Crypto Currency Mining Activity Detected", "fraud",
	    "unauthorised-use-of-resources" },
	{ "credential-theft", "fraud", "phishing" },
	{ "Successful Credential Theft Detected", "fraud", "phishing" },
};

static void
class_of(const char *category, const char **cls, const char **type)
{
	size_t i;

	*cls = "intrusion-attempts";
	*type = "ids-alert";
	if (category == NULL)
		return;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcasecmp(category, classes[i].match) == 0) {
			*cls = classes[i].cls;
			*type = classes[i].type;
			return;
		}
}

/* Suricata 1 high .. 3 low (4+ informational) to cybex 1 low .. 4. */
static int
severity_of(int s)
{
	switch (s) {
	case 1:
		return 3;
	case 2:
		return 2;
	default:
		return 1;
	}
}

int
dt_ids_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const struct cybex_ip *att = &o->src_ip, *vic = &o->dst_ip;
	const char *cls, *type, *sig, *name;
	struct dt_alert x;
	char a[64], v[64], pt[16];
	bool swap;

	if (o->signature == NULL && o->signature_id == 0)
		return 0;
	if ((att->family != 0 && dt_allowed(dt, att)) ||
	    (vic->family != 0 && dt_allowed(dt, vic)))
		return 0;
	class_of(o->category, &cls, &type);
	/* Malware calling out: the inside host is the infected victim. */
	swap = strcmp(cls, "malicious-code") == 0 && dt->nhome > 0 &&
	    att->family != 0 && vic->family != 0 && dt_home(dt, att) &&
	    !dt_home(dt, vic);
	if (swap) {
		att = &o->dst_ip;
		vic = &o->src_ip;
	}
	cybex_ip_format(att, a, sizeof(a));
	cybex_ip_format(vic, v, sizeof(v));
	sig = o->signature != NULL ? o->signature : "(no signature text)";
	dt_alert_init(&x, "ids", cls, type, severity_of(o->severity));
	dt_alert_from(dt, &x, o);
	if (o->flow_id != 0)
		dt_alert_key(&x, "ids|flow:%llu|sid:%lld",
		    (unsigned long long)o->flow_id,
		    (long long)o->signature_id);
	else
		dt_alert_key(&x, "ids|%s|%s|sid:%lld", a[0] != '\0' ? a : "-",
		    v[0] != '\0' ? v : "-", (long long)o->signature_id);
	pt[0] = '\0';
	if (swap ? o->has_src_port : o->has_dst_port)
		snprintf(pt, sizeof(pt), " port %u",
		    (unsigned)(swap ? o->src_port : o->dst_port));
	dt_alert_summary(&x, "%s (sid %lld) from %s to %s%s", sig,
	    (long long)o->signature_id, a[0] != '\0' ? a : "-",
	    v[0] != '\0' ? v : "-", pt);
	x.coop_party = dt_alert_party_ip(&x, CYBEX_PARTY_ATTACKER, att);
	(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, vic);
	name = o->http_host != NULL ? o->http_host : o->tls_sni;
	/* An HTTP host may be the address itself: not a name. */
	if (name != NULL && strchr(name, ':') == NULL &&
	    strspn(name, "0123456789.") != strlen(name))
		(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name",
		    name);
	x.a.count = 1;
	x.a.evidence = json_pack("{s:s, s:I, s:i, s:s?, s:s?, s:s?, s:I}",
	    "signature", sig,
	    "signature_id", (json_int_t)o->signature_id,
	    "sensor_severity", o->severity,
	    "category", o->category,
	    "proto", o->proto,
	    "app_proto", o->app_proto,
	    "flow_id", (json_int_t)(o->flow_id > INT64_MAX ? 0 : o->flow_id));
	return dt_emit(dt, &x, fn, ud);
}
