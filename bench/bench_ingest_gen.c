/*
 * Generators of realistic sensor records (bench_ingest_gen.h).  Field
 * order and content follow what Suricata 7 writes with its default
 * eve-log settings, so line lengths and the share of skipped members are
 * those of real sensors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cybex/core.h"
#include "bench_ingest_gen.h"

static const char *const words[] = {
	"mail", "cdn", "api", "static", "update", "login", "portal", "shop",
	"news", "files", "img", "auth", "cloud", "data", "media", "secure",
};
static const char *const tlds[] = { "com", "net", "org", "example", "io",
	"de", "cn", "ru", "info", "top" };
static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 "
	    "Firefox/125.0",
	"curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1",
	"Microsoft-CryptoAPI/10.0",
};
static const char *const users[] = {
	"alice", "bob", "deploy", "backup", "git", "carol", "dave", "ops",
};
static const char *const bad_users[] = {
	"root", "admin", "test", "oracle", "ubuntu", "user", "postgres",
	"guest", "pi", "ftpuser",
};
static const char *const sigs[] = {
	"ET SCAN Suspicious inbound to MSSQL port 1433",
	"ET POLICY curl User-Agent Outbound",
	"ET MALWARE Possible Cobalt Strike Beacon Observed",
	"ET INFO Observed DNS Query to .top TLD",
	"GPL ICMP_INFO PING *NIX",
};
static const char *const cats[] = {
	"Potentially Bad Traffic", "Attempted Information Leak",
	"A Network Trojan was detected", "Misc activity",
};

static uint64_t
rnd(struct bench_gen *g)
{
	g->state ^= g->state >> 12;
	g->state ^= g->state << 25;
	g->state ^= g->state >> 27;
	return g->state * 0x2545f4914f6cdd1dULL;
}

static unsigned
pick(struct bench_gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

void
bench_gen_init(struct bench_gen *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->state = seed * 0x9e3779b97f4a7c15ULL + 0x853c49e6748fea9bULL;
	if (g->state == 0)
		g->state = 1;
	g->t_us = INT64_C(1717200000000000);	/* 2024-06-01T00:00:00Z */
}

/* Appending with a running length; sets *ok = 0 when it does not fit. */
struct out {
	char	*b;
	size_t	 n, sz;
	int	 ok;
};

static void put(struct out *o, const char *fmt, ...) CYBEX_PRINTF(2, 3);

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!o->ok)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->b + o->n, o->sz - o->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->sz - o->n) {
		o->ok = 0;
		return;
	}
	o->n += (size_t)k;
}

static void
ts(struct out *o, int64_t us, int eve)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), eve ? "%Y-%m-%dT%H:%M:%S" : "%b %e %H:%M:%S",
	    &tm);
	if (eve)
		put(o, "%s.%06ld+0000", buf, (long)(us % 1000000));
	else
		put(o, "%s", buf);
}

static void
ext_ip(struct bench_gen *g, char *buf, size_t sz)
{
	uint64_t r = rnd(g);

	snprintf(buf, sz, "%u.%u.%u.%u", 1 + (unsigned)(r % 222),
	    (unsigned)(r >> 8) & 255, (unsigned)(r >> 16) & 255,
	    1 + (unsigned)((r >> 24) % 254));
}

static void
int_ip(struct bench_gen *g, char *buf, size_t sz)
{
	uint64_t r = rnd(g);

	snprintf(buf, sz, "10.%u.%u.%u", (unsigned)(r & 7),
	    (unsigned)(r >> 8) & 255, 1 + (unsigned)((r >> 16) % 254));
}

static void
domain(struct bench_gen *g, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s.%s%u.%s", words[pick(g, 16)], words[pick(g, 16)],
	    pick(g, 500), tlds[pick(g, 10)]);
}

