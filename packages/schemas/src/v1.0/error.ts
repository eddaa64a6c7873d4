import * as z from "zod/mini";

/** One item of a FastAPI validation answer. */
export const ValidationItem = z.object({
  /** Where the problem is: `["body", "name"]`. */
  loc: z.array(z.union([z.string(), z.int()])),
  /** What is wrong. */
  msg: z.string(),
  /** The kind of problem, e.g. `value_error.missing`. */
  type: z.string(),
});

/** The error body of API 1.0 and 1.1 (FastAPI's form): `detail` is a string, a list of validation items, or an object. */
export const ErrorBody = z.object({
  /** A message, a list of validation items, or an object. */
  detail: z.union([z.string(), z.array(ValidationItem), z.record(z.string(), z.unknown())]),
});

/** @see {@link ValidationItem} */
export type ValidationItem = z.infer<typeof ValidationItem>;
/** @see {@link ErrorBody} */
export type ErrorBody = z.infer<typeof ErrorBody>;
