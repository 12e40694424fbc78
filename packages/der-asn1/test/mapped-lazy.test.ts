import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  application,
  choice,
  DecodeError,
  decode,
  EncodeError,
  encode,
  explicit,
  type Infer,
  int32,
  integer,
  lazy,
  mapped,
  optional,
  type Schema,
  sequence,
  sequenceOf,
  utf8String,
} from '../src/index.js';
import { expectDecodeError, expectEncodeError, hex, tlv, toHex } from './helpers.js';

describe('mapped', () => {
  const codes = { password: 1, smartcard: 2 } as const;
  type Method = keyof typeof codes;
  const Method = mapped(int32(), {
    name: 'Method',
    decode: (n): Method => {
      const name = (Object.keys(codes) as Method[]).find((k) => codes[k] === n);
      if (name === undefined) throw new Error(`unknown method ${n}`);
      return name;
    },
    encode: (m: Method) => {
      const code = codes[m];
      if (code === undefined) throw new RangeError(`no code for ${String(m)}`);
      return code;
    },
  });
  const Login = sequence({ user: explicit(0, utf8String()), method: explicit(1, Method) }, { name: 'Login' });

  it('maps both ways', () => {
    expect(toHex(encode(Method, 'smartcard'))).toBe('020102');
    expect(decode(Method, hex('020101'))).toBe('password');
    const der = encode(Login, { user: 'u', method: 'smartcard' });
    expect(decode(Login, der)).toEqual({ user: 'u', method: 'smartcard' });
    expect(Method.typeName).toBe('Method');
    expect(Method.tagIds).toEqual([2]);
  });

  it('turns a throwing decode mapping into a DecodeError at the element', () => {
    const err = expectDecodeError(() => decode(Method, hex('020109')), {
      reason: /^Method: unknown method 9$/,
      offset: 0,
      path: 'Method',
    });
    expect(err).toBeInstanceOf(DecodeError);
    const der = hex(tlv('30', tlv('a0', '0c0175'), tlv('a1', '020109')));
    expectDecodeError(() => decode(Login, der), {
      path: 'Login.method',
      offset: 9,
      reason: /unknown method 9/,
    });
  });

  it('turns a throwing encode mapping into an EncodeError with a path', () => {
    expectEncodeError(() => encode(Method, 'fingerprint' as Method), {
      reason: /^Method: no code for fingerprint$/,
    });
    const err = expectEncodeError(() => encode(Login, { user: 'u', method: 'fingerprint' as Method }), {
      path: 'Login.method',
    });
    expect(err).toBeInstanceOf(EncodeError);
  });

  it('still rejects the wire form before mapping', () => {
    expectDecodeError(() => decode(Method, hex('02020001')), { reason: /non-minimal/ });
    expectEncodeError(
      () => encode(mapped(int32(), { decode: (n) => n, encode: (n: number) => n * 2 ** 40 }), 1),
      {
        reason: /outside the range/,
      },
    );
  });

  it('passes DecodeError and EncodeError from the mapping through unchanged', () => {
    const strict = mapped(integer(), {
      decode: (n) => {
        if (n < 0) throw new DecodeError('negative', 99);
        return n;
      },
      encode: (n: number) => {
        if (n < 0) throw new EncodeError('no negatives');
        return n;
      },
    });
    expectDecodeError(() => decode(strict, hex('0201ff')), { reason: /^negative$/, offset: 99 });
    expectEncodeError(() => encode(strict, -1), { reason: /^no negatives$/ });
  });

  it('can map to a class instance', () => {
    class Principal {
      constructor(
        readonly type: number,
        readonly parts: string[],
      ) {}
      toString() {
        return this.parts.join('/');
      }
    }
    const Name = mapped(
      sequence({ nameType: explicit(0, int32()), nameString: explicit(1, sequenceOf(utf8String())) }),
      {
        name: 'PrincipalName',
        decode: (w) => new Principal(w.nameType, w.nameString),
        encode: (p: Principal) => ({ nameType: p.type, nameString: p.parts }),
      },
    );
    const back = decode(Name, encode(Name, new Principal(1, ['host', 'example.com'])));
    expect(back).toBeInstanceOf(Principal);
    expect(String(back)).toBe('host/example.com');
    expectTypeOf<Infer<typeof Name>>().toEqualTypeOf<Principal>();
  });
});

