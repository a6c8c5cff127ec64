/*
 * Rules of the STIX 2.1 SCO registry (lib/stix/registry_sco.c): for every
 * named rule one object that breaks it and one that keeps it, a few
 * checks of the property tables through the engine's generic rules, and a
 * valid object of each of the 18 SCO types.
 *
 * Test JSON is written with single quotes (none of it needs an
 * apostrophe) and turned into JSON before parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* Any well-formed id; the deterministic one only matters for warnings. */
#define UUID	"--4c0a3f3e-22d6-4d5b-9f6a-0d3c2a1b5e7f"
#define ID(t)	"'id': '" t UUID "'"
#define HDR(t)	"{'type': '" t "', 'spec_version': '2.1', " ID(t)
#define SHA256	"'SHA-256': '" \
	"fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db'"
#define FILE_EXT(ext)	HDR("file") ", 'name': 'a.bin', 'extensions': " \
	"{'" ext "': "
#define NT	HDR("network-traffic") ", 'src_ref': 'ipv4-addr" UUID "', " \
	"'src_port': 1, 'dst_port': 2, 'protocols': ['tcp']"
#define NT_EXT(ext)	NT ", 'extensions': {'" ext "': "
#define PROC_EXT(ext)	HDR("process") ", 'extensions': {'" ext "': "
#define MP	HDR("email-message") ", 'is_multipart': true, " \
	"'body_multipart': "

