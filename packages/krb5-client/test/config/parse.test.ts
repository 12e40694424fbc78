import { describe, expect, it } from 'vitest';
import {
  includedFileNames,
  memoryProfileFs,
  ProfileError,
  ProfileIncludeError,
  ProfileSyntaxError,
  parseProfile,
  parseProfiles,
} from '../../src/config/index.js';

/** MIT krb5.conf(5), "Sample krb5.conf file". */
const MIT_SAMPLE = `[libdefaults]
    default_realm = ATHENA.MIT.EDU
    dns_lookup_kdc = true
    dns_lookup_realm = false

[realms]
    ATHENA.MIT.EDU = {
        kdc = kerberos.mit.edu
        kdc = kerberos-1.mit.edu
        kdc = kerberos-2.mit.edu
        admin_server = kerberos.mit.edu
        primary_kdc = kerberos.mit.edu
    }
    EXAMPLE.COM = {
        kdc = kerberos.example.com
        kdc = kerberos-1.example.com
        admin_server = kerberos.example.com
    }

[domain_realm]
    mit.edu = ATHENA.MIT.EDU

[capaths]
    ATHENA.MIT.EDU = {
           EXAMPLE.COM = .
    }
    EXAMPLE.COM = {
           ATHENA.MIT.EDU = .
    }
`;

/** krb5.conf(5) [capaths], as configured on NERSC.GOV systems (repeated subtags keep their order). */
const MIT_CAPATHS_NERSC = `[capaths]
    NERSC.GOV = {
        ANL.GOV = ES.NET
        TEST.ANL.GOV = ES.NET
        TEST.ANL.GOV = ANL.GOV
        PNL.GOV = ES.NET
        ES.NET = .
    }
    ANL.GOV = {
        NERSC.GOV = ES.NET
    }
    PNL.GOV = {
        NERSC.GOV = ES.NET
    }
    ES.NET = {
        NERSC.GOV = .
    }
    TEST.ANL.GOV = {
        NERSC.GOV = ANL.GOV
        NERSC.GOV = ES.NET
    }
`;

/** krb5.conf(5) [appdefaults] example: nested subsections, and two `telnet` blocks. */
const MIT_APPDEFAULTS = `[appdefaults]
    telnet = {
        ATHENA.MIT.EDU = {
            option1 = false
        }
    }
    telnet = {
        option1 = true
        option2 = true
    }
    ATHENA.MIT.EDU = {
        option2 = false
    }
    option2 = true
`;

/** krb5.conf(5) [domain_realm] example, with the tab the documentation has. */
const MIT_DOMAIN_REALM = `[domain_realm]
    crash.mit.edu = TEST.ATHENA.MIT.EDU
\t.dev.mit.edu = TEST.ATHENA.MIT.EDU
    mit.edu = ATHENA.MIT.EDU
`;

function syntaxError(text: string): ProfileSyntaxError {
  try {
    parseProfile(text, { filename: '/etc/krb5.conf' });
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileSyntaxError);
    return error as ProfileSyntaxError;
  }
  throw new Error('expected a ProfileSyntaxError');
}

