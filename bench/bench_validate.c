/*
 * bench_validate: how fast and in how little memory cybex validates STIX.
 *
 *   bench_validate gen FILE NOBJ    write a bundle of NOBJ valid, mixed
 *                                   STIX 2.1 objects (deterministic)
 *   bench_validate run FILE [REPS]  jansson raw parse vs cybex streaming
 *                                   read (+ validate), same process run;
 *                                   best time of REPS (3) runs each
 *   bench_validate validate FILE    cybex streaming read + validate only
 *
 * Every measurement runs in a forked child so its peak RSS (wait4
 * ru_maxrss) is its own; the child sends its numbers back over a pipe.
 * The reference is jansson's json_load_file() with JSON_REJECT_DUPLICATES
 * on the whole file, the cheapest way to get the same data checked for
 * well-formedness; json_loadb() on the file already in memory is shown
 * too, since json_load_file pays for reading through stdio a byte at a
 * time.  The target is parse_time / validate_time >= 0.5:
 * reading and validating, parsing included, costs at most twice the raw
 * parse.
 *
 * gen streams objects to disk one at a time, so it never holds the bundle;
 * it validates a sample (the first 2,000 objects and every 97th after)
 * and fails if any has an error.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/stix.h"

#include "bench_util.h"

#define SAMPLE_HEAD	2000	/* validate all of the first objects ... */
#define SAMPLE_EVERY	97	/* ... and then every 97th */
#define RING		64	/* recent ids kept per type for references */

/* ---- deterministic pseudo-random numbers (xorshift64*) ---- */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Uniform-enough in [0, n). */
static unsigned
rndn(uint64_t *s, unsigned n)
{
	return (unsigned)((rnd(s) >> 11) % n);
}

#define PICK(s, arr)	((arr)[rndn((s), sizeof(arr) / sizeof((arr)[0]))])

/* ---- what gen keeps between objects ---- */
enum kind {
	K_IDENTITY, K_MALWARE, K_INDICATOR, K_ATTACK_PATTERN, K_RELATIONSHIP,
	K_SIGHTING, K_OBSERVED_DATA, K_REPORT, K_IPV4, K_DOMAIN, K_FILE,
	K_URL, K_THREAT_ACTOR, K_VULNERABILITY, K_NKINDS
};

struct ring {
	char	 id[K_NKINDS][RING][CYBEX_STIX_ID_MAX];
	unsigned n[K_NKINDS];
};

struct gen {
	uint64_t	 seed;
	int64_t		 now;		/* "current" time of the feed */
	struct ring	 r;
	unsigned long	 count[K_NKINDS];
};

static const char *const kind_type[K_NKINDS] = {
	"identity", "malware", "indicator", "attack-pattern", "relationship",
	"sighting", "observed-data", "report", "ipv4-addr", "domain-name",
	"file", "url", "threat-actor", "vulnerability",
};

/* Weights per 100 objects: feeds are mostly indicators and observables. */
static const unsigned kind_weight[K_NKINDS] = {
	4, 6, 22, 4, 16, 5, 5, 3, 10, 8, 7, 6, 2, 2,
};

static const char *const words[] = {
	"adversary", "beacon", "credential", "lateral", "movement",
	"persistence", "phishing", "payload", "loader", "command", "control",
	"exfiltration", "campaign", "observed", "traffic", "infrastructure",
	"registry", "scheduled", "task", "powershell", "obfuscated", "script",
	"dropper", "ransomware", "encrypted", "victims", "sector", "targeting",
	"vulnerability", "exploit", "remote", "execution", "server", "domain",
	"certificate", "spoofed", "invoice", "attachment", "macro", "document",
	"sandbox", "analysis", "indicates", "activity", "cluster", "overlap",
	"previously", "reported", "telemetry", "endpoint", "detection",
	"signature", "network", "the", "a", "of", "and", "with", "from", "to",
	"in", "was", "by", "on", "after", "before",
};

/* Random v4 UUID from the generator (reproducible, unlike cybex_uuid_v4). */
static void
gen_uuid(struct gen *g, char out[37])
{
	struct cybex_uuid u;
	uint64_t a = rnd(&g->seed), b = rnd(&g->seed);

	memcpy(u.b, &a, 8);
	memcpy(u.b + 8, &b, 8);
	u.b[6] = (uint8_t)((u.b[6] & 0x0f) | 0x40);
	u.b[8] = (uint8_t)((u.b[8] & 0x3f) | 0x80);
	cybex_uuid_format(&u, out);
}