describe('lazy (recursive types)', () => {
  interface Tree {
    label: string;
    children?: Tree[] | undefined;
  }
  const TreeSchema: Schema<Tree> = sequence(
    { label: explicit(0, utf8String()), children: optional(explicit(1, sequenceOf(lazy(() => TreeSchema)))) },
    { name: 'Tree' },
  );

  const deep = (n: number): Tree =>
    n === 0 ? { label: 'leaf' } : { label: `n${n}`, children: [deep(n - 1)] };

  it('encodes and decodes a recursive value', () => {
    const value: Tree = {
      label: 'root',
      children: [{ label: 'a' }, { label: 'b', children: [{ label: 'c' }, { label: 'd', children: [] }] }],
    };
    const der = encode(TreeSchema, value);
    expect(decode(TreeSchema, der)).toEqual(value);
    expect(toHex(encode(TreeSchema, decode(TreeSchema, der)))).toBe(toHex(der));
  });

  it('can sit directly under an EXPLICIT or APPLICATION tag (typeName is not read early)', () => {
    type Nest = { type: 'leaf'; value: number } | { type: 'wrap'; value: Nest };
    const Nest: Schema<Nest> = choice({
      leaf: integer(),
      wrap: explicit(
        0,
        lazy(() => Nest),
      ),
    }) as Schema<Nest>;
    const App: Schema<Nest> = application(
      3,
      lazy(() => Nest),
      'App',
    );
    const value: Nest = { type: 'wrap', value: { type: 'wrap', value: { type: 'leaf', value: 7 } } };
    expect(toHex(encode(Nest, value))).toBe('a005a003020107');
    expect(decode(Nest, hex('a005a003020107'))).toEqual(value);
    expect(decode(App, hex('6307a005a003020107'))).toEqual(value);
    expect(App.typeName).toBe('App');
    expect(
      explicit(
        1,
        lazy(() => Nest),
      ).typeName,
    ).toBe('CHOICE');
  });

  it('resolves lazily: declaring before the target exists is fine', () => {
    let target: Schema<number> | undefined;
    const later = lazy(() => target!);
    target = integer();
    expect(later.typeName).toBe('INTEGER');
    expect(later.tagIds).toEqual([2]);
    expect(later.matches(2)).toBe(true);
    expect(decode(later, hex('020105'))).toBe(5);
  });

  it('names nested paths through the recursion', () => {
    const value = deep(3);
    const der = encode(TreeSchema, value).slice();
    const at = der.lastIndexOf(0x6c); // 'l' of the innermost 'leaf'
    der[at] = 0xc0;
    expectDecodeError(() => decode(TreeSchema, der), {
      path: 'Tree.children[0].children[0].children[0].label',
      offset: at,
    });
  });

  it('is bounded by maxDepth', () => {
    // deep(n) nests 3n + 2 constructed values (leaf SEQUENCE and its [0] included):
    // deep(20) is 62, within the default 64; deep(21) is 65.
    expect(decode(TreeSchema, encode(TreeSchema, deep(20)))).toEqual(deep(20));
    expectDecodeError(() => decode(TreeSchema, encode(TreeSchema, deep(21))), {
      reason: /nesting deeper than 64 levels/,
    });
    expectDecodeError(() => decode(TreeSchema, encode(TreeSchema, deep(20)), { maxDepth: 60 }), {
      reason: /nesting deeper than 60 levels/,
    });
    expect(decode(TreeSchema, encode(TreeSchema, deep(100)), { maxDepth: 400 })).toEqual(deep(100));
  });
});
