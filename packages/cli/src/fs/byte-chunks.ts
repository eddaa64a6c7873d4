/**
 * Text encoded straight into byte chunks that are filled again once written:
 * the archive writer's and the durable logs' buffer. No line- or buffer-sized
 * string is built or kept, and no new chunk is taken per flush (each one held
 * external memory until a full collection: 37 MB at a 1M-record export, and
 * queued journal lines set `migrate`'s peak).
 * @module
 */

const NO_LEAD: readonly number[] = [];

/** See the module comment. `put` text, `take` the filled pieces, `release` each once it is written. */
export class ByteChunks {
  readonly #size: number;
  readonly #spares: number;
  #chunk: Buffer = Buffer.alloc(0);
  #used = 0;
  #filled: Buffer[] = [];
  readonly #spare: Buffer[] = [];

  /** Chunks of `size` bytes; at most `spares` written ones are kept to fill again. */
  constructor(size: number, spares: number) {
    this.#size = size;
    this.#spares = spares;
  }

  /**
   * Encodes `text`, after the bytes `lead` (set by hand: a native call per
   * record saved), starting a new chunk when they might not fit.
   */
  put(text: string, lead: readonly number[] = NO_LEAD): void {
    const worst = text.length * 3 + lead.length;
    if (this.#used + worst > this.#chunk.length) {
      this.seal();
      this.#chunk =
        worst > this.#size ? Buffer.allocUnsafe(worst) : (this.#spare.pop() ?? Buffer.allocUnsafe(this.#size));
    }
    for (const byte of lead) this.#chunk[this.#used++] = byte;
    this.#used += this.#chunk.write(text, this.#used);
  }

  /** The filled part of the current chunk joins the filled pieces; the chunk is not written to again until released. */
  seal(): void {
    if (this.#used === 0) return; // nothing of it is handed out: it stays the chunk to fill
    this.#filled.push(this.#chunk.subarray(0, this.#used));
    this.#chunk = Buffer.alloc(0);
    this.#used = 0;
  }

  /** True when sealed pieces wait to be taken. */
  get hasFilled(): boolean {
    return this.#filled.length > 0;
  }

  /** The sealed pieces, in order, handed over: {@link ByteChunks.release} each once it is written. */
  take(): Buffer[] {
    const pieces = this.#filled;
    this.#filled = [];
    return pieces;
  }

  /** `piece` (from {@link ByteChunks.take}) is written: its chunk may be filled again. */
  release(piece: Buffer): void {
    if (piece.byteOffset === 0 && piece.buffer.byteLength === this.#size && this.#spare.length < this.#spares)
      this.#spare.push(Buffer.from(piece.buffer, 0, this.#size));
  }
}