static void
gen_id(struct gen *g, const char *type, char *out, size_t outsz)
{
	char u[37];

	gen_uuid(g, u);
	snprintf(out, outsz, "%s--%s", type, u);
}

static void
remember(struct gen *g, enum kind k, const char *id)
{
	snprintf(g->r.id[k][g->r.n[k] % RING], CYBEX_STIX_ID_MAX, "%s", id);
	g->r.n[k]++;
}

/* A recent id of kind k, or NULL when none was made yet. */
static const char *
recent(struct gen *g, enum kind k)
{
	unsigned n = g->r.n[k] < RING ? g->r.n[k] : RING;

	return n == 0 ? NULL : g->r.id[k][rndn(&g->seed, n)];
}

/* json_object_set_new that cannot fail quietly. */
static void
set(json_t *o, const char *k, json_t *v)
{
	if (v == NULL || json_object_set_new(o, k, v) != 0) {
		fprintf(stderr, "bench_validate: out of memory\n");
		exit(1);
	}
}

static json_t *
ts(int64_t sec, uint32_t ms)
{
	struct cybex_time t = { sec, ms * 1000000u, 3 };
	char buf[40];

	if (cybex_time_format(&t, buf, sizeof(buf)) < 0)
		return NULL;
	return json_string(buf);
}

static json_t *
hex(struct gen *g, unsigned nbytes)
{
	static const char digits[] = "0123456789abcdef";
	char buf[129];
	unsigned i;

	for (i = 0; i < nbytes * 2 && i < sizeof(buf) - 1; i++)
		buf[i] = digits[rndn(&g->seed, 16)];
	buf[i] = '\0';
	return json_string(buf);
}

/* Prose of about n bytes, first word capitalized, ending with '.'. */
static json_t *
prose(struct gen *g, size_t n)
{
	struct cybex_buf b;
	json_t *s;
	const char *w;

	cybex_buf_init(&b, 0);
	while (b.len < n) {
		w = PICK(&g->seed, words);
		if (b.len > 0)
			(void)cybex_buf_putc(&b, rndn(&g->seed, 12) == 0 ?
			    ',' : ' ');
		if (b.len > 0 && b.data[b.len - 1] == ',')
			(void)cybex_buf_putc(&b, ' ');
		(void)cybex_buf_puts(&b, w);
	}
	(void)cybex_buf_putc(&b, '.');
	if (b.data[0] >= 'a' && b.data[0] <= 'z')
		b.data[0] = (char)(b.data[0] - 'a' + 'A');
	s = json_stringn(b.data, b.len);
	cybex_buf_free(&b);
	return s;
}

static json_t *
strlist(struct gen *g, const char *const *vals, unsigned nvals,
    unsigned max)
{
	json_t *a = json_array();
	unsigned i, n = 1 + rndn(&g->seed, max), start = rndn(&g->seed, nvals);

	for (i = 0; i < n && i < nvals; i++)
		json_array_append_new(a,
		    json_string(vals[(start + i) % nvals]));
	return a;
}

static json_t *
kill_chain(struct gen *g)
{
	static const char *const phases[] = {
		"reconnaissance", "initial-access", "execution", "persistence",
		"privilege-escalation", "defense-evasion", "credential-access",
		"discovery", "lateral-movement", "collection",
		"command-and-control", "exfiltration", "impact",
	};
	json_t *a = json_array(), *p = json_object();

	set(p, "kill_chain_name", json_string("mitre-attack"));
	set(p, "phase_name", json_string(PICK(&g->seed, phases)));
	json_array_append_new(a, p);
	return a;
}

static json_t *
ext_ref(struct gen *g, const char *source, const char *prefix)
{
	json_t *a = json_array(), *r = json_object();
	char id[32], url[96];
	unsigned n = 1000 + rndn(&g->seed, 9000);

	snprintf(id, sizeof(id), "%s%u", prefix, n);
	snprintf(url, sizeof(url), "https://intel.example.org/%s/%s", source,
	    id);
	set(r, "source_name", json_string(source));
	set(r, "external_id", json_string(id));
	set(r, "url", json_string(url));
	json_array_append_new(a, r);
	return a;
}

static void
ipv4_text(struct gen *g, char *buf, size_t sz)
{
	snprintf(buf, sz, "%u.%u.%u.%u", 1 + rndn(&g->seed, 222),
	    rndn(&g->seed, 256), rndn(&g->seed, 256), 1 + rndn(&g->seed, 254));
}

static void
domain_text(struct gen *g, char *buf, size_t sz)
{
	static const char *const tld[] = { "com", "net", "org", "io", "info" };

	snprintf(buf, sz, "%s-%s%u.%s", PICK(&g->seed, words),
	    PICK(&g->seed, words), rndn(&g->seed, 1000), PICK(&g->seed, tld));
}

