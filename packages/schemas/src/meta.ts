/**
 * Everything of this package that needs no zod: the version lifecycle table,
 * the kinds of objects, and the issue formatter. The SDK imports this at
 * start-up and loads a version's schemas only when a call first needs them.
 * @module
 */
export * from "./versions.js";
export * from "./kinds.js";
export * from "./issues.js";