describe('MIT documented examples', () => {
  it('reads the sample krb5.conf', () => {
    const p = parseProfile(MIT_SAMPLE, { filename: '/etc/krb5.conf' });
    expect(p.value('libdefaults', 'default_realm')).toBe('ATHENA.MIT.EDU');
    expect(p.value('libdefaults', 'dns_lookup_kdc')).toBe('true');
    expect(p.values('realms', 'ATHENA.MIT.EDU', 'kdc')).toEqual([
      'kerberos.mit.edu',
      'kerberos-1.mit.edu',
      'kerberos-2.mit.edu',
    ]);
    expect(p.values('realms', 'EXAMPLE.COM', 'kdc')).toEqual([
      'kerberos.example.com',
      'kerberos-1.example.com',
    ]);
    expect(p.subsectionNames('realms')).toEqual(['ATHENA.MIT.EDU', 'EXAMPLE.COM']);
    expect(p.value('domain_realm', 'mit.edu')).toBe('ATHENA.MIT.EDU');
    expect(p.value('capaths', 'ATHENA.MIT.EDU', 'EXAMPLE.COM')).toBe('.');
    expect(p.subsectionNames()).toEqual(['libdefaults', 'realms', 'domain_realm', 'capaths']);
    expect(p.relation('realms', 'EXAMPLE.COM', 'admin_server')?.origin).toEqual({
      file: '/etc/krb5.conf',
      line: 17,
    });
    expect(p.files).toEqual(['/etc/krb5.conf']);
    expect(p.warnings).toEqual([]);
  });

  it('keeps repeated [capaths] subtags in order', () => {
    const p = parseProfile(MIT_CAPATHS_NERSC);
    expect(p.values('capaths', 'NERSC.GOV', 'TEST.ANL.GOV')).toEqual(['ES.NET', 'ANL.GOV']);
    expect(p.values('capaths', 'TEST.ANL.GOV', 'NERSC.GOV')).toEqual(['ANL.GOV', 'ES.NET']);
    expect(p.relationNames('capaths', 'NERSC.GOV')).toEqual(['ANL.GOV', 'TEST.ANL.GOV', 'PNL.GOV', 'ES.NET']);
  });

  it('merges subsections of one name ([appdefaults] telnet)', () => {
    const p = parseProfile(MIT_APPDEFAULTS);
    expect(p.subsectionNames('appdefaults')).toEqual(['telnet', 'ATHENA.MIT.EDU']);
    expect(p.value('appdefaults', 'telnet', 'ATHENA.MIT.EDU', 'option1')).toBe('false');
    expect(p.value('appdefaults', 'telnet', 'option1')).toBe('true');
    expect(p.value('appdefaults', 'ATHENA.MIT.EDU', 'option2')).toBe('false');
    expect(p.value('appdefaults', 'option2')).toBe('true');
  });

  it('reads the [domain_realm] example', () => {
    const p = parseProfile(MIT_DOMAIN_REALM);
    expect(p.relationNames('domain_realm')).toEqual(['crash.mit.edu', '.dev.mit.edu', 'mit.edu']);
    expect(p.value('domain_realm', '.dev.mit.edu')).toBe('TEST.ATHENA.MIT.EDU');
  });

  it('reads the structure example of krb5.conf(5)', () => {
    const p = parseProfile('[s]\nfoo = bar\nfubar = {\n    foo = bar\n    baz = quux\n}\n');
    expect(p.value('s', 'foo')).toBe('bar');
    expect(p.value('s', 'fubar', 'baz')).toBe('quux');
  });
});

describe('lines, comments and values', () => {
  it('ignores comments (# and ;, after blanks) and blank lines; no trailing comments', () => {
    const p = parseProfile('# top\n[a]\n  # c1\n\t; c2\n\n   \nx = 1 # not a comment\n;y = 2\n');
    expect(p.values('a', 'x')).toEqual(['1 # not a comment']);
    expect(p.values('a', 'y')).toEqual([]);
  });

  it('ignores everything before the first section header, which must be in column 0', () => {
    const p = parseProfile('junk without equals\nx = 1\n [indented]\ny = 2\n[real]\nz = 3\n');
    expect(p.subsectionNames()).toEqual(['real']);
    expect(p.value('real', 'z')).toBe('3');
  });

  it('handles CRLF and a missing final newline', () => {
    const p = parseProfile('[a]\r\nx = 1\r\ny = {\r\n z = 2\r\n}\r\nw = 3');
    expect(p.value('a', 'x')).toBe('1');
    expect(p.value('a', 'y', 'z')).toBe('2');
    expect(p.value('a', 'w')).toBe('3');
  });

  it('trims unquoted values and keeps inner blanks', () => {
    const p = parseProfile('[a]\n  x   =   one  two \t \ny=z\n');
    expect(p.value('a', 'x')).toBe('one  two');
    expect(p.value('a', 'y')).toBe('z');
  });

  it('reads quoted strings with escapes and ignores text after the closing quote', () => {
    const p = parseProfile(
      [
        '[a]',
        'q1 = "  padded  "',
        'q2 = "a\\tb\\nc\\bd\\\\e\\"f"',
        'q3 = "x" trailing',
        'q4 = "unterminated',
        'q5 = ""',
        'q6 = "end\\',
      ].join('\n'),
    );
    expect(p.value('a', 'q1')).toBe('  padded  ');
    expect(p.value('a', 'q2')).toBe('a\tb\nc\bd\\e"f');
    expect(p.value('a', 'q3')).toBe('x');
    expect(p.value('a', 'q4')).toBe('unterminated');
    expect(p.value('a', 'q5')).toBe('');
    expect(p.value('a', 'q6')).toBe('end\\');
  });

  it('opens a subsection with "{" on the next line', () => {
    const p = parseProfile('[realms]\nR =\n  {\n kdc = k1\n}\nS =\n{ ignored text\nkdc = k2\n}\n');
    expect(p.value('realms', 'R', 'kdc')).toBe('k1');
    expect(p.value('realms', 'S', 'kdc')).toBe('k2');
  });

  it('takes "{ ... }" on one line as a plain value', () => {
    const p = parseProfile('[a]\nx = { y = z }\n');
    expect(p.value('a', 'x')).toBe('{ y = z }');
    expect(p.section('a', 'x')).toBeUndefined();
  });

  it('lets a relation and a subsection share a name', () => {
    const p = parseProfile('[a]\nx = 1\nx = {\n y = 2\n}\nx = 3\n');
    expect(p.values('a', 'x')).toEqual(['1', '3']);
    expect(p.value('a', 'x', 'y')).toBe('2');
  });

  it('accepts "}" followed by other text, and "[name]" followed by blanks', () => {
    const p = parseProfile('[a]   \t\nx = {\n y = 1\n} trailing\nz = 2\n');
    expect(p.value('a', 'x', 'y')).toBe('1');
    expect(p.value('a', 'z')).toBe('2');
  });

  it('allows odd but valid section and tag names', () => {
    const p = parseProfile('[]\n*x = y\n');
    expect(p.subsectionNames()).toEqual(['']);
    expect(p.value('', '')).toBe('y');
    const q = parseProfile('[with space]\na.b-c_d/e:f = 1\n');
    expect(q.value('with space', 'a.b-c_d/e:f')).toBe('1');
  });

  it('merges repeated top-level sections', () => {
    const p = parseProfile('[libdefaults]\na = 1\n[realms]\n[libdefaults]\nb = 2\na = 3\n');
    expect(p.values('libdefaults', 'a')).toEqual(['1', '3']);
    expect(p.value('libdefaults', 'b')).toBe('2');
    expect(p.subsectionNames()).toEqual(['libdefaults', 'realms']);
  });

  it('warns about a file that ends inside a subsection or before its "{"', () => {
    expect(parseProfile('[a]\nx = {\ny = 1\n', { filename: 'f' }).warnings).toEqual([
      { message: 'file ends inside 1 unclosed "{" subsection(s)', origin: { file: 'f', line: 3 } },
    ]);
    expect(parseProfile('[a]\nx =', { filename: 'f' }).warnings[0]?.message).toMatch(/before the "\{"/);
  });
});