static int
validate_sq(const char *sq, unsigned flags, struct tu_diags *ds)
{
	char *json = strdup(sq), *p;
	int r;

	assert_non_null(json);
	for (p = json; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	r = tu_validate(json, flags, ds);
	free(json);
	return r;
}

struct rcase {
	const char	*rule;
	int		 sev;		/* CYBEX_SEV_ERROR or _WARNING */
	const char	*bad;		/* breaks the rule */
	const char	*good;		/* keeps it (and has no error) */
};

#define E	CYBEX_SEV_ERROR
#define W	CYBEX_SEV_WARNING

static const struct rcase rule_cases[] = {
	/* artifact */
	{ "artifact-payload-and-url", E,
	    HDR("artifact") ", 'payload_bin': 'TWFu', "
	    "'url': 'https://example.com/a', 'hashes': {" SHA256 "}}",
	    HDR("artifact") ", 'payload_bin': 'TWFu'}" },
	{ "artifact-payload-or-url", E,
	    HDR("artifact") ", 'mime_type': 'text/plain'}",
	    HDR("artifact") ", 'url': 'https://example.com/a', "
	    "'hashes': {" SHA256 "}}" },
	{ "artifact-url-requires-hashes", E,
	    HDR("artifact") ", 'url': 'https://example.com/a'}",
	    HDR("artifact") ", 'url': 'https://example.com/a', "
	    "'hashes': {" SHA256 "}}" },
	{ "artifact-key-requires-algorithm", E,
	    HDR("artifact") ", 'payload_bin': 'TWFu', "
	    "'decryption_key': 'infected'}",
	    HDR("artifact") ", 'payload_bin': 'TWFu', "
	    "'encryption_algorithm': 'mime-type-indicated', "
	    "'decryption_key': 'infected'}" },
	{ "artifact-mime-type", E,
	    HDR("artifact") ", 'payload_bin': 'TWFu', 'mime_type': 'png'}",
	    HDR("artifact") ", 'payload_bin': 'TWFu', "
	    "'mime_type': 'image/png'}" },
	/* directory */
	{ "directory-path-enc", E,
	    HDR("directory") ", 'path': '/tmp', 'path_enc': 'UTF 8'}",
	    HDR("directory") ", 'path': '/tmp', 'path_enc': 'UTF-8'}" },
	/* domain-name */
	{ "domain-name-value", E,
	    HDR("domain-name") ", 'value': 'exa mple.com'}",
	    HDR("domain-name") ", 'value': 'www.example.com'}" },
	{ "domain-name-value", E,
	    HDR("domain-name") ", 'value': '-bad.example.com'}",
	    HDR("domain-name") ", 'value': 'xn--bcher-kva.example'}" },
	{ "domain-name-value", E,
	    HDR("domain-name") ", 'value': 'a..example.com'}",
	    HDR("domain-name") ", 'value': 'example.com.'}" },
	/* email-addr */
	{ "email-addr-value", W,
	    HDR("email-addr") ", 'value': 'not an address'}",
	    HDR("email-addr") ", 'value': 'jane.smith@example.com'}" },
	{ "email-addr-display-name", E,
	    HDR("email-addr") ", 'value': 'Jane <jane@example.com>'}",
	    HDR("email-addr") ", 'value': 'jane@example.com', "
	    "'display_name': 'Jane'}" },
	/* email-message */
	{ "email-body-when-multipart", E,
	    HDR("email-message") ", 'is_multipart': true, 'body': 'hi'}",
	    MP "[{'body': 'hi'}]}" },
	{ "email-multipart-when-not-multipart", E,
	    HDR("email-message") ", 'is_multipart': false, "
	    "'body_multipart': [{'body': 'hi'}]}",
	    HDR("email-message") ", 'is_multipart': false, 'body': 'hi'}" },
	{ "email-header-field-value", E,
	    HDR("email-message") ", 'is_multipart': false, "
	    "'additional_header_fields': {'X-Mailer': 5}}",
	    HDR("email-message") ", 'is_multipart': false, "
	    "'additional_header_fields': {'X-Mailer': 'mutt', "
	    "'Reply-To': ['a@example.com', 'b@example.com']}}" },
	{ "email-header-field-mapped", W,
	    HDR("email-message") ", 'is_multipart': false, "
	    "'additional_header_fields': {'subject': 'hi'}}",
	    HDR("email-message") ", 'is_multipart': false, "
	    "'additional_header_fields': {'Subject-Extra': 'hi'}}" },
	/* email-mime-part-type */
	{ "mime-part-body-required", E,
	    MP "[{'content_type': 'text/plain'}]}",
	    MP "[{'content_type': 'text/plain', 'body': 'hi'}]}" },
	{ "mime-part-body-exclusive", E,
	    MP "[{'body': 'hi', 'body_raw_ref': 'artifact" UUID "'}]}",
	    MP "[{'body_raw_ref': 'artifact" UUID "'}]}" },
	/* file */
	{ "file-hashes-or-name", E,
	    HDR("file") ", 'size': 5}",
	    HDR("file") ", 'hashes': {" SHA256 "}}" },
	{ "file-name-enc", E,
	    HDR("file") ", 'name': 'a', 'name_enc': 'UTF 8'}",
	    HDR("file") ", 'name': 'a', 'name_enc': 'windows-1252'}" },
	{ "file-mime-type", W,
	    HDR("file") ", 'name': 'a', 'mime_type': 'exe'}",
	    HDR("file") ", 'name': 'a', "
	    "'mime_type': 'application/x-dosexec'}" },
	/* hashes the engine does not format-check */
	{ "hash-value-format", E,
	    HDR("file") ", 'hashes': {'SSDEEP': 'not ssdeep!'}}",
	    HDR("file") ", 'hashes': "
	    "{'SSDEEP': '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C'}}" },
	{ "hash-value-format", E,
	    HDR("x509-certificate") ", 'hashes': {'TLSH': 'T1AB'}}",
	    HDR("x509-certificate") ", 'hashes': {'TLSH': '"
	    "1234567890abcdef1234567890abcdef1234567890abcdef"
	    "1234567890abcdef123456'}}" },
	{ "hash-value-format", E,
	    FILE_EXT("ntfs-ext") "{'alternate_data_streams': [{'name': 's', "
	    "'hashes': {'SSDEEP': ''}}]}}}",
	    FILE_EXT("ntfs-ext") "{'alternate_data_streams': [{'name': 's', "
	    "'hashes': {'SSDEEP': '3:a+b/c:d.e'}}]}}}" },
	/* addresses */
	{ "ipv4-addr-value", E,
	    HDR("ipv4-addr") ", 'value': '256.1.1.1'}",
	    HDR("ipv4-addr") ", 'value': '198.51.100.0/24'}" },
	{ "ipv4-addr-value", E,
	    HDR("ipv4-addr") ", 'value': '10.0.0.1/33'}",
	    HDR("ipv4-addr") ", 'value': '10.0.0.1'}" },
	{ "ipv6-addr-value", E,
	    HDR("ipv6-addr") ", 'value': '2001:db8::g'}",
	    HDR("ipv6-addr") ", 'value': '2001:db8::/32'}" },
	{ "mac-addr-value", E,
	    HDR("mac-addr") ", 'value': 'D2:FB:49:24:37:18'}",
	    HDR("mac-addr") ", 'value': 'd2:fb:49:24:37:18'}" },
	{ "mac-addr-value", E,
	    HDR("mac-addr") ", 'value': 'd2-fb-49-24-37-18'}",
	    HDR("mac-addr") ", 'value': '00:00:5e:00:53:01'}" },
	/* network-traffic */
	{ "network-traffic-src-or-dst", E,
	    HDR("network-traffic") ", 'protocols': ['tcp']}",
	    HDR("network-traffic") ", 'protocols': ['tcp'], "
	    "'dst_ref': 'domain-name" UUID "'}" },
	{ "network-traffic-end-while-active", E,
	    NT ", 'is_active': true, 'end': '2016-06-19T01:05:00Z'}",
	    NT ", 'is_active': false, 'end': '2016-06-19T01:05:00Z'}" },
	{ "network-traffic-end-before-start", E,
	    NT ", 'start': '2016-06-19T01:05:00Z', "
	    "'end': '2016-06-19T01:05:00Z'}",
	    NT ", 'start': '2016-06-19T01:05:00Z', "
	    "'end': '2016-06-19T01:05:00.001Z'}" },
	{ "network-traffic-ports", W,
	    HDR("network-traffic") ", 'protocols': ['icmp'], "
	    "'src_ref': 'ipv4-addr" UUID "', 'src_port': 1}",
	    NT "}" },
	{ "network-traffic-protocol-format", W,
	    HDR("network-traffic") ", 'protocols': ['IPv4', 'TCP'], "
	    "'src_ref': 'ipv4-addr" UUID "', 'src_port': 1, 'dst_port': 2}",
	    HDR("network-traffic") ", 'protocols': ['ipv4', 'tcp'], "
	    "'src_ref': 'ipv4-addr" UUID "', 'src_port': 1, 'dst_port': 2}" },
	{ "network-traffic-ipfix-value", E,
	    NT ", 'ipfix': {'minimumIpTotalLength': [32]}}",
	    NT ", 'ipfix': {'minimumIpTotalLength': 32, "
	    "'protocolIdentifier': 'tcp'}}" },
	/* process */
	{ "process-at-least-one", E,
	    HDR("process") "}",
	    HDR("process") ", 'pid': 1}" },
	{ "process-env-value", E,
	    HDR("process") ", 'environment_variables': {'PATH': 1}}",
	    HDR("process") ", 'environment_variables': {'PATH': '/bin'}}" },
	/* software */
	{ "software-cpe-format", E,
	    HDR("software") ", 'name': 'Word', "
	    "'cpe': 'cpe:/a:microsoft:word:2000'}",
	    HDR("software") ", 'name': 'Word', "
	    "'cpe': 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*'}" },
	{ "software-cpe-format", E,
	    HDR("software") ", 'name': 'Word', "
	    "'cpe': 'cpe:2.3:x:microsoft:word:2000:*:*:*:*:*:*:*'}",
	    HDR("software") ", 'name': 'Word', 'cpe': "
	    "'cpe:2.3:a:micro\\\\:soft:word:2000:-:*:en-us:*:*:*:*'}" },
	{ "software-language-tag", E,
	    HDR("software") ", 'name': 'Word', 'languages': ['en', 'en_US']}",
	    HDR("software") ", 'name': 'Word', 'languages': ['en', 'de-CH']}" },
	/* user-account */
	{ "user-account-at-least-one", E,
	    HDR("user-account") "}",
	    HDR("user-account") ", 'user_id': '1001'}" },
	/* windows-registry-key */
	{ "registry-key-at-least-one", E,
	    HDR("windows-registry-key") "}",
	    HDR("windows-registry-key") ", 'number_of_subkeys': 0}" },
	{ "registry-key-hive", E,
	    HDR("windows-registry-key") ", 'key': 'HKLM\\\\Software\\\\Foo'}",
	    HDR("windows-registry-key") ", "
	    "'key': 'HKEY_LOCAL_MACHINE\\\\Software\\\\Foo'}" },
	{ "registry-key-hive", E,
	    HDR("windows-registry-key") ", 'key': 'hkcu'}",
	    HDR("windows-registry-key") ", 'key': 'HKCUSTOM\\\\Foo'}" },
	{ "registry-value-at-least-one", E,
	    HDR("windows-registry-key") ", 'key': 'HKEY_USERS', "
	    "'values': [{}]}",
	    HDR("windows-registry-key") ", 'key': 'HKEY_USERS', "
	    "'values': [{'name': '', 'data_type': 'REG_SZ'}]}" },
	/* x509-certificate */
	{ "x509-at-least-one", E,
	    HDR("x509-certificate") "}",
	    HDR("x509-certificate") ", 'serial_number': '01'}" },
	{ "x509-v3-ext-at-least-one", E,
	    HDR("x509-certificate") ", 'x509_v3_extensions': {}}",
	    HDR("x509-certificate") ", 'x509_v3_extensions': "
	    "{'key_usage': 'critical,digitalSignature'}}" },
	/* file extensions */
	{ "ntfs-ext-at-least-one", E,
	    FILE_EXT("ntfs-ext") "{}}}",
	    FILE_EXT("ntfs-ext") "{'sid': 'S-1-5-21'}}}" },
	{ "pdf-ext-at-least-one", E,
	    FILE_EXT("pdf-ext") "{}}}",
	    FILE_EXT("pdf-ext") "{'is_optimized': true}}}" },
	{ "pdf-doc-info-value", E,
	    FILE_EXT("pdf-ext") "{'document_info_dict': {'Title': 1}}}}",
	    FILE_EXT("pdf-ext") "{'document_info_dict': {'Title': 'x'}}}}" },
	{ "raster-image-ext-at-least-one", E,
	    FILE_EXT("raster-image-ext") "{}}}",
	    FILE_EXT("raster-image-ext") "{'image_width': 1024}}}" },
	{ "exif-tag-value", E,
	    FILE_EXT("raster-image-ext") "{'exif_tags': {'Make': true}}}}",
	    FILE_EXT("raster-image-ext") "{'exif_tags': {'Make': 'Nikon', "
	    "'XResolution': 4928}}}}" },
	{ "pebinary-ext-at-least-one", E,
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'exe'}}}",
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'exe', "
	    "'number_of_sections': 2}}}" },
	{ "pebinary-time-date-stamp", E,
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'exe', "
	    "'time_date_stamp': '2016-01-22T12:31:12.5Z'}}}",
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'exe', "
	    "'time_date_stamp': '2016-01-22T12:31:12Z'}}}" },
	{ "pe-optional-header-at-least-one", E,
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'dll', "
	    "'optional_header': {}}}}",
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'dll', "
	    "'optional_header': {'magic_hex': '010b'}}}}" },
	/* network-traffic extensions */
	{ "http-request-header-value", E,
	    NT_EXT("http-request-ext") "{'request_method': 'get', "
	    "'request_value': '/', 'request_header': {'Host': 5}}}}",
	    NT_EXT("http-request-ext") "{'request_method': 'get', "
	    "'request_value': '/', 'request_header': {'Host': 'a.example', "
	    "'Accept': ['text/html', 'text/plain']}}}}" },
	{ "http-request-lowercase", W,
	    NT_EXT("http-request-ext") "{'request_method': 'GET', "
	    "'request_value': '/', 'request_version': 'HTTP/1.1'}}}",
	    NT_EXT("http-request-ext") "{'request_method': 'get', "
	    "'request_value': '/', 'request_version': 'http/1.1'}}}" },
	{ "socket-option-value", E,
	    NT_EXT("socket-ext") "{'address_family': 'AF_INET', "
	    "'options': {'SO_REUSEADDR': '1'}}}}",
	    NT_EXT("socket-ext") "{'address_family': 'AF_INET', "
	    "'options': {'SO_REUSEADDR': 1}}}}" },
	{ "socket-option-name", W,
	    NT_EXT("socket-ext") "{'address_family': 'AF_INET', "
	    "'options': {'REUSEADDR': 1}}}}",
	    NT_EXT("socket-ext") "{'address_family': 'AF_INET6', "
	    "'options': {'IPV6_V6ONLY': 1, 'TCP_NODELAY': 0}}}}" },
	{ "tcp-ext-at-least-one", E,
	    NT_EXT("tcp-ext") "{}}}",
	    NT_EXT("tcp-ext") "{'dst_flags_hex': '12'}}}" },
	/* process extensions */
	{ "windows-process-ext-at-least-one", E,
	    PROC_EXT("windows-process-ext") "{}}}",
	    PROC_EXT("windows-process-ext") "{'integrity_level': 'low'}}}" },
	{ "windows-process-priority", W,
	    PROC_EXT("windows-process-ext") "{'priority': 'HIGH'}}}",
	    PROC_EXT("windows-process-ext") "{'priority': "
	    "'HIGH_PRIORITY_CLASS'}}}" },
	{ "windows-service-ext-at-least-one", E,
	    PROC_EXT("windows-service-ext") "{}}}",
	    PROC_EXT("windows-service-ext") "{'service_status': "
	    "'SERVICE_STOPPED'}}}" },
	/* user-account extension */
	{ "unix-account-ext-at-least-one", E,
	    HDR("user-account") ", 'extensions': {'unix-account-ext': {}}}",
	    HDR("user-account") ", 'extensions': {'unix-account-ext': "
	    "{'gid': 1001}}}" },
};

