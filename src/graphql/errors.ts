import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { DomainError, type ErrorCode } from '../errors.js';
import { log } from '../log.js';
import type { Context } from './context.js';

export const codedError = (message: string, code: ErrorCode | 'INTERNAL_SERVER_ERROR') =>
  new GraphQLError(message, { extensions: { code } });

const AUTH_MESSAGES = {
  invalid: 'The access token is not valid; log in again.',
  expired: 'The session has expired; log in again.',
  revoked: 'The session was ended; log in again.',
} as const;

/** For an operation that needs a member: tells a missing token from a bad one. */
export const authenticationError = (context: Pick<Context, 'authFailure'>) =>
  codedError(context.authFailure ? AUTH_MESSAGES[context.authFailure] : 'Log in to do this.', 'UNAUTHENTICATED');

/**
 * Yoga's error mask: typed errors keep their message and code, a DomainError that
 * escaped a field becomes a typed error, everything else is logged and hidden.
 */
export function maskError(error: unknown): Error {
  if (!(error instanceof GraphQLError)) return unexpected(error);
  const original = error.originalError;
  if (original instanceof DomainError) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: original.code, problems: original.problems },
    });
  }
  if (original instanceof PothosValidationError) {
    // Input that the schema's own parsing refused, e.g. a malformed global ID.
    return new GraphQLError(original.message, { nodes: error.nodes, path: error.path, extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (original && !(original instanceof GraphQLError)) return unexpected(original, error);
  return error;
}

function unexpected(cause: unknown, wrapper?: GraphQLError): GraphQLError {
  log.error({ err: cause, path: wrapper?.path }, 'unexpected error in a GraphQL operation');
  return new GraphQLError('Unexpected error.', {
    nodes: wrapper?.nodes,
    path: wrapper?.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
