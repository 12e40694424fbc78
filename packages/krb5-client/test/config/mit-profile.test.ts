/**
 * Differential test against MIT's own profile parser (libkrb5.so.3 through ctypes, see
 * mit-profile-dump.py): random krb5.conf-like files must give the same tree, or the same
 * PROF_* error, in both.
 *
 * The installed MIT is 1.20; PostNTLM follows 1.22's final-flag rules (a final marker also
 * applies later in the same file), so the generated files carry no `*`. They carry no
 * include or module directives either (covered in parse.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProfileSection, ProfileSyntaxError, parseProfile } from '../../src/config/index.js';

const DUMP = fileURLToPath(new URL('./mit-profile-dump.py', import.meta.url));
const RUNS = 3000;

type Tree = [string, string | Tree][];
type Outcome = { tree: Tree } | { error: string | number };

function ours(text: string): Outcome {
  try {
    return { tree: normalize(parseProfile(text).root) };
  } catch (error) {
    if (error instanceof ProfileSyntaxError) return { error: `PROF_${error.code}` };
    throw error;
  }
}

/** MIT keeps children sorted by name (byte order), same-named ones in insertion order. */
function normalize(section: ProfileSection): Tree {
  const children = section.children.map((c, i) => ({ c, i }));
  children.sort((a, b) => (a.c.name < b.c.name ? -1 : a.c.name > b.c.name ? 1 : a.i - b.i));
  return children.map(({ c }) => [c.name, c.kind === 'relation' ? c.value : normalize(c)]);
}

function mit(paths: string[]): Outcome[] {
  const result = spawnSync('python3', [DUMP], {
    input: JSON.stringify(paths),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`mit-profile-dump.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome[];
}

const word = fc.constantFrom('a', 'b', 'ab', 'a.b', 'A_B-1', 'x/y', 'c:d', '', ' ');
const blanks = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
const value = fc.oneof(
  fc.constantFrom(
    'v',
    'two words',
    'trail  ',
    '{',
    '{ x',
    '{ a = b }',
    '}',
    '[s]',
    '"q"',
    '"a b" c',
    '"un',
    '""',
    '"a\\tb\\n\\"c\\\\"',
    '"x\\',
    '=',
    'a=b',
  ),
  fc.stringMatching(/^[a-c =\t"\\{}[\];#]{0,8}$/),
);
const line = fc.oneof(
  fc.tuple(blanks, word, blanks).map(([b, n, t]) => `${b}[${n}]${t}`),
  fc.constantFrom('[libdefaults]', '[realms]', '[a', '[a]x', '[a] ', '[]', '[[a]]'),
  fc.tuple(blanks, word, blanks, blanks, value).map(([b, t, s1, s2, v]) => `${b}${t}${s1}=${s2}${v}`),
  fc.tuple(blanks, word, blanks).map(([b, t, s]) => `${b}${t}${s}= {`),
  fc.tuple(blanks, word).map(([b, t]) => `${b}${t} =`),
  fc.constantFrom(
    '{',
    ' {',
    '{ junk',
    '}',
    ' }',
    '} x',
    '}}',
    '',
    '   ',
    '\t',
    '# c',
    ' ; c',
    'a b = c',
    '= x',
    'noequals',
  ),
  fc.stringMatching(/^[a-c =\t"\\{}[\];#]{0,10}$/),
);
const file = fc
  .tuple(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, finalEol]) => lines.join(eol) + (finalEol && lines.length > 0 ? eol : ''));

describe('differential: PostNTLM parser vs MIT libkrb5 profile library', () => {
  const dir = mkdtempSync(join(tmpdir(), 'postntlm-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`agrees with MIT on ${RUNS} generated files`, () => {
    const texts = fc.sample(file, { numRuns: RUNS, seed: 20260101 });
    // Lines starting with "[" keep the files out of MIT's "before the first section" state often enough.
    const paths = texts.map((text, i) => {
      const path = join(dir, `p${i}.conf`);
      writeFileSync(path, text);
      return path;
    });
    const theirs = mit(paths);
    let errors = 0;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      const mine = ours(text);
      if ('error' in mine) errors++;
      expect({ text, outcome: mine }).toEqual({ text, outcome: theirs[i] });
    }
    // Both kinds of outcome were exercised.
    expect(errors).toBeGreaterThan(RUNS / 20);
    expect(errors).toBeLessThan(RUNS - RUNS / 20);
  });

  it('agrees on the documented examples and on CR/LF', () => {
    const texts = [
      '[libdefaults]\n default_realm = ATHENA.MIT.EDU\n[realms]\n ATHENA.MIT.EDU = {\n  kdc = kerberos.mit.edu\n  kdc = kerberos-1.mit.edu:88\n }\n',
      '[a]\r\nx = 1\r\n y =\r\n{\r\n z = "q\\tr"\r\n}\r\n',
      'leading junk\n[a]\nx = 1\n[a]\nx = 2\n',
    ];
    const paths = texts.map((text, i) => {
      const path = join(dir, `doc${i}.conf`);
      writeFileSync(path, text);
      return path;
    });
    const theirs = mit(paths);
    texts.forEach((text, i) => {
      expect(ours(text)).toEqual(theirs[i]);
    });
  });
});
