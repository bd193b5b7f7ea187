// A queue that runs async tasks one after another, in call order. Used where a shared resource
// must not see two tasks at once: transformers.js' global `env` during loads, a search index
// during add().

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `task` after every task queued before it has settled; a failure does not block the queue. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task)
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Resolves when every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined)
  }
}
