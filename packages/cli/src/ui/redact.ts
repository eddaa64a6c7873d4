/**
 * The last line of defence against printing a key or a secret: every line
 * the CLI prints or writes to a log goes through `redact`, the SDK's own, so
 * the CLI and the SDK's errors hide a credential the same way
 * (`rg_live_sk_***`, `whsec_***`, `Bearer ***`). Keys given on the command
 * line or in the environment, and the secrets a target returns, are
 * registered with `registerSecret` as they arrive.
 * @module
 */
export { redact, registerSecret } from "@resonantgenesis/sdk";
