/**
 * The parsed form of MIT profile files (krb5.conf, kdc.conf): a tree of sections whose
 * children are relations (`tag = value`) and subsections (`tag = { ... }`). Several files
 * (KRB5_CONFIG's list, includes) share one tree, as in MIT.
 */
import type { ProfileOrigin } from './errors.js';

/** `tag = value`. Several relations may share a tag (several `kdc =`): order is kept. */
export interface ProfileRelation {
  readonly kind: 'relation';
  readonly name: string;
  readonly value: string;
  /** `tag* = value`: later relations with this tag are ignored. */
  readonly final: boolean;
  readonly origin: ProfileOrigin;
}

/**
 * A `[section]` or a `tag = { ... }` subsection. Subsections of one name are merged into
 * one node, as MIT does, so `children` holds everything every occurrence contributed.
 */
export interface ProfileSection {
  readonly kind: 'section';
  readonly name: string;
  /** `[name]*`, `tag* = {` or `}*`: later occurrences of this section are ignored. */
  readonly final: boolean;
  readonly children: readonly ProfileNode[];
  /** Where it first appeared (`<root>` line 0 for the root). */
  readonly origin: ProfileOrigin;
}

export type ProfileNode = ProfileRelation | ProfileSection;

/** A non-fatal oddity MIT also accepts (an unclosed `{` at the end of a file...). */
export interface ProfileWarning {
  readonly message: string;
  readonly origin: ProfileOrigin;
}

/** Mutable twin used while parsing; exposed through the readonly interfaces. */
export interface MutableSection {
  kind: 'section';
  name: string;
  final: boolean;
  children: (MutableSection | MutableRelation)[];
  origin: ProfileOrigin;
  parent: MutableSection | undefined;
}

export interface MutableRelation {
  kind: 'relation';
  name: string;
  value: string;
  final: boolean;
  origin: ProfileOrigin;
}

/**
 * A parsed profile with MIT's lookup rules: `values('realms', 'EXAMPLE.COM', 'kdc')` gives
 * every `kdc` of that realm in file order; `value(...)` the first (what MIT's
 * `profile_get_string` returns). Names are case-sensitive, as in MIT.
 */
export class Profile {
  constructor(
    /** The unnamed root; its children are the top-level sections. */
    readonly root: ProfileSection,
    /** Every file read, in order, includes included (empty for text parsed without a name). */
    readonly files: readonly string[],
    readonly warnings: readonly ProfileWarning[],
  ) {}

  /** The (sub)section at `path`, or undefined. `section()` is the root. */
  section(...path: readonly string[]): ProfileSection | undefined {
    let node: ProfileSection = this.root;
    for (const name of path) {
      const next = node.children.find(
        (child): child is ProfileSection => child.kind === 'section' && child.name === name,
      );
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  /** Every relation named by the last element of `path` in the section named by the rest. */
  relations(...path: readonly string[]): ProfileRelation[] {
    if (path.length < 2) return [];
    const section = this.section(...path.slice(0, -1));
    const tag = path[path.length - 1];
    if (section === undefined) return [];
    return section.children.filter(
      (child): child is ProfileRelation => child.kind === 'relation' && child.name === tag,
    );
  }

  /** The first such relation (value and origin), or undefined. */
  relation(...path: readonly string[]): ProfileRelation | undefined {
    return this.relations(...path)[0];
  }

  /** Values of every relation at `path`, in order. */
  values(...path: readonly string[]): string[] {
    return this.relations(...path).map((r) => r.value);
  }

  /** Value of the first relation at `path`, or undefined. */
  value(...path: readonly string[]): string | undefined {
    return this.relation(...path)?.value;
  }

  /** Names of the subsections of the section at `path` (each once, first-seen order). */
  subsectionNames(...path: readonly string[]): string[] {
    const section = this.section(...path);
    if (section === undefined) return [];
    return section.children.filter((c) => c.kind === 'section').map((c) => c.name);
  }

  /** Distinct tags of the relations of the section at `path`, first-seen order. */
  relationNames(...path: readonly string[]): string[] {
    const section = this.section(...path);
    if (section === undefined) return [];
    return [...new Set(section.children.filter((c) => c.kind === 'relation').map((c) => c.name))];
  }
}
