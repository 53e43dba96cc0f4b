/**
 * Expected failures of a use case. Services throw them; the GraphQL layer turns them
 * into the `errors: [UserError!]!` of a mutation payload (or a typed GraphQL error
 * where a field has no payload). Anything else that is thrown is a bug and is masked.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED';

export type Problem = {
  code: ErrorCode;
  message: string;
  /** Path to the input field the problem concerns, e.g. ['email']. */
  field?: string[];
  /** With RATE_LIMITED: how long to wait before trying again. */
  retryAfterSeconds?: number;
};

export class DomainError extends Error {
  override name = 'DomainError';
  readonly problems: Problem[];

  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map((p) => p.message).join('; '));
    this.problems = list;
  }

  get code(): ErrorCode {
    return this.problems[0]?.code ?? 'BAD_USER_INPUT';
  }
}

export const badInput = (message: string, field?: string[]) => new DomainError({ code: 'BAD_USER_INPUT', message, field });
export const notFound = (message: string, field?: string[]) => new DomainError({ code: 'NOT_FOUND', message, field });
export const forbidden = (message: string) => new DomainError({ code: 'FORBIDDEN', message });
export const conflict = (message: string, field?: string[]) => new DomainError({ code: 'CONFLICT', message, field });
export const unauthenticated = (message: string) => new DomainError({ code: 'UNAUTHENTICATED', message });
