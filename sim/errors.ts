/**
 * The one error class for mistakes in user input (configs, networks, traces, flags).
 * The CLI prints its message on one line and exits 2; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  readonly file: string | undefined;
  readonly jsonPath: string | undefined;
  constructor(message: string, file?: string, jsonPath?: string) {
    super([file, jsonPath, message].filter((s) => s !== undefined && s !== '').join(': '));
    this.name = 'UserError';
    this.file = file;
    this.jsonPath = jsonPath;
  }
}

/** Throw a UserError; returns `never` so it can end an expression (after immer's `die`). */
export function die(message: string, file?: string, jsonPath?: string): never {
  throw new UserError(message, file, jsonPath);
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
