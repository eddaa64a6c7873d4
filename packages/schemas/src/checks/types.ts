/**
 * The type of every generated checker (src/checks/<version>/*.ts).
 * @module
 */

/** Answers whether a value passes one reading of one schema, exactly as zod's `safeParse(value).success` would. */
export type Check = (value: unknown) => boolean;
