/** The version of `@resonantgenesis/cli` (kept equal to package.json's by the release check). */
export const CLI_VERSION = "0.1.0";
