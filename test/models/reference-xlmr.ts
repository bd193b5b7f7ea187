// An independent float64 forward pass of the XLM-RoBERTa cross-encoder over the generated weights,
// from HF's modeling_xlm_roberta (embeddings and classification head) and the shared encoder reference.
import { dense, encoderStack, layerNorm, type Matrix } from './reference-bert.js'
import type { XlmrSpec, XlmrWeights } from './xlmr.js'

/** The logit for one unpadded sequence: token i sits at position padTokenId + 1 + i, token type 0 throughout. */
export function xlmrReferenceLogit(weights: XlmrWeights, spec: XlmrSpec, inputIds: readonly number[]): number {
  const h = spec.hiddenSize
  if (spec.padTokenId + inputIds.length >= spec.maxPositions)
    throw new Error('reference-xlmr: sequence longer than the positions allow')
  const embedded: Matrix = inputIds.map((id, i) => {
    if (id === spec.padTokenId) throw new Error('reference-xlmr: padding inside an unpadded sequence shifts positions')
    const position = spec.padTokenId + 1 + i
    const row = new Float64Array(h)
    for (let j = 0; j < h; j++) {
      row[j] =
        weights.wordEmbeddings[id * h + j]! +
        weights.tokenTypeEmbeddings[j]! +
        weights.positionEmbeddings[position * h + j]!
    }
    return layerNorm(row, weights.embeddingsLayerNorm, spec.layerNormEps)
  })
  const encoded = encoderStack(embedded, weights.layers, spec)
  const dense1 = dense(encoded[0]!, weights.classifierDense).map(Math.tanh)
  return dense(dense1, weights.classifierOutProj)[0]!
}
