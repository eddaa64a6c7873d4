/** Helpers several unit tests share. */
import { expect } from "vitest";

/** A byte stream that hands out `chunks` as they are, then closes: a body as the network delivers it. */
export function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

/** The error `run` throws, which must be an instance of `type`; fails the test if it throws nothing. */
export function thrown<E>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}
