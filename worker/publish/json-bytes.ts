/**
 * A large JSON document written a slice at a time, as bytes: the same bytes `JSON.stringify` gives for the whole
 * value, but a long array is serialised a few hundred items at a time, so their objects can be let go (and requests
 * answered) between slices, and the text never exists as one string (V8 may keep such a string at two bytes per
 * character, twice its size in UTF-8).
 */

/** One array of the document, its items serialised slice by slice. */
export class JsonArraySlices {
  readonly parts: Buffer[] = [];
  private empty = true;

  add(items: readonly unknown[]): void {
    if (!items.length) return;
    const text = JSON.stringify(items);
    this.parts.push(Buffer.from(`${this.empty ? '' : ','}${text.slice(1, -1)}`));
    this.empty = false;
  }

  /** Items serialised already, each as `JSON.stringify` writes it. */
  addSerialised(texts: readonly string[]): void {
    if (!texts.length) return;
    this.parts.push(Buffer.from(`${this.empty ? '' : ','}${texts.join(',')}`));
    this.empty = false;
  }
}

/** `JSON.stringify(object)` as bytes, where a field may hold an array already serialised (`JsonArraySlices`). */
export function jsonObjectBytes(object: Record<string, unknown>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(object)) {
    if (value instanceof JsonArraySlices) {
      parts.push(Buffer.from(`${parts.length ? ',' : '{'}${JSON.stringify(name)}:[`), ...value.parts, Buffer.from(']'));
      continue;
    }
    const text = JSON.stringify(value);
    // What JSON.stringify leaves out of an object (undefined, functions) is left out here too.
    if (text !== undefined) parts.push(Buffer.from(`${parts.length ? ',' : '{'}${JSON.stringify(name)}:${text}`));
  }
  parts.push(Buffer.from(parts.length ? '}' : '{}'));
  return Buffer.concat(parts);
}