/* The common SDO properties; created/modified move with the feed. */
static json_t *
sdo(struct gen *g, enum kind k, char *id, size_t idsz)
{
	json_t *o = json_object();
	int64_t created = g->now - (int64_t)rndn(&g->seed, 86400 * 30);
	const char *by = recent(g, K_IDENTITY);

	gen_id(g, kind_type[k], id, idsz);
	set(o, "type", json_string(kind_type[k]));
	set(o, "spec_version", json_string("2.1"));
	set(o, "id", json_string(id));
	if (by != NULL && k != K_IDENTITY)
		set(o, "created_by_ref", json_string(by));
	set(o, "created", ts(created, rndn(&g->seed, 1000)));
	set(o, "modified", ts(created + rndn(&g->seed, 86400 * 7),
	    rndn(&g->seed, 1000)));
	return o;
}

/* Optional description: about two objects in three carry one. */
static void
maybe_description(struct gen *g, json_t *o, size_t min, size_t span)
{
	if (rndn(&g->seed, 3) != 0)
		set(o, "description", prose(g, min + rndn(&g->seed,
		    (unsigned)span)));
}

static json_t *
make_identity(struct gen *g, char *id, size_t idsz)
{
	static const char *const cls[] = {
		"organization", "individual", "system", "group",
	};
	static const char *const sectors[] = {
		"technology", "financial-services", "government", "healthcare",
		"energy", "telecommunications", "education", "manufacturing",
	};
	json_t *o = sdo(g, K_IDENTITY, id, idsz);
	char name[64];

	snprintf(name, sizeof(name), "%s %s Group %u", PICK(&g->seed, words),
	    PICK(&g->seed, words), rndn(&g->seed, 10000));
	set(o, "name", json_string(name));
	set(o, "identity_class", json_string(PICK(&g->seed, cls)));
	set(o, "sectors", strlist(g, sectors, 8, 3));
	set(o, "contact_information", json_string("soc@example.org"));
	maybe_description(g, o, 100, 400);
	return o;
}

static json_t *
make_malware(struct gen *g, char *id, size_t idsz)
{
	static const char *const types[] = {
		"backdoor", "ransomware", "trojan", "remote-access-trojan",
		"downloader", "worm", "spyware", "dropper", "keylogger",
	};
	json_t *o = sdo(g, K_MALWARE, id, idsz);
	char name[64];

	snprintf(name, sizeof(name), "%s%s-%u", PICK(&g->seed, words),
	    PICK(&g->seed, words), rndn(&g->seed, 100));
	set(o, "name", json_string(name));
	set(o, "is_family", json_boolean(rndn(&g->seed, 3) != 0));
	set(o, "malware_types", strlist(g, types, 9, 2));
	set(o, "first_seen", ts(g->now - 86400 * 400, 0));
	set(o, "kill_chain_phases", kill_chain(g));
	set(o, "description", prose(g, 300 + rndn(&g->seed, 900)));
	return o;
}

static json_t *
make_indicator(struct gen *g, char *id, size_t idsz)
{
	static const char *const types[] = {
		"malicious-activity", "anomalous-activity", "compromised",
		"attribution",
	};
	json_t *o = sdo(g, K_INDICATOR, id, idsz), *h;
	char pat[256], val[128], name[160];

	switch (rndn(&g->seed, 4)) {
	case 0:
		ipv4_text(g, val, sizeof(val));
		snprintf(pat, sizeof(pat), "[ipv4-addr:value = '%s']", val);
		break;
	case 1:
		domain_text(g, val, sizeof(val));
		snprintf(pat, sizeof(pat), "[domain-name:value = '%s']", val);
		break;
	case 2:
		h = hex(g, 32);
		snprintf(pat, sizeof(pat),
		    "[file:hashes.'SHA-256' = '%s']", json_string_value(h));
		snprintf(val, sizeof(val), "%.12s", json_string_value(h));
		json_decref(h);
		break;
	default:
		domain_text(g, val, sizeof(val));
		snprintf(pat, sizeof(pat), "[url:value = 'https://%s/%s.php']",
		    val, PICK(&g->seed, words));
		break;
	}
	snprintf(name, sizeof(name), "Malicious %s", val);
	set(o, "name", json_string(name));
	set(o, "indicator_types", strlist(g, types, 4, 2));
	set(o, "pattern", json_string(pat));
	set(o, "pattern_type", json_string("stix"));
	set(o, "valid_from", ts(g->now - 86400, 0));
	if (rndn(&g->seed, 2) == 0)
		set(o, "valid_until", ts(g->now + 86400 * 90, 0));
	set(o, "kill_chain_phases", kill_chain(g));
	set(o, "labels", json_pack("[s]", "feed"));
	maybe_description(g, o, 200, 900);
	return o;
}

