/** The version of this SDK: the one its pending changesets release it as (checked by scripts/check-release.mjs). */
export const SDK_VERSION = "2.0.0";
