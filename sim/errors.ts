/**
 * The one error class for mistakes in user input (configs, networks, traces, flags).
 * The CLI prints its message on one line and exits 2; anything else is a bug and keeps its stack.
 */
const MAX_MESSAGE = 1000;

export class UserError extends Error {
  readonly file: string | undefined;
  readonly jsonPath: string | undefined;
  constructor(message: string, file?: string, jsonPath?: string) {
    const text = [file, jsonPath, message].filter((s) => s !== undefined && s !== '').join(': ');
    // One line, of a readable length, whatever input text a message quotes.
    super((text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text).replace(/[\r\n]+/g, ' '));
    this.name = 'UserError';
    this.file = file;
    this.jsonPath = jsonPath;
  }
}

/** An input excerpt for a message: JSON-quoted, cut to about `max` characters (a 10 MB CSV line must not fill the terminal). */
export function excerpt(text: string, max = 80): string {
  return text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** Throw a UserError; returns `never` so it can end an expression (after immer's `die`). */
export function die(message: string, file?: string, jsonPath?: string): never {
  throw new UserError(message, file, jsonPath);
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