/*
 * The tables through the engine's generic rules: property kinds, bounds,
 * reference targets, vocabularies and where an extension applies.
 */
static const struct rcase table_cases[] = {
	{ "required-property", E,
	    HDR("autonomous-system") ", 'name': 'x'}",
	    HDR("autonomous-system") ", 'number': 15139}" },
	{ "required-property", E,
	    HDR("network-traffic") ", 'src_ref': 'ipv4-addr" UUID "'}",
	    NT "}" },
	{ "required-property", E,
	    HDR("email-message") ", 'subject': 'x'}",
	    HDR("email-message") ", 'is_multipart': false}" },
	{ "required-property", E,
	    FILE_EXT("archive-ext") "{'comment': 'x'}}}",
	    FILE_EXT("archive-ext") "{'contains_refs': ['file" UUID "']}}}" },
	{ "required-property", E,
	    NT_EXT("icmp-ext") "{'icmp_type_hex': '08'}}}",
	    NT_EXT("icmp-ext") "{'icmp_type_hex': '08', "
	    "'icmp_code_hex': '00'}}}" },
	{ "value-range", E,
	    HDR("network-traffic") ", 'src_ref': 'ipv4-addr" UUID "', "
	    "'src_port': 70000, 'dst_port': 80, 'protocols': ['tcp']}",
	    HDR("network-traffic") ", 'src_ref': 'ipv4-addr" UUID "', "
	    "'src_port': 65535, 'dst_port': 0, 'protocols': ['tcp']}" },
	{ "value-range", E,
	    HDR("file") ", 'name': 'a', 'size': -1}",
	    HDR("file") ", 'name': 'a', 'size': 0}" },
	{ "value-range", E,
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'exe', "
	    "'sections': [{'name': '.text', 'entropy': 8.5}]}}}",
	    FILE_EXT("windows-pebinary-ext") "{'pe_type': 'exe', "
	    "'sections': [{'name': '.text', 'entropy': 8.0}]}}}" },
	{ "reference-target-type", E,
	    HDR("network-traffic") ", 'src_ref': 'file" UUID "', "
	    "'protocols': ['tcp']}",
	    HDR("network-traffic") ", 'src_ref': 'mac-addr" UUID "', "
	    "'protocols': ['tcp']}" },
	{ "reference-target-type", E,
	    FILE_EXT("archive-ext") "{'contains_refs': "
	    "['ipv4-addr" UUID "']}}}",
	    FILE_EXT("archive-ext") "{'contains_refs': "
	    "['directory" UUID "']}}}" },
	{ "reference-target-type", E,
	    HDR("email-message") ", 'is_multipart': false, "
	    "'from_ref': 'user-account" UUID "'}",
	    HDR("email-message") ", 'is_multipart': false, "
	    "'from_ref': 'email-addr" UUID "'}" },
	{ "reference-target-type", E,
	    MP "[{'body_raw_ref': 'url" UUID "'}]}",
	    MP "[{'body_raw_ref': 'file" UUID "'}]}" },
	{ "hex-format", E,
	    NT_EXT("icmp-ext") "{'icmp_type_hex': '8', "
	    "'icmp_code_hex': '00'}}}",
	    NT_EXT("icmp-ext") "{'icmp_type_hex': '08', "
	    "'icmp_code_hex': 'Ff'}}}" },
	{ "enum-value", E,
	    NT_EXT("socket-ext") "{'address_family': 'AF_UNIX'}}}",
	    NT_EXT("socket-ext") "{'address_family': 'AF_BTH'}}}" },
	{ "enum-value", E,
	    HDR("artifact") ", 'payload_bin': 'TWFu', "
	    "'encryption_algorithm': 'rot13'}",
	    HDR("artifact") ", 'payload_bin': 'TWFu', "
	    "'encryption_algorithm': 'AES-256-GCM'}" },
	{ "vocab-value", W,
	    HDR("user-account") ", 'account_type': 'myspace'}",
	    HDR("user-account") ", 'account_type': 'ldap'}" },
	{ "url-format", E,
	    HDR("url") ", 'value': 'not a url'}",
	    HDR("url") ", 'value': 'ftp://ftp.example.com/pub'}" },
	{ "binary-format", E,
	    HDR("artifact") ", 'payload_bin': 'TWF'}",
	    HDR("artifact") ", 'payload_bin': 'TWE='}" },
	{ "timestamp-format", E,
	    HDR("directory") ", 'path': '/', 'mtime': '2016-01-20'}",
	    HDR("directory") ", 'path': '/', 'mtime': '2016-01-20T00:00:00Z'}" },
	{ "extension-wrong-type", E,
	    HDR("network-traffic") ", 'src_ref': 'ipv4-addr" UUID "', "
	    "'protocols': ['tcp'], 'extensions': {'archive-ext': "
	    "{'contains_refs': ['file" UUID "']}}}",
	    NT_EXT("tcp-ext") "{'src_flags_hex': '02'}}}" },
	{ "empty-list", E,
	    HDR("network-traffic") ", 'src_ref': 'ipv4-addr" UUID "', "
	    "'protocols': []}",
	    NT "}" },
};