static json_t *
make_attack_pattern(struct gen *g, char *id, size_t idsz)
{
	json_t *o = sdo(g, K_ATTACK_PATTERN, id, idsz);
	char name[96];

	snprintf(name, sizeof(name), "%s %s", PICK(&g->seed, words),
	    PICK(&g->seed, words));
	set(o, "name", json_string(name));
	set(o, "external_references", ext_ref(g, "mitre-attack", "T"));
	set(o, "kill_chain_phases", kill_chain(g));
	set(o, "description", prose(g, 400 + rndn(&g->seed, 1000)));
	return o;
}

static json_t *
make_threat_actor(struct gen *g, char *id, size_t idsz)
{
	static const char *const types[] = {
		"crime-syndicate", "nation-state", "hacker", "criminal",
	};
	json_t *o = sdo(g, K_THREAT_ACTOR, id, idsz);
	char name[96];

	snprintf(name, sizeof(name), "%s %s", PICK(&g->seed, words),
	    PICK(&g->seed, words));
	set(o, "name", json_string(name));
	set(o, "threat_actor_types", strlist(g, types, 4, 2));
	set(o, "aliases", json_pack("[s]", PICK(&g->seed, words)));
	set(o, "primary_motivation", json_string("personal-gain"));
	set(o, "description", prose(g, 300 + rndn(&g->seed, 600)));
	return o;
}

static json_t *
make_vulnerability(struct gen *g, char *id, size_t idsz)
{
	json_t *o = sdo(g, K_VULNERABILITY, id, idsz), *r;
	char cve[32];

	snprintf(cve, sizeof(cve), "CVE-20%02u-%u", 10 + rndn(&g->seed, 15),
	    1000 + rndn(&g->seed, 40000));
	set(o, "name", json_string(cve));
	r = json_array();
	json_array_append_new(r, json_pack("{s:s,s:s}", "source_name", "cve",
	    "external_id", cve));
	set(o, "external_references", r);
	set(o, "description", prose(g, 200 + rndn(&g->seed, 600)));
	return o;
}

static json_t *
make_relationship(struct gen *g, char *id, size_t idsz)
{
	json_t *o;
	const char *src, *dst, *rt;

	/* The documented SRO pairs, when both ends exist. */
	switch (rndn(&g->seed, 4)) {
	case 0:
		rt = "uses";
		src = recent(g, K_MALWARE);
		dst = recent(g, K_ATTACK_PATTERN);
		break;
	case 1:
		rt = "targets";
		src = recent(g, K_MALWARE);
		dst = recent(g, K_IDENTITY);
		break;
	case 2:
		rt = "uses";
		src = recent(g, K_THREAT_ACTOR);
		dst = recent(g, K_MALWARE);
		break;
	default:
		rt = "indicates";
		src = recent(g, K_INDICATOR);
		dst = recent(g, K_MALWARE);
		break;
	}
	if (src == NULL || dst == NULL) {
		rt = "indicates";
		src = recent(g, K_INDICATOR);
		dst = recent(g, K_MALWARE);
	}
	if (src == NULL || dst == NULL)
		return NULL;
	o = sdo(g, K_RELATIONSHIP, id, idsz);
	set(o, "relationship_type", json_string(rt));
	set(o, "source_ref", json_string(src));
	set(o, "target_ref", json_string(dst));
	if (rndn(&g->seed, 2) == 0)
		set(o, "description", prose(g, 100 + rndn(&g->seed, 600)));
	return o;
}

static json_t *
make_sighting(struct gen *g, char *id, size_t idsz)
{
	const char *ind = recent(g, K_INDICATOR), *where, *od;
	json_t *o;

	if (ind == NULL)
		return NULL;
	o = sdo(g, K_SIGHTING, id, idsz);
	set(o, "sighting_of_ref", json_string(ind));
	set(o, "first_seen", ts(g->now - 3600, 0));
	set(o, "last_seen", ts(g->now, 0));
	set(o, "count", json_integer(1 + rndn(&g->seed, 50)));
	if ((where = recent(g, K_IDENTITY)) != NULL)
		set(o, "where_sighted_refs", json_pack("[s]", where));
	if ((od = recent(g, K_OBSERVED_DATA)) != NULL)
		set(o, "observed_data_refs", json_pack("[s]", od));
	return o;
}

