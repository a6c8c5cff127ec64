/*
 * The STIX 2.1 open vocabularies (-ov) and enumerations (-enum) of section
 * 10 of the specification, by the names the specification gives them.
 * Properties name a vocabulary in their table entry (stix_prop.ref); an
 * unknown value of an open vocabulary is a warning, of an enumeration an
 * error.  Values are exact and case-sensitive.
 */
#include <stddef.h>
#include <string.h>

#include "stix_int.h"

static const char *const account_type_ov[] = {
	"facebook", "ldap", "nis", "openid", "radius", "skype", "tacacs",
	"twitter", "unix", "windows-local", "windows-domain", NULL,
};

static const char *const attack_motivation_ov[] = {
	"accidental", "coercion", "dominance", "ideology", "notoriety",
	"organizational-gain", "personal-gain", "personal-satisfaction",
	"revenge", "unpredictable", NULL,
};

static const char *const attack_resource_level_ov[] = {
	"individual", "club", "contest", "team", "organization", "government",
	NULL,
};

static const char *const encryption_algorithm_enum[] = {
	"AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated", NULL,
};

static const char *const extension_type_enum[] = {
	"new-sdo", "new-sco", "new-sro", "property-extension",
	"toplevel-property-extension", NULL,
};

static const char *const grouping_context_ov[] = {
	"suspicious-activity", "malware-analysis", "unspecified", NULL,
};

static const char *const hash_algorithm_ov[] = {
	"MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP",
	"TLSH", NULL,
};

static const char *const identity_class_ov[] = {
	"individual", "group", "system", "organization", "class", "unknown",
	NULL,
};

static const char *const implementation_language_ov[] = {
	"applescript", "bash", "c", "c++", "c#", "go", "java", "javascript",
	"lua", "objective-c", "perl", "php", "powershell", "python", "ruby",
	"scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64",
	NULL,
};

static const char *const indicator_type_ov[] = {
	"anomalous-activity", "anonymization", "benign", "compromised",
	"malicious-activity", "attribution", "unknown", NULL,
};

static const char *const industry_sector_ov[] = {
	"agriculture", "aerospace", "automotive", "chemical", "commercial",
	"communications", "construction", "defense", "education", "energy",
	"entertainment", "financial-services", "government",
	"emergency-services", "government-local", "government-national",
	"government-public-services", "government-regional", "healthcare",
	"hospitality-leisure", "infrastructure", "dams", "nuclear", "water",
	"insurance", "manufacturing", "mining", "non-profit",
	"pharmaceuticals", "retail", "technology", "telecommunications",
	"transportation", "utilities", NULL,
};

static const char *const infrastructure_type_ov[] = {
	"amplification", "anonymization", "botnet", "command-and-control",
	"exfiltration", "hosting-malware", "hosting-target-lists", "phishing",
	"reconnaissance", "staging", "unknown", NULL,
};

static const char *const malware_result_ov[] = {
	"malicious", "suspicious", "benign", "unknown", NULL,
};

static const char *const malware_capabilities_ov[] = {
	"accesses-remote-machines", "anti-debugging", "anti-disassembly",
	"anti-emulation", "anti-memory-forensics", "anti-sandbox", "anti-vm",
	"captures-input-peripherals", "captures-output-peripherals",
	"captures-system-state-data", "cleans-traces-of-infection",
	"commits-fraud", "communicates-with-c2",
	"compromises-data-availability", "compromises-data-integrity",
	"compromises-system-availability", "controls-local-machine",
	"degrades-security-software", "degrades-system-updates",
	"determines-c2-server", "emails-spam", "escalates-privileges",
	"evades-av", "exfiltrates-data", "fingerprints-host",
	"hides-artifacts", "hides-executing-code", "infects-files",
	"infects-remote-machines", "installs-other-components",
	"persists-after-system-reboot", "prevents-artifact-access",
	"prevents-artifact-deletion", "probes-network-environment",
	"self-modifies", "steals-authentication-credentials",
	"violates-system-operational-integrity", NULL,
};

static const char *const malware_type_ov[] = {
	"adware", "backdoor", "bot", "bootkit", "ddos", "downloader", "dropper",
	"exploit-kit", "keylogger", "ransomware", "remote-access-trojan",
	"resource-exploitation", "rogue-security-software", "rootkit",
	"screen-capture", "spyware", "trojan", "unknown", "virus", "webshell",
	"wiper", "worm", NULL,
};

static const char *const network_socket_address_family_enum[] = {
	"AF_UNSPEC", "AF_INET", "AF_IPX", "AF_APPLETALK", "AF_NETBIOS",
	"AF_INET6", "AF_IRDA", "AF_BTH", NULL,
};

static const char *const network_socket_type_enum[] = {
	"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
	NULL,
};

static const char *const opinion_enum[] = {
	"strongly-disagree", "disagree", "neutral", "agree", "strongly-agree",
	NULL,
};

static const char *const pattern_type_ov[] = {
	"stix", "pcre", "sigma", "snort", "suricata", "yara", NULL,
};

static const char *const processor_architecture_ov[] = {
	"alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64",
	NULL,
};

