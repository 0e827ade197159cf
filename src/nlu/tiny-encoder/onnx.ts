/**
 * Builders for the few ONNX protobuf messages a small inference graph needs (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). Field numbers follow
 * onnx/onnx.proto; only the fields used here are written.
 */
import { Message } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
const AttributeType = { INT: 2 } as const;

/** A tensor dimension: a fixed size or a symbolic name such as "batch_size". */
export type Dim = number | string;

/** A graph input or output: its name, element type and shape. */
export function valueInfo(name: string, elemType: number, shape: readonly Dim[]): Message {
  const shapeMsg = new Message();
  for (const d of shape) {
    shapeMsg.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  }
  const tensorType = new Message().int(1, elemType).message(2, shapeMsg);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/** A float32 initializer stored as little-endian raw bytes. */
export function floatTensor(name: string, dims: readonly number[], data: Float32Array): Message {
  return tensor(name, dims, DataType.FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** An int64 initializer stored as little-endian raw bytes; `dims` [] makes a scalar. */
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): Message {
  const raw = new BigInt64Array(data.map((v) => BigInt(v)));
  return tensor(name, dims, DataType.INT64, new Uint8Array(raw.buffer));
}

function tensor(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): Message {
  const m = new Message();
  for (const d of dims) m.int(1, d); // repeated int64 dims, unpacked (both forms are valid)
  return m.int(2, dataType).string(8, name).raw(9, raw);
}

/** One operator application; `ints` are INT attributes (e.g. `{ to: 1 }` for Cast). */
export function node(opType: string, inputs: readonly string[], outputs: readonly string[], ints: Record<string, number> = {}): Message {
  const m = new Message();
  for (const i of inputs) m.string(1, i);
  for (const o of outputs) m.string(2, o);
  m.string(3, `${opType}_${outputs[0]}`).string(4, opType);
  for (const [name, value] of Object.entries(ints)) {
    m.message(5, new Message().string(1, name).int(3, value).int(20, AttributeType.INT));
  }
  return m;
}

export interface GraphParts {
  name: string;
  nodes: Message[];
  initializers: Message[];
  inputs: Message[];
  outputs: Message[];
}

/**
 * Serialises a whole model. IR version 8 and opset 13 load in onnxruntime 1.14 and later.
 *
 * @example modelBytes({ name: 'g', nodes, initializers, inputs, outputs }) // Uint8Array for onnx/model.onnx
 */
export function modelBytes(graph: GraphParts, { irVersion = 8, opset = 13, producer = 'parley' } = {}): Uint8Array {
  const g = new Message();
  for (const n of graph.nodes) g.message(1, n);
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, t);
  for (const i of graph.inputs) g.message(11, i);
  for (const o of graph.outputs) g.message(12, o);
  return new Message()
    .int(1, irVersion)
    .string(2, producer)
    .string(3, '1')
    .message(7, g)
    .message(8, new Message().string(1, '').int(2, opset))
    .bytes();
}
