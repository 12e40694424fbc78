import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultSalt,
  inferNameType,
  NameType,
  type Principal,
  PrincipalParseError,
  parsePrincipal,
  principalEquals,
  unparsePrincipal,
} from '../../src/index.js';

const p = (realm: string, nameString: string[], nameType: number = NameType.NT_PRINCIPAL): Principal => ({
  realm,
  name: { nameType, nameString },
});

describe('parsePrincipal / unparsePrincipal', () => {
  it('parses the plain forms', () => {
    expect(parsePrincipal('alice@MIT.TEST')).toEqual(p('MIT.TEST', ['alice']));
    expect(parsePrincipal('host/localhost@MIT.TEST')).toEqual(p('MIT.TEST', ['host', 'localhost']));
    expect(parsePrincipal('alice', { defaultRealm: 'D.TEST' })).toEqual(p('D.TEST', ['alice']));
    expect(parsePrincipal('a@R', { defaultRealm: 'D.TEST' }).realm).toBe('R');
  });

  it('infers the name type as MIT does, or takes it', () => {
    expect(parsePrincipal('krbtgt/MIT.TEST@MIT.TEST').name.nameType).toBe(NameType.NT_SRV_INST);
    expect(parsePrincipal('krbtgt@MIT.TEST').name.nameType).toBe(NameType.NT_PRINCIPAL);
    expect(parsePrincipal('krbtgt/A/B@MIT.TEST').name.nameType).toBe(NameType.NT_PRINCIPAL);
    expect(parsePrincipal('WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS').name.nameType).toBe(
      NameType.NT_WELLKNOWN,
    );
    expect(parsePrincipal('host/x.example@R').name.nameType).toBe(NameType.NT_PRINCIPAL);
    expect(parsePrincipal('host/x.example@R', { nameType: NameType.NT_SRV_HST }).name.nameType).toBe(
      NameType.NT_SRV_HST,
    );
    expect(inferNameType(['krbtgt', 'X'])).toBe(2);
  });

  // MIT src/lib/krb5/krb/t_princ.c, test_princ and test_enterprise
  it('MIT t_princ.c quoting cases', () => {
    const q = parsePrincipal('test\\/principal@SU.SE');
    expect(q.name.nameString).toEqual(['test/principal']);
    expect(unparsePrincipal(q)).toBe('test\\/principal@SU.SE');
    expect(unparsePrincipal(q, { display: true })).toBe('test/principal@SU.SE');
    expect(unparsePrincipal(parsePrincipal('lha@SU.SE'), { noRealm: true })).toBe('lha');
  });

  it('MIT t_princ.c enterprise cases', () => {
    const e1 = parsePrincipal('lha@su.se@WIN.SU.SE', { enterprise: true, defaultRealm: 'SAMBA.ORG' });
    expect(e1).toEqual(p('WIN.SU.SE', ['lha@su.se'], NameType.NT_ENTERPRISE));
    expect(unparsePrincipal(e1)).toBe('lha\\@su.se@WIN.SU.SE');
    const e2 = parsePrincipal('lha\\@su.se@WIN.SU.SE', { enterprise: true, defaultRealm: 'SAMBA.ORG' });
    expect(unparsePrincipal(e2)).toBe('lha\\@su.se\\@WIN.SU.SE@SAMBA.ORG');
    const e3 = parsePrincipal('lha\\@su.se@WIN.SU.SE', { defaultRealm: 'SAMBA.ORG' });
    expect(unparsePrincipal(e3)).toBe('lha\\@su.se@WIN.SU.SE');
    expect(e3.name.nameType).toBe(NameType.NT_PRINCIPAL);
    const e4 = parsePrincipal('lha@su.se', { enterprise: true, defaultRealm: 'SAMBA.ORG' });
    expect(unparsePrincipal(e4)).toBe('lha\\@su.se@SAMBA.ORG');
    const e5 = parsePrincipal('lukeh@ntdev.padl.com', { enterprise: true, defaultRealm: 'SAMBA.ORG' });
    expect(unparsePrincipal(e5, { noRealm: true })).toBe('lukeh@ntdev.padl.com');
  });

  it('enterprise names keep "/" in the one component', () => {
    expect(parsePrincipal('a/b@c.com@R', { enterprise: true }).name.nameString).toEqual(['a/b@c.com']);
  });

  it('handles every escape of parse.c and unparse.c', () => {
    const x = parsePrincipal('a\\nb\\tc\\bd\\0e\\\\f\\/g\\@h\\zi/j@R\\/E\\@A\\L\\M');
    expect(x.name.nameString).toEqual(['a\nb\tc\bd\0e\\f/g@hzi', 'j']);
    expect(x.realm).toBe('R/E@ALM');
    expect(unparsePrincipal(x)).toBe('a\\nb\\tc\\bd\\0e\\\\f\\/g\\@hzi/j@R\\/E\\@ALM');
    expect(unparsePrincipal(x, { noRealm: true })).toBe('a\\nb\\tc\\bd\\0e\\\\f\\/g@hzi/j');
    expect(unparsePrincipal(x, { display: true })).toBe('a\nb\tc\bd\0e\\f/g@hzi/j@R/E@ALM');
  });

  it('allows empty components and an empty realm, as MIT does', () => {
    expect(parsePrincipal('x//y@R').name.nameString).toEqual(['x', '', 'y']);
    expect(parsePrincipal('a/@R').name.nameString).toEqual(['a', '']);
    expect(parsePrincipal('/@R').name.nameString).toEqual(['', '']);
    expect(parsePrincipal('x@')).toEqual(p('', ['x']));
    expect(unparsePrincipal(p('R', ['x', '', 'y']))).toBe('x//y@R');
  });

  it.each([
    ['@R', 'a realm with no name'],
    ['@', 'a realm with no name'],
    ['', 'empty name'],
    ['a@B@C', 'second unquoted "@"'],
    ['a@B/C', 'unquoted "/" in the realm'],
    ['a\\', '"\\" at the end'],
    ['a@R\\', '"\\" at the end'],
    ['alice', 'no realm and no default realm'],
    ['a\uD800@R', 'lone surrogate'],
  ])('rejects %j', (text, reason) => {
    let err: unknown;
    try {
      parsePrincipal(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrincipalParseError);
    expect((err as PrincipalParseError).message).toContain(reason);
    expect((err as PrincipalParseError).input).toBe(text);
  });

  it('non-ASCII text passes through', () => {
    const u = parsePrincipal('ü/ñ@RÉALM');
    expect(u).toEqual(p('RÉALM', ['ü', 'ñ']));
    expect(unparsePrincipal(u)).toBe('ü/ñ@RÉALM');
  });
});

describe('principalEquals and defaultSalt', () => {
  it('compares realm and components, not the name type', () => {
    expect(principalEquals(p('R', ['a', 'b'], 1), p('R', ['a', 'b'], 3))).toBe(true);
    expect(principalEquals(p('R', ['a', 'b']), p('S', ['a', 'b']))).toBe(false);
    expect(principalEquals(p('R', ['a', 'b']), p('S', ['a', 'b']), { ignoreRealm: true })).toBe(true);
    expect(principalEquals(p('R', ['a', 'b']), p('R', ['a/b']))).toBe(false);
    expect(principalEquals(p('R', ['a']), p('R', ['a', '']))).toBe(false);
  });

  it('is realm followed by the components (RFC 4120 §4)', () => {
    expect(defaultSalt(parsePrincipal('alice@MIT.TEST'))).toBe('MIT.TESTalice');
    expect(defaultSalt(parsePrincipal('host/x.example@R'))).toBe('Rhostx.example');
    // RFC 3962 B test vector's salt "EXAMPLE.COMraeburn"
    expect(defaultSalt(parsePrincipal('raeburn@EXAMPLE.COM'))).toBe('EXAMPLE.COMraeburn');
  });
});

describe('properties', () => {
  // Components and realms made of the characters that need care, plus any Unicode.
  const tricky = fc.constantFrom('/', '@', '\\', '\n', '\t', '\b', '\0', 'a', 'n', 't', 'b', '0', 'é', '😀');
  const chunk = fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 3 }));
  const component = fc.array(chunk, { maxLength: 6 }).map((a) => a.join(''));
  const principal = fc
    .record({
      realm: component,
      nameString: fc.array(component, { minLength: 1, maxLength: 4 }),
      nameType: fc.integer({ min: -128, max: 11 }),
    })
    // One empty component is written `@REALM`, which is not a name (see unparsePrincipal).
    .filter((x) => !(x.nameString.length === 1 && x.nameString[0] === ''))
    .map((x): Principal => ({ realm: x.realm, name: { nameType: x.nameType, nameString: x.nameString } }));

  it('parse(unparse(p)) is p (10 000 runs)', () => {
    fc.assert(
      fc.property(principal, (x) => {
        expect(parsePrincipal(unparsePrincipal(x), { nameType: x.name.nameType })).toEqual(x);
      }),
      { numRuns: 10_000 },
    );
  });

  it('unparse(parse(s)) parses to the same principal (10 000 runs)', () => {
    const text = fc
      .array(fc.oneof(tricky, fc.string({ maxLength: 2 })), { maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.boolean(), (s, enterprise) => {
        let x: Principal;
        try {
          x = parsePrincipal(s, { defaultRealm: 'D', enterprise });
        } catch (e) {
          expect(e).toBeInstanceOf(PrincipalParseError);
          return;
        }
        expect(parsePrincipal(unparsePrincipal(x), { nameType: x.name.nameType })).toEqual(x);
      }),
      { numRuns: 10_000 },
    );
  });

  it('random strings give a principal or PrincipalParseError, nothing else (10 000 runs)', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('/', '@', '\\', 'x', 'n', '0'), maxLength: 20 }),
    );
    fc.assert(
      fc.property(anyText, fc.boolean(), fc.option(fc.string({ maxLength: 5 })), (s, enterprise, realm) => {
        try {
          const x = parsePrincipal(s, realm === null ? { enterprise } : { enterprise, defaultRealm: realm });
          expect(Array.isArray(x.name.nameString)).toBe(true);
          expect(x.name.nameString.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(PrincipalParseError);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