static const char *const region_ov[] = {
	"africa", "eastern-africa", "middle-africa", "northern-africa",
	"southern-africa", "western-africa",
	"americas", "latin-america-caribbean", "south-america", "caribbean",
	"central-america", "northern-america",
	"asia", "central-asia", "eastern-asia", "southern-asia",
	"south-eastern-asia", "western-asia",
	"europe", "eastern-europe", "northern-europe", "southern-europe",
	"western-europe",
	"oceania", "antarctica", "australia-new-zealand", "melanesia",
	"micronesia", "polynesia", NULL,
};

static const char *const report_type_ov[] = {
	"attack-pattern", "campaign", "identity", "indicator", "intrusion-set",
	"malware", "observed-data", "threat-actor", "threat-report", "tool",
	"vulnerability", NULL,
};

static const char *const threat_actor_type_ov[] = {
	"activist", "competitor", "crime-syndicate", "criminal", "hacker",
	"insider-accidental", "insider-disgruntled", "nation-state",
	"sensationalist", "spy", "terrorist", "unknown", NULL,
};

static const char *const threat_actor_role_ov[] = {
	"agent", "director", "independent", "infrastructure-architect",
	"infrastructure-operator", "malware-author", "sponsor", NULL,
};

static const char *const threat_actor_sophistication_ov[] = {
	"none", "minimal", "intermediate", "advanced", "expert", "innovator",
	"strategic", NULL,
};

static const char *const tool_type_ov[] = {
	"denial-of-service", "exploitation", "information-gathering",
	"network-capture", "credential-exploitation", "remote-access",
	"vulnerability-scanning", "unknown", NULL,
};

static const char *const windows_integrity_level_enum[] = {
	"low", "medium", "high", "system", NULL,
};

static const char *const windows_pebinary_type_ov[] = {
	"dll", "exe", "sys", NULL,
};

static const char *const windows_registry_datatype_enum[] = {
	"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	"REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN", "REG_LINK",
	"REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTION",
	"REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD", "REG_INVALID_TYPE",
	NULL,
};

static const char *const windows_service_start_type_enum[] = {
	"SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START",
	"SERVICE_DISABLED", "SERVICE_SYSTEM_ALERT", NULL,
};

static const char *const windows_service_type_enum[] = {
	"SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER",
	"SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS", NULL,
};

static const char *const windows_service_status_enum[] = {
	"SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED",
	"SERVICE_RUNNING", "SERVICE_START_PENDING", "SERVICE_STOP_PENDING",
	"SERVICE_STOPPED", NULL,
};

/* Alphabetical by name. */
const struct stix_vocab stix_vocabs[] = {
	{ "account-type-ov", account_type_ov },
	{ "attack-motivation-ov", attack_motivation_ov },
	{ "attack-resource-level-ov", attack_resource_level_ov },
	{ "encryption-algorithm-enum", encryption_algorithm_enum },
	{ "extension-type-enum", extension_type_enum },
	{ "grouping-context-ov", grouping_context_ov },
	{ "hash-algorithm-ov", hash_algorithm_ov },
	{ "identity-class-ov", identity_class_ov },
	{ "implementation-language-ov", implementation_language_ov },
	{ "indicator-type-ov", indicator_type_ov },
	{ "industry-sector-ov", industry_sector_ov },
	{ "infrastructure-type-ov", infrastructure_type_ov },
	{ "malware-capabilities-ov", malware_capabilities_ov },
	{ "malware-result-ov", malware_result_ov },
	{ "malware-type-ov", malware_type_ov },
	{ "network-socket-address-family-enum",
	    network_socket_address_family_enum },
	{ "network-socket-type-enum", network_socket_type_enum },
	{ "opinion-enum", opinion_enum },
	{ "pattern-type-ov", pattern_type_ov },
	{ "processor-architecture-ov", processor_architecture_ov },
	{ "region-ov", region_ov },
	{ "report-type-ov", report_type_ov },
	{ "threat-actor-role-ov", threat_actor_role_ov },
	{ "threat-actor-sophistication-ov", threat_actor_sophistication_ov },
	{ "threat-actor-type-ov", threat_actor_type_ov },
	{ "tool-type-ov", tool_type_ov },
	{ "windows-integrity-level-enum", windows_integrity_level_enum },
	{ "windows-pebinary-type-ov", windows_pebinary_type_ov },
	{ "windows-registry-datatype-enum", windows_registry_datatype_enum },
	{ "windows-service-start-type-enum", windows_service_start_type_enum },
	{ "windows-service-status-enum", windows_service_status_enum },
	{ "windows-service-type-enum", windows_service_type_enum },
	{ NULL, NULL },
};

/*
 * Linear search: 32 vocabularies of at most 37 values; a lookup costs less
 * than parsing the string that is looked up.
 */
const struct stix_vocab *
stix_vocab_find(const char *name)
{
	const struct stix_vocab *vo;

	if (name == NULL)
		return NULL;
	for (vo = stix_vocabs; vo->name != NULL; vo++)
		if (strcmp(vo->name, name) == 0)
			return vo;
	return NULL;
}

bool
stix_vocab_has(const struct stix_vocab *vo, const char *value)
{
	const char *const *p;

	if (vo == NULL || value == NULL)
		return false;
	for (p = vo->values; *p != NULL; p++)
		if (strcmp(*p, value) == 0)
			return true;
	return false;
}
