// A reranker that lives in another context (the offscreen document, or a page behind a service
// worker), reached through any request/reply channel that carries plain data. Errors cross as
// their /v1/rerank body and are rebuilt as RerankErrors, so `createFetchHandler` still answers
// 400 for `empty_query` and createSearch callers still read `err.code`.

import {
  RerankError,
  type RerankCallOptions,
  type RerankerInfo,
  type RerankErrorBody,
  type RerankRequest,
  type RerankResponse,
} from 'webrerank'

/** What crosses the channel: the value, or the error's body. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: RerankErrorBody['error'] }

/** Host side: runs `work` and turns its outcome into a {@link Reply}. */
export async function replyOf<T>(work: () => Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (err) {
    const error =
      err instanceof RerankError
        ? err
        : new RerankError('inference_failed', `webrerank: ${err instanceof Error ? err.message : String(err)}`)
    return { ok: false, error: error.toJSON().error }
  }
}

/** Caller side: the value, or the error rebuilt (class, code and message as the host threw them). */
export function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value
  throw new RerankError(reply.error.code, reply.error.message)
}

/**
 * A reranker whose `rerank` runs elsewhere: both call forms become a /v1/rerank body for `send`.
 * Only `topN`, `returnDocuments` and `signal` cross (callbacks such as `onBatch` cannot); an abort
 * rejects the call at once while the host finishes its work.
 */
export class PortReranker {
  constructor(
    readonly info: Pick<RerankerInfo, 'model' | 'modelId'> & Partial<RerankerInfo>,
    private readonly send: (body: RerankRequest) => Promise<Reply<RerankResponse>>,
  ) {}

  rerank(body: RerankRequest, options?: Pick<RerankCallOptions, 'signal'>): Promise<RerankResponse>
  rerank(query: string, documents: string[], options?: RerankCallOptions): Promise<RerankResponse>
  async rerank(
    first: RerankRequest | string,
    second?: string[] | RerankCallOptions,
    third?: RerankCallOptions,
  ): Promise<RerankResponse> {
    const [body, options] =
      typeof first === 'string'
        ? [toBody(first, second as string[], third), third]
        : [first, second as RerankCallOptions | undefined]
    const signal = options?.signal
    if (signal?.aborted) throw aborted()
    const reply = this.send(body)
    if (!signal) return unwrap(await reply)
    return unwrap(
      await new Promise<Reply<RerankResponse>>((resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => {
            reject(aborted())
          },
          { once: true },
        )
        reply.then(resolve, reject)
      }),
    )
  }
}

function toBody(query: string, documents: string[], options: RerankCallOptions | undefined): RerankRequest {
  return {
    query,
    documents,
    ...(options?.topN === undefined ? {} : { top_n: options.topN }),
    ...(options?.returnDocuments === undefined ? {} : { return_documents: options.returnDocuments }),
  }
}

function aborted(): RerankError {
  return new RerankError('aborted', 'webrerank: the rerank call was aborted.')
}
