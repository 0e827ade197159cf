/**
 * The tiny encoder's ONNX graph: BERT's embedding layer (word + position + token type)
 * followed by one tanh dense layer, masked by the attention mask. No attention: it only
 * has to be a valid, deterministic feature-extraction model with BERT's inputs and output.
 *
 *   h = tanh((E_word[input_ids] + E_pos[0..seq) + E_type[token_type_ids]) · W + b) * mask
 */
import { DataType, floatTensor, int64Tensor, modelBytes, node, valueInfo } from './onnx.js';

export interface TinyGraphOptions {
  vocabSize: number;
  dim: number;
  maxPositions: number;
  /** Uniform random source in [0, 1). */
  rand: () => number;
}

/** The serialised `onnx/model.onnx`. */
export function tinyEncoderOnnx({ vocabSize, dim, maxPositions, rand }: TinyGraphOptions): Uint8Array {
  const uniform = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale;
    return a;
  };
  const initializers = [
    floatTensor('word_embeddings', [vocabSize, dim], uniform(vocabSize * dim, 1)),
    floatTensor('position_embeddings', [maxPositions, dim], uniform(maxPositions * dim, 0.1)),
    floatTensor('token_type_embeddings', [2, dim], uniform(2 * dim, 0.1)),
    floatTensor('dense_weight', [dim, dim], uniform(dim * dim, Math.sqrt(3 / dim))),
    floatTensor('dense_bias', [dim], uniform(dim, 0.1)),
    int64Tensor('zero', [], [0]),
    int64Tensor('one', [], [1]),
    int64Tensor('last_axis', [1], [-1]),
  ];
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['words']),
    // Positions 0..seq-1 from the runtime shape of input_ids.
    node('Shape', ['input_ids'], ['ids_shape']),
    node('Gather', ['ids_shape', 'one'], ['seq_len']),
    node('Range', ['zero', 'seq_len', 'one'], ['positions']),
    node('Gather', ['position_embeddings', 'positions'], ['positional']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
    node('Add', ['words', 'positional'], ['words_pos']),
    node('Add', ['words_pos', 'types'], ['embedded']),
    node('MatMul', ['embedded', 'dense_weight'], ['projected']),
    node('Add', ['projected', 'dense_bias'], ['biased']),
    node('Tanh', ['biased'], ['hidden']),
    node('Cast', ['attention_mask'], ['mask_float'], { to: DataType.FLOAT }),
    node('Unsqueeze', ['mask_float', 'last_axis'], ['mask_3d']),
    node('Mul', ['hidden', 'mask_3d'], ['last_hidden_state']),
  ];
  const seq = ['batch_size', 'sequence_length'];
  return modelBytes({
    name: 'parley_tiny_encoder',
    nodes,
    initializers,
    inputs: [
      valueInfo('input_ids', DataType.INT64, seq),
      valueInfo('attention_mask', DataType.INT64, seq),
      valueInfo('token_type_ids', DataType.INT64, seq),
    ],
    outputs: [valueInfo('last_hidden_state', DataType.FLOAT, [...seq, dim])],
  });
}
