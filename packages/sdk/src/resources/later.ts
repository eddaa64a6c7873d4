/**
 * A stream whose code loads on first use: the SSE and NDJSON readers (and
 * their resume logic) stay out of an app's first bundle chunk until it
 * streams. The generator starts nothing until it is first read, as before.
 */
export async function* later<T>(
  make: () => Promise<AsyncGenerator<T, void, undefined>>,
): AsyncGenerator<T, void, undefined> {
  yield* await make();
}
