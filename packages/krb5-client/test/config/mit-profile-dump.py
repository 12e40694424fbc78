#!/usr/bin/env python3
"""Dumps profile files as MIT's own profile library (libkrb5.so.3) parses them.

Used by mit-profile.test.ts to compare PostNTLM's krb5.conf parser with MIT's. Standard
library only (ctypes); needs MIT Kerberos' libkrb5.so.3 (the krb5-user package).

stdin:  JSON list of profile paths (each may be a colon-separated list, as KRB5_CONFIG)
stdout: JSON list, one per path: {"tree": NODES} or {"error": "PROF_..." or number}
        NODES is a list of [name, value] (relation) or [name, NODES] (subsection), in
        MIT's order (by name, then as added).
"""
import ctypes
import json
import sys

lib = ctypes.CDLL("libkrb5.so.3")
lib.profile_init_path.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.profile_init_path.restype = ctypes.c_long
lib.profile_release.argtypes = [ctypes.c_void_p]
lib.profile_release.restype = None
lib.profile_iterator_create.argtypes = [
    ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_char_p),
    ctypes.c_int,
    ctypes.POINTER(ctypes.c_void_p),
]
lib.profile_iterator_create.restype = ctypes.c_long
lib.profile_iterator.argtypes = [
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(ctypes.c_void_p),
]
lib.profile_iterator.restype = ctypes.c_long
lib.profile_iterator_free.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
lib.profile_iterator_free.restype = None
lib.profile_release_string.argtypes = [ctypes.c_void_p]
lib.profile_release_string.restype = None

PROFILE_ITER_LIST_SECTION = 1

# From <profile.h>.
CODES = {
    -1429577715: "PROF_SECTION_NOTOP",
    -1429577714: "PROF_SECTION_SYNTAX",
    -1429577713: "PROF_RELATION_SYNTAX",
    -1429577712: "PROF_EXTRA_CBRACE",
    -1429577711: "PROF_MISSING_OBRACE",
    -1429577697: "PROF_FAIL_INCLUDE_FILE",
    -1429577696: "PROF_FAIL_INCLUDE_DIR",
    -1429577693: "PROF_MODULE",
}


class ProfileFailure(Exception):
    pass


def dump(profile, path):
    names = (ctypes.c_char_p * (len(path) + 1))(*[p.encode("latin-1") for p in path], None)
    it = ctypes.c_void_p()
    code = lib.profile_iterator_create(profile, names, PROFILE_ITER_LIST_SECTION, ctypes.byref(it))
    if code:
        raise ProfileFailure(code)
    out = []
    try:
        while True:
            name = ctypes.c_void_p()
            value = ctypes.c_void_p()
            code = lib.profile_iterator(ctypes.byref(it), ctypes.byref(name), ctypes.byref(value))
            if code:
                raise ProfileFailure(code)
            if not name.value:
                break
            n = ctypes.string_at(name.value).decode("latin-1")
            lib.profile_release_string(name)
            if value.value:
                out.append([n, ctypes.string_at(value.value).decode("latin-1")])
                lib.profile_release_string(value)
            else:
                out.append([n, dump(profile, path + [n])])
    finally:
        lib.profile_iterator_free(ctypes.byref(it))
    return out


def main():
    results = []
    for path in json.load(sys.stdin):
        profile = ctypes.c_void_p()
        code = lib.profile_init_path(path.encode(), ctypes.byref(profile))
        if code:
            results.append({"error": CODES.get(code, code)})
            continue
        try:
            results.append({"tree": dump(profile, [])})
        except ProfileFailure as failure:
            code = failure.args[0]
            results.append({"error": CODES.get(code, code)})
        finally:
            lib.profile_release(profile)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