describe('final markers (MIT 1.22 rules)', () => {
  it('a final relation hides later relations of that tag', () => {
    const p = parseProfile('[a]\nfoo* = bar\nfoo = baz\nother = 1\n');
    expect(p.values('a', 'foo')).toEqual(['bar']);
    expect(p.relation('a', 'foo')?.final).toBe(true);
    expect(p.value('a', 'other')).toBe('1');
  });

  it('keeps a "*" at the end of a value as part of the value', () => {
    const p = parseProfile('[a]\nfoo = bar*\nfoo = baz\n');
    expect(p.values('a', 'foo')).toEqual(['bar*', 'baz']);
  });

  it('drops everything after the first "*" of a tag', () => {
    const p = parseProfile('[a]\nfoo*bar = 1\nfoo = 2\n');
    expect(p.values('a', 'foo')).toEqual(['1']);
  });

  it('a final section hides later occurrences of it', () => {
    const p = parseProfile(
      '[libdefaults]*\na = 1\n[realms]\nR = {\n}\n[libdefaults]\na = 2\nb = {\nc = 3\n}\n[x]\ny = 1\n',
    );
    expect(p.values('libdefaults', 'a')).toEqual(['1']);
    expect(p.section('libdefaults', 'b')).toBeUndefined();
    expect(p.section('libdefaults')?.final).toBe(true);
    expect(p.value('x', 'y')).toBe('1');
  });

  it('a subsection made final by "tag*" or "}*" hides later occurrences', () => {
    const p = parseProfile(
      '[realms]\nR* = {\nkdc = a\n}\nR = {\nkdc = b\nnested = {\nx = 1\n}\n}\nS = {\nkdc = c\n}*\nS = {\nkdc = d\n}\nT = {\nkdc = e\n}\n',
    );
    expect(p.values('realms', 'R', 'kdc')).toEqual(['a']);
    expect(p.section('realms', 'R', 'nested')).toBeUndefined();
    expect(p.values('realms', 'S', 'kdc')).toEqual(['c']);
    expect(p.values('realms', 'T', 'kdc')).toEqual(['e']);
  });

  it('a final subsection also hides later relations of its name', () => {
    const p = parseProfile('[a]\nx* = {\ny = 1\n}\nx = 2\n');
    expect(p.values('a', 'x')).toEqual([]);
  });

  it('finality carries across files', () => {
    const p = parseProfiles([
      {
        filename: '/etc/krb5.conf.local',
        text: '[libdefaults]\ndefault_realm* = LOCAL\n[realms]\nLOCAL* = {\nkdc = /run/kdc.sock\n}\n',
      },
      {
        filename: '/etc/krb5.conf',
        text: '[libdefaults]\ndefault_realm = OTHER\ndns_lookup_kdc = false\n[realms]\nLOCAL = {\nkdc = evil\n}\n',
      },
    ]);
    expect(p.values('libdefaults', 'default_realm')).toEqual(['LOCAL']);
    expect(p.value('libdefaults', 'dns_lookup_kdc')).toBe('false');
    expect(p.values('realms', 'LOCAL', 'kdc')).toEqual(['/run/kdc.sock']);
    expect(p.files).toEqual(['/etc/krb5.conf.local', '/etc/krb5.conf']);
  });

  it('values from several files are concatenated in file order', () => {
    const p = parseProfiles([
      { filename: 'one', text: '[realms]\nR = {\nkdc = a\n}\n' },
      { filename: 'two', text: '[realms]\nR = {\nkdc = b\n}\n' },
    ]);
    expect(p.values('realms', 'R', 'kdc')).toEqual(['a', 'b']);
    expect(p.relations('realms', 'R', 'kdc').map((r) => r.origin.file)).toEqual(['one', 'two']);
  });
});

