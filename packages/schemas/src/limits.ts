/**
 * The limits of docs/protocol.md that more than one package holds to: the mock enforces them, the SDK and
 * the CLI keep what they send within them.
 * @module
 */

/** The largest request body the API takes, 10 MiB (docs/protocol.md section 2): a larger one is answered 413. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
