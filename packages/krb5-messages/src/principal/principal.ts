/**
 * Principal names and their text form, as MIT krb5 writes and reads them
 * (`krb5_parse_name_flags` in src/lib/krb5/krb/parse.c, `krb5_unparse_name_flags` in
 * src/lib/krb5/krb/unparse.c), and the default salt (RFC 4120 §4, MIT's
 * `krb5_principal2salt`).
 *
 * Text form: components separated by `/`, then `@` and the realm. A backslash quotes the
 * next character; `\n`, `\t`, `\b` and `\0` stand for newline, tab, backspace and NUL.
 * Unparsing quotes `/`, `@`, `\` and those four control characters wherever they occur,
 * in the realm too, so `unparsePrincipal` followed by `parsePrincipal` gives back the
 * same principal.
 */
import type { PrincipalName } from '../rfc4120/basic.js';

/** A principal: a realm and a PrincipalName (RFC 4120 §5.2.2, the name-type and name-string). */
export interface Principal {
  realm: string;
  name: PrincipalName;
}

/** The text given to {@link parsePrincipal} is not a principal name. */
export class PrincipalParseError extends Error {
  override name = 'PrincipalParseError';
  constructor(
    /** What is wrong, without the input. */
    readonly reason: string,
    /** The text that was parsed. */
    readonly input: string,
    /** Index (UTF-16 code unit) in `input` where the problem was found. */
    readonly index: number,
  ) {
    super(`${reason} (at index ${index} of ${JSON.stringify(input)})`);
  }
}

export interface ParsePrincipalOptions {
  /** Realm of a name written without `@REALM`. Without it, such a name is an error. */
  defaultRealm?: string;
  /**
   * Name type to give the principal. Default: inferred as MIT does — NT-SRV-INST (2) for
   * `krbtgt/X`, NT-WELLKNOWN (11) for `WELLKNOWN/...`, otherwise NT-PRINCIPAL (1). Pass
   * NT-SRV-HST (3) for a host-based service name such as `cifs/server.example.com`.
   */
  nameType?: number;
  /**
   * RFC 6806 enterprise name (MIT's KRB5_PRINCIPAL_PARSE_ENTERPRISE): a single component
   * in which `/` is an ordinary character and the first unquoted `@` belongs to the
   * name (`user@example.com@REALM`); the name type is NT-ENTERPRISE (10) unless
   * `nameType` says otherwise.
   */
  enterprise?: boolean;
}

export interface UnparsePrincipalOptions {
  /**
   * Leave out `@REALM` (MIT's KRB5_PRINCIPAL_UNPARSE_NO_REALM). As in MIT, `@` inside the
   * components is then not quoted, so the result names the principal only in a context
   * that already knows the realm.
   */
  noRealm?: boolean;
  /** No quoting at all, for people to read (MIT's KRB5_PRINCIPAL_UNPARSE_DISPLAY); cannot be parsed back. */
  display?: boolean;
}

const NT_PRINCIPAL = 1;
const NT_SRV_INST = 2;
const NT_ENTERPRISE = 10;
const NT_WELLKNOWN = 11;

/** MIT's k5_infer_principal_type: RFC 4120 §7.3 krbtgt names and RFC 6111 §3.1 well-known names. */
export function inferNameType(nameString: readonly string[]): number {
  if (nameString.length === 2 && nameString[0] === 'krbtgt') return NT_SRV_INST;
  if (nameString.length >= 2 && nameString[0] === 'WELLKNOWN') return NT_WELLKNOWN;
  return NT_PRINCIPAL;
}

const UNQUOTE: Readonly<Record<string, string>> = { n: '\n', t: '\t', b: '\b', '0': '\0' };

/**
 * Parses MIT's text form of a principal (`krb5_parse_name_flags`): `comp1/comp2@REALM`.
 *
 * Errors (all {@link PrincipalParseError}): a `\` at the end, a second unquoted `@`, an
 * unquoted `/` in the realm, an empty name (`''`) or a realm with no name (`@REALM`,
 * which MIT's kadmin also rejects; libkrb5 alone would read one empty component), no
 * realm and no `defaultRealm`, text that is not well-formed Unicode. Empty
 * components are allowed, as in MIT (`a//b@R`, `a/@R`). `name@` gives the empty realm.
 */
