/**
 * `logitsBlocked` as a WebAssembly SIMD kernel: eight labels per pass over the rows, as four
 * f64x2 pairs. Each lane does what the JavaScript kernel does for its label, in the same order
 * (bias, then + value x weight row by row, in double precision from float32 weights; no fused
 * multiply-add), so the logits are the same bit for bit, in about two thirds of the time
 * (CLINC150, 151 labels). The module is assembled here from a few opcodes (no build step);
 * when WebAssembly SIMD is unavailable `wasmLogits` returns undefined and callers keep the
 * JavaScript kernel.
 *
 * The last block may be partial (151 labels = 18 blocks + 7): its missing lanes read whatever
 * follows the row in memory (the next row, or the bias and scratch areas after the weights)
 * and their sums are never read; lanes do not mix, so the real labels are unaffected.
 *
 * The function, in WebAssembly text:
 *
 *   (func (export "blocks") (param $w $bias $blocks $bases $values $n $out i32)
 *     for $blk in [0, $blocks):                      ;; labels l = 8 * $blk .. l + 8
 *       $lo = 32 * $blk                              ;; byte offset of label l in a float32 row
 *       acc[k] = f64x2.promote_low_f32x4(v128.load64_zero($bias + $lo + 8k))   k = 0..3
 *       for j in [0, $n):
 *         $p = $w + 4 * i32.load($bases + 4j) + $lo   ;; bases hold row * labels
 *         $v = v128.load64_splat($values + 8j)
 *         acc[k] = f64x2.add(acc[k], f64x2.mul($v, f64x2.promote_low_f32x4(v128.load64_zero($p + 8k))))
 *       v128.store($out + 64 * $blk + 16k, acc[k])  ;; float64 logits
 */

/** A model's weights and scratch arrays inside WebAssembly memory, and the kernel over them. */
export interface WasmLogits {
  /** Gather space for up to `capacity` rows: row * labels and the feature value. */
  readonly bases: Int32Array;
  readonly values: Float64Array;
  readonly capacity: number;
  /** Logits of every label from the first `n` gathered rows, into `out`. */
  logits(n: number, out: Float64Array): Float64Array;
}

/** Rows a text can have and still use the kernel (a longer text uses the JavaScript one). */
export const WASM_ROW_CAPACITY = 16_384;

/** A kernel whose weights and bias are filled in place (read from a file straight into it). */
export interface WasmKernelSpace {
  /** Views of the kernel's memory: write the weights and the bias here before the first logits. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly kernel: WasmLogits;
}

/**
 * Allocates the kernel's memory for `weightCount` weights of `labels` labels, or undefined
 * when WebAssembly SIMD is unavailable or they do not fit (1 GiB). A model loader reads its
 * weights file into `weights` and `bias` directly: one copy of the weights in memory, and
 * fresh pages touched once (page faults made copying a CLINC150-size model cost 100-200 ms).
 */
export function wasmKernelSpace(labels: number, weightCount: number, capacity = WASM_ROW_CAPACITY): WasmKernelSpace | undefined {
  const module = kernelModule();
  const blocks = Math.ceil(labels / 8);
  const biasAt = align16(weightCount * 4);
  const outAt = biasAt + align16(labels * 4);
  const basesAt = outAt + blocks * 64; // a partial block's sums too
  const valuesAt = basesAt + align16(capacity * 4);
  const total = valuesAt + capacity * 8;
  if (!module || total > 2 ** 30) return undefined;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536) });
  const run = (new WebAssembly.Instance(module, { env: { memory } }).exports as { blocks: (...args: number[]) => void }).blocks;
  const buffer = memory.buffer;
  const out = new Float64Array(buffer, outAt, labels);
  return {
    weights: new Float32Array(buffer, 0, weightCount),
    bias: new Float32Array(buffer, biasAt, labels),
    kernel: {
      capacity,
      bases: new Int32Array(buffer, basesAt, capacity),
      values: new Float64Array(buffer, valuesAt, capacity),
      logits(n, into) {
        run(0, biasAt, blocks, basesAt, valuesAt, n, outAt);
        into.set(out);
        return into;
      },
    },
  };
}

/**
 * Copies `weights` and `bias` into a WebAssembly memory with the kernel over them (the
 * returned `weights` and `bias` are views of that copy), or undefined when WebAssembly SIMD
 * is unavailable or the weights do not fit (1 GiB).
 */
