/** Shared by the trace tests. */
import * as assert from 'uvu/assert';
import { UserError } from '../../sim/errors.ts';

/** `fn` must throw a UserError whose message matches `pattern` (any other error propagates). */
export function throwsUser(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    assert.match(e.message, pattern);
    return;
  }
  assert.unreachable(`expected a UserError matching ${pattern}`);
}

/** `fn` must reject with a UserError whose message matches `pattern`. */
export async function rejectsUser(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    assert.match(e.message, pattern);
    return;
  }
  assert.unreachable(`expected a UserError matching ${pattern}`);
}
