// A small ONNX graph builder over onnx-proto, enough to write the op patterns a PyTorch export
// produces. Model families (bert.ts, later others) describe their graph with it and get model bytes.
import onnxProto from 'onnx-proto'

// onnx-proto is CommonJS: under ESM its namespace arrives on the default export.
const { onnx } = onnxProto
type TensorProto = onnxProto.onnx.ITensorProto
type NodeProto = onnxProto.onnx.INodeProto
type ValueInfoProto = onnxProto.onnx.IValueInfoProto
type AttributeProto = onnxProto.onnx.IAttributeProto

/** ONNX TensorProto.DataType codes we use, e.g. for Cast's `to`. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const
export type ElemType = (typeof DataType)[keyof typeof DataType]

/** A tensor dimension: a fixed size, or a symbolic name such as 'batch_size'. */
export type Dim = number | string

/** Attribute values are tagged because JS numbers cannot tell an INT 1 from a FLOAT 1.0. */
export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string }

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
}

export interface ModelOptions {
  /** Default 8: what onnxruntime and transformers.js exports accept everywhere. */
  irVersion?: number
  /** Default-domain opset; default 17 (first with LayerNormalization). */
  opset?: number
  producerName?: string
  /** Stored as metadata_props; handy to tell generated files apart. */
  metadata?: Record<string, string>
}

// Raw tensor data must be little-endian; typed arrays use the host order, so refuse other hosts.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function bytesOf(data: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  if (!HOST_IS_LITTLE_ENDIAN) throw new Error('onnx-builder: big-endian hosts are not supported')
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

function toAttribute(name: string, a: Attr): AttributeProto {
  const T = onnx.AttributeProto.AttributeType
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value }
    case 'float':
      return { name, type: T.FLOAT, f: a.value }
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] }
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) }
  }
}

function valueInfo(name: string, elemType: ElemType, dims: readonly Dim[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  }
}

/**
 * Collects inputs, initializers and nodes in order. Node and output names follow the exporter's
 * `/scope/Op` and `/scope/Op_output_0` style so a graph reads like a real export in Netron.
 */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = []
  private readonly initializers: TensorProto[] = []
  private readonly inputs: ValueInfoProto[] = []
  private readonly outputs: ValueInfoProto[] = []
  private readonly usedNames = new Set<string>()
  private readonly scopes: string[] = []
  private constantCount = 0

  constructor(readonly name: string) {}

  /** Runs `fn` with `path` (e.g. 'bert/encoder/layer.0') appended to the name scope of the nodes it adds. */
  scoped<T>(path: string, fn: () => T): T {
    const depth = this.scopes.length
    this.scopes.push(...path.split('/'))
    try {
      return fn()
    } finally {
      this.scopes.length = depth
    }
  }

  input(name: string, elemType: ElemType, dims: readonly Dim[]): string {
    this.claim(name)
    this.inputs.push(valueInfo(name, elemType, dims))
    return name
  }

  /** Declares a graph output; `name` must already be produced by a node. */
  output(name: string, elemType: ElemType, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims))
  }

  float(name: string, dims: readonly number[], data: Float32Array | readonly number[]): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data)
    return this.initializer(name, DataType.FLOAT, dims, bytesOf(values), values.length)
  }

  int64(name: string, dims: readonly number[], data: BigInt64Array | readonly number[]): string {
    const values = data instanceof BigInt64Array ? data : BigInt64Array.from(data, (v) => BigInt(v))
    return this.initializer(name, DataType.INT64, dims, bytesOf(values), values.length)
  }

  uint8(name: string, dims: readonly number[], data: Uint8Array): string {
    return this.initializer(name, DataType.UINT8, dims, bytesOf(data), data.length)
  }

  /** A float scalar (dims []) initializer, for the constants an exporter folds into the graph. */
  constFloat(value: number): string {
    return this.float(this.constantName(), [], [value])
  }

  /** An int64 scalar (dims []) initializer, e.g. a Gather index that drops the axis. */
  constInt64(value: number): string {
    return this.int64(this.constantName(), [], [value])
  }

  /** An int64 1-D initializer, e.g. Unsqueeze axes or a Reshape target shape. */
  constInts(values: readonly number[]): string {
    return this.int64(this.constantName(), [values.length], values)
  }

  /**
   * Adds a node and returns its output names: `outputs` generated ones, or the given names (for graph
   * outputs such as `logits`). Empty strings in `inputs` skip optional inputs.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, Attr> = {},
    outputs: number | readonly string[] = 1,
  ): string[] {
    const base = `/${[...this.scopes, opType].join('/')}`
    let nodeName = base
    for (let i = 1; this.usedNames.has(nodeName); i++) nodeName = `${base}_${i}`
    this.usedNames.add(nodeName)
    const outs =
      typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${nodeName}_output_${i}`) : [...outputs]
    for (const o of outs) this.claim(o)
    this.nodes.push({
      name: nodeName,
      opType,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
    })
    return outs
  }

  /** Single-output shorthand for `node`. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputName?: string): string {
    return this.node(opType, inputs, attrs, outputName === undefined ? 1 : [outputName])[0]!
  }

  /** Serializes the graph as a ModelProto. */
  toBytes(options: ModelOptions = {}): Uint8Array {
    const { irVersion = 8, opset = 17, producerName = 'webrerank-test-generator', metadata = {} } = options
    const model = onnx.ModelProto.create({
      irVersion,
      producerName,
      opsetImport: [{ domain: '', version: opset }],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    })
    return onnx.ModelProto.encode(model).finish()
  }

  private initializer(
    name: string,
    dataType: ElemType,
    dims: readonly number[],
    rawData: Uint8Array,
    count: number,
  ): string {
    const expected = dims.reduce((a, b) => a * b, 1)
    if (expected !== count) throw new Error(`onnx-builder: ${name} has ${count} values for dims [${dims.join(', ')}]`)
    this.claim(name)
    this.initializers.push({ name, dataType, dims: [...dims], rawData })
    return name
  }

  private constantName(): string {
    return `onnx::Constant_${this.constantCount++}`
  }

  private claim(name: string): void {
    if (this.usedNames.has(name)) throw new Error(`onnx-builder: duplicate name ${name}`)
    this.usedNames.add(name)
  }
}

/** Reads back the op types of a serialized model, for tests that check which patterns a graph uses. */
export function opTypesOf(modelBytes: Uint8Array): string[] {
  const model = onnx.ModelProto.decode(modelBytes)
  return (model.graph?.node ?? []).map((n) => n.opType ?? '')
}