static json_t *
make_observed_data(struct gen *g, char *id, size_t idsz)
{
	static const enum kind sco[] = { K_IPV4, K_DOMAIN, K_FILE, K_URL };
	json_t *o, *refs = json_array();
	const char *r;
	unsigned i, n = 1 + rndn(&g->seed, 6);

	for (i = 0; i < n; i++) {
		if ((r = recent(g, PICK(&g->seed, sco))) != NULL)
			json_array_append_new(refs, json_string(r));
	}
	if (json_array_size(refs) == 0) {
		json_decref(refs);
		return NULL;
	}
	o = sdo(g, K_OBSERVED_DATA, id, idsz);
	set(o, "first_observed", ts(g->now - 7200, 0));
	set(o, "last_observed", ts(g->now, 0));
	set(o, "number_observed", json_integer(1 + rndn(&g->seed, 100)));
	set(o, "object_refs", refs);
	return o;
}

static json_t *
make_report(struct gen *g, char *id, size_t idsz)
{
	static const char *const types[] = {
		"threat-report", "indicator", "malware", "attack-pattern",
	};
	static const enum kind any[] = {
		K_INDICATOR, K_MALWARE, K_RELATIONSHIP, K_ATTACK_PATTERN,
		K_IPV4, K_DOMAIN, K_IDENTITY,
	};
	json_t *o, *refs = json_array();
	const char *r;
	char name[96];
	unsigned i, n = 3 + rndn(&g->seed, 20);

	for (i = 0; i < n; i++) {
		if ((r = recent(g, PICK(&g->seed, any))) != NULL)
			json_array_append_new(refs, json_string(r));
	}
	if (json_array_size(refs) == 0) {
		json_decref(refs);
		return NULL;
	}
	o = sdo(g, K_REPORT, id, idsz);
	snprintf(name, sizeof(name), "Weekly %s report %lu",
	    PICK(&g->seed, words), g->count[K_REPORT]);
	set(o, "name", json_string(name));
	set(o, "report_types", strlist(g, types, 4, 2));
	set(o, "published", ts(g->now, 0));
	set(o, "object_refs", refs);
	set(o, "description", prose(g, 300 + rndn(&g->seed, 1200)));
	return o;
}

/*
 * SCOs get the deterministic id of their ID-contributing properties, as
 * the specification asks; "id" is set early to keep the member order.
 */
static json_t *
sco(struct gen *g, enum kind k)
{
	json_t *o = json_object();

	set(o, "type", json_string(kind_type[k]));
	set(o, "spec_version", json_string("2.1"));
	set(o, "id", json_string(""));
	return o;
}

static json_t *
sco_finish(json_t *o, char *id, size_t idsz)
{
	struct cybex_diag d;

	if (cybex_stix_sco_id(o, id, idsz, &d) != 0) {
		fprintf(stderr, "bench_validate: sco id: %s\n", d.message);
		exit(1);
	}
	set(o, "id", json_string(id));
	return o;
}

static json_t *
make_scoobj(struct gen *g, enum kind k, char *id, size_t idsz)
{
	json_t *o = sco(g, k), *h;
	char val[192], dom[128];
	const char *ip;

	switch (k) {
	case K_IPV4:
		ipv4_text(g, val, sizeof(val));
		set(o, "value", json_string(val));
		break;
	case K_DOMAIN:
		domain_text(g, val, sizeof(val));
		set(o, "value", json_string(val));
		if ((ip = recent(g, K_IPV4)) != NULL)
			set(o, "resolves_to_refs", json_pack("[s]", ip));
		break;
	case K_URL:
		domain_text(g, dom, sizeof(dom));
		snprintf(val, sizeof(val), "https://%s/%s/%s?id=%u", dom,
		    PICK(&g->seed, words), PICK(&g->seed, words),
		    rndn(&g->seed, 100000));
		set(o, "value", json_string(val));
		break;
	default:	/* K_FILE */
		snprintf(val, sizeof(val), "%s_%s.%s", PICK(&g->seed, words),
		    PICK(&g->seed, words), rndn(&g->seed, 2) ? "exe" : "dll");
		h = json_object();
		set(h, "MD5", hex(g, 16));
		set(h, "SHA-1", hex(g, 20));
		set(h, "SHA-256", hex(g, 32));
		set(o, "hashes", h);
		set(o, "size", json_integer(1024 + rndn(&g->seed, 4000000)));
		set(o, "name", json_string(val));
		set(o, "mime_type", json_string("application/x-dosexec"));
		break;
	}
	return sco_finish(o, id, idsz);
}

