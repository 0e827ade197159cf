import { open, readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';

const LITTLE = endianness() === 'LE';

/** Writes a typed array as little-endian bytes (the on-disk order of every Parley binary). */
export async function writeBinaryLE(path: string, data: Float32Array | Int32Array): Promise<void> {
  const copy = LITTLE ? data : swapped(data);
  await writeFile(path, new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength));
}

/** Reads a little-endian Float32 file written by `writeBinaryLE`. */
export async function readFloat32LE(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  const out = new Float32Array(aligned(bytes), 0, bytes.byteLength >>> 2);
  return LITTLE ? out : (swapped(out) as Float32Array);
}

/**
 * Reads a little-endian Float32 file written by `writeBinaryLE` into arrays that already
 * exist: its first `targets[0].length` values into `targets[0]`, the next ones into
 * `targets[1]`, and so on. The file must hold exactly that many values; returns false (and
 * reads nothing) when it does not.
 */
export async function readFloat32LEInto(path: string, targets: readonly Float32Array[]): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const expected = targets.reduce((n, t) => n + t.byteLength, 0);
    if ((await handle.stat()).size !== expected) return false;
    let position = 0;
    for (const target of targets) {
      const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
      for (let done = 0; done < bytes.byteLength;) {
        const { bytesRead } = await handle.read(bytes, done, bytes.byteLength - done, position + done);
        if (bytesRead === 0) return false;
        done += bytesRead;
      }
      position += bytes.byteLength;
      if (!LITTLE) target.set(swapped(target));
    }
    return true;
  } finally {
    await handle.close();
  }
}

/** Reads a little-endian Int32 file written by `writeBinaryLE`. */
export async function readInt32LE(path: string): Promise<Int32Array> {
  const bytes = await readFile(path);
  const out = new Int32Array(aligned(bytes), 0, bytes.byteLength >>> 2);
  return LITTLE ? out : (swapped(out) as Int32Array);
}

/** The bytes as a 4-byte-aligned ArrayBuffer of their own; large files usually already are (no copy). */
function aligned(bytes: Buffer): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength) return bytes.buffer as ArrayBuffer;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function swapped<T extends Float32Array | Int32Array>(data: T): T {
  const copy = data.slice() as T;
  const view = new DataView(copy.buffer);
  for (let i = 0; i < copy.length; i++) view.setUint32(i * 4, view.getUint32(i * 4, true), false);
  return copy;
}
