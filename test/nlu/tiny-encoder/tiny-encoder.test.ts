import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTinyEncoder } from '../../../src/nlu/tiny-encoder/index.js';
import { Message, varint } from '../../../src/nlu/tiny-encoder/protobuf.js';
import { buildVocab } from '../../../src/nlu/tiny-encoder/vocab.js';

describe('protobuf wire encoding', () => {
  it('encodes varints like the protobuf spec examples', () => {
    expect(Array.from(varint(1))).toEqual([1]);
    expect(Array.from(varint(150))).toEqual([0x96, 0x01]);
    expect(Array.from(varint(300))).toEqual([0xac, 0x02]);
    expect(Array.from(varint(-1))).toEqual([...new Array(9).fill(0xff), 0x01]);
  });

  it('encodes fields with their keys', () => {
    // The spec's "Test1 { a: 150 }" and a string field 2 = "testing".
    expect(Array.from(new Message().int(1, 150).bytes())).toEqual([0x08, 0x96, 0x01]);
    expect(Buffer.from(new Message().string(2, 'testing').bytes()).toString('hex')).toBe('120774657374696e67');
    expect(Array.from(new Message().packedInts(4, [3, 270]).bytes())).toEqual([0x22, 0x03, 0x03, 0x8e, 0x02]);
    expect(Array.from(new Message().float(1, 1).bytes())).toEqual([0x0d, 0, 0, 0x80, 0x3f]);
  });
});

describe('generateTinyEncoder', () => {
  let tmp: string;
  beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-tiny-')); });
  afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

  it('writes the four files of a model folder, deterministically for a seed', async () => {
    const a = await generateTinyEncoder(path.join(tmp, 'a'), { dim: 8, seed: 1 });
    await generateTinyEncoder(path.join(tmp, 'b'), { dim: 8, seed: 1 });
    await generateTinyEncoder(path.join(tmp, 'c'), { dim: 8, seed: 2 });
    expect(a.files).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
    const onnx = (d: string) => readFile(path.join(tmp, d, 'onnx/model.onnx'));
    expect((await onnx('a')).equals(await onnx('b'))).toBe(true);
    expect((await onnx('a')).equals(await onnx('c'))).toBe(false);
    const config = JSON.parse(await readFile(path.join(tmp, 'a', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 8, vocab_size: a.vocabSize });
    expect(a.vocabSize).toBeGreaterThan(300);
    await expect(generateTinyEncoder(path.join(tmp, 'bad'), { dim: 0 })).rejects.toThrow(/dim must be an integer/);
  });

  it('has a WordPiece vocabulary with BERT special tokens and customer-service words', () => {
    const vocab = buildVocab();
    expect(vocab.slice(0, 4)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]']);
    expect(new Set(vocab).size).toBe(vocab.length);
    for (const w of ['refund', 'order', 'password', 'delivery', 'invoice', '##ing', '##z']) expect(vocab).toContain(w);
  });

  it('its tokenizer loads in transformers.js and splits words into WordPiece tokens', async () => {
    await generateTinyEncoder(path.join(tmp, 'tok'), { maxLength: 16 });
    const saved = { local: env.localModelPath, remote: env.allowRemoteModels };
    env.localModelPath = tmp;
    env.allowRemoteModels = false;
    try {
      const tokenizer = await AutoTokenizer.from_pretrained('tok');
      const byId = new Map([...tokenizer.get_vocab()].map(([t, id]) => [id, t]));
      const ids = tokenizer.encode('Where is my ORDER? Refunding!');
      expect(ids.map((id) => byId.get(id))).toEqual(['[CLS]', 'where', 'is', 'my', 'order', '?', 'refund', '##ing', '!', '[SEP]']);
      expect(tokenizer.tokenize('zyx')).toEqual(['z', '##y', '##x']);
      // The feature-extraction pipeline truncates at model_max_length, [SEP] kept.
      const batch = tokenizer(['order '.repeat(40)], { padding: true, truncation: true });
      expect(batch.input_ids.dims).toEqual([1, 16]);
    } finally {
      env.localModelPath = saved.local;
      env.allowRemoteModels = saved.remote;
    }
  });
});
