/**
 * Raised for every input that is not strict DER or does not match the schema: truncated,
 * indefinite or non-minimal lengths, wrong tags, trailing bytes, out-of-range values,
 * limits exceeded. `path` names where in the structure it happened
 * (`AS-REP.encPart.cipher`), `offset` is the byte offset in the input.
 */
export class DecodeError extends Error {
  override name = 'DecodeError';
  /** Field names from the outermost type inwards, e.g. `['AS-REP', 'encPart', 'cipher']`. */
  readonly segments: string[];
  constructor(
    readonly reason: string,
    readonly offset: number,
    segments: string[] = [],
  ) {
    super('');
    this.segments = segments;
    this.message = this.describe();
  }

  /** Dotted path of the failing element, `''` when it failed at the top. */
  get path(): string {
    let out = '';
    for (const segment of this.segments) {
      if (out === '' || segment.startsWith('[')) out += segment;
      else out += `.${segment}`;
    }
    return out;
  }

  /** Adds an outer path segment while the error unwinds (cheap: no cost unless thrown). */
  within(segment: string): this {
    this.segments.unshift(segment);
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    const where = this.segments.length > 0 ? `${this.path}: ` : '';
    return `${where}${this.reason} (at byte ${this.offset})`;
  }
}

/** Raised when a value cannot be encoded: wrong JS type, out of range, invalid string or OID. */
export class EncodeError extends Error {
  override name = 'EncodeError';
  readonly segments: string[] = [];
  constructor(readonly reason: string) {
    super(reason);
  }

  get path(): string {
    return this.segments.join('.').replace(/\.\[/g, '[');
  }

  within(segment: string): this {
    this.segments.unshift(segment);
    this.message = `${this.path}: ${this.reason}`;
    return this;
  }
}

/** `String(value)` for error messages, never throwing (null-prototype objects, symbols in templates). */
export function show(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
