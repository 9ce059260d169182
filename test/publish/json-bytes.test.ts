import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArraySlices, jsonObjectBytes } from '../../worker/publish/json-bytes.ts';

/** An object's arrays written in slices of a given size, the rest as it is. */
function sliced(object: Record<string, unknown>, size: number): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).map(([name, value]) => {
      if (!Array.isArray(value)) return [name, value];
      const slices = new JsonArraySlices();
      for (let k = 0; k < value.length; k += size) slices.add(value.slice(k, k + size));
      return [name, slices];
    }),
  );
}

describe('a JSON document written in slices', () => {
  it('is byte for byte what JSON.stringify gives for the whole object, whatever the slices', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(value, fc.array(value), fc.constant(undefined))), fc.integer({ min: 1, max: 5 }), (object, size) => {
        expect(jsonObjectBytes(sliced(object, size)).toString()).toBe(JSON.stringify(object));
      }),
    );
  });

  it('keeps the fields in their order, empty arrays and objects included, and text beyond Latin-1 in UTF-8', () => {
    const object = { month: '2026-11', incidents: [{ name: 'Caída – Bogotá 🌧', n: 1 }, { n: 2 }, null], none: [], windows: [{}], after: { a: [1] } };
    const bytes = jsonObjectBytes(sliced(object, 2));
    expect(bytes.equals(Buffer.from(JSON.stringify(object)))).toBe(true);
    expect(jsonObjectBytes({}).toString()).toBe('{}');
  });
});
