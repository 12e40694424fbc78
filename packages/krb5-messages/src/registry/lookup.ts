/** Reverse lookup for the `as const` registries: number -> name. */
export function reverse<const T extends Readonly<Record<string, number>>>(
  table: T,
): ReadonlyMap<number, keyof T & string> {
  const out = new Map<number, keyof T & string>();
  for (const [name, value] of Object.entries(table))
    if (!out.has(value)) out.set(value, name as keyof T & string);
  return out;
}
