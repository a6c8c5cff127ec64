/*
 * STIX 2.1 Cyber-observable Objects: the 18 SCO types, their predefined
 * extensions and the embedded types they use, each with its property
 * table, its ID-contributing properties and the rules that span
 * properties (the check functions).
 *
 * The tables follow the OASIS JSON schemas (schemas/observables); the
 * checks carry the spec's MUST rules as errors and its SHOULD rules as
 * warnings.  Where the prose and the schemas disagree, the comment at the
 * check says which one was followed.  Common SCO properties (type, id,
 * spec_version, markings, defanged, extensions) come from stix_common_sco.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "stix_int.h"

#define END		((const char *)NULL)
#define NONNEG		SPF_BOUNDED, NULL, 0, INT64_MAX

/* ---- property tables ---- */

static const struct stix_prop artifact_props[] = {
	{ "mime_type", SK_STRING, 0, NULL, 0, 0 },
	{ "payload_bin", SK_BINARY, 0, NULL, 0, 0 },
	{ "url", SK_URL, 0, NULL, 0, 0 },
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	{ "encryption_algorithm", SK_ENUM, 0,
	    "encryption-algorithm-enum", 0, 0 },
	{ "decryption_key", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop autonomous_system_props[] = {
	{ "number", SK_INTEGER, SPF_REQUIRED, NULL, 0, 0 },
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "rir", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop directory_props[] = {
	{ "path", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "path_enc", SK_STRING, 0, NULL, 0, 0 },
	{ "ctime", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "mtime", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "atime", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "contains_refs", SK_IDENTIFIER, SPF_LIST, "file|directory", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop domain_name_props[] = {
	{ "value", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "resolves_to_refs", SK_IDENTIFIER, SPF_LIST,
	    "ipv4-addr|ipv6-addr|domain-name", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop email_addr_props[] = {
	{ "value", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "display_name", SK_STRING, 0, NULL, 0, 0 },
	{ "belongs_to_ref", SK_IDENTIFIER, 0, "user-account", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop email_message_props[] = {
	{ "is_multipart", SK_BOOLEAN, SPF_REQUIRED, NULL, 0, 0 },
	{ "date", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "content_type", SK_STRING, 0, NULL, 0, 0 },
	{ "from_ref", SK_IDENTIFIER, 0, "email-addr", 0, 0 },
	{ "sender_ref", SK_IDENTIFIER, 0, "email-addr", 0, 0 },
	{ "to_refs", SK_IDENTIFIER, SPF_LIST, "email-addr", 0, 0 },
	{ "cc_refs", SK_IDENTIFIER, SPF_LIST, "email-addr", 0, 0 },
	{ "bcc_refs", SK_IDENTIFIER, SPF_LIST, "email-addr", 0, 0 },
	{ "message_id", SK_STRING, 0, NULL, 0, 0 },
	{ "subject", SK_STRING, 0, NULL, 0, 0 },
	{ "received_lines", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "additional_header_fields", SK_DICT, 0, NULL, 0, 0 },
	{ "body", SK_STRING, 0, NULL, 0, 0 },
	{ "body_multipart", SK_EMBEDDED, SPF_LIST,
	    "email-mime-part-type", 0, 0 },
	{ "raw_email_ref", SK_IDENTIFIER, 0, "artifact", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop file_props[] = {
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	{ "size", SK_INTEGER, NONNEG },
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "name_enc", SK_STRING, 0, NULL, 0, 0 },
	{ "magic_number_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "mime_type", SK_STRING, 0, NULL, 0, 0 },
	{ "ctime", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "mtime", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "atime", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "parent_directory_ref", SK_IDENTIFIER, 0, "directory", 0, 0 },
	{ "contains_refs", SK_IDENTIFIER, SPF_LIST, "@sco", 0, 0 },
	{ "content_ref", SK_IDENTIFIER, 0, "artifact", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop ipv4_addr_props[] = {
	{ "value", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "resolves_to_refs", SK_IDENTIFIER, SPF_LIST, "mac-addr", 0, 0 },
	{ "belongs_to_refs", SK_IDENTIFIER, SPF_LIST,
	    "autonomous-system", 0, 0 },
	STIX_PROP_END
};

/* Same shape as ipv4-addr; a separate table keeps each type explicit. */
static const struct stix_prop ipv6_addr_props[] = {
	{ "value", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "resolves_to_refs", SK_IDENTIFIER, SPF_LIST, "mac-addr", 0, 0 },
	{ "belongs_to_refs", SK_IDENTIFIER, SPF_LIST,
	    "autonomous-system", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop mac_addr_props[] = {
	{ "value", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop mutex_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop network_traffic_props[] = {
	{ "start", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "end", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "is_active", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "src_ref", SK_IDENTIFIER, 0,
	    "ipv4-addr|ipv6-addr|mac-addr|domain-name", 0, 0 },
	{ "dst_ref", SK_IDENTIFIER, 0,
	    "ipv4-addr|ipv6-addr|mac-addr|domain-name", 0, 0 },
	{ "src_port", SK_INTEGER, SPF_BOUNDED, NULL, 0, 65535 },
	{ "dst_port", SK_INTEGER, SPF_BOUNDED, NULL, 0, 65535 },
	{ "protocols", SK_STRING, SPF_LIST | SPF_REQUIRED, NULL, 0, 0 },
	{ "src_byte_count", SK_INTEGER, NONNEG },
	{ "dst_byte_count", SK_INTEGER, NONNEG },
	{ "src_packets", SK_INTEGER, NONNEG },
	{ "dst_packets", SK_INTEGER, NONNEG },
	{ "ipfix", SK_DICT, 0, NULL, 0, 0 },
	{ "src_payload_ref", SK_IDENTIFIER, 0, "artifact", 0, 0 },
	{ "dst_payload_ref", SK_IDENTIFIER, 0, "artifact", 0, 0 },
	{ "encapsulates_refs", SK_IDENTIFIER, SPF_LIST,
	    "network-traffic", 0, 0 },
	{ "encapsulated_by_ref", SK_IDENTIFIER, 0, "network-traffic", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop process_props[] = {
	{ "is_hidden", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "pid", SK_INTEGER, 0, NULL, 0, 0 },
	{ "created_time", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "cwd", SK_STRING, 0, NULL, 0, 0 },
	{ "command_line", SK_STRING, 0, NULL, 0, 0 },
	{ "environment_variables", SK_DICT, 0, NULL, 0, 0 },
	{ "opened_connection_refs", SK_IDENTIFIER, SPF_LIST,
	    "network-traffic", 0, 0 },
	{ "creator_user_ref", SK_IDENTIFIER, 0, "user-account", 0, 0 },
	{ "image_ref", SK_IDENTIFIER, 0, "file", 0, 0 },
	{ "parent_ref", SK_IDENTIFIER, 0, "process", 0, 0 },
	{ "child_refs", SK_IDENTIFIER, SPF_LIST, "process", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop software_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "cpe", SK_STRING, 0, NULL, 0, 0 },
	{ "swid", SK_STRING, 0, NULL, 0, 0 },
	{ "languages", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "vendor", SK_STRING, 0, NULL, 0, 0 },
	{ "version", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop url_props[] = {
	{ "value", SK_URL, SPF_REQUIRED, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop user_account_props[] = {
	{ "user_id", SK_STRING, 0, NULL, 0, 0 },
	{ "credential", SK_STRING, 0, NULL, 0, 0 },
	{ "account_login", SK_STRING, 0, NULL, 0, 0 },
	{ "account_type", SK_OPENVOCAB, 0, "account-type-ov", 0, 0 },
	{ "display_name", SK_STRING, 0, NULL, 0, 0 },
	{ "is_service_account", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "is_privileged", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "can_escalate_privs", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "is_disabled", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "account_created", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "account_expires", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "credential_last_changed", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "account_first_login", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "account_last_login", SK_TIMESTAMP, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop windows_registry_key_props[] = {
	{ "key", SK_STRING, 0, NULL, 0, 0 },
	{ "values", SK_EMBEDDED, SPF_LIST,
	    "windows-registry-value-type", 0, 0 },
	{ "modified_time", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "creator_user_ref", SK_IDENTIFIER, 0, "user-account", 0, 0 },
	{ "number_of_subkeys", SK_INTEGER, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop x509_certificate_props[] = {
	{ "is_self_signed", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	{ "version", SK_STRING, 0, NULL, 0, 0 },
	{ "serial_number", SK_STRING, 0, NULL, 0, 0 },
	{ "signature_algorithm", SK_STRING, 0, NULL, 0, 0 },
	{ "issuer", SK_STRING, 0, NULL, 0, 0 },
	{ "validity_not_before", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "validity_not_after", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "subject", SK_STRING, 0, NULL, 0, 0 },
	{ "subject_public_key_algorithm", SK_STRING, 0, NULL, 0, 0 },
	{ "subject_public_key_modulus", SK_STRING, 0, NULL, 0, 0 },
	{ "subject_public_key_exponent", SK_INTEGER, 0, NULL, 0, 0 },
	{ "x509_v3_extensions", SK_EMBEDDED, 0,
	    "x509-v3-extensions-type", 0, 0 },
	STIX_PROP_END
};

/* Predefined extensions. */

static const struct stix_prop archive_ext_props[] = {
	{ "contains_refs", SK_IDENTIFIER, SPF_LIST | SPF_REQUIRED,
	    "file|directory", 0, 0 },
	{ "comment", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop ntfs_ext_props[] = {
	{ "sid", SK_STRING, 0, NULL, 0, 0 },
	{ "alternate_data_streams", SK_EMBEDDED, SPF_LIST,
	    "alternate-data-stream-type", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop pdf_ext_props[] = {
	{ "version", SK_STRING, 0, NULL, 0, 0 },
	{ "is_optimized", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "document_info_dict", SK_DICT, 0, NULL, 0, 0 },
	{ "pdfid0", SK_STRING, 0, NULL, 0, 0 },
	{ "pdfid1", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop raster_image_ext_props[] = {
	{ "image_height", SK_INTEGER, 0, NULL, 0, 0 },
	{ "image_width", SK_INTEGER, 0, NULL, 0, 0 },
	{ "bits_per_pixel", SK_INTEGER, 0, NULL, 0, 0 },
	{ "exif_tags", SK_DICT, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop windows_pebinary_ext_props[] = {
	{ "pe_type", SK_OPENVOCAB, SPF_REQUIRED,
	    "windows-pebinary-type-ov", 0, 0 },
	{ "imphash", SK_STRING, 0, NULL, 0, 0 },
	{ "machine_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "number_of_sections", SK_INTEGER, NONNEG },
	{ "time_date_stamp", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "pointer_to_symbol_table_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "number_of_symbols", SK_INTEGER, NONNEG },
	{ "size_of_optional_header", SK_INTEGER, NONNEG },
	{ "characteristics_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "file_header_hashes", SK_HASHES, 0, NULL, 0, 0 },
	{ "optional_header", SK_EMBEDDED, 0,
	    "windows-pe-optional-header-type", 0, 0 },
	{ "sections", SK_EMBEDDED, SPF_LIST, "windows-pe-section-type", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop http_request_ext_props[] = {
	{ "request_method", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "request_value", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "request_version", SK_STRING, 0, NULL, 0, 0 },
	{ "request_header", SK_DICT, 0, NULL, 0, 0 },
	{ "message_body_length", SK_INTEGER, 0, NULL, 0, 0 },
	{ "message_body_data_ref", SK_IDENTIFIER, 0, "artifact", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop icmp_ext_props[] = {
	{ "icmp_type_hex", SK_HEX, SPF_REQUIRED, NULL, 0, 0 },
	{ "icmp_code_hex", SK_HEX, SPF_REQUIRED, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop socket_ext_props[] = {
	{ "address_family", SK_ENUM, SPF_REQUIRED,
	    "network-socket-address-family-enum", 0, 0 },
	{ "is_blocking", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "is_listening", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "options", SK_DICT, 0, NULL, 0, 0 },
	{ "socket_type", SK_ENUM, 0, "network-socket-type-enum", 0, 0 },
	{ "socket_descriptor", SK_INTEGER, NONNEG },
	{ "socket_handle", SK_INTEGER, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop tcp_ext_props[] = {
	{ "src_flags_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "dst_flags_hex", SK_HEX, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop windows_process_ext_props[] = {
	{ "aslr_enabled", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "dep_enabled", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "priority", SK_STRING, 0, NULL, 0, 0 },
	{ "owner_sid", SK_STRING, 0, NULL, 0, 0 },
	{ "window_title", SK_STRING, 0, NULL, 0, 0 },
	{ "startup_info", SK_DICT, 0, NULL, 0, 0 },
	{ "integrity_level", SK_ENUM, 0, "windows-integrity-level-enum", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop windows_service_ext_props[] = {
	{ "service_name", SK_STRING, 0, NULL, 0, 0 },
	{ "descriptions", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "display_name", SK_STRING, 0, NULL, 0, 0 },
	{ "group_name", SK_STRING, 0, NULL, 0, 0 },
	{ "start_type", SK_ENUM, 0, "windows-service-start-type-enum", 0, 0 },
	{ "service_dll_refs", SK_IDENTIFIER, SPF_LIST, "file", 0, 0 },
	{ "service_type", SK_ENUM, 0, "windows-service-type-enum", 0, 0 },
	{ "service_status", SK_ENUM, 0, "windows-service-status-enum", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop unix_account_ext_props[] = {
	{ "gid", SK_INTEGER, 0, NULL, 0, 0 },
	{ "groups", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "home_dir", SK_STRING, 0, NULL, 0, 0 },
	{ "shell", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

/* Embedded types. */

static const struct stix_prop email_mime_part_props[] = {
	{ "body", SK_STRING, 0, NULL, 0, 0 },
	{ "body_raw_ref", SK_IDENTIFIER, 0, "artifact|file", 0, 0 },
	{ "content_type", SK_STRING, 0, NULL, 0, 0 },
	{ "content_disposition", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop alternate_data_stream_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	{ "size", SK_INTEGER, NONNEG },
	STIX_PROP_END
};

static const struct stix_prop pe_optional_header_props[] = {
	{ "magic_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "major_linker_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "minor_linker_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "size_of_code", SK_INTEGER, NONNEG },
	{ "size_of_initialized_data", SK_INTEGER, NONNEG },
	{ "size_of_uninitialized_data", SK_INTEGER, NONNEG },
	{ "address_of_entry_point", SK_INTEGER, 0, NULL, 0, 0 },
	{ "base_of_code", SK_INTEGER, 0, NULL, 0, 0 },
	{ "base_of_data", SK_INTEGER, 0, NULL, 0, 0 },
	{ "image_base", SK_INTEGER, 0, NULL, 0, 0 },
	{ "section_alignment", SK_INTEGER, 0, NULL, 0, 0 },
	{ "file_alignment", SK_INTEGER, 0, NULL, 0, 0 },
	{ "major_os_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "minor_os_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "major_image_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "minor_image_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "major_subsystem_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "minor_subsystem_version", SK_INTEGER, 0, NULL, 0, 0 },
	{ "win32_version_value_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "size_of_image", SK_INTEGER, NONNEG },
	{ "size_of_headers", SK_INTEGER, NONNEG },
	{ "checksum_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "subsystem_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "dll_characteristics_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "size_of_stack_reserve", SK_INTEGER, NONNEG },
	{ "size_of_stack_commit", SK_INTEGER, NONNEG },
	{ "size_of_heap_reserve", SK_INTEGER, NONNEG },
	{ "size_of_heap_commit", SK_INTEGER, NONNEG },
	{ "loader_flags_hex", SK_HEX, 0, NULL, 0, 0 },
	{ "number_of_rva_and_sizes", SK_INTEGER, 0, NULL, 0, 0 },
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	STIX_PROP_END
};

/* Shannon entropy over bytes lies in 0..8 bits. */
static const struct stix_prop pe_section_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "size", SK_INTEGER, NONNEG },
	{ "entropy", SK_FLOAT, SPF_BOUNDED, NULL, 0, 8 },
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop registry_value_props[] = {
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "data", SK_STRING, 0, NULL, 0, 0 },
	{ "data_type", SK_ENUM, 0, "windows-registry-datatype-enum", 0, 0 },
	STIX_PROP_END
};

static const struct stix_prop x509_v3_extensions_props[] = {
	{ "basic_constraints", SK_STRING, 0, NULL, 0, 0 },
	{ "name_constraints", SK_STRING, 0, NULL, 0, 0 },
	{ "policy_constraints", SK_STRING, 0, NULL, 0, 0 },
	{ "key_usage", SK_STRING, 0, NULL, 0, 0 },
	{ "extended_key_usage", SK_STRING, 0, NULL, 0, 0 },
	{ "subject_key_identifier", SK_STRING, 0, NULL, 0, 0 },
	{ "authority_key_identifier", SK_STRING, 0, NULL, 0, 0 },
	{ "subject_alternative_name", SK_STRING, 0, NULL, 0, 0 },
	{ "issuer_alternative_name", SK_STRING, 0, NULL, 0, 0 },
	{ "subject_directory_attributes", SK_STRING, 0, NULL, 0, 0 },
	{ "crl_distribution_points", SK_STRING, 0, NULL, 0, 0 },
	{ "inhibit_any_policy", SK_STRING, 0, NULL, 0, 0 },
	{ "private_key_usage_period_not_before", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "private_key_usage_period_not_after", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "certificate_policies", SK_STRING, 0, NULL, 0, 0 },
	{ "policy_mappings", SK_STRING, 0, NULL, 0, 0 },
	STIX_PROP_END
};

/* ---- ID-contributing properties ---- */

static const char *const artifact_idc[] = { "hashes", "payload_bin", NULL };
static const char *const autonomous_system_idc[] = { "number", NULL };
static const char *const directory_idc[] = { "path", NULL };
static const char *const value_idc[] = { "value", NULL };
static const char *const email_message_idc[] = {
	"from_ref", "subject", "body", NULL
};
static const char *const file_idc[] = {
	"hashes", "name", "extensions", "parent_directory_ref", NULL
};
static const char *const mutex_idc[] = { "name", NULL };
static const char *const network_traffic_idc[] = {
	"start", "end", "src_ref", "dst_ref", "src_port", "dst_port",
	"protocols", "extensions", NULL
};
static const char *const software_idc[] = {
	"name", "cpe", "swid", "vendor", "version", NULL
};
static const char *const user_account_idc[] = {
	"account_type", "user_id", "account_login", NULL
};
static const char *const windows_registry_key_idc[] = {
	"key", "values", NULL
};
static const char *const x509_certificate_idc[] = {
	"hashes", "serial_number", NULL
};

/* ---- character helpers (ASCII only, locale-independent) ---- */

static bool
c_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
c_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
c_alnum(int c)
{
	return c_alpha(c) || c_digit(c);
}

static bool
has_upper(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static bool
ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y || x == '\0')
			return x == y;
	}
	return true;
}

/* ---- shared rule helpers ---- */

static bool
has(const json_t *obj, const char *key)
{
	return json_object_get(obj, key) != NULL;
}

/* True when obj holds any property declared in tab other than skip. */
static bool
any_prop(const json_t *obj, const struct stix_prop *tab, const char *skip)
{
	for (; tab->name != NULL; tab++) {
		if (skip != NULL && strcmp(tab->name, skip) == 0)
			continue;
		if (has(obj, tab->name))
			return true;
	}
	return false;
}

/*
 * IANA media type as "type/subtype" with a registered top-level type
 * (the pattern of artifact.json, which checks a prefix only).
 */
static bool
mime_type_ok(const char *s)
{
	static const char *const top[] = {
		"application", "audio", "font", "image", "message", "model",
		"multipart", "text", "video", NULL
	};
	size_t i, n;
	int c;

	for (i = 0; top[i] != NULL; i++) {
		n = strlen(top[i]);
		if (strncmp(s, top[i], n) == 0 && s[n] == '/')
			break;
	}
	if (top[i] == NULL)
		return false;
	c = (unsigned char)s[n + 1];
	return c_alnum(c) || c == '.' || c == '+' || c == '_' || c == '-';
}

/* IANA character set name, as the file.json/directory.json pattern. */
static bool
charset_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 250)
		return false;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!c_alnum(c) && strchr("/.+_:-", c) == NULL)
			return false;
	}
	return true;
}

/*
 * Domain name: the rule of cybex_domain_check with IDN U-labels, and
 * a final root dot allowed.
 */
static bool
domain_ok(const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '.')
		n--;
	return cybex_domain_check(s, n, CYBEX_DOMAIN_IDN);
}

/* Values of a dictionary must be strings or non-empty lists of strings. */
static bool
str_or_strlist(const json_t *val)
{
	size_t i;

	if (json_is_string(val))
		return true;
	if (!json_is_array(val) || json_array_size(val) == 0)
		return false;
	for (i = 0; i < json_array_size(val); i++)
		if (!json_is_string(json_array_get(val, i)))
			return false;
	return true;
}

/* ---- SCO checks ---- */

static void
check_artifact(struct vctx *v, const json_t *obj)
{
	const char *mt;

	if (has(obj, "payload_bin") && has(obj, "url"))
		v_err(v, "artifact-payload-and-url", "url",
		    "url must not be present together with payload_bin");
	v_require_one(v, obj, "artifact-payload-or-url", "payload_bin", "url",
	    END);
	if (has(obj, "url") && !has(obj, "hashes"))
		v_err(v, "artifact-url-requires-hashes", "url",
		    "hashes must be provided when url is present");
	if (has(obj, "decryption_key") && !has(obj, "encryption_algorithm"))
		v_err(v, "artifact-key-requires-algorithm", "decryption_key",
		    "decryption_key must not be used without "
		    "encryption_algorithm");
	if ((mt = v_str(obj, "mime_type")) != NULL && !mime_type_ok(mt))
		v_err(v, "artifact-mime-type", "mime_type",
		    "not an IANA media type of the form type/subtype");
}

static void
check_directory(struct vctx *v, const json_t *obj)
{
	const char *enc;

	if ((enc = v_str(obj, "path_enc")) != NULL && !charset_name_ok(enc))
		v_err(v, "directory-path-enc", "path_enc",
		    "not an IANA character set name");
}

static void
check_domain_name(struct vctx *v, const json_t *obj)
{
	const char *val;

	if ((val = v_str(obj, "value")) != NULL && !domain_ok(val))
		v_err(v, "domain-name-value", "value",
		    "not a valid domain name");
}

static void
check_email_addr(struct vctx *v, const json_t *obj)
{
	const char *val, *at, *lt;
	size_t n;

	if ((val = v_str(obj, "value")) == NULL)
		return;
	n = strlen(val);
	lt = strchr(val, '<');
	if (lt != NULL && n > 0 && val[n - 1] == '>' &&
	    strchr(lt, '@') != NULL) {
		v_err(v, "email-addr-display-name", "value",
		    "the value must not include the display name");
		return;
	}
	at = strrchr(val, '@');
	if (at == NULL || at == val || strpbrk(val, " \t\r\n<>") != NULL ||
	    !(domain_ok(at + 1) || (at[1] == '[' && val[n - 1] == ']')))
		v_warn(v, "email-addr-value", "value",
		    "does not look like an RFC 5322 addr-spec");
}

/* Header fields that have properties of their own. */
static const char *const mapped_headers[] = {
	"Date", "Received", "Content-Type", "From", "Sender", "To", "Cc",
	"Bcc", "Subject", NULL
};

static void
check_email_message(struct vctx *v, const json_t *obj)
{
	json_t *mp = json_object_get(obj, "is_multipart");
	json_t *hdr = json_object_get(obj, "additional_header_fields");
	json_t *val;
	const char *key;
	size_t saved, inner, i;

	if (json_is_true(mp) && has(obj, "body"))
		v_err(v, "email-body-when-multipart", "body",
		    "body must not be used when is_multipart is true");
	if (json_is_false(mp) && has(obj, "body_multipart"))
		v_err(v, "email-multipart-when-not-multipart",
		    "body_multipart",
		    "body_multipart must not be used when is_multipart is "
		    "false");
	if (!json_is_object(hdr))
		return;
	/*
	 * The spec wants a list of strings per field, the schema a string
	 * or a list; both are accepted, anything else is an error.
	 */
	saved = v_push(v, "additional_header_fields");
	json_object_foreach(hdr, key, val) {
		inner = v_push(v, key);
		if (!str_or_strlist(val))
			v_err(v, "email-header-field-value", NULL,
			    "a header field value must be a string or a "
			    "list of strings");
		for (i = 0; mapped_headers[i] != NULL; i++)
			if (ieq(key, mapped_headers[i],
			    strlen(mapped_headers[i]) + 1))
				v_warn(v, "email-header-field-mapped", NULL,
				    "header %s has its own property", key);
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

static void
check_file(struct vctx *v, const json_t *obj)
{
	const char *s;

	v_require_one(v, obj, "file-hashes-or-name", "hashes", "name", END);
	if ((s = v_str(obj, "name_enc")) != NULL && !charset_name_ok(s))
		v_err(v, "file-name-enc", "name_enc",
		    "not an IANA character set name");
	if ((s = v_str(obj, "mime_type")) != NULL && !mime_type_ok(s))
		v_warn(v, "file-mime-type", "mime_type",
		    "should be an IANA media type of the form type/subtype");
}

static void
check_ipv4_addr(struct vctx *v, const json_t *obj)
{
	const char *val;

	if ((val = v_str(obj, "value")) != NULL && !stix_is_ipv4(val, true))
		v_err(v, "ipv4-addr-value", "value",
		    "not an IPv4 address or CIDR block");
}

static void
check_ipv6_addr(struct vctx *v, const json_t *obj)
{
	const char *val;

	if ((val = v_str(obj, "value")) != NULL && !stix_is_ipv6(val, true))
		v_err(v, "ipv6-addr-value", "value",
		    "not an IPv6 address or CIDR block");
}

static void
check_mac_addr(struct vctx *v, const json_t *obj)
{
	const char *val;

	if ((val = v_str(obj, "value")) != NULL && !stix_is_mac(val))
		v_err(v, "mac-addr-value", "value",
		    "not a colon-delimited lower-case MAC-48 address");
}

/* IANA service names: lower-case letters, digits and hyphens. */
static bool
protocol_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || c_digit(*s) || *s == '-'))
			return false;
	return true;
}

static void
check_network_traffic(struct vctx *v, const json_t *obj)
{
	json_t *protos = json_object_get(obj, "protocols");
	json_t *ipfix = json_object_get(obj, "ipfix");
	json_t *val;
	const char *key;
	size_t saved, inner, i;

	v_require_one(v, obj, "network-traffic-src-or-dst", "src_ref",
	    "dst_ref", END);
	if (json_is_true(json_object_get(obj, "is_active")) &&
	    has(obj, "end"))
		v_err(v, "network-traffic-end-while-active", "end",
		    "end must not be present while is_active is true");
	v_time_order(v, obj, "start", "end", true,
	    "network-traffic-end-before-start");
	if (!has(obj, "src_port") || !has(obj, "dst_port"))
		v_warn(v, "network-traffic-ports", NULL,
		    "should contain both src_port and dst_port");
	if (json_is_array(protos)) {
		saved = v_push(v, "protocols");
		for (i = 0; i < json_array_size(protos); i++) {
			const char *p = json_string_value(
			    json_array_get(protos, i));

			if (p == NULL || protocol_name_ok(p))
				continue;
			inner = v_pushi(v, i);
			v_warn(v, "network-traffic-protocol-format", NULL,
			    "protocol names should be lower-case IANA "
			    "service names");
			v_pop(v, inner);
		}
		v_pop(v, saved);
	}
	if (json_is_object(ipfix)) {
		saved = v_push(v, "ipfix");
		json_object_foreach(ipfix, key, val) {
			if (json_is_string(val) || json_is_integer(val))
				continue;
			inner = v_push(v, key);
			v_err(v, "network-traffic-ipfix-value", NULL,
			    "an IPFIX value must be an integer or a string");
			v_pop(v, inner);
		}
		v_pop(v, saved);
	}
}

static void
check_process(struct vctx *v, const json_t *obj)
{
	json_t *env = json_object_get(obj, "environment_variables");
	json_t *val;
	const char *key;
	size_t saved, inner;

	/* Extensions count: a process may be described by them alone. */
	if (!any_prop(obj, process_props, NULL) && !has(obj, "extensions"))
		v_err(v, "process-at-least-one", NULL,
		    "a process needs at least one property besides type");
	if (!json_is_object(env))
		return;
	saved = v_push(v, "environment_variables");
	json_object_foreach(env, key, val) {
		if (json_is_string(val))
			continue;
		inner = v_push(v, key);
		v_err(v, "process-env-value", NULL,
		    "an environment variable value must be a string");
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

/*
 * CPE 2.3 formatted string: "cpe:2.3:" then part (a, h, o, * or -) and
 * ten more non-empty components separated by unescaped colons.
 */
static bool
cpe23_ok(const char *s)
{
	const char *p;
	int fields = 1;

	if (strncmp(s, "cpe:2.3:", 8) != 0)
		return false;
	p = s + 8;
	if (*p == '\0' || strchr("aho*-", *p) == NULL || p[1] != ':')
		return false;
	p += 2;
	for (;;) {
		size_t n = 0;

		while (*p != '\0' && *p != ':') {
			int c = (unsigned char)*p;

			if (c == '\\') {
				c = (unsigned char)p[1];
				if (c <= ' ' || c >= 0x7f || c_alnum(c))
					return false;
				p += 2;
			} else if (c_alnum(c) || strchr("-._*?", c) != NULL)
				p++;
			else
				return false;
			n++;
		}
		if (n == 0)
			return false;
		fields++;
		if (*p == '\0')
			break;
		p++;
	}
	return fields == 11;
}

static void
check_software(struct vctx *v, const json_t *obj)
{
	json_t *langs = json_object_get(obj, "languages");
	const char *s;
	size_t saved, inner, i;

	if ((s = v_str(obj, "cpe")) != NULL && !cpe23_ok(s))
		v_err(v, "software-cpe-format", "cpe",
		    "not a CPE 2.3 formatted string");
	if (!json_is_array(langs))
		return;
	saved = v_push(v, "languages");
	for (i = 0; i < json_array_size(langs); i++) {
		s = json_string_value(json_array_get(langs, i));
		if (s == NULL || stix_is_lang_tag(s))
			continue;
		inner = v_pushi(v, i);
		v_err(v, "software-language-tag", NULL,
		    "not an RFC 5646 language tag");
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

static void
check_user_account(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, user_account_props, NULL) &&
	    !has(obj, "extensions"))
		v_err(v, "user-account-at-least-one", NULL,
		    "a user account needs at least one property besides "
		    "type");
}

/* Hive abbreviations; the hive MUST be spelled out (HKEY_...). */
static const char *const short_hives[] = {
	"HKLM", "HKCC", "HKCR", "HKCU", "HKU", NULL
};

static void
check_windows_registry_key(struct vctx *v, const json_t *obj)
{
	const char *key;
	size_t i, n;

	if (!any_prop(obj, windows_registry_key_props, NULL))
		v_err(v, "registry-key-at-least-one", NULL,
		    "a registry key needs at least one property besides "
		    "type");
	if ((key = v_str(obj, "key")) == NULL)
		return;
	for (i = 0; short_hives[i] != NULL; i++) {
		n = strlen(short_hives[i]);
		if (ieq(key, short_hives[i], n) &&
		    (key[n] == '\\' || key[n] == '\0')) {
			v_err(v, "registry-key-hive", "key",
			    "the hive must be spelled out, not %s",
			    short_hives[i]);
			break;
		}
	}
}

static void
check_x509_certificate(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, x509_certificate_props, NULL))
		v_err(v, "x509-at-least-one", NULL,
		    "a certificate needs at least one property besides type");
}

/* ---- extension checks ---- */

static void
check_ntfs_ext(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, ntfs_ext_props, NULL))
		v_err(v, "ntfs-ext-at-least-one", NULL,
		    "ntfs-ext needs at least one of its properties");
}

static bool
pdf_info_key(const char *k)
{
	static const char *const keys[] = { "Title", "Author", "Subject",
	    "Keywords", "Creator", "Producer", "CreationDate", "ModDate",
	    "Trapped", NULL };
	const char *const *p;

	for (p = keys; *p != NULL; p++)
		if (strcmp(*p, k) == 0)
			return true;
	return false;
}

static void
check_pdf_ext(struct vctx *v, const json_t *obj)
{
	json_t *did = json_object_get(obj, "document_info_dict");
	json_t *val;
	const char *key;
	size_t saved, inner;

	if (!any_prop(obj, pdf_ext_props, NULL))
		v_err(v, "pdf-ext-at-least-one", NULL,
		    "pdf-ext needs at least one of its properties");
	if (!json_is_object(did))
		return;
	saved = v_push(v, "document_info_dict");
	json_object_foreach(did, key, val) {
		/*
		 * Section 6.1.4: the keys SHOULD be those of the PDF
		 * Document Information Dictionary (ISO 32000-1, 14.3.3).
		 */
		if (!pdf_info_key(key)) {
			inner = v_push(v, key);
			v_warn(v, "pdf-doc-info-key", NULL, "'%s' is not a key "
			    "of the PDF Document Information Dictionary", key);
			v_pop(v, inner);
		}
		/* A key's leading '/' is already a dictionary key error. */
		if (json_is_string(val))
			continue;
		inner = v_push(v, key);
		v_err(v, "pdf-doc-info-value", NULL,
		    "a document information value must be a string");
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

static void
check_raster_image_ext(struct vctx *v, const json_t *obj)
{
	json_t *tags = json_object_get(obj, "exif_tags");
	json_t *val;
	const char *key;
	size_t saved, inner;

	if (!any_prop(obj, raster_image_ext_props, NULL))
		v_err(v, "raster-image-ext-at-least-one", NULL,
		    "raster-image-ext needs at least one of its properties");
	if (!json_is_object(tags))
		return;
	saved = v_push(v, "exif_tags");
	json_object_foreach(tags, key, val) {
		if (json_is_string(val) || json_is_integer(val))
			continue;
		inner = v_push(v, key);
		v_err(v, "exif-tag-value", NULL,
		    "an EXIF tag value must be an integer or a string");
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

static void
check_windows_pebinary_ext(struct vctx *v, const json_t *obj)
{
	const char *ts;

	if (!any_prop(obj, windows_pebinary_ext_props, "pe_type"))
		v_err(v, "pebinary-ext-at-least-one", NULL,
		    "windows-pebinary-ext needs a property besides pe_type");
	/* Precise to the second: no fractional part. */
	if ((ts = v_str(obj, "time_date_stamp")) != NULL &&
	    strchr(ts, '.') != NULL)
		v_err(v, "pebinary-time-date-stamp", "time_date_stamp",
		    "must be precise to the second, without fractions");
}

static void
check_http_request_ext(struct vctx *v, const json_t *obj)
{
	json_t *hdr = json_object_get(obj, "request_header");
	json_t *val;
	const char *s, *key;
	size_t saved, inner;

	if ((s = v_str(obj, "request_method")) != NULL && has_upper(s))
		v_warn(v, "http-request-lowercase", "request_method",
		    "the method should be lower-case");
	if ((s = v_str(obj, "request_version")) != NULL && has_upper(s))
		v_warn(v, "http-request-lowercase", "request_version",
		    "the version should be lower-case");
	if (!json_is_object(hdr))
		return;
	/* The schema wants lists of strings; the spec's example strings. */
	saved = v_push(v, "request_header");
	json_object_foreach(hdr, key, val) {
		if (str_or_strlist(val))
			continue;
		inner = v_push(v, key);
		v_err(v, "http-request-header-value", NULL,
		    "a header value must be a string or a list of strings");
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

static const char *const socket_option_prefixes[] = {
	"SO_", "ICMP_", "ICMP6_", "IP_", "IPV6_", "MCAST_", "TCP_", "IRLMP_",
	NULL
};

static void
check_socket_ext(struct vctx *v, const json_t *obj)
{
	json_t *opts = json_object_get(obj, "options");
	json_t *val;
	const char *key;
	size_t saved, inner, i;

	if (!json_is_object(opts))
		return;
	saved = v_push(v, "options");
	json_object_foreach(opts, key, val) {
		inner = v_push(v, key);
		if (!json_is_integer(val))
			v_err(v, "socket-option-value", NULL,
			    "a socket option value must be an integer");
		for (i = 0; socket_option_prefixes[i] != NULL; i++)
			if (strncmp(key, socket_option_prefixes[i],
			    strlen(socket_option_prefixes[i])) == 0)
				break;
		if (socket_option_prefixes[i] == NULL)
			v_warn(v, "socket-option-name", NULL,
			    "should be a socket option name such as "
			    "SO_REUSEADDR");
		v_pop(v, inner);
	}
	v_pop(v, saved);
}

static void
check_tcp_ext(struct vctx *v, const json_t *obj)
{
	v_require_one(v, obj, "tcp-ext-at-least-one", "src_flags_hex",
	    "dst_flags_hex", END);
}

static void
check_windows_process_ext(struct vctx *v, const json_t *obj)
{
	const char *pri;
	size_t n;

	if (!any_prop(obj, windows_process_ext_props, NULL))
		v_err(v, "windows-process-ext-at-least-one", NULL,
		    "windows-process-ext needs at least one of its "
		    "properties");
	if ((pri = v_str(obj, "priority")) != NULL &&
	    ((n = strlen(pri)) <= 6 || strcmp(pri + n - 6, "_CLASS") != 0))
		v_warn(v, "windows-process-priority", "priority",
		    "should be a priority class name ending in _CLASS");
}

static void
check_windows_service_ext(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, windows_service_ext_props, NULL))
		v_err(v, "windows-service-ext-at-least-one", NULL,
		    "windows-service-ext needs at least one of its "
		    "properties");
}

static void
check_unix_account_ext(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, unix_account_ext_props, NULL))
		v_err(v, "unix-account-ext-at-least-one", NULL,
		    "unix-account-ext needs at least one of its properties");
}

/* ---- embedded type checks ---- */

/* One of body or body_raw_ref; the schema (oneOf) excludes both. */
static void
check_email_mime_part(struct vctx *v, const json_t *obj)
{
	v_require_one(v, obj, "mime-part-body-required", "body",
	    "body_raw_ref", END);
	if (has(obj, "body") && has(obj, "body_raw_ref"))
		v_err(v, "mime-part-body-exclusive", "body_raw_ref",
		    "only one of body and body_raw_ref may be present");
}

static void
check_alternate_data_stream(struct vctx *v, const json_t *obj)
{
}

static void
check_pe_optional_header(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, pe_optional_header_props, NULL))
		v_err(v, "pe-optional-header-at-least-one", NULL,
		    "the optional header needs at least one of its "
		    "properties");
}

static void
check_pe_section(struct vctx *v, const json_t *obj)
{
}

static void
check_registry_value(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, registry_value_props, NULL))
		v_err(v, "registry-value-at-least-one", NULL,
		    "a registry value needs name, data or data_type");
}

static void
check_x509_v3_extensions(struct vctx *v, const json_t *obj)
{
	if (!any_prop(obj, x509_v3_extensions_props, NULL))
		v_err(v, "x509-v3-ext-at-least-one", NULL,
		    "x509_v3_extensions needs at least one of its "
		    "properties");
}

/* ---- the registry ---- */

#define SCO(name, props, check, idc) \
	{ name, SC_SCO, stix_common_sco, props, check, idc, NULL }
#define EXT(name, on, props, check) \
	{ name, SC_SCO_EXT, NULL, props, check, NULL, on }
#define EMB(name, props, check) \
	{ name, SC_EMBEDDED, NULL, props, check, NULL, NULL }

const struct stix_type stix_types_sco[] = {
	SCO("artifact", artifact_props, check_artifact, artifact_idc),
	SCO("autonomous-system", autonomous_system_props, NULL,
	    autonomous_system_idc),
	SCO("directory", directory_props, check_directory, directory_idc),
	SCO("domain-name", domain_name_props, check_domain_name, value_idc),
	SCO("email-addr", email_addr_props, check_email_addr, value_idc),
	SCO("email-message", email_message_props, check_email_message,
	    email_message_idc),
	SCO("file", file_props, check_file, file_idc),
	SCO("ipv4-addr", ipv4_addr_props, check_ipv4_addr, value_idc),
	SCO("ipv6-addr", ipv6_addr_props, check_ipv6_addr, value_idc),
	SCO("mac-addr", mac_addr_props, check_mac_addr, value_idc),
	SCO("mutex", mutex_props, NULL, mutex_idc),
	SCO("network-traffic", network_traffic_props, check_network_traffic,
	    network_traffic_idc),
	SCO("process", process_props, check_process, NULL),
	SCO("software", software_props, check_software, software_idc),
	SCO("url", url_props, NULL, value_idc),
	SCO("user-account", user_account_props, check_user_account,
	    user_account_idc),
	SCO("windows-registry-key", windows_registry_key_props,
	    check_windows_registry_key, windows_registry_key_idc),
	SCO("x509-certificate", x509_certificate_props,
	    check_x509_certificate, x509_certificate_idc),
	STIX_TYPE_END
};

const struct stix_type stix_types_sco_embedded[] = {
	EXT("archive-ext", "file", archive_ext_props, NULL),
	EXT("ntfs-ext", "file", ntfs_ext_props, check_ntfs_ext),
	EXT("pdf-ext", "file", pdf_ext_props, check_pdf_ext),
	EXT("raster-image-ext", "file", raster_image_ext_props,
	    check_raster_image_ext),
	EXT("windows-pebinary-ext", "file", windows_pebinary_ext_props,
	    check_windows_pebinary_ext),
	EXT("http-request-ext", "network-traffic", http_request_ext_props,
	    check_http_request_ext),
	EXT("icmp-ext", "network-traffic", icmp_ext_props, NULL),
	EXT("socket-ext", "network-traffic", socket_ext_props,
	    check_socket_ext),
	EXT("tcp-ext", "network-traffic", tcp_ext_props, check_tcp_ext),
	EXT("windows-process-ext", "process", windows_process_ext_props,
	    check_windows_process_ext),
	EXT("windows-service-ext", "process", windows_service_ext_props,
	    check_windows_service_ext),
	EXT("unix-account-ext", "user-account", unix_account_ext_props,
	    check_unix_account_ext),
	EMB("email-mime-part-type", email_mime_part_props,
	    check_email_mime_part),
	EMB("alternate-data-stream-type", alternate_data_stream_props,
	    check_alternate_data_stream),
	EMB("windows-pe-optional-header-type", pe_optional_header_props,
	    check_pe_optional_header),
	EMB("windows-pe-section-type", pe_section_props, check_pe_section),
	EMB("windows-registry-value-type", registry_value_props,
	    check_registry_value),
	EMB("x509-v3-extensions-type", x509_v3_extensions_props,
	    check_x509_v3_extensions),
	STIX_TYPE_END
};
