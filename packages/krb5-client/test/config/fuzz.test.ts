/**
 * Fuzzing the profile parser: any text gives a Profile or a ProfileError (syntax or include),
 * never another exception and never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Krb5ConfigError,
  memoryProfileFs,
  Profile,
  ProfileError,
  ProfileIncludeError,
  ProfileSyntaxError,
  parseProfile,
  readKrb5Config,
} from '../../src/config/index.js';

const fs = memoryProfileFs({
  '/inc/a': '[libdefaults]\nclockskew = 5m\ninclude /inc/b\n',
  '/inc/b': '[realms]\nR = {\nkdc = k\n',
  '/inc/loop': 'include /inc/loop\n',
  '/inc/d/x.conf': '[x]\ny = 1\n',
});

function check(text: string): void {
  let result: unknown;
  try {
    result = parseProfile(text, { filename: 'fuzz', fs });
  } catch (error) {
    if (!(error instanceof ProfileSyntaxError || error instanceof ProfileIncludeError)) throw error;
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).line).toBeGreaterThanOrEqual(1);
    return;
  }
  expect(result).toBeInstanceOf(Profile);
  // The typed view either reads it or names the bad relation.
  try {
    readKrb5Config(result as Profile);
  } catch (error) {
    if (!(error instanceof Krb5ConfigError)) throw error;
  }
}

const interesting = fc.stringMatching(/^[\x20-\x7e\t\r\n]{0,200}$/);
const structured = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '[libdefaults]',
        '[realms]',
        '[realms]*',
        '[domain_realm]',
        '[capaths]',
        'R = {',
        'R* = {',
        'R =',
        '{',
        '}',
        '}*',
        'kdc = host:88',
        'kdc = [::1]:88',
        'kdc = /run/kdc',
        'kdc* = tcp/x',
        'clockskew = 1h30m',
        'clockskew = soon',
        'udp_preference_limit = 0x10',
        'permitted_enctypes = DEFAULT -aes128-sha1 rc4',
        'default_tkt_enctypes = des',
        'forwardable = maybe',
        'include /inc/a',
        'include /inc/loop',
        'include /missing',
        'includedir /inc/d',
        'includedir /inc/',
        'module m',
        '# comment',
        'a = "quoted \\" string',
        '',
      ),
      fc.stringMatching(/^[\x20-\x7e\t]{0,30}$/),
    ),
    { maxLength: 40 },
  )
  .map((lines) => lines.join('\n'));

describe('profile parser fuzzing', () => {
  it('printable text: a Profile or a ProfileError (10 000 runs)', () => {
    fc.assert(
      fc.property(interesting, (text) => check(text)),
      { numRuns: 10_000 },
    );
  });

  it('krb5.conf-shaped text with includes: a Profile or a ProfileError (10 000 runs)', () => {
    fc.assert(
      fc.property(structured, (text) => check(text)),
      { numRuns: 10_000 },
    );
  });

  it('any code points, NULs and lone surrogates: a Profile or a ProfileError (5 000 runs)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => check(text)),
      {
        numRuns: 5_000,
      },
    );
  });

  it('large inputs are linear, not quadratic', () => {
    const relations = Array.from({ length: 50_000 }, (_, i) => `  kdc = kdc${i}.example.com:88`).join('\n');
    const subsections = Array.from({ length: 20_000 }, (_, i) => `  S${i} = {\n    x = ${i}\n  }`).join('\n');
    const deep = `${'  a = {\n'.repeat(5_000)}${'  }\n'.repeat(5_000)}`;
    const started = performance.now();
    const p = parseProfile(`[realms]\n R = {\n${relations}\n }\n${subsections}\n[deep]\n${deep}`);
    expect(p.values('realms', 'R', 'kdc')).toHaveLength(50_000);
    expect(p.subsectionNames('realms')).toHaveLength(20_001);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
