/**
 * What services throw when a request cannot be carried out. Each error has a `code` (stable, for programs), a
 * `message` (for people) and optional `details`; its class says what kind of refusal it is. The HTTP layer maps
 * the kinds to statuses in one place (`worker/http/errors.ts`); nothing here knows about HTTP.
 */

export type DomainErrorKind = 'not_found' | 'conflict' | 'rule_broken' | 'invalid_input' | 'rate_limited';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';

  /** `what` names it the way the message reads, e.g. `incident "abc"`. */
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export const notFound = (what: string) => new NotFoundError(what);

/** The thing is in a state that forbids the change (already started, already closed, owned by a provider…). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The request is well formed but breaks a rule of the product; the rule's name is the code (`notice_too_short`…). */
export class RuleBrokenError extends DomainError {
  readonly kind = 'rule_broken';

  constructor(
    readonly rule: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(rule, message, details);
  }
}

/** Too many requests of this kind for now; `retryAfterMs` says when one would be taken again. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';

  constructor(
    code: string,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(code, message);
  }

  /** Whole seconds, at least one, as a `Retry-After` header says it. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

/** One bad field of an input, e.g. `{ field: 'components[1]', message: 'unknown component "x"' }`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The input cannot be used as given (a bad field, an unreadable file, too many rows…). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input';
  /** The fields at fault, when the problem is in named fields (empty otherwise). */
  readonly problems: readonly FieldProblem[];

  constructor(code: string, message: string, options: { problems?: readonly FieldProblem[]; details?: Record<string, unknown> } = {}) {
    super(code, message, options.details);
    this.problems = options.problems ?? [];
  }
}

/**
 * Bad fields of a request's `body` or `query`, worded like the API's validation errors:
 * `invalid body: components[1]: unknown component "x"`, with the fields listed in the details.
 */
export function invalidFields(input: 'body' | 'query', problems: readonly FieldProblem[]): InvalidInputError {
  return new InvalidInputError('invalid_request', `invalid ${input}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
    problems,
    details: { fields: problems.map((p) => p.field) },
  });
}