describe('syntax errors carry MIT codes, file and line', () => {
  const cases: [string, string, ProfileSyntaxError['code'], number][] = [
    ['unclosed section header', '[libdefaults]\nx = 1\n[realms\n', 'SECTION_SYNTAX', 3],
    ['text after a section header', '[a]\n[b] junk\n', 'SECTION_SYNTAX', 2],
    ['text after "]*"', '[a]*x\n', 'SECTION_SYNTAX', 1],
    ['section inside a subsection', '[a]\nx = {\n[b]\n', 'SECTION_NOTOP', 3],
    ['extra closing brace', '[a]\nx = {\n}\n}\n', 'EXTRA_CBRACE', 4],
    ['closing brace at section level', '[a]\n  }\n', 'EXTRA_CBRACE', 2],
    ['no equals sign', '[a]\n\n\nkdc kerberos.example.com\n', 'RELATION_SYNTAX', 4],
    ['blank inside a tag', '[a]\nfoo bar = 1\n', 'RELATION_SYNTAX', 2],
    ['missing tag', '[a]\n = 1\n', 'RELATION_SYNTAX', 2],
    ['stray "{" line', '[a]\n{\n', 'RELATION_SYNTAX', 2],
    ['no "{" after "tag ="', '[a]\nx =\ny = 1\n', 'MISSING_OBRACE', 3],
    ['blank line after "tag ="', '[a]\nx =\n\n{\n', 'MISSING_OBRACE', 3],
    ['comment after "tag ="', '[a]\nx =\n# c\n{\n', 'MISSING_OBRACE', 3],
    ['module directive', 'module /usr/lib/mod.so:residual\n[a]\n', 'MODULE', 1],
  ];
  it.each(cases)('%s', (_name, text, code, line) => {
    const error = syntaxError(text);
    expect(error.code).toBe(code);
    expect(error.line).toBe(line);
    expect(error.file).toBe('/etc/krb5.conf');
    expect(error.message).toMatch(new RegExp(`^/etc/krb5\\.conf:${line}: `));
    expect(error).toBeInstanceOf(ProfileError);
  });

  it('ignores a module directive after the first section (MIT only honours it at the top)', () => {
    expect(() => parseProfile('[a]\nmodule x\n')).toThrow(ProfileSyntaxError); // a relation without "="
    expect(parseProfile('[a]\nmodule = x\n').value('a', 'module')).toBe('x');
  });
});

