/**
 * The routing reads of one queue batch, each made once: the batch's Stripe events usually share an account and
 * its Notion events a Notion workspace, so 25 messages need one read, not 25. Lives for one `consumeIntake` call
 * (one request context, so its promises are never awaited by another), never across batches: a connection
 * changed between batches is read afresh.
 */
export class BatchLookups {
  readonly #reads = new Map<string, Promise<unknown>>();

  /** `read()`'s promise for `key`, made on the first call of the batch and shared by the later ones. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let promise = this.#reads.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = read();
      this.#reads.set(key, promise);
    }
    return promise;
  }
}
