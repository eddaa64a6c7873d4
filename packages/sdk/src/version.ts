/** The version of this SDK. */
export const SDK_VERSION = "2.0.0";