describe('include and includedir', () => {
  const files = {
    '/etc/krb5.conf': [
      '[libdefaults]',
      '  default_realm = MAIN',
      'include /etc/krb5/extra.conf',
      'includedir /etc/krb5.conf.d/',
      '[realms]',
      '  MAIN = {',
      '    kdc = main-kdc',
      '  }',
    ].join('\n'),
    '/etc/krb5/extra.conf': 'ignored before a section = 1\n[realms]\n MAIN = {\n  kdc = extra-kdc\n }\n',
    '/etc/krb5.conf.d/b': '[libdefaults]\n order = b\n',
    '/etc/krb5.conf.d/a.conf': '[libdefaults]\n order = a.conf\n',
    '/etc/krb5.conf.d/C_1-x': '[libdefaults]\n order = C_1-x\n',
    '/etc/krb5.conf.d/.hidden.conf': '[libdefaults]\n order = hidden\n',
    '/etc/krb5.conf.d/b~': '[libdefaults]\n order = backup\n',
    '/etc/krb5.conf.d/b.rpmsave': '[libdefaults]\n order = rpmsave\n',
    '/etc/krb5.conf.d/.conf': '[libdefaults]\n order = dot\n',
  };

  it('reads included files in place and the right files of a directory in byte order', () => {
    const p = parseProfile(files['/etc/krb5.conf'], {
      filename: '/etc/krb5.conf',
      fs: memoryProfileFs(files),
    });
    expect(p.value('libdefaults', 'default_realm')).toBe('MAIN');
    expect(p.values('libdefaults', 'order')).toEqual(['C_1-x', 'a.conf', 'b']);
    // extra.conf came first (line 3), the main file's own kdc after
    expect(p.values('realms', 'MAIN', 'kdc')).toEqual(['extra-kdc', 'main-kdc']);
    expect(p.files).toEqual([
      '/etc/krb5.conf',
      '/etc/krb5/extra.conf',
      '/etc/krb5.conf.d/C_1-x',
      '/etc/krb5.conf.d/a.conf',
      '/etc/krb5.conf.d/b',
    ]);
    expect(p.relation('libdefaults', 'order')?.origin).toEqual({ file: '/etc/krb5.conf.d/C_1-x', line: 2 });
  });

  it('chooses directory entries as MIT does', () => {
    expect(
      includedFileNames(['z', 'a.conf', '.a.conf', 'x.conf~', 'y.bak', 'Ω', 'ok_1-2', '', '.conf', 'b.conf']),
    ).toEqual(['a.conf', 'b.conf', 'ok_1-2', 'z']);
  });

  it('gives each included file a fresh state', () => {
    const fs = memoryProfileFs({
      '/inc': 'x = {\n[s]\nopen = {\n',
    });
    // the include's unclosed "{" does not leak into the including file
    const p = parseProfile('[a]\nsub = {\ninclude /inc\ny = 1\n}\nz = 2\n', { fs });
    expect(p.value('a', 'sub', 'y')).toBe('1');
    expect(p.value('a', 'z')).toBe('2');
    expect(p.section('s', 'open')).toBeDefined();
    expect(p.warnings.map((w) => w.origin.file)).toEqual(['/inc']);
  });

  it('processes include lines in any state, only in column 0', () => {
    const fs = memoryProfileFs({ '/inc': '[inc]\nv = 1\n' });
    expect(parseProfile('include /inc\n', { fs }).value('inc', 'v')).toBe('1');
    expect(() => parseProfile('[a]\n include /inc\n', { fs })).toThrow(ProfileSyntaxError);
    expect(parseProfile('[a]\ninclude\t/inc\r\n', { fs }).value('inc', 'v')).toBe('1');
  });

  it('reports a missing file or directory with the including line', () => {
    const fs = memoryProfileFs({});
    for (const [text, code] of [
      ['[a]\nx = 1\ninclude /nope\n', 'FAIL_INCLUDE_FILE'],
      ['[a]\nx = 1\nincludedir /nodir\n', 'FAIL_INCLUDE_DIR'],
    ] as const) {
      const error = (() => {
        try {
          parseProfile(text, { filename: 'main', fs });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ProfileIncludeError);
      const e = error as ProfileIncludeError;
      expect(e.code).toBe(code);
      expect(e.line).toBe(3);
      expect(e.file).toBe('main');
      expect(e.path).toMatch(/^\/no/);
    }
  });

  it('stops include cycles at the depth limit', () => {
    const fs = memoryProfileFs({ '/a': '[a]\ninclude /b\n', '/b': '[b]\ninclude /a\n' });
    try {
      parseProfile('include /a\n', { fs, maxIncludeDepth: 5 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileIncludeError);
      expect((error as ProfileIncludeError).code).toBe('INCLUDE_DEPTH');
    }
  });

  it('refuses includes without a file system, and an include without a name', () => {
    expect(() => parseProfile('include /etc/x\n')).toThrow(/no file system/);
    expect(() => parseProfile('include\n', { fs: memoryProfileFs({}) })).toThrow(ProfileIncludeError);
  });

  it('reports syntax errors inside included files with their own name and line', () => {
    const fs = memoryProfileFs({ '/etc/krb5.conf.d/bad': '[ok]\nfine = 1\n[broken\n' });
    try {
      parseProfile('includedir /etc/krb5.conf.d\n', { fs });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileSyntaxError);
      expect((error as ProfileSyntaxError).file).toBe('/etc/krb5.conf.d/bad');
      expect((error as ProfileSyntaxError).line).toBe(3);
    }
  });
});
