/**
 * MIT profile syntax (krb5.conf(5) "Structure"), sans I/O: includes are read through an
 * injected, synchronous `ProfileFileSystem`. The Node edge (`load.ts`) prefetches the files
 * asynchronously and hands them over in memory.
 *
 * Rules, as MIT 1.22 applies them:
 * - Lines are split on LF; trailing CRs are dropped. Before the first line that starts with
 *   `[` (in column 0) everything is ignored, except `include`/`includedir`/`module`.
 * - `#` or `;` as the first non-blank character: a comment. There are no trailing comments.
 * - `[name]` opens a top-level section (`[name]*`: final); only blanks may follow.
 * - `tag = value`: a relation; the value is trimmed, or a `"quoted string"` with `\n`,
 *   `\t`, `\b` and `\X` escapes (text after the closing quote is ignored). The tag has no
 *   blanks; `tag*` (anything after the first `*` is dropped) marks it final.
 * - `tag = {` (or `tag =` and `{` on the next line) opens a subsection, `}` closes it,
 *   `}*` marks it final. Subsections of one name merge.
 * - A final section, subsection or relation makes later ones of the same name (later in
 *   the same file, in included files or in later files) be ignored.
 * - `include FILE` / `includedir DIR` at the start of a line (column 0) read FILE, or the
 *   files of DIR whose names are only `[A-Za-z0-9_-]` or end in `.conf` without a leading
 *   dot, in byte order. Each included file starts afresh (it needs its own section header).
 * - An unclosed `{` at the end of a file is accepted (MIT does), with a warning.
 */
import { ProfileIncludeError, type ProfileOrigin, ProfileSyntaxError } from './errors.js';
import { type MutableRelation, type MutableSection, Profile, type ProfileWarning } from './profile.js';

/** Synchronous file access for includes. Throw (anything) when a file or directory cannot be read. */
export interface ProfileFileSystem {
  /** The text of a file. */
  readFile(path: string): string;
  /** The names (not paths) of the entries of a directory, in any order. */
  readDir(path: string): readonly string[];
}

export interface ParseProfileOptions {
  /** Name of the text for errors and origins (default `<profile>`). */
  readonly filename?: string;
  /** Where includes are read from. Without it, an include is a ProfileIncludeError. */
  readonly fs?: ProfileFileSystem;
  /** Deepest include nesting (default 16): a cycle ends here with a ProfileIncludeError. */
  readonly maxIncludeDepth?: number;
}

/** One text to parse, with its name. */
export interface ProfileSource {
  readonly text: string;
  readonly filename: string;
}

const DEFAULT_MAX_INCLUDE_DEPTH = 16;

/** C `isspace` in the "C" locale. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

function skipBlanks(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

function stripLineEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '\n' || s[end - 1] === '\r')) end--;
  return s.slice(0, end);
}

function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1])) end--;
  return s.slice(0, end);
}

/** A directive recognised at the start of a line (column 0), before any other parsing. */
export interface IncludeDirective {
  readonly kind: 'include' | 'includedir';
  /** The file or directory name: the rest of the line after blanks, without the line end. */
  readonly path: string;
}

/**
 * The `include FILE` / `includedir DIR` directive on `line`, if it is one. Exported so that
 * the async loader prefetches exactly what the parser will ask for.
 */
export function includeDirectiveOf(line: string): IncludeDirective | undefined {
  for (const kind of ['include', 'includedir'] as const) {
    if (line.startsWith(kind) && (line.length === kind.length || isSpace(line[kind.length]))) {
      return { kind, path: stripLineEnd(line.slice(skipBlanks(line, kind.length))) };
    }
  }
  return undefined;
}

/**
 * Whether `includedir` reads a directory entry: names made only of ASCII letters, digits,
 * `-` and `_`, or ending in `.conf` and not starting with a dot (MIT ≥ 1.15).
 */
export function isIncludedFileName(name: string): boolean {
  if (name.startsWith('.')) return false;
  if (name.length >= 5 && name.endsWith('.conf')) return true;
  return name.length > 0 && /^[A-Za-z0-9_-]+$/.test(name);
}

/** The entries of a directory that `includedir` reads, in the order it reads them. */
export function includedFileNames(names: readonly string[]): string[] {
  return names.filter(isIncludedFileName).sort(compareBytes);
}

