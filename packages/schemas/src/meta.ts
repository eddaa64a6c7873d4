/**
 * Everything of this package that needs no zod: the version lifecycle table,
 * the kinds of objects, an archive's header and the protocol's shared limits. The SDK imports this at
 * start-up and loads a version's schemas only when a call first needs them.
 * @module
 */
export * from "./versions.js";
// Named, not `export *`: a bundler that wraps kinds.ts for the lazily loaded
// version modules (esbuild without code splitting) then still initialises it
// for this module's static importers.
export {
  KIND_TABLE,
  KINDS,
  RECORD_KIND,
  importableIn,
  importOrder,
  importSinceOf,
  isKind,
  kindOfRecord,
  kindsOf,
  type Kind,
  type KindInfo,
} from "./kinds.js";
export * from "./archive.js";
export * from "./limits.js";
// The issue formatter is not here: it serves only a failed check's report, which loads zod anyway (from the package root or /readings).
