/**
 * The minimal protobuf wire encoding (proto3 / proto2 compatible) needed to write an ONNX
 * model: varints, length-delimited fields and packed repeated scalars. Writing it by hand
 * keeps the tiny model generator free of a protobuf dependency.
 */

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const FIXED32 = 5;
const LENGTH_DELIMITED = 2;

/** Bytes of an unsigned or signed integer as a base-128 varint (negatives as 10-byte two's complement). */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/**
 * Builds one protobuf message field by field. Fields are written in call order, which
 * protobuf parsers accept; repeated fields are simply written several times.
 *
 * @example new Message().int(1, 8).string(2, 'parley').bytes() // ModelProto{ir_version: 8, producer_name: 'parley'}
 */
export class Message {
  private readonly parts: Uint8Array[] = [];

  private key(field: number, wireType: number): void {
    this.parts.push(varint((field << 3) | wireType));
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.key(field, VARINT);
    this.parts.push(varint(value));
    return this;
  }

  /** float field (fixed 32 bit, little endian). */
  float(field: number, value: number): this {
    this.key(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
    return this;
  }

  /** string field (UTF-8). */
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  /** bytes field, or an embedded message given as bytes. */
  raw(field: number, value: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.parts.push(varint(value.length), value);
    return this;
  }

  /** Embedded message field. */
  message(field: number, value: Message): this {
    return this.raw(field, value.bytes());
  }

  /** Packed repeated int64 field. */
  packedInts(field: number, values: ReadonlyArray<number | bigint>): this {
    return this.raw(field, concat(values.map((v) => varint(v))));
  }

  /** The encoded message. */
  bytes(): Uint8Array {
    return concat(this.parts);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
