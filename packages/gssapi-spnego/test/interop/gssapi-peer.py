"""python3-gssapi (MIT libgssapi_krb5) as the other end of a krb5 context, driven over
stdin/stdout with one hex token per line. argv[1] = 'initiate' or 'accept'.

initiate: prints the AP-REQ, reads the AP-REP; accept: reads the AP-REQ, prints the AP-REP.
Then: prints sealed Wrap, unsealed Wrap and MIC of b'from-python-<n>'; reads N Wrap tokens
and prints 'hex(message) sealed(0|1)' for each; reads one MIC of b'from-ts' and prints 'MIC OK'.
"""
import sys

import gssapi


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def read():
    return bytes.fromhex(sys.stdin.readline().strip())


role = sys.argv[1]
count = int(sys.argv[2])
if role == "initiate":
    name = gssapi.Name("host@localhost", gssapi.NameType.hostbased_service)
    flags = [gssapi.RequirementFlag.mutual_authentication, gssapi.RequirementFlag.replay_detection,
             gssapi.RequirementFlag.out_of_sequence_detection, gssapi.RequirementFlag.confidentiality,
             gssapi.RequirementFlag.integrity]
    ctx = gssapi.SecurityContext(name=name, mech=gssapi.MechType.kerberos, usage="initiate", flags=flags)
    out(ctx.step().hex())
    ctx.step(read())
else:
    ctx = gssapi.SecurityContext(creds=gssapi.Credentials(usage="accept"), usage="accept")
    reply = ctx.step(read())
    out((reply or b"").hex())
    out(str(ctx.initiator_name))
assert ctx.complete

out(ctx.wrap(b"from-python-1", True).message.hex())
out(ctx.wrap(b"from-python-2", False).message.hex())
out(ctx.get_signature(b"from-python-3").hex())
for _ in range(count):
    r = ctx.unwrap(read())
    out(r.message.hex() + " " + str(int(r.encrypted)))
ctx.verify_signature(b"from-ts", read())
out("MIC OK")
