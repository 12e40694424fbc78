/** 8.3 names (../src/backend/short-name.ts): valid names are kept upper-cased, others mangled stably. */
import { describe, expect, it } from 'vitest';
import { isValid83, shortNameOf } from '../src/backend/short-name.js';

describe('short names', () => {
  it('recognises 8.3 names', () => {
    for (const n of ['A', 'readme.txt', 'ABCDEFGH.ABC', 'x_1', '.', '..']) expect(isValid83(n), n).toBe(true);
    for (const n of ['ABCDEFGHI', 'a.abcd', 'a b.txt', 'a.b.c', '.profile', 'name.', 'a+b', ''])
      expect(isValid83(n), n).toBe(false);
  });

  it('keeps valid names, upper-cased', () => {
    expect(shortNameOf('readme.txt')).toBe('README.TXT');
    expect(shortNameOf('bufsize.txt')).toBe('BUFSIZE.TXT');
  });

  it('mangles the rest: five base characters, ~, two hash characters, three of the extension', () => {
    const s = shortNameOf('torture_smb2_getfinfo_access');
    expect(s).toMatch(/^TORTU~[0-9A-Z]{2}$/);
    expect(shortNameOf('torture_smb2_getfinfo_access')).toBe(s);
    expect(shortNameOf('Some Document.docx')).toMatch(/^SOMED~[0-9A-Z]{2}\.DOC$/);
    expect(shortNameOf('.bashrc')).toMatch(/^BASHR~[0-9A-Z]{2}$/);
    expect(shortNameOf('***')).toMatch(/^_~[0-9A-Z]{2}$/);
    // Non-ASCII never reaches a short name.
    expect(shortNameOf('ßé.txt')).toMatch(/^_~[0-9A-Z]{2}\.TXT$/);
    expect(isValid83('ßé')).toBe(false);
    // Different long names with the same prefix usually differ in the hash.
    const many = new Set(Array.from({ length: 50 }, (_, i) => shortNameOf(`long file name ${i}.txt`)));
    expect(many.size).toBeGreaterThan(40);
  });
});
