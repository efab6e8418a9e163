// Errors every part of the Node side may throw and the API maps to its error codes.

/** The thing asked for does not exist: the API answers `not-found`. */
export class NotFoundError extends Error {
  readonly code = 'not-found';
}
