// PostNTLM foundation demo: what a Kerberos client does first when a KDC answers
// KDC_ERR_PREAUTH_REQUIRED. It turns a password into the user's long-term key (the salt
// and enctype come from PA-ETYPE-INFO2), encodes a PA-ENC-TS-ENC (RFC 4120 §5.2.7.2)
// with der-asn1, encrypts it with key usage 1, and then plays the KDC: decrypts, decodes
// and checks the timestamp. Run with `pnpm demo`.
import {
  decode,
  encode,
  explicit,
  int32,
  integer,
  kerberosTime,
  octetString,
  optional,
  sequence,
  uint32,
} from '@postntlm/der-asn1';
import { decrypt, encrypt, getEnctype, stringToKey } from '@postntlm/krb5-crypto';
import { getBackend } from '@postntlm/krb5-crypto/primitives';

const PaEncTsEnc = sequence(
  {
    patimestamp: explicit(0, kerberosTime()),
    pausec: optional(explicit(1, integer({ min: 0, max: 999999 }))),
  },
  { name: 'PA-ENC-TS-ENC' },
);
const EncryptedData = sequence(
  { etype: explicit(0, int32()), kvno: optional(explicit(1, uint32())), cipher: explicit(2, octetString()) },
  { name: 'EncryptedData' },
);
const KEY_USAGE_AS_REQ_PA_ENC_TIMESTAMP = 1;
const hex = (bytes) => Buffer.from(bytes).toString('hex');

const realm = 'LOCALKDC.DEMO';
const user = 'alice';
const password = 'alice-Passw0rd';
console.log(`crypto backend: ${getBackend().name}`);

for (const enctype of ['aes256-cts-hmac-sha1-96', 'aes256-cts-hmac-sha384-192']) {
  const profile = getEnctype(enctype);
  const started = performance.now();
  const key = await stringToKey(enctype, password, `${realm}${user}`);
  const s2kMs = performance.now() - started;

  const now = new Date();
  now.setUTCMilliseconds(0);
  const timestamp = encode(PaEncTsEnc, { patimestamp: now, pausec: 123456 });
  const cipher = encrypt(key, KEY_USAGE_AS_REQ_PA_ENC_TIMESTAMP, timestamp);
  const padata = encode(EncryptedData, { etype: profile.id, cipher });

  // The KDC's side: the same key from its database, then decrypt and check.
  const received = decode(EncryptedData, padata);
  const plain = decrypt(key, KEY_USAGE_AS_REQ_PA_ENC_TIMESTAMP, received.cipher);
  const { patimestamp, pausec } = decode(PaEncTsEnc, plain);
  const skew = Math.abs(Date.now() - patimestamp.getTime()) / 1000;

  console.log(`\n${enctype} (etype ${profile.id})`);
  console.log(`  key from password, salt "${realm}${user}": ${hex(key.bytes)} (${s2kMs.toFixed(1)} ms)`);
  console.log(`  PA-ENC-TS-ENC DER: ${hex(timestamp)}`);
  console.log(`  PA-ENC-TIMESTAMP (EncryptedData, ${padata.length} bytes): ${hex(padata).slice(0, 64)}...`);
  console.log(
    `  KDC decrypted: ${patimestamp.toISOString()} usec ${pausec}, skew ${skew.toFixed(0)} s -> preauth OK`,
  );

  const tampered = received.cipher.slice();
  tampered[tampered.length - 1] ^= 1;
  try {
    decrypt(key, KEY_USAGE_AS_REQ_PA_ENC_TIMESTAMP, tampered);
  } catch (error) {
    console.log(`  one flipped bit: ${error.name}: ${error.message}`);
  }
}
