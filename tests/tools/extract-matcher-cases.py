#!/usr/bin/env python3
"""
Turn the OASIS cti-pattern-matcher's own pytest cases (stix2matcher/test/v21)
into data: one record per parametrized case that calls match() once, with
the verdict the test expects.  Nothing of the matcher runs: match() is
replaced by a stand-in, and each case is run three times (match returning
True, returning False, raising ParseException); the behaviours under which
the test passes give the expected verdict.

usage: extract-matcher-cases.py TESTDIR > matcher_cases.json
"""
import importlib.util
import json
import sys
import types


class ParseException(Exception):
    pass


class MatcherException(Exception):
    pass


class _Raises:
    def __init__(self, *exc):
        self.exc = exc

    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        if t is None:
            raise AssertionError("did not raise")
        return issubclass(t, self.exc)


class _Mark:
    def parametrize(self, names, values, **kw):
        def deco(f):
            f.__dict__.setdefault("_params", []).append((names, values))
            return f
        return deco


pytest = types.ModuleType("pytest")
pytest.mark = _Mark()
pytest.raises = _Raises
sys.modules["pytest"] = pytest
sp = types.ModuleType("stix2patterns")
spp = types.ModuleType("stix2patterns.pattern")
spp.ParseException = ParseException
sys.modules["stix2patterns"] = sp
sys.modules["stix2patterns.pattern"] = spp

calls = []
mode = ["true"]


def match(pattern, observed_data_sdos, verbose=False, stix_version="2.0"):
    # a copy: some tests change the module's observations between cases
    calls.append({"pattern": pattern,
                  "observations": json.loads(json.dumps(observed_data_sdos,
                                                        default=str)),
                  "stix_version": stix_version})
    if mode[0] == "parse":
        raise ParseException("stand-in")
    if mode[0] == "matcher":
        raise MatcherException("stand-in")
    return mode[0] == "true"


pkg = types.ModuleType("stix2matcher")
mm = types.ModuleType("stix2matcher.matcher")
mm.match = match
mm.MatcherException = MatcherException
mm.__getattr__ = lambda name: None
sys.modules["stix2matcher"] = pkg
sys.modules["stix2matcher.matcher"] = mm


def runs(f, kw):
    ok = {}
    rec = None
    for m in ("true", "false", "parse", "matcher"):
        mode[0] = m
        del calls[:]
        try:
            f(**kw)
            ok[m] = True
        except Exception:
            ok[m] = False
        if len(calls) != 1:
            return None, None
        rec = calls[0]
    return ok, rec


def verdict(ok):
    passing = [m for m in ok if ok[m]]
    table = {("true",): "match", ("false",): "nomatch",
             ("parse",): "parse-error", ("matcher",): "matcher-error",
             ("matcher", "parse"): "error"}
    return table.get(tuple(sorted(passing)))


def main():
    import glob
    import os
    out = []
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "test_*.py"))):
        name = os.path.basename(path)
        spec = importlib.util.spec_from_file_location(name[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        # in the order pytest runs them: some change module state
        funcs = [(getattr(mod, n).__code__.co_firstlineno, n)
                 for n in dir(mod) if n.startswith("test_") and
                 callable(getattr(mod, n)) and
                 hasattr(getattr(mod, n), "__code__")]
        for _, fname in sorted(funcs):
            f = getattr(mod, fname)
            params = getattr(f, "_params", [])
            if len(params) != 1:
                continue
            names, values = params[0]
            names = [n.strip() for n in names.split(",")]
            for i, v in enumerate(values):
                vals = v if len(names) > 1 else (v,)
                if hasattr(vals, "values"):  # pytest.param
                    continue
                kw = dict(zip(names, vals))
                ok, rec = runs(f, kw)
                if ok is None:
                    continue
                vd = verdict(ok)
                if vd is None:
                    continue
                rec = dict(rec)
                rec["file"] = name
                rec["test"] = "%s[%d]" % (fname, i)
                rec["expect"] = vd
                out.append(rec)
    json.dump({"source": "oasis-open/cti-pattern-matcher "
               "stix2matcher/test/v21 (extracted by "
               "tests/tools/extract-matcher-cases.py)",
               "cases": out}, sys.stdout, indent=1, sort_keys=True,
              default=str)
    sys.stdout.write("\n")


main()