static json_t *
make_object(struct gen *g, enum kind k, char *id, size_t idsz)
{
	json_t *o;

	switch (k) {
	case K_IDENTITY:
		o = make_identity(g, id, idsz);
		break;
	case K_MALWARE:
		o = make_malware(g, id, idsz);
		break;
	case K_INDICATOR:
		o = make_indicator(g, id, idsz);
		break;
	case K_ATTACK_PATTERN:
		o = make_attack_pattern(g, id, idsz);
		break;
	case K_RELATIONSHIP:
		o = make_relationship(g, id, idsz);
		break;
	case K_SIGHTING:
		o = make_sighting(g, id, idsz);
		break;
	case K_OBSERVED_DATA:
		o = make_observed_data(g, id, idsz);
		break;
	case K_REPORT:
		o = make_report(g, id, idsz);
		break;
	case K_THREAT_ACTOR:
		o = make_threat_actor(g, id, idsz);
		break;
	case K_VULNERABILITY:
		o = make_vulnerability(g, id, idsz);
		break;
	default:
		o = make_scoobj(g, k, id, idsz);
		break;
	}
	return o;
}

static enum kind
pick_kind(struct gen *g)
{
	unsigned total = 0, x, i;

	for (i = 0; i < K_NKINDS; i++)
		total += kind_weight[i];
	x = rndn(&g->seed, total);
	for (i = 0; i < K_NKINDS; i++) {
		if (x < kind_weight[i])
			break;
		x -= kind_weight[i];
	}
	return (enum kind)i;
}

struct vstat {
	unsigned long	 errors;
	unsigned long	 warnings;
	unsigned long	 shown;
};

static void
on_diag(void *ud, const struct cybex_diag *d)
{
	struct vstat *vs = ud;

	/* Errors are fatal for gen: show the first few. */
	if (d->severity == CYBEX_SEV_ERROR && vs->shown++ < 5)
		fprintf(stderr, "bench_validate: error: %s [%s] (%s)\n",
		    d->message, d->pointer, d->rule != NULL ? d->rule : "-");
}

static int
cmd_gen(const char *path, unsigned long nobj)
{
	struct gen *g = NULL;
	struct cybex_buf b;
	struct cybex_stix_result res;
	struct vstat vs = { 0, 0, 0 };
	char id[CYBEX_STIX_ID_MAX], bid[48];
	unsigned long i, sampled = 0;
	unsigned long long bytes = 0;
	json_t *o;
	enum kind k;
	FILE *f = NULL;
	int r = 1;

	cybex_buf_init(&b, 0);
	if ((g = calloc(1, sizeof(*g))) == NULL)
		goto out;
	g->seed = 0x9e3779b97f4a7c15ULL;
	g->now = 1709251200;	/* 2024-03-01T00:00:00Z */
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "bench_validate: %s: %s\n", path,
		    strerror(errno));
		goto out;
	}
	gen_id(g, "bundle", bid, sizeof(bid));
	fprintf(f, "{\"type\":\"bundle\",\"id\":\"%s\",\"objects\":[\n", bid);
	for (i = 0; i < nobj; ) {
		k = pick_kind(g);
		if ((o = make_object(g, k, id, sizeof(id))) == NULL)
			continue;	/* its referents do not exist yet */
		if (i < SAMPLE_HEAD || i % SAMPLE_EVERY == 0) {
			sampled++;
			if (cybex_stix_validate(o, NULL, NULL, on_diag, &vs,
			    &res) != 0 || res.errors != 0) {
				fprintf(stderr, "bench_validate: generated %s "
				    "is not valid\n", kind_type[k]);
				json_decref(o);
				goto out;
			}
			vs.warnings += res.warnings;
		}
		cybex_buf_reset(&b);
		if (cybex_stix_write(o, 0, &b) != 0) {
			json_decref(o);
			goto out;
		}
		json_decref(o);
		if (i > 0)
			fputs(",\n", f);
		fwrite(b.data, 1, b.len, f);
		bytes += b.len;
		remember(g, k, id);
		g->count[k]++;
		/* The feed moves on: about a minute per 50 objects. */
		if (rndn(&g->seed, 50) == 0)
			g->now += 60;
		i++;
	}
	fputs("\n]}\n", f);
	if (ferror(f) || fclose(f) != 0) {
		f = NULL;
		fprintf(stderr, "bench_validate: %s: write failed\n", path);
		goto out;
	}
	f = NULL;
	printf("wrote %s: %lu objects, %.1f MB, %.0f bytes/object average\n",
	    path, nobj, (double)bytes / 1e6,
	    nobj ? (double)bytes / (double)nobj : 0.0);
	printf("types:");
	for (i = 0; i < K_NKINDS; i++)
		printf(" %s=%lu", kind_type[i], g->count[i]);
	printf("\nsample validated: %lu objects, 0 errors, %lu warnings\n",
	    sampled, vs.warnings);
	r = 0;
 out:
	if (f != NULL) {
		fclose(f);
		unlink(path);
	}
	cybex_buf_free(&b);
	free(g);
	return r;
}

