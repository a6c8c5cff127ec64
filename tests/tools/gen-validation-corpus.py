#!/usr/bin/env python3
"""
The validation corpus: every object of the shared STIX examples (the OASIS
JSON-schema repository's examples and the ATT&CK data under
tests/data/conformance/stix21/; an SDO without spec_version, STIX 2.0 data,
gets "spec_version": "2.1") and mutations of each, with the verdict the
STIX 2.1 specification gives.  Nothing here runs cybex: each mutation
below breaks (or keeps) one rule, and its verdict follows from the clause it
names:

  invalid          a MUST of the clause is broken: an error
  warning          a SHOULD of the clause is broken: valid, invalid under
                   --strict (the rule fires as a warning)
  valid            the original object (as published; not judged under
                   --strict, since published examples break SHOULDs)

usage: gen-validation-corpus.py CONFORMANCE_DIR corpus.jsonl [table.tsv]
  corpus.jsonl   one case a line: {"case","mutation","expect","rule",
                 "clause","object"}
  table.tsv      "case mutation expect rule" a line (the committed table)
"""
import copy
import glob
import json
import os
import sys

U = "9c3d2b11-6a4e-4f0b-8a5d-3f1c2e7b9d01"


def sdo(o):
    """An SDO or SRO (meta objects have other common properties: 7.2)."""
    return "created" in o and o.get("type") not in (
        "marking-definition", "language-content", "extension-definition")


def m_drop(key):
    def f(o):
        o = copy.deepcopy(o)
        del o[key]
        return o
    return f


def m_set(key, value):
    def f(o):
        o = copy.deepcopy(o)
        o[key] = value
        return o
    return f


def m_id_type(o):
    o = copy.deepcopy(o)
    other = "campaign" if o["type"] != "campaign" else "tool"
    o["id"] = other + "--" + o["id"].split("--", 1)[1]
    return o


def m_bad_uuid(o):
    o = copy.deepcopy(o)
    o["id"] = o["type"] + "--not-a-uuid"
    return o


def m_modified_before(o):
    o = copy.deepcopy(o)
    o["created"] = "2017-06-01T00:00:00.000Z"
    o["modified"] = "2017-05-31T23:59:59.999Z"
    return o


# (name, applies to, mutate, expect, cybex rule, clause)
MUTATIONS = [
    ("drop-id", lambda o: True, m_drop("id"), "invalid",
     "required-property", "3.2 id is required"),
    ("bad-uuid", lambda o: True, m_bad_uuid, "invalid",
     "identifier-format", "2.9 identifier is type--UUID (RFC 4122)"),
    ("id-type-mismatch", lambda o: True, m_id_type, "invalid",
     "id-type-mismatch", "2.9 the type part MUST be the object's type"),
    ("custom-property", lambda o: True, m_set("x_acme_note", "n"),
     "warning", "custom-without-extension",
     "11.1 custom properties SHOULD be extensions"),
    ("reserved-property", lambda o: True, m_set("severity", "high"),
     "invalid", "reserved-property",
     "3.1 reserved property names MUST NOT be used"),
    ("drop-spec-version", sdo, m_drop("spec_version"), "invalid",
     "spec-version-missing", "3.2 spec_version is required"),
    ("spec-version-2.2", sdo, m_set("spec_version", "2.2"), "invalid",
     "spec-version", "3.2 spec_version MUST be 2.1"),
    ("modified-before-created", sdo, m_modified_before, "invalid",
     "modified-before-created", "3.2 modified MUST NOT be before created"),
    ("bad-timestamp", sdo, m_set("created", "2016-13-01T00:00:00Z"),
     "invalid", "timestamp-format", "3.2/2.13 timestamps are RFC 3339"),
    ("bad-lang", sdo, m_set("lang", "en_GB"), "invalid", "lang-format",
     "3.2 lang MUST be an RFC 5646 tag"),
    ("confidence-101", sdo, m_set("confidence", 101), "invalid",
     "value-range", "3.2 confidence is 0..100"),
    ("empty-labels", sdo, m_set("labels", []), "invalid", "empty-list",
     "3.1 a list property MUST NOT be empty"),
    ("created-by-not-identity", sdo,
     m_set("created_by_ref", "indicator--" + U), "invalid",
     "reference-target-type", "3.2 created_by_ref MUST be an identity"),
    ("marking-not-marking", sdo,
     m_set("object_marking_refs", ["identity--" + U]), "invalid",
     "reference-target-type",
     "3.2 object_marking_refs are marking-definition ids"),
    ("extref-url-no-hashes", sdo,
     m_set("external_references", [{"source_name": "acme",
                                    "url": "https://example.com/r"}]),
     "warning", "external-reference-url-hashes",
     "2.5 with url, hashes SHOULD be present"),
    ("extref-no-detail", sdo,
     m_set("external_references", [{"source_name": "acme"}]), "invalid",
     "external-reference-needs-detail",
     "2.5 one of description, url, external_id MUST be present"),
    ("relationship-type-format", lambda o: o["type"] == "relationship",
     m_set("relationship_type", "Uses!"), "invalid",
     "relationship-type-format",
     "5.1 relationship_type is lower case a-z, 0-9, hyphen"),
    ("pattern-syntax", lambda o: o["type"] == "indicator" and
     o.get("pattern_type") == "stix",
     m_set("pattern", "[file:name = 'a'"), "invalid", "pattern-syntax",
     "4.7 pattern MUST be a valid STIX pattern"),
]


def objects(conf):
    files = sorted(glob.glob(os.path.join(
        conf, "stix21/json-schemas/examples/**/*.json"), recursive=True))
    files += sorted(glob.glob(os.path.join(
        conf, "stix21/attack-data/**/*.json"), recursive=True))
    for f in files:
        with open(f) as fh:
            d = json.load(fh)
        objs = d["objects"] if isinstance(d, dict) and \
            d.get("type") == "bundle" else d if isinstance(d, list) else [d]
        rel = os.path.relpath(f, conf)
        for i, o in enumerate(objs):
            # The ATT&CK data is STIX 2.0 (the bundle carries the
            # version): its objects are taken as 2.1 objects.
            if "created" in o and "spec_version" not in o:
                o = dict(o, spec_version="2.1")
            yield "%s#%d" % (rel, i), o


def main():
    conf, corpus = sys.argv[1], sys.argv[2]
    table = sys.argv[3] if len(sys.argv) > 3 else None
    rows = []
    for case, o in objects(conf):
        rows.append((case, "original", "valid", "", "", o))
        for name, applies, mutate, expect, rule, clause in MUTATIONS:
            if applies(o):
                rows.append((case, name, expect, rule, clause, mutate(o)))
    with open(corpus, "w") as out:
        for case, name, expect, rule, clause, o in rows:
            out.write(json.dumps({"case": case, "mutation": name,
                                  "expect": expect, "rule": rule,
                                  "clause": clause, "object": o},
                                 sort_keys=True) + "\n")
    if table:
        with open(table, "w") as out:
            out.write("# case mutation expect rule (generated by "
                      "tests/tools/gen-validation-corpus.py)\n")
            for case, name, expect, rule, clause, o in rows:
                out.write("%s %s %s %s\n" % (case, name, expect, rule or "-"))


main()