/** strcmp order on the UTF-8 bytes (code point order). */
function compareBytes(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Joins a directory and an entry name (MIT: `%s/%s`; a trailing `/` is not doubled). */
export function joinIncludePath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** What the parser knows of each name inside a section (for merging and final flags). */
interface NameEntry {
  section: MutableSection | undefined;
  finalNode: boolean;
}

/** Shared by every file parsed into one tree. */
class TreeBuilder {
  readonly root: MutableSection = {
    kind: 'section',
    name: '',
    final: false,
    children: [],
    origin: { file: '<root>', line: 0 },
    parent: undefined,
  };
  readonly files: string[] = [];
  readonly warnings: ProfileWarning[] = [];
  private readonly index = new Map<MutableSection, Map<string, NameEntry>>();

  constructor(
    readonly fs: ProfileFileSystem | undefined,
    readonly maxIncludeDepth: number,
  ) {}

  private entries(section: MutableSection): Map<string, NameEntry> {
    let m = this.index.get(section);
    if (m === undefined) {
      m = new Map();
      this.index.set(section, m);
    }
    return m;
  }

  /** The subsection `name` of `parent`, created if new (MIT merges same-named subsections). */
  subsection(parent: MutableSection, name: string, origin: ProfileOrigin): MutableSection {
    const entries = this.entries(parent);
    const entry = entries.get(name);
    if (entry?.section !== undefined) return entry.section;
    const section: MutableSection = { kind: 'section', name, final: false, children: [], origin, parent };
    parent.children.push(section);
    if (entry === undefined) entries.set(name, { section, finalNode: false });
    else entry.section = section;
    return section;
  }

  /** Adds a relation unless a final node of that name is already there. */
  relation(parent: MutableSection, name: string, value: string, final: boolean, origin: ProfileOrigin): void {
    const entries = this.entries(parent);
    const entry = entries.get(name);
    if (entry?.finalNode) return;
    const relation: MutableRelation = { kind: 'relation', name, value, final, origin };
    parent.children.push(relation);
    if (entry === undefined) entries.set(name, { section: undefined, finalNode: final });
    else if (final) entry.finalNode = true;
  }

  makeFinal(section: MutableSection): void {
    section.final = true;
    if (section.parent !== undefined) {
      const entry = this.entries(section.parent).get(section.name);
      if (entry !== undefined) entry.finalNode = true;
    }
  }

  profile(): Profile {
    return new Profile(this.root, this.files, this.warnings);
  }
}

/** MIT's parser states: before the first section, ordinary lines, expecting a `{`. */
type State = 'init-comment' | 'std-line' | 'get-obrace';

/** Parses one file into the shared tree (a fresh state, as MIT gives each included file). */
function parseFile(tree: TreeBuilder, text: string, file: string, depth: number): void {
  tree.files.push(file);
  let state: State = 'init-comment';
  let groupLevel = 0;
  let discard = 0;
  let current: MutableSection = tree.root;
  let openedAt: ProfileOrigin | undefined;
  const lines = text.split('\n');
  // A final LF does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const origin: ProfileOrigin = { file, line: index + 1 };
    const syntax = (code: ProfileSyntaxError['code'], reason: string): ProfileSyntaxError =>
      new ProfileSyntaxError(code, reason, origin);

    const directive = includeDirectiveOf(line);
    if (directive !== undefined) {
      include(tree, directive, origin, depth);
      continue;
    }

    if (state === 'init-comment') {
      if (line.startsWith('module') && isSpace(line[6])) {
        throw syntax(
          'MODULE',
          'the module directive (configuration from a loadable module) is not supported',
        );
      }
      if (!line.startsWith('[')) continue;
      state = 'std-line';
    } else if (state === 'get-obrace') {
      if (line[skipBlanks(line, 0)] !== '{') {
        throw syntax(
          'MISSING_OBRACE',
          `expected "{" to open the subsection of line ${openedAt?.line ?? '?'}`,
        );
      }
      state = 'std-line';
      continue;
    }

    // A standard line.
    let cp = skipBlanks(line, 0);
    if (cp >= line.length || line[cp] === ';' || line[cp] === '#') continue;
    const rest = stripLineEnd(line.slice(cp));
    cp = 0;
    if (rest.length === 0) continue;
    const ch = rest[0];

    if (ch === '[') {
      if (groupLevel > 1) throw syntax('SECTION_NOTOP', 'section header inside an unclosed "{" subsection');
      const close = rest.indexOf(']');
      if (close < 0) throw syntax('SECTION_SYNTAX', 'section header without "]"');
      const name = rest.slice(1, close);
      current = tree.subsection(tree.root, name, origin);
      groupLevel = 1;
      // A section seen before with the final flag: ignore everything until the next one.
      discard = current.final ? 1 : 0;
      let after = close + 1;
      if (rest[after] === '*') {
        tree.makeFinal(current);
        after++;
      }
      if (skipBlanks(rest, after) < rest.length) {
        throw syntax('SECTION_SYNTAX', 'unexpected text after the section header');
      }
      continue;
    }

    if (ch === '}') {
      if (groupLevel < 2) throw syntax('EXTRA_CBRACE', '"}" without an open subsection');
      if (rest[1] === '*') tree.makeFinal(current);
      groupLevel--;
      if (groupLevel < discard) discard = 0;
      if (discard === 0) current = current.parent ?? tree.root;
      continue;
    }

    // tag = value
    const eq = rest.indexOf('=');
    if (eq < 0) throw syntax('RELATION_SYNTAX', 'expected "tag = value", a section header or "}"');
    if (eq === 0) throw syntax('RELATION_SYNTAX', 'missing tag before "="');
    let tagEnd = 0;
    while (tagEnd < eq && !isSpace(rest[tagEnd])) tagEnd++;
    for (let i = tagEnd; i < eq; i++) {
      if (!isSpace(rest[i])) throw syntax('RELATION_SYNTAX', 'blank inside a tag');
    }
    let tag = rest.slice(0, tagEnd);
    const star = tag.indexOf('*');
    const finalTag = star >= 0;
    if (finalTag) tag = tag.slice(0, star);

    const valueStart = skipBlanks(rest, eq + 1);
    let value: string;
    let subsection = false;
    if (rest[valueStart] === '"') {
      value = unquote(rest, valueStart + 1);
    } else if (valueStart >= rest.length) {
      subsection = true;
      state = 'get-obrace';
      openedAt = origin;
      value = '';
    } else if (rest[valueStart] === '{' && skipBlanks(rest, valueStart + 1) >= rest.length) {
      subsection = true;
      value = '';
    } else {
      value = trimEnd(rest.slice(valueStart));
    }

    if (subsection) {
      groupLevel++;
      if (discard === 0) {
        current = tree.subsection(current, tag, origin);
        // A subsection seen before with the final flag: ignore it until its "}".
        if (current.final) discard = groupLevel;
        if (finalTag) tree.makeFinal(current);
      }
      continue;
    }
    if (discard === 0) tree.relation(current, tag, value, finalTag, origin);
  }

  const end: ProfileOrigin = { file, line: lines.length };
  if (state === 'get-obrace') {
    tree.warnings.push({ message: 'file ends before the "{" of a subsection', origin: end });
  } else if (groupLevel > 1) {
    tree.warnings.push({
      message: `file ends inside ${groupLevel - 1} unclosed "{" subsection(s)`,
      origin: end,
    });
  }
}