/* ---- measurements ---- */
struct result {
	int		 ok;
	double		 secs;
	unsigned long	 objects;	/* items seen */
	unsigned long	 errors;	/* validation errors, total */
	unsigned long	 warnings;
	unsigned long	 invalid;	/* objects with an error */
	char		 msg[CYBEX_DIAG_MSG_MAX + 64];
};

enum measure { M_JANSSON, M_JANSSON_MEM, M_READ, M_VALIDATE };

static void
measure_jansson(const char *path, struct result *res)
{
	res->ok = bench_jansson_file(path, &res->secs, &res->objects,
	    res->msg, sizeof(res->msg)) == 0;
}

/* The same parse from memory: the file is read in first, off the clock. */
static void
measure_jansson_mem(const char *path, struct result *res)
{
	json_error_t err;
	json_t *root;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t got;
	double t0;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(res->msg, sizeof(res->msg), "%s", strerror(errno));
		goto out;
	}
	while (len < (size_t)st.st_size &&
	    (got = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)got;
	t0 = bench_now();
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	res->secs = bench_now() - t0;
	if (root == NULL) {
		snprintf(res->msg, sizeof(res->msg), "%d:%d: %s", err.line,
		    err.column, err.text);
		goto out;
	}
	res->objects = (unsigned long)json_array_size(json_object_get(root,
	    "objects"));
	res->ok = 1;
	json_decref(root);
 out:
	if (fd != -1)
		close(fd);
	free(buf);
}

static void
measure_cybex(const char *path, int validate, struct result *res)
{
	struct cybex_stix_reader *r = NULL;
	struct cybex_stix_result vr;
	struct cybex_stix_item it;
	struct cybex_diag d;
	double t0;
	int fd, rc;

	if ((fd = open(path, O_RDONLY)) == -1) {
		snprintf(res->msg, sizeof(res->msg), "%s", strerror(errno));
		return;
	}
	t0 = bench_now();
	if (cybex_stix_reader_new(fd, NULL, &r) != 0)
		goto out;
	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		res->objects++;
		if (!validate)
			continue;
		if (cybex_stix_validate(it.json, NULL, it.pointer, NULL, NULL,
		    &vr) != 0)
			res->invalid++;
		res->errors += vr.errors;
		res->warnings += vr.warnings;
	}
	res->secs = bench_now() - t0;
	if (rc < 0) {
		snprintf(res->msg, sizeof(res->msg), "%lu:%lu: %s", d.line,
		    d.column, d.message);
		goto out;
	}
	res->ok = 1;
 out:
	cybex_stix_reader_free(r);
	close(fd);
}

/* Run one measurement in a child; *maxrss_kb gets its peak RSS. */
struct job {
	const char	*path;
	enum measure	 m;
};

static void
child(void *arg, void *out)
{
	const struct job *j = arg;
	struct result *res = out;

	if (j->m == M_JANSSON)
		measure_jansson(j->path, res);
	else if (j->m == M_JANSSON_MEM)
		measure_jansson_mem(j->path, res);
	else
		measure_cybex(j->path, j->m == M_VALIDATE, res);
}

/* One measurement in its own child, with its peak RSS. */
static int
measure(const char *path, enum measure m, struct result *res, long *maxrss_kb)
{
	struct job j = { path, m };

	memset(res, 0, sizeof(*res));
	if (bench_in_child(child, &j, res, sizeof(*res), maxrss_kb) != 0) {
		snprintf(res->msg, sizeof(res->msg), "child failed");
		res->ok = 0;
		return -1;
	}
	return res->ok ? 0 : -1;
}

static void
print_header(const char *path, unsigned long long size)
{
	printf("file: %s (%.1f MB)\n", path, (double)size / 1e6);
	printf("%-34s %8s %9s %11s %11s\n", "measurement", "time_s", "MB/s",
	    "objects/s", "peak_RSS_MB");
}

