#!/usr/bin/env python3
"""MIT libkrb5 (1.20) checks a PAC: krb5_pac_parse, krb5_pac_get_types, krb5_pac_verify and,
given a ticket, krb5_decode_ticket + krb5_decrypt_tkt_part + krb5_kdc_verify_ticket.

stdin:  JSON {"pac": HEX, "authtime": SECONDS, "client": "alice@REALM",
              "server": {"enctype": N, "key": HEX}, "kdc": {...},
              "ticket": HEX | null, "service": "host/x@REALM" | null}
stdout: JSON {"types": [..], "verify": "ok" | MESSAGE, "verifyTicket": "ok" | MESSAGE | null}
Standard library only (ctypes), like tooling/interop/mit-s2k.py.
"""
import ctypes
import json
import sys


class Keyblock(ctypes.Structure):
    _fields_ = [("magic", ctypes.c_int32), ("enctype", ctypes.c_int32), ("length", ctypes.c_uint),
                ("contents", ctypes.POINTER(ctypes.c_ubyte))]


class Data(ctypes.Structure):
    _fields_ = [("magic", ctypes.c_int32), ("length", ctypes.c_uint), ("data", ctypes.c_char_p)]


class EncData(ctypes.Structure):
    _fields_ = [("magic", ctypes.c_int32), ("enctype", ctypes.c_int32), ("kvno", ctypes.c_uint),
                ("ciphertext", Data)]


class Ticket(ctypes.Structure):
    _fields_ = [("magic", ctypes.c_int32), ("server", ctypes.c_void_p), ("enc_part", EncData),
                ("enc_part2", ctypes.c_void_p)]


def main():
    lib = ctypes.CDLL("libkrb5.so.3")
    vp = ctypes.c_void_p
    lib.krb5_init_context.argtypes = [ctypes.POINTER(vp)]
    lib.krb5_get_error_message.argtypes = [vp, ctypes.c_int32]
    lib.krb5_get_error_message.restype = vp
    lib.krb5_pac_parse.argtypes = [vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp)]
    lib.krb5_pac_get_types.argtypes = [vp, vp, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.POINTER(ctypes.c_uint32))]
    lib.krb5_pac_verify.argtypes = [vp, vp, ctypes.c_int32, vp, ctypes.POINTER(Keyblock), ctypes.POINTER(Keyblock)]
    lib.krb5_parse_name.argtypes = [vp, ctypes.c_char_p, ctypes.POINTER(vp)]
    lib.krb5_decode_ticket.argtypes = [ctypes.POINTER(Data), ctypes.POINTER(ctypes.POINTER(Ticket))]
    lib.krb5_decrypt_tkt_part.argtypes = [vp, ctypes.POINTER(Keyblock), ctypes.POINTER(Ticket)]
    lib.krb5_kdc_verify_ticket.argtypes = [vp, vp, vp, ctypes.POINTER(Keyblock), ctypes.POINTER(Keyblock), ctypes.POINTER(vp)]

    ctx = vp()
    if lib.krb5_init_context(ctypes.byref(ctx)) != 0:
        sys.stderr.write("krb5_init_context failed\n")
        return 1

    def msg(code):
        return ctypes.string_at(lib.krb5_get_error_message(ctx, code)).decode("utf-8", "replace")

    keep = []

    def keyblock(k):
        raw = bytes.fromhex(k["key"])
        buf = (ctypes.c_ubyte * len(raw)).from_buffer_copy(raw)
        keep.append(buf)
        return Keyblock(0, k["enctype"], len(raw), ctypes.cast(buf, ctypes.POINTER(ctypes.c_ubyte)))

    req = json.load(sys.stdin)
    out = {"types": None, "verify": None, "verifyTicket": None}
    pac_bytes = bytes.fromhex(req["pac"])
    pac = vp()
    rc = lib.krb5_pac_parse(ctx, pac_bytes, len(pac_bytes), ctypes.byref(pac))
    if rc != 0:
        out["parse"] = msg(rc)
        print(json.dumps(out))
        return 0
    out["parse"] = "ok"
    n = ctypes.c_size_t()
    types = ctypes.POINTER(ctypes.c_uint32)()
    rc = lib.krb5_pac_get_types(ctx, pac, ctypes.byref(n), ctypes.byref(types))
    out["types"] = [types[i] for i in range(n.value)] if rc == 0 else msg(rc)
    princ = vp()
    lib.krb5_parse_name(ctx, req["client"].encode(), ctypes.byref(princ))
    server, kdc = keyblock(req["server"]), keyblock(req["kdc"])
    rc = lib.krb5_pac_verify(ctx, pac, req["authtime"], princ, ctypes.byref(server), ctypes.byref(kdc))
    out["verify"] = "ok" if rc == 0 else msg(rc)
    if req.get("ticket"):
        raw = bytes.fromhex(req["ticket"])
        d = Data(0, len(raw), ctypes.c_char_p(raw))
        tkt = ctypes.POINTER(Ticket)()
        rc = lib.krb5_decode_ticket(ctypes.byref(d), ctypes.byref(tkt))
        if rc == 0:
            rc = lib.krb5_decrypt_tkt_part(ctx, ctypes.byref(server), tkt)
        if rc == 0:
            sprinc = vp()
            lib.krb5_parse_name(ctx, req["service"].encode(), ctypes.byref(sprinc))
            pac2 = vp()
            rc = lib.krb5_kdc_verify_ticket(ctx, tkt.contents.enc_part2, sprinc, ctypes.byref(server),
                                            ctypes.byref(kdc), ctypes.byref(pac2))
        out["verifyTicket"] = "ok" if rc == 0 else msg(rc)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