export function wasmLogits(weights: Float32Array, bias: Float32Array, labels: number, capacity = WASM_ROW_CAPACITY): WasmKernelSpace | undefined {
  const space = wasmKernelSpace(labels, weights.length, capacity);
  if (!space) return undefined;
  space.weights.set(weights);
  space.bias.set(bias);
  return space;
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel (once per process), or null without WebAssembly SIMD. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = kernelBytes();
  compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

// Opcodes used (https://webassembly.github.io/spec/core/binary/instructions.html).
const I32 = 0x7f, V128 = 0x7b;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, I32_CONST = 0x41, I32_LOAD = 0x28;
const I32_EQZ = 0x45, I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_SUB = 0x6b, I32_SHL = 0x74;
const SIMD = 0xfd;
const simd = (op: number): number[] => [SIMD, ...uleb(op)];
const V128_LOAD64_SPLAT = simd(0x0a), V128_STORE = simd(0x0b), V128_LOAD64_ZERO = simd(0x5d);
const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f), F64X2_ADD = simd(0xf0), F64X2_MUL = simd(0xf2);

// Locals: the seven parameters, then six i32 and five v128.
const W = 0, BIAS = 1, BLOCKS = 2, BASES = 3, VALUES = 4, N = 5, OUT = 6;
const BLK = 7, J = 8, P = 9, BP = 10, VP = 11, LO = 12, ACC = 13, V = 17;

const get = (i: number): number[] => [LOCAL_GET, i];
const set = (i: number): number[] => [LOCAL_SET, i];
const i32 = (n: number): number[] => [I32_CONST, ...sleb(n)];
/** Memory access with alignment hint 0 (any address) and a constant offset. */
const mem = (op: number[], offset: number): number[] => [...op, 0, ...uleb(offset)];

function kernelBody(): number[] {
  const accs = [0, 1, 2, 3];
  return [
    ...i32(0), ...set(BLK),
    BLOCK, VOID, LOOP, VOID,
    ...get(BLK), ...get(BLOCKS), I32_GE_U, BR_IF, 1,
    ...get(BLK), ...i32(5), I32_SHL, ...set(LO),
    ...accs.flatMap((k) => [...get(BIAS), ...get(LO), I32_ADD, ...mem(V128_LOAD64_ZERO, 8 * k), ...F64X2_PROMOTE_LOW_F32X4, ...set(ACC + k)]),
    ...get(BASES), ...set(BP), ...get(VALUES), ...set(VP), ...get(N), ...set(J),
    BLOCK, VOID, LOOP, VOID,
    ...get(J), I32_EQZ, BR_IF, 1,
    ...get(W), ...get(BP), ...mem([I32_LOAD], 0), ...i32(2), I32_SHL, I32_ADD, ...get(LO), I32_ADD, ...set(P),
    ...get(VP), ...mem(V128_LOAD64_SPLAT, 0), ...set(V),
    ...accs.flatMap((k) => [
      ...get(ACC + k), ...get(V), ...get(P), ...mem(V128_LOAD64_ZERO, 8 * k), ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_MUL, ...F64X2_ADD, ...set(ACC + k),
    ]),
    ...get(BP), ...i32(4), I32_ADD, ...set(BP),
    ...get(VP), ...i32(8), I32_ADD, ...set(VP),
    ...get(J), ...i32(1), I32_SUB, ...set(J),
    BR, 0, END, END,
    ...accs.flatMap((k) => [...get(OUT), ...get(BLK), ...i32(6), I32_SHL, I32_ADD, ...get(ACC + k), ...mem(V128_STORE, 16 * k)]),
    ...get(BLK), ...i32(1), I32_ADD, ...set(BLK),
    BR, 0, END, END,
    END,
  ];
}

function kernelBytes(): Uint8Array<ArrayBuffer> {
  const body = [...vec([[6, I32], [5, V128]].map(([count, type]) => [...uleb(count), type])), ...kernelBody()];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: 7 }, () => [I32])), ...vec([])]])),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([uleb(0)])),
    ...section(7, vec([[...str('blocks'), 0x00, ...uleb(0)]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** A vector: its length, then its items. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function str(s: string): number[] {
  return vec([...s].map((c) => [c.charCodeAt(0)]));
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}
