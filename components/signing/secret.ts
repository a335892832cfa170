const HIDDEN = "[secret]";

/**
 * A key or passphrase held in memory for as long as a signer needs it. It prints, serializes and inspects as
 * `[secret]`, so that no message, log line or JSON made from a resolution can carry it; only `reveal()` gives it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return HIDDEN;
  }
}