export function parsePrincipal(text: string, options: ParsePrincipalOptions = {}): Principal {
  if (typeof text !== 'string') throw new TypeError(`principal text must be a string, got ${typeof text}`);
  if (!text.isWellFormed()) {
    throw new PrincipalParseError('text is not well-formed Unicode (lone surrogate)', text, 0);
  }
  const enterprise = options.enterprise === true;
  const components: string[] = [];
  let current = '';
  let realm: string | undefined;
  let firstAt = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' && !enterprise) {
      if (realm !== undefined) throw new PrincipalParseError('unquoted "/" in the realm', text, i);
      components.push(current);
      current = '';
    } else if (c === '@' && (!enterprise || !firstAt)) {
      if (realm !== undefined) throw new PrincipalParseError('second unquoted "@"', text, i);
      components.push(current);
      current = '';
      realm = '';
    } else {
      if (c === '@') firstAt = false;
      let ch = c;
      if (c === '\\') {
        i++;
        const next = text[i];
        if (next === undefined) throw new PrincipalParseError('"\\" at the end of the name', text, i - 1);
        ch = UNQUOTE[next] ?? next;
      }
      if (realm !== undefined) realm += ch;
      else current += ch;
    }
  }
  if (realm === undefined) components.push(current);
  if (components.length === 1 && components[0] === '') {
    throw new PrincipalParseError(realm === undefined ? 'empty name' : 'a realm with no name', text, 0);
  }
  if (realm === undefined) {
    if (options.defaultRealm === undefined) {
      throw new PrincipalParseError('no realm and no default realm', text, text.length);
    }
    realm = options.defaultRealm;
  }
  const nameType = options.nameType ?? (enterprise ? NT_ENTERPRISE : inferNameType(components));
  return { realm, name: { nameType, nameString: components } };
}

function quote(value: string, quoteAt: boolean): string {
  let out = '';
  for (const c of value) {
    switch (c) {
      case '@':
        out += quoteAt ? '\\@' : '@';
        break;
      case '/':
        out += '\\/';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\0':
        out += '\\0';
        break;
      default:
        out += c;
    }
  }
  return out;
}

/**
 * MIT's text form of a principal (`krb5_unparse_name_flags`). Every `/`, `@`, `\`,
 * newline, tab, backspace and NUL in a component or the realm is quoted, so
 * `parsePrincipal(unparsePrincipal(p))` gives `p` back (name type aside, which the text
 * does not carry) — except for a name of no components or of one empty component, which
 * MIT also writes as `@REALM`. An enterprise name comes out as MIT writes it:
 * `user\@example.com@REALM`.
 */
export function unparsePrincipal(principal: Principal, options: UnparsePrincipalOptions = {}): string {
  const display = options.display === true;
  const noRealm = options.noRealm === true;
  const q = (s: string): string => (display ? s : quote(s, !noRealm));
  const name = principal.name.nameString.map(q).join('/');
  return noRealm ? name : `${name}@${q(principal.realm)}`;
}

/**
 * Whether two principals are the same: same realm (unless `ignoreRealm`) and the same
 * components. The name type is ignored, as in MIT's `krb5_principal_compare`.
 */
export function principalEquals(
  a: Principal,
  b: Principal,
  options: { ignoreRealm?: boolean } = {},
): boolean {
  if (options.ignoreRealm !== true && a.realm !== b.realm) return false;
  const x = a.name.nameString;
  const y = b.name.nameString;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The default salt of a principal's long-term keys: the realm followed by every
 * component, with nothing between them (RFC 4120 §4, MIT's `krb5_principal2salt`):
 * `alice@MIT.TEST` → `MIT.TESTalice`, `host/x.example@R` → `Rhostx.example`. As text;
 * string-to-key takes its UTF-8 bytes.
 */
export function defaultSalt(principal: Principal): string {
  return principal.realm + principal.name.nameString.join('');
}
