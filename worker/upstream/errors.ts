/**
 * The one error an adapter may throw: the payload as a whole does not have the expected shape. Bad individual rows
 * never throw; they are dropped and listed in the snapshot's `problems`. Failing the whole page on a broken container
 * (rather than yielding an empty snapshot) keeps the poller's last good snapshot in place.
 */
export class UpstreamFormatError extends Error {
  override readonly name = 'UpstreamFormatError';

  constructor(
    message: string,
    /** Which payload, e.g. `summary.json`. */
    readonly where: string,
  ) {
    super(message);
  }
}

/** A short, safe description of a value's type for error messages (never echoes the value itself). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