static void
run_cases(const struct rcase *c, size_t n)
{
	struct tu_diags ds;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		r = validate_sq(c[i].bad, 0, &ds);
		if (!tu_has_rule(&ds, c[i].rule, c[i].sev)) {
			tu_dump(&ds);
			fail_msg("case %zu: '%s' did not fire on %s", i,
			    c[i].rule, c[i].bad);
		}
		if (c[i].sev == CYBEX_SEV_ERROR && r != CYBEX_ESTIX)
			fail_msg("case %zu: '%s' returned %d", i, c[i].rule, r);
		r = validate_sq(c[i].good, 0, &ds);
		if (tu_has_rule(&ds, c[i].rule, -1) || ds.errors != 0 ||
		    r != 0) {
			tu_dump(&ds);
			fail_msg("case %zu: passing object for '%s' fails: %s",
			    i, c[i].rule, c[i].good);
		}
	}
}

static void
test_rules(void **state)
{
	(void)state;
	run_cases(rule_cases, sizeof(rule_cases) / sizeof(rule_cases[0]));
}

static void
test_tables(void **state)
{
	(void)state;
	run_cases(table_cases, sizeof(table_cases) / sizeof(table_cases[0]));
}

/* SHOULD rules are errors under CYBEX_STIX_STRICT. */
static void
test_strict(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(validate_sq(HDR("email-addr") ", 'value': 'nope'}",
	    0, &ds), 0);
	assert_true(tu_has_rule(&ds, "email-addr-value", CYBEX_SEV_WARNING));
	assert_int_equal(validate_sq(HDR("email-addr") ", 'value': 'nope'}",
	    CYBEX_STIX_STRICT, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "email-addr-value", CYBEX_SEV_ERROR));
}