static void
hex(struct bench_gen *g, char *buf, size_t n)
{
	static const char h[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = h[pick(g, 16)];
	buf[n] = '\0';
}

size_t
bench_gen_eve_line(struct bench_gen *g, char *buf, size_t sz)
{
	struct out o = { buf, 0, sz, 1 };
	char cli[20], srv[20], dom[64], h1[70], h2[70];
	unsigned k = pick(g, 100), sport = 1024 + pick(g, 64000), dport;
	const char *type, *proto = "TCP", *app = NULL;
	uint64_t fid = rnd(g) >> 14;
	int64_t start;

	g->t_us += 1 + (int64_t)pick(g, 2000);
	g->n++;
	int_ip(g, cli, sizeof(cli));
	ext_ip(g, srv, sizeof(srv));
	domain(g, dom, sizeof(dom));
	if (k < 40) {
		type = "flow";
		dport = pick(g, 4) == 0 ? 53 : pick(g, 2) ? 443 : 80;
		if (dport == 53)
			proto = "UDP", app = "dns";
		else
			app = dport == 443 ? "tls" : "http";
	} else if (k < 60) {
		type = "dns", proto = "UDP", dport = 53, app = "dns";
	} else if (k < 75) {
		type = "http", dport = 80, app = "http";
	} else if (k < 85) {
		type = "tls", dport = 443, app = "tls";
	} else if (k < 90) {
		type = "alert", dport = pick(g, 2) ? 80 : 1433;
		app = dport == 80 ? "http" : NULL;
	} else if (k < 94) {
		type = "fileinfo", dport = 80, app = "http";
	} else if (k < 97) {
		type = "smtp", dport = 25, app = "smtp";
	} else {
		type = "anomaly", dport = 443, app = "tls";
	}
	put(&o, "{\"timestamp\":\"");
	ts(&o, g->t_us, 1);
	put(&o, "\",\"flow_id\":%llu,\"in_iface\":\"eth1\",\"event_type\":"
	    "\"%s\",\"src_ip\":\"%s\",\"src_port\":%u,\"dest_ip\":\"%s\","
	    "\"dest_port\":%u,\"proto\":\"%s\"", (unsigned long long)fid, type,
	    cli, sport, srv, dport, proto);
	if (strcmp(type, "flow") == 0) {
		start = g->t_us - (int64_t)pick(g, 60000000);
		put(&o, ",\"app_proto\":\"%s\",\"flow\":{\"pkts_toserver\":%u,"
		    "\"pkts_toclient\":%u,\"bytes_toserver\":%u,"
		    "\"bytes_toclient\":%u,\"start\":\"", app, 1 + pick(g, 40),
		    pick(g, 60), 60 + pick(g, 9000), pick(g, 90000));
		ts(&o, start, 1);
		put(&o, "\",\"end\":\"");
		ts(&o, g->t_us, 1);
		put(&o, "\",\"age\":%u,\"state\":\"%s\",\"reason\":\"timeout\","
		    "\"alerted\":false}", (unsigned)((g->t_us - start) / 1000000),
		    pick(g, 5) == 0 ? "new" : "closed");
		if (proto[0] == 'T')
			put(&o, ",\"tcp\":{\"tcp_flags\":\"%02x\","
			    "\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\","
			    "\"syn\":true,\"fin\":true,\"psh\":true,\"ack\":true,"
			    "\"state\":\"closed\"}", pick(g, 5) == 0 ? 2 : 0x1b);
	} else if (strcmp(type, "dns") == 0) {
		if (pick(g, 2)) {
			put(&o, ",\"dns\":{\"version\":2,\"type\":\"query\","
			    "\"id\":%u,\"rrname\":\"%s\",\"rrtype\":\"A\","
			    "\"tx_id\":0,\"opcode\":0}", pick(g, 65536), dom);
		} else {
			ext_ip(g, h1, sizeof(h1));
			ext_ip(g, h2, sizeof(h2));
			put(&o, ",\"dns\":{\"version\":2,\"type\":\"answer\","
			    "\"id\":%u,\"flags\":\"8180\",\"qr\":true,\"rd\":true,"
			    "\"ra\":true,\"opcode\":0,\"rrname\":\"%s\","
			    "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":"
			    "[{\"rrname\":\"%s\",\"rrtype\":\"A\",\"ttl\":%u,"
			    "\"rdata\":\"%s\"},{\"rrname\":\"%s\",\"rrtype\":\"A\","
			    "\"ttl\":%u,\"rdata\":\"%s\"}],\"grouped\":{\"A\":"
			    "[\"%s\",\"%s\"]}}", pick(g, 65536), dom, dom,
			    pick(g, 3600), h1, dom, pick(g, 3600), h2, h1, h2);
		}
	} else if (strcmp(type, "http") == 0 || strcmp(type, "fileinfo") == 0) {
		put(&o, ",\"tx_id\":0,\"http\":{\"hostname\":\"%s\",\"url\":"
		    "\"/%s/%s%u.%s?id=%u\",\"http_user_agent\":\"%s\","
		    "\"http_content_type\":\"text/html\",\"http_method\":\"%s\","
		    "\"protocol\":\"HTTP/1.1\",\"status\":%u,\"length\":%u}",
		    dom, words[pick(g, 16)], words[pick(g, 16)], pick(g, 1000),
		    pick(g, 3) ? "html" : "php", pick(g, 100000),
		    agents[pick(g, 6)], pick(g, 4) ? "GET" : "POST",
		    pick(g, 10) ? 200 : 404, pick(g, 50000));
		put(&o, ",\"app_proto\":\"http\"");
		if (type[0] == 'f') {
			hex(g, h1, 32);
			hex(g, h2, 64);
			put(&o, ",\"fileinfo\":{\"filename\":\"/%s.bin\","
			    "\"gaps\":false,\"state\":\"CLOSED\",\"md5\":\"%s\","
			    "\"sha256\":\"%s\",\"stored\":false,\"size\":%u,"
			    "\"tx_id\":0}", words[pick(g, 16)], h1, h2,
			    pick(g, 1000000));
		}
	} else if (strcmp(type, "tls") == 0) {
		hex(g, h1, 32);
		hex(g, h2, 32);
		put(&o, ",\"tls\":{\"subject\":\"CN=%s\",\"issuerdn\":\"C=US, "
		    "O=Let's Encrypt, CN=R3\",\"serial\":\"04:%02X:%02X:9A:11\","
		    "\"fingerprint\":\"%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:"
		    "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:"
		    "%02x\",\"sni\":\"%s\",\"version\":\"TLS 1.2\","
		    "\"notbefore\":\"2024-03-01T00:00:00\",\"notafter\":"
		    "\"2024-05-30T00:00:00\",\"ja3\":{\"hash\":\"%s\","
		    "\"string\":\"771,4865-4866-4867-49195,0-23-65281-10-11,"
		    "29-23-24,0\"},\"ja3s\":{\"hash\":\"%s\",\"string\":"
		    "\"771,49199,65281-0-11\"}},\"app_proto\":\"tls\"", dom,
		    pick(g, 256), pick(g, 256), pick(g, 256), pick(g, 256),
		    pick(g, 256), pick(g, 256), pick(g, 256), pick(g, 256),
		    pick(g, 256), pick(g, 256), pick(g, 256), pick(g, 256),
		    pick(g, 256), pick(g, 256), pick(g, 256), pick(g, 256),
		    pick(g, 256), pick(g, 256), pick(g, 256), pick(g, 256),
		    pick(g, 256), pick(g, 256), dom, h1, h2);
	} else if (strcmp(type, "alert") == 0) {
		k = pick(g, 5);
		put(&o, ",\"tx_id\":0,\"alert\":{\"action\":\"allowed\","
		    "\"gid\":1,\"signature_id\":%u,\"rev\":%u,\"signature\":"
		    "\"%s\",\"category\":\"%s\",\"severity\":%u,\"metadata\":{"
		    "\"created_at\":[\"2020_01_01\"],\"signature_severity\":"
		    "[\"Major\"],\"updated_at\":[\"2024_01_01\"]}}",
		    2000000 + k * 1013, 1 + pick(g, 9), sigs[k], cats[k % 4],
		    1 + pick(g, 3));
		if (app != NULL)
			put(&o, ",\"http\":{\"hostname\":\"%s\",\"url\":\"/\","
			    "\"http_user_agent\":\"%s\",\"http_method\":\"GET\","
			    "\"protocol\":\"HTTP/1.1\",\"length\":0},"
			    "\"app_proto\":\"http\"", dom, agents[pick(g, 6)]);
		put(&o, ",\"flow\":{\"pkts_toserver\":%u,\"pkts_toclient\":%u,"
		    "\"bytes_toserver\":%u,\"bytes_toclient\":%u,\"start\":\"",
		    1 + pick(g, 10), pick(g, 10), 60 + pick(g, 2000),
		    pick(g, 5000));
		ts(&o, g->t_us - 1000, 1);
		put(&o, "\"}");
	} else if (strcmp(type, "smtp") == 0) {
		put(&o, ",\"tx_id\":0,\"smtp\":{\"helo\":\"mx.%s\","
		    "\"mail_from\":\"<%s@%s>\",\"rcpt_to\":[\"<%s@corp.example>\","
		    "\"<%s@corp.example>\"]},\"email\":{\"status\":"
		    "\"PARSE_DONE\",\"from\":\"%s <%s@%s>\",\"to\":["
		    "\"<%s@corp.example>\"],\"message_id\":\"<%llx@%s>\","
		    "\"subject\":\"invoice %u\"},\"app_proto\":\"smtp\"", dom,
		    users[pick(g, 8)], dom, users[pick(g, 8)], users[pick(g, 8)],
		    users[pick(g, 8)], users[pick(g, 8)], dom, users[pick(g, 8)],
		    (unsigned long long)rnd(g), dom, pick(g, 10000));
	} else {
		put(&o, ",\"app_proto\":\"tls\",\"anomaly\":{\"app_proto\":"
		    "\"tls\",\"type\":\"applayer\",\"event\":"
		    "\"INVALID_RECORD_TYPE\",\"layer\":\"proto_parser\"}");
	}
	put(&o, ",\"host\":\"sensor-1\"}");
	return o.ok ? o.n : 0;
}

size_t
bench_gen_sshd_line(struct bench_gen *g, char *buf, size_t sz)
{
	struct out o = { buf, 0, sz, 1 };
	char ip[20], key[48];
	unsigned k, pid = 1000 + pick(g, 60000), port = 1024 + pick(g, 64000);
	const char *u;

	g->t_us += 1000 + (int64_t)pick(g, 3000000);
	g->n++;
	ts(&o, g->t_us, 0);
	put(&o, " bastion sshd[%u]: ", pid);
	if (g->burst_left == 0 && pick(g, 2000) == 0) {
		g->burst_left = 20 + pick(g, 200);
		g->attacker = (uint32_t)rnd(g);
	}
	if (g->burst_left > 0) {
		g->burst_left--;
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u",
		    1 + (g->attacker % 222), (g->attacker >> 8) & 255,
		    (g->attacker >> 16) & 255, 1 + ((g->attacker >> 24) % 254));
		u = bad_users[pick(g, 10)];
		k = pick(g, 10);
		if (k < 5)
			put(&o, "Failed password for %s%s from %s port %u ssh2",
			    pick(g, 2) ? "invalid user " : "", u, ip, port);
		else if (k < 8)
			put(&o, "Invalid user %s from %s port %u", u, ip, port);
		else if (k < 9)
			put(&o, "Connection closed by authenticating user %s %s "
			    "port %u [preauth]", u, ip, port);
		else
			put(&o, "error: maximum authentication attempts "
			    "exceeded for %s from %s port %u ssh2 [preauth]", u,
			    ip, port);
		return o.ok ? o.n : 0;
	}
	int_ip(g, ip, sizeof(ip));
	u = users[pick(g, 8)];
	k = pick(g, 10);
	if (k < 4) {
		hex(g, key, 43);
		put(&o, "Accepted publickey for %s from %s port %u ssh2: "
		    "ED25519 SHA256:%s", u, ip, port, key);
	} else if (k < 5) {
		put(&o, "Accepted password for %s from %s port %u ssh2", u, ip,
		    port);
	} else if (k < 7) {
		put(&o, "pam_unix(sshd:session): session opened for user "
		    "%s(uid=%u) by (uid=0)", u, 1000 + pick(g, 8));
	} else if (k < 8) {
		put(&o, "pam_unix(sshd:session): session closed for user %s",
		    u);
	} else if (k < 9) {
		put(&o, "Received disconnect from %s port %u:11: disconnected "
		    "by user", ip, port);
	} else {
		put(&o, "Disconnected from user %s %s port %u", u, ip, port);
	}
	return o.ok ? o.n : 0;
}

int
bench_gen_file(const char *path, const char *kind, unsigned long n,
    uint64_t seed)
{
	struct bench_gen g;
	char buf[2048];
	unsigned long i;
	size_t len;
	FILE *f;
	int eve;

	if (strcmp(kind, "eve") == 0)
		eve = 1;
	else if (strcmp(kind, "sshd") == 0)
		eve = 0;
	else {
		errno = EINVAL;
		return -1;
	}
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	bench_gen_init(&g, seed);
	for (i = 0; i < n; i++) {
		len = eve ? bench_gen_eve_line(&g, buf, sizeof(buf) - 1) :
		    bench_gen_sshd_line(&g, buf, sizeof(buf) - 1);
		buf[len++] = '\n';
		if (fwrite(buf, 1, len, f) != len) {
			fclose(f);
			return -1;
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}
