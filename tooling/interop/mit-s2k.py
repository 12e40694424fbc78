#!/usr/bin/env python3
"""MIT krb5's own string-to-key, with string-to-key parameters (e.g. an iteration count).

ktutil can derive keys from a password and a salt, but it cannot pass s2kparams. This
calls libkrb5's krb5_c_string_to_key_with_params() through ctypes (standard library
only; needs libkrb5.so.3 from MIT Kerberos, i.e. the krb5-user package).

stdin:  JSON list of {"enctype": 17 | "aes128-cts-hmac-sha1-96", "password": HEX,
                      "salt": HEX, "params": HEX | null}
stdout: JSON list, one per request: {"enctype": N, "key": HEX} or {"error": "MIT message"}
"""
import ctypes
import json
import sys


class Data(ctypes.Structure):
    _fields_ = [("magic", ctypes.c_int32), ("length", ctypes.c_uint), ("data", ctypes.c_char_p)]


class Keyblock(ctypes.Structure):
    _fields_ = [
        ("magic", ctypes.c_int32),
        ("enctype", ctypes.c_int32),
        ("length", ctypes.c_uint),
        ("contents", ctypes.POINTER(ctypes.c_ubyte)),
    ]


def main():
    try:
        lib = ctypes.CDLL("libkrb5.so.3")
    except OSError as e:
        sys.stderr.write("MIT libkrb5.so.3 not found (%s): run `bash tooling/interop/install-peers.sh`\n" % e)
        return 1
    lib.krb5_init_context.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    lib.krb5_get_error_message.argtypes = [ctypes.c_void_p, ctypes.c_int32]
    lib.krb5_get_error_message.restype = ctypes.c_void_p
    lib.krb5_free_error_message.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.krb5_string_to_enctype.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int32)]
    lib.krb5_c_string_to_key_with_params.argtypes = [
        ctypes.c_void_p,
        ctypes.c_int32,
        ctypes.POINTER(Data),
        ctypes.POINTER(Data),
        ctypes.POINTER(Data),
        ctypes.POINTER(Keyblock),
    ]
    lib.krb5_free_keyblock_contents.argtypes = [ctypes.c_void_p, ctypes.POINTER(Keyblock)]

    ctx = ctypes.c_void_p()
    rc = lib.krb5_init_context(ctypes.byref(ctx))
    if rc != 0:
        sys.stderr.write("krb5_init_context failed: %d\n" % rc)
        return 1

    def message(code):
        p = lib.krb5_get_error_message(ctx, code)
        text = ctypes.string_at(p).decode("utf-8", "replace")
        lib.krb5_free_error_message(ctx, p)
        return text

    def data(b):
        return Data(0, len(b), ctypes.c_char_p(b))

    results = []
    for req in json.load(sys.stdin):
        enctype = req["enctype"]
        if isinstance(enctype, str):
            num = ctypes.c_int32()
            rc = lib.krb5_string_to_enctype(enctype.encode(), ctypes.byref(num))
            if rc != 0:
                results.append({"error": message(rc)})
                continue
            enctype = num.value
        password = data(bytes.fromhex(req["password"]))
        salt = data(bytes.fromhex(req["salt"]))
        params = req.get("params")
        params_data = data(bytes.fromhex(params)) if params is not None else None
        key = Keyblock()
        rc = lib.krb5_c_string_to_key_with_params(
            ctx,
            enctype,
            ctypes.byref(password),
            ctypes.byref(salt),
            ctypes.byref(params_data) if params_data is not None else None,
            ctypes.byref(key),
        )
        if rc != 0:
            results.append({"error": message(rc)})
            continue
        results.append({"enctype": key.enctype, "key": bytes(key.contents[: key.length]).hex()})
        lib.krb5_free_keyblock_contents(ctx, ctypes.byref(key))
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
