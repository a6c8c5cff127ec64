#!/usr/bin/env python3
"""
Turn the OASIS stix2-validator's own unittest cases
(stix2validator/test/v21/*_tests.py) into data: one record per call of the
validator whose verdict the test asserts, with the instance, the options
and the expected verdict ("valid" or "invalid").  Nothing of the validator
runs: the package is replaced by stand-ins that record each call, and the
test's assertions on results.is_valid give the expected verdict.

usage: extract-validator-cases.py TESTDIR > validator_cases.json
"""
import glob
import json
import os
import shutil
import sys
import tempfile
import types
import unittest

calls = []


class Verdict:
    def __init__(self, idx):
        self.idx = idx


def expect(marker, valid):
    if isinstance(marker, Verdict) and "expect" not in calls[marker.idx]:
        calls[marker.idx]["expect"] = "valid" if valid else "invalid"
        return True
    return False


class Results:
    def __init__(self, idx):
        self.is_valid = Verdict(idx)
        self.errors = []
        self.warnings = []
        self.object_results = []


class ValidationOptions:
    def __init__(self, cmd_args=None, **kw):
        object.__setattr__(self, "kw", dict(kw))

    def __setattr__(self, name, value):
        # a test that changes an option after construction (version)
        self.kw[name] = value

    def __getattr__(self, name):
        return self.kw.get(name)


def record(instance, options=None, **kw):
    opts = dict(options.kw) if isinstance(options, ValidationOptions) else {}
    c = {"options": opts}
    if isinstance(instance, str):
        try:
            c["instance"] = json.loads(instance)
        except ValueError:
            c["text"] = instance
    else:
        c["instance"] = json.loads(json.dumps(instance))
    calls.append(c)
    return Results(len(calls) - 1)


def validate_file(fn, options=None):
    c = {"options": dict(options.kw) if options else {},
         "file": os.path.basename(fn)}
    calls.append(c)
    return Results(len(calls) - 1)


def fake_package(root, testdir):
    pkg = os.path.join(root, "stix2validator")
    os.makedirs(os.path.join(pkg, "test", "v21"))
    with open(os.path.join(pkg, "__init__.py"), "w") as f:
        f.write("from _stubs import *\n")
    for d in ("test", "test/v21"):
        open(os.path.join(pkg, d, "__init__.py"), "a").close()
    for fn in glob.glob(os.path.join(testdir, "*_tests.py")):
        shutil.copy(fn, os.path.join(pkg, "test", "v21"))
    with open(os.path.join(pkg, "test", "v21", "__init__.py"), "w") as f:
        f.write("from _stubs import ValidatorTest\n")


stubs = types.ModuleType("_stubs")


class ValidationError(Exception):
    pass


class NoJSONFileFoundError(Exception):
    pass


class _Raises:
    """pytest.raises: a call made inside expects the instance refused."""

    def __init__(self, *exc):
        self.first = len(calls)

    def __enter__(self):
        self.first = len(calls)
        return self

    def __exit__(self, t, v, tb):
        for c in calls[self.first:]:
            c.setdefault("expect", "invalid")
        return True


pytest = types.ModuleType("pytest")
pytest.raises = _Raises
sys.modules["pytest"] = pytest
jsonschema = types.ModuleType("jsonschema")
jsonschema.exceptions = types.SimpleNamespace(ValidationError=ValidationError)
sys.modules["jsonschema"] = jsonschema


class ValidatorTest(unittest.TestCase):
    options = ValidationOptions(strict=True)
    custom_schemas = "test_schemas"

    def _with(self, instance, valid, kwargs):
        if "strict" not in kwargs:
            kwargs = dict(kwargs, strict=True)
        r = record(instance, ValidationOptions(**kwargs))
        expect(r.is_valid, valid)

    def check_ignore(self, instance, code):
        self._with(instance, True, {"disabled": code})

    def assertTrueWithOptions(self, instance, **kwargs):
        self._with(instance, True, kwargs)

    def assertFalseWithOptions(self, instance, **kwargs):
        self._with(instance, False, kwargs)

    def assertTrue(self, x, msg=None):
        expect(x, True)

    def assertFalse(self, x, msg=None):
        expect(x, False)

    def assertEqual(self, a, b, msg=None):
        if b is True or b is False:
            expect(a, b)
        elif a is True or a is False:
            expect(b, a)


for name, val in dict(ValidationOptions=ValidationOptions,
                      validate_parsed_json=record, validate_string=record,
                      validate_instance=record, validate_file=validate_file,
                      print_results=lambda *a, **k: None,
                      ValidatorTest=ValidatorTest,
                      ValidationError=ValidationError,
                      NoJSONFileFoundError=NoJSONFileFoundError,
                      parse_args=lambda *a, **k: None,
                      run_validation=lambda *a, **k: [],
                      validate=lambda *a, **k: None).items():
    setattr(stubs, name, val)
sys.modules["_stubs"] = stubs


def main():
    root = tempfile.mkdtemp()
    fake_package(root, sys.argv[1])
    sys.path.insert(0, root)
    out = []
    for fn in sorted(glob.glob(os.path.join(sys.argv[1], "*_tests.py"))):
        modname = "stix2validator.test.v21." + os.path.basename(fn)[:-3]
        __import__(modname)
        mod = sys.modules[modname]
        for cname in sorted(dir(mod)):
            cls = getattr(mod, cname)
            if not (isinstance(cls, type) and
                    issubclass(cls, ValidatorTest) and cls is not
                    ValidatorTest):
                continue
            for mname in sorted(dir(cls)):
                if not mname.startswith("test"):
                    continue
                del calls[:]
                try:
                    getattr(cls(mname), mname)()
                except Exception:
                    pass
                n = 0
                for c in calls:
                    if "expect" not in c:
                        continue
                    c["test"] = "%s.%s.%s#%d" % (
                        os.path.basename(fn)[:-3], cname, mname, n)
                    n += 1
                    out.append(c)
    shutil.rmtree(root)
    json.dump({"source": "oasis-open/cti-stix-validator "
               "stix2validator/test/v21 (extracted by "
               "tests/tools/extract-validator-cases.py)",
               "cases": out}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


main()