/* Pointers name the offending member, inside extensions too. */
static void
test_pointers(void **state)
{
	struct tu_diags ds;
	size_t i;
	bool seen = false;

	(void)state;
	validate_sq(NT_EXT("socket-ext") "{'address_family': 'AF_INET', "
	    "'options': {'SO_A/B': 'x'}}}}", 0, &ds);
	for (i = 0; i < ds.n; i++)
		if (ds.d[i].rule != NULL &&
		    strcmp(ds.d[i].rule, "socket-option-value") == 0) {
			assert_string_equal(ds.d[i].pointer,
			    "/extensions/socket-ext/options/SO_A~1B");
			seen = true;
		}
	assert_true(seen);
	validate_sq(HDR("software") ", 'name': 'x', 'languages': "
	    "['en', 'e']}", 0, &ds);
	assert_true(tu_has_rule(&ds, "software-language-tag", CYBEX_SEV_ERROR));
	for (i = 0; i < ds.n; i++)
		if (ds.d[i].rule != NULL &&
		    strcmp(ds.d[i].rule, "software-language-tag") == 0)
			assert_string_equal(ds.d[i].pointer, "/languages/1");
}

/*
 * One valid object of each SCO type, with the deterministic id computed
 * by a reference UUIDv5 implementation (process has none: UUIDv4), and a
 * file using the archive extension.
 */