static void
print_row(const char *name, const struct result *res, long rss_kb,
    unsigned long long size)
{
	if (!res->ok) {
		printf("%-34s FAILED: %s\n", name, res->msg);
		return;
	}
	printf("%-34s %8.2f %9.1f %11.0f %11.1f\n", name, res->secs,
	    (double)size / 1e6 / res->secs, (double)res->objects / res->secs,
	    (double)rss_kb / 1024.0);
}

static void
print_validity(const struct result *res)
{
	printf("  %lu objects: %lu invalid, %lu errors, %lu warnings\n",
	    res->objects, res->invalid, res->errors, res->warnings);
}

/*
 * Best time of reps runs (the machine may be shared), largest peak RSS.
 * Returns 0 when every run succeeded.
 */
static int
measure_best(const char *path, enum measure m, int reps, struct result *best,
    long *maxrss_kb)
{
	struct result res;
	long kb;
	int i, r = 0;

	*maxrss_kb = 0;
	for (i = 0; i < reps; i++) {
		if (measure(path, m, &res, &kb) != 0) {
			*best = res;
			r = -1;
			goto out;
		}
		if (i == 0 || res.secs < best->secs)
			*best = res;
		if (kb > *maxrss_kb)
			*maxrss_kb = kb;
	}
 out:
	return r;
}

static int
cmd_run(const char *path, int reps)
{
	struct result rj, rm, rr, rv;
	unsigned long long size;
	long kj, km, kr, kv;
	int r = 1;

	if (bench_warm("bench_validate", path, &size) != 0)
		goto out;
	print_header(path, size);
	printf("(best of %d runs each)\n", reps);
	(void)measure_best(path, M_JANSSON, reps, &rj, &kj);
	print_row("jansson json_load_file (reference)", &rj, kj, size);
	(void)measure_best(path, M_JANSSON_MEM, reps, &rm, &km);
	print_row("jansson json_loadb (from memory)", &rm, km, size);
	(void)measure_best(path, M_READ, reps, &rr, &kr);
	print_row("cybex stream read (parse only)", &rr, kr, size);
	(void)measure_best(path, M_VALIDATE, reps, &rv, &kv);
	print_row("cybex stream read + validate", &rv, kv, size);
	if (!rj.ok || !rr.ok || !rv.ok)
		goto out;
	print_validity(&rv);
	if (rj.objects != rv.objects)
		printf("  object counts differ: jansson %lu, cybex %lu\n",
		    rj.objects, rv.objects);
	printf("ratio parse_time/validate_time: %.2f (target >= 0.50: %s)\n",
	    rj.secs / rv.secs, rj.secs / rv.secs >= 0.5 ? "met" : "MISSED");
	if (rm.ok)
		printf("  (against json_loadb from memory: %.2f)\n",
		    rm.secs / rv.secs);
	printf("peak RSS: jansson %.1f MB, cybex %.1f MB\n",
	    (double)kj / 1024.0, (double)kv / 1024.0);
	r = 0;
 out:
	return r;
}

static int
cmd_validate(const char *path)
{
	struct result rv;
	unsigned long long size;
	long kv;
	int r = 1;

	if (bench_warm("bench_validate", path, &size) != 0)
		goto out;
	print_header(path, size);
	(void)measure(path, M_VALIDATE, &rv, &kv);
	print_row("cybex stream read + validate", &rv, kv, size);
	if (!rv.ok)
		goto out;
	print_validity(&rv);
	printf("peak_rss_kb: %ld\n", kv);
	r = 0;
 out:
	return r;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_validate gen FILE NOBJ\n"
	    "       bench_validate run FILE [REPS]\n"
	    "       bench_validate validate FILE\n");
}

int
main(int argc, char **argv)
{
	unsigned long n;
	char *ep;
	int reps, r = 2;

	if (argc == 4 && strcmp(argv[1], "gen") == 0) {
		errno = 0;
		n = strtoul(argv[3], &ep, 10);
		if (errno != 0 || *ep != '\0' || ep == argv[3] ||
		    n > 100000000UL) {
			usage();
			goto out;
		}
		r = cmd_gen(argv[2], n);
	} else if ((argc == 3 || argc == 4) && strcmp(argv[1], "run") == 0) {
		reps = 3;
		if (argc == 4) {
			errno = 0;
			reps = (int)strtol(argv[3], &ep, 10);
			if (errno != 0 || *ep != '\0' || reps < 1 ||
			    reps > 100) {
				usage();
				goto out;
			}
		}
		r = cmd_run(argv[2], reps);
	}
	else if (argc == 3 && strcmp(argv[1], "validate") == 0)
		r = cmd_validate(argv[2]);
	else
		usage();
 out:
	return r;
}