/** MIT's quoted strings: up to the next unescaped `"` (or the end of the line). */
function unquote(s: string, from: number): string {
  let out = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') break;
    if (c === '\\' && i + 1 < s.length) {
      i++;
      const e = s[i]!;
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'b' ? '\b' : e;
      continue;
    }
    out += c;
  }
  return out;
}

function include(tree: TreeBuilder, directive: IncludeDirective, origin: ProfileOrigin, depth: number): void {
  const code = directive.kind === 'include' ? 'FAIL_INCLUDE_FILE' : 'FAIL_INCLUDE_DIR';
  if (directive.path === '') {
    throw new ProfileIncludeError(code, '', `${directive.kind} without a name`, origin);
  }
  if (depth >= tree.maxIncludeDepth) {
    throw new ProfileIncludeError(
      'INCLUDE_DEPTH',
      directive.path,
      `includes nest deeper than ${tree.maxIncludeDepth} (an include cycle?) at ${directive.path}`,
      origin,
    );
  }
  const fs = tree.fs;
  if (fs === undefined) {
    throw new ProfileIncludeError(
      code,
      directive.path,
      `cannot ${directive.kind} ${directive.path}: no file system was given to the parser`,
      origin,
    );
  }
  if (directive.kind === 'include') {
    parseFile(tree, readOrThrow(fs, directive.path, origin), directive.path, depth + 1);
    return;
  }
  let names: readonly string[];
  try {
    names = fs.readDir(directive.path);
  } catch (cause) {
    throw new ProfileIncludeError(code, directive.path, `cannot read directory ${directive.path}`, origin, {
      cause,
    });
  }
  for (const name of includedFileNames(names)) {
    const path = joinIncludePath(directive.path, name);
    parseFile(tree, readOrThrow(fs, path, origin), path, depth + 1);
  }
}

function readOrThrow(fs: ProfileFileSystem, path: string, origin: ProfileOrigin): string {
  try {
    return fs.readFile(path);
  } catch (cause) {
    throw new ProfileIncludeError('FAIL_INCLUDE_FILE', path, `cannot include ${path}`, origin, { cause });
  }
}

/**
 * Parses profile text. Throws ProfileSyntaxError (with file and line) for text MIT would
 * reject, ProfileIncludeError when an include cannot be followed; nothing else.
 */
export function parseProfile(text: string, options: ParseProfileOptions = {}): Profile {
  return parseProfiles([{ text, filename: options.filename ?? '<profile>' }], options);
}

/**
 * Parses several files into one profile, in order (the KRB5_CONFIG list): a final flag in
 * an earlier file hides later values, as in MIT.
 */
export function parseProfiles(
  sources: readonly ProfileSource[],
  options: Omit<ParseProfileOptions, 'filename'> = {},
): Profile {
  const maxDepth = options.maxIncludeDepth ?? DEFAULT_MAX_INCLUDE_DEPTH;
  const tree = new TreeBuilder(options.fs, maxDepth);
  for (const source of sources) {
    if (typeof source.text !== 'string') throw new TypeError('profile text must be a string');
    parseFile(tree, source.text, source.filename, 0);
  }
  return tree.profile();
}