static const char *const valid_objects[] = {
	/* artifact */
	"{'type': 'artifact', 'spec_version': '2.1',"
	" 'mime_type': 'image/jpeg',"
	" 'payload_bin': 'iVBORw0KGgoAAAANSUhEUgAAADI=',"
	" 'hashes': {'SHA-256': '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b'},"
	" 'id': 'artifact--6dd6b234-ecb2-53c0-99e8-dfcc38458cf3'}",
	/* autonomous-system */
	"{'type': 'autonomous-system', 'spec_version': '2.1',"
	" 'number': 15139, 'name': 'Slime Industries', 'rir': 'ARIN',"
	" 'id': 'autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff'}",
	/* directory */
	"{'type': 'directory', 'spec_version': '2.1',"
	" 'path': 'C:\\\\Windows\\\\System32', 'path_enc': 'UTF-8',"
	" 'ctime': '2016-01-20T12:31:12Z',"
	" 'id': 'directory--0a58d0c1-59e6-5afd-8252-dcd3f13e5622'}",
	/* domain-name */
	"{'type': 'domain-name', 'spec_version': '2.1',"
	" 'value': 'example.com',"
	" 'resolves_to_refs': ['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],"
	" 'id': 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7'}",
	/* email-addr */
	"{'type': 'email-addr', 'spec_version': '2.1',"
	" 'value': 'john@example.com', 'display_name': 'John Doe',"
	" 'belongs_to_ref': 'user-account--f94d689e-707d-58c3-b803-c720bb6ed096',"
	" 'id': 'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934'}",
	/* email-message */
	"{'type': 'email-message', 'spec_version': '2.1',"
	" 'is_multipart': true, 'date': '1997-11-21T15:55:06Z',"
	" 'content_type': 'multipart/mixed',"
	" 'from_ref': 'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934',"
	" 'to_refs': ['email-addr--dd9bd830-dfb3-5f64-9cc3-c350cd4b9566'],"
	" 'subject': 'Check out this picture!',"
	" 'message_id': '<1234@example.com>',"
	" 'received_lines': ['from mail.example.com by mx.example.org'],"
	" 'additional_header_fields': {'X-Mailer': 'mutt',"
	" 'Reply-To': ['a@example.com', 'b@example.com']},"
	" 'body_multipart': [{'content_type': 'text/plain; charset=utf-8',"
	" 'content_disposition': 'inline', 'body': 'Hi'},"
	" {'content_type': 'image/png',"
	" 'body_raw_ref': 'artifact--6dd6b234-ecb2-53c0-99e8-dfcc38458cf3'}],"
	" 'raw_email_ref': 'artifact--6dd6b234-ecb2-53c0-99e8-dfcc38458cf3',"
	" 'id': 'email-message--62aaf563-e476-5d41-877e-9490c26ce13f'}",
	/* file */
	"{'type': 'file', 'spec_version': '2.1', 'name': 'qwerty.dll',"
	" 'size': 25536, 'name_enc': 'windows-1252',"
	" 'magic_number_hex': '4d5a',"
	" 'mime_type': 'application/x-dosexec',"
	" 'hashes': {'SHA-256': 'fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db'},"
	" 'parent_directory_ref': 'directory--0a58d0c1-59e6-5afd-8252-dcd3f13e5622',"
	" 'content_ref': 'artifact--6dd6b234-ecb2-53c0-99e8-dfcc38458cf3',"
	" 'extensions': {'windows-pebinary-ext': {'pe_type': 'dll',"
	" 'imphash': '1c9e7d6d6e6e0b0d25a3f3fd4d3c7ab5',"
	" 'machine_hex': '014c', 'number_of_sections': 4,"
	" 'time_date_stamp': '2016-01-22T12:31:12Z',"
	" 'pointer_to_symbol_table_hex': '74726144',"
	" 'number_of_symbols': 4542568,"
	" 'size_of_optional_header': 224,"
	" 'characteristics_hex': '818f',"
	" 'file_header_hashes': {'SHA-256': '57a3c93d4c2f8b1a5b2c4e7d9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2'},"
	" 'optional_header': {'magic_hex': '010b',"
	" 'major_linker_version': 2, 'size_of_code': 512,"
	" 'address_of_entry_point': 4096, 'checksum_hex': '00',"
	" 'size_of_stack_reserve': 1048576},"
	" 'sections': [{'name': '.text', 'size': 512, 'entropy': 7.25,"
	" 'hashes': {'SSDEEP': '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C'}}]},"
	" 'ntfs-ext': {'sid': 'S-1-5-21',"
	" 'alternate_data_streams': [{'name': 'second.stream',"
	" 'size': 25536,"
	" 'hashes': {'SHA-256': 'b08fd05bc5a1c9a5cb52aabc4e8a51a78f7a49bae2bdc6b6efd3a39bd6e1dd3a'}}]},"
	" 'pdf-ext': {'version': '1.7', 'is_optimized': false,"
	" 'document_info_dict': {'Title': 'Sample',"
	" 'Producer': 'pdfTeX'},"
	" 'pdfid0': 'DFCE52BD827ECF765649852119D',"
	" 'pdfid1': '57A1E0F9ED2AE523E313C'},"
	" 'raster-image-ext': {'image_height': 768,"
	" 'image_width': 1024, 'bits_per_pixel': 72,"
	" 'exif_tags': {'Make': 'Nikon', 'XResolution': 4928}}},"
	" 'id': 'file--45d9cc90-3a71-5867-a805-752733753dce'}",
	/* ipv4-addr */
	"{'type': 'ipv4-addr', 'spec_version': '2.1',"
	" 'value': '198.51.100.3',"
	" 'id': 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'}",
	/* ipv6-addr */
	"{'type': 'ipv6-addr', 'spec_version': '2.1',"
	" 'value': '2001:db8::1',"
	" 'id': 'ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26'}",
	/* mac-addr */
	"{'type': 'mac-addr', 'spec_version': '2.1',"
	" 'value': 'd2:fb:49:24:37:18',"
	" 'id': 'mac-addr--757b1725-9903-54f5-a855-1240691d7659'}",
	/* mutex */
	"{'type': 'mutex', 'spec_version': '2.1',"
	" 'name': '__CLEANSWEEP__',"
	" 'id': 'mutex--f93fe911-e545-5239-b9b0-597840d0c871'}",
	/* network-traffic */
	"{'type': 'network-traffic', 'spec_version': '2.1',"
	" 'start': '2016-06-19T01:00:00Z',"
	" 'end': '2016-06-19T01:05:00Z', 'is_active': false,"
	" 'src_ref': 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',"
	" 'dst_ref': 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',"
	" 'src_port': 2487, 'dst_port': 80, 'protocols': ['ipv4',"
	" 'tcp', 'http'], 'src_byte_count': 147600,"
	" 'dst_byte_count': 2948, 'src_packets': 10, 'dst_packets': 8,"
	" 'ipfix': {'minimumIpTotalLength': 32,"
	" 'protocolIdentifier': 'tcp'},"
	" 'src_payload_ref': 'artifact--6dd6b234-ecb2-53c0-99e8-dfcc38458cf3',"
	" 'extensions': {'http-request-ext': {'request_method': 'get',"
	" 'request_value': '/download.html',"
	" 'request_version': 'http/1.1',"
	" 'request_header': {'Host': 'www.example.com',"
	" 'Accept-Encoding': ['gzip', 'deflate']},"
	" 'message_body_length': 0},"
	" 'tcp-ext': {'src_flags_hex': '00000002'},"
	" 'socket-ext': {'address_family': 'AF_INET',"
	" 'socket_type': 'SOCK_STREAM', 'is_listening': true,"
	" 'options': {'SO_REUSEADDR': 1}, 'socket_descriptor': 3},"
	" 'icmp-ext': {'icmp_type_hex': '08', 'icmp_code_hex': '00'}},"
	" 'id': 'network-traffic--ef1832b7-3fb6-52c7-99ef-aadf1248ed2f'}",
	/* process */
	"{'type': 'process', 'spec_version': '2.1', 'pid': 1221,"
	" 'created_time': '2016-01-20T14:11:25.55Z', 'cwd': '/tmp/',"
	" 'command_line': './gedit-bin --new-window',"
	" 'environment_variables': {'HOME': '/home/jdoe'},"
	" 'creator_user_ref': 'user-account--f94d689e-707d-58c3-b803-c720bb6ed096',"
	" 'image_ref': 'file--45d9cc90-3a71-5867-a805-752733753dce',"
	" 'opened_connection_refs': ['network-traffic--ef1832b7-3fb6-52c7-99ef-aadf1248ed2f'],"
	" 'extensions': {'windows-process-ext': {'aslr_enabled': true,"
	" 'dep_enabled': true, 'priority': 'HIGH_PRIORITY_CLASS',"
	" 'owner_sid': 'S-1-5-21', 'integrity_level': 'high',"
	" 'startup_info': {'lpDesktop': 'x'}},"
	" 'windows-service-ext': {'service_name': 'sirvizio',"
	" 'display_name': 'Sirvizio',"
	" 'start_type': 'SERVICE_AUTO_START',"
	" 'service_type': 'SERVICE_WIN32_OWN_PROCESS',"
	" 'service_status': 'SERVICE_RUNNING',"
	" 'descriptions': ['A service'],"
	" 'service_dll_refs': ['file--45d9cc90-3a71-5867-a805-752733753dce']}},"
	" 'id': 'process--e42943f4-854b-42e3-8fd2-efdcb27b58ee'}",
	/* software */
	"{'type': 'software', 'spec_version': '2.1', 'name': 'Word',"
	" 'cpe': 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*',"
	" 'languages': ['en', 'de-CH'], 'vendor': 'Microsoft',"
	" 'version': '2002',"
	" 'id': 'software--710b0b41-d4d0-5d6c-a400-fc9254554ffc'}",
	/* url */
	"{'type': 'url', 'spec_version': '2.1',"
	" 'value': 'https://example.com/research/index.html',"
	" 'id': 'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55'}",
	/* user-account */
	"{'type': 'user-account', 'spec_version': '2.1',"
	" 'user_id': '1001', 'account_login': 'jdoe',"
	" 'account_type': 'unix', 'display_name': 'John Doe',"
	" 'is_privileged': false,"
	" 'account_created': '2016-01-20T12:31:12Z',"
	" 'extensions': {'unix-account-ext': {'gid': 1001,"
	" 'groups': ['wheel'], 'home_dir': '/home/jdoe',"
	" 'shell': '/bin/bash'}},"
	" 'id': 'user-account--f94d689e-707d-58c3-b803-c720bb6ed096'}",
	/* windows-registry-key */
	"{'type': 'windows-registry-key', 'spec_version': '2.1',"
	" 'key': 'HKEY_LOCAL_MACHINE\\\\System\\\\Foo\\\\Bar',"
	" 'values': [{'name': 'Foo', 'data': 'qwerty',"
	" 'data_type': 'REG_SZ'}, {'name': '', 'data': '42',"
	" 'data_type': 'REG_DWORD'}],"
	" 'modified_time': '2016-01-20T12:31:12Z',"
	" 'number_of_subkeys': 2,"
	" 'creator_user_ref': 'user-account--f94d689e-707d-58c3-b803-c720bb6ed096',"
	" 'id': 'windows-registry-key--74b0e4ec-158a-5117-a54f-3de5fcec8913'}",
	/* x509-certificate */
	"{'type': 'x509-certificate', 'spec_version': '2.1',"
	" 'issuer': 'C=ZA, ST=Western Cape, L=Cape Town, O=Thawte',"
	" 'validity_not_before': '2016-03-12T12:00:00Z',"
	" 'validity_not_after': '2016-08-21T12:00:00Z',"
	" 'subject': 'C=US, ST=Maryland, L=Pasadena, O=Brent Baccala,"
	" OU=FreeSoft',"
	" 'serial_number': '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06',"
	" 'is_self_signed': false, 'version': '3',"
	" 'subject_public_key_exponent': 65537,"
	" 'hashes': {'SHA-256': 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'},"
	" 'x509_v3_extensions': {'basic_constraints': 'critical,CA:TRUE,pathlen:0',"
	" 'private_key_usage_period_not_before': '2016-03-12T12:00:00Z'},"
	" 'id': 'x509-certificate--1044dea4-7cdf-5296-a791-4bc049de7c20'}",
	/* file */
	"{'type': 'file', 'spec_version': '2.1', 'name': 'foo.zip',"
	" 'hashes': {'SHA-256': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'},"
	" 'extensions': {'archive-ext': {'contains_refs': ['file--45d9cc90-3a71-5867-a805-752733753dce',"
	" 'directory--0a58d0c1-59e6-5afd-8252-dcd3f13e5622'],"
	" 'comment': 'x'}},"
	" 'id': 'file--203c50e3-ef6f-57dc-a172-e5c1d147797d'}",

};

static void
test_valid_objects(void **state)
{
	struct tu_diags ds;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid_objects) / sizeof(valid_objects[0]);
	    i++) {
		if (validate_sq(valid_objects[i], 0, &ds) != 0 ||
		    ds.errors != 0 ||
		    tu_has_rule(&ds, "sco-id-deterministic", -1)) {
			tu_dump(&ds);
			fail_msg("valid object %zu is not clean: %s", i,
			    valid_objects[i]);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_valid_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
