/** X.690 §8.1.2.2 tag classes. */
export const TagClass = {
  universal: 0,
  application: 1,
  context: 2,
  private: 3,
} as const;
export type TagClass = (typeof TagClass)[keyof typeof TagClass];

/** Universal tag numbers used by this library (X.680 §8.4). */
export const UniversalTag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  objectIdentifier: 6,
  enumerated: 10,
  utf8String: 12,
  sequence: 16,
  set: 17,
  printableString: 19,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  generalString: 27,
} as const;

/**
 * Tag numbers are limited to 2^21 - 1 (three base-128 bytes): enough for every protocol
 * we speak, and it lets a tag be one small integer: `class << 21 | number`.
 */
export const MAX_TAG_NUMBER = 0x1fffff;

/** One number identifying class and tag number (the constructed bit is checked apart). */
export function tagId(tagClass: TagClass, tagNumber: number): number {
  return tagClass * 0x200000 + tagNumber;
}

const classNames = ['UNIVERSAL', 'APPLICATION', 'CONTEXT', 'PRIVATE'] as const;

/** Human form of a tag id for messages: `[APPLICATION 11]`, `[2]`, `UNIVERSAL 16`. */
export function describeTag(id: number): string {
  const tagClass = Math.floor(id / 0x200000);
  const tagNumber = id % 0x200000;
  if (tagClass === TagClass.context) return `[${tagNumber}]`;
  if (tagClass === TagClass.universal) return `UNIVERSAL ${tagNumber}`;
  return `[${classNames[tagClass]} ${tagNumber}]`;
}
