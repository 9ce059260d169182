/** An instant as the APIs write it (ISO 8601, UTC), or null when there is none. */
export const iso = (at: Date | null | undefined): string | null => (at ? at.toISOString() : null);
