/**
 * What a test file's fixture starts in `beforeAll` and stops in `afterAll`, handed out at once
 * as handles that reach it once it is there. Light on imports: unit tests use it too
 * (the stack's own fixtures are in stack.ts).
 */
import { type FakePostmark, type FakePostmarkOptions, startFakePostmark } from './postmark-server';

/**
 * A value a fixture makes in `beforeAll`, usable from the tests and later hooks: reading it
 * before then throws, saying why.
 */
export function handle<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_, prop) {
      const target = current();
      if (!target) {
        // Promise resolution and Jest's printing probe these: "not there yet" is the honest answer.
        if (prop === 'then' || typeof prop === 'symbol') return undefined;
        throw new Error(
          `${what} is not started yet: it starts in beforeAll, so use it in a test or a later hook`,
        );
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The local Postmark server (postmark-server.ts) for one file or `describe`: started in a
 * `beforeAll` registered where this is called, closed in an `afterAll`.
 */
export function useFakePostmark(options: FakePostmarkOptions = {}): FakePostmark {
  const fake = fakePostmarkInBeforeAll(options);
  afterAll(fake.close);
  return fake.handle;
}

/** The local Postmark server started in a `beforeAll`; its `close` is for the caller's `afterAll`. */
export function fakePostmarkInBeforeAll(options: FakePostmarkOptions) {
  let fake: FakePostmark | undefined;
  beforeAll(async () => {
    fake = await startFakePostmark(options);
  });
  return {
    handle: handle('The local Postmark server', () => fake),
    close: async () => {
      const started = fake;
      fake = undefined;
      await started?.close();
    },
  };
}
