/** A model folder that this version of Parley cannot read; the message says which and what to do. */
export class ModelFormatError extends Error {
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.name = 'ModelFormatError';
  }
}

/** The model format this code writes and reads. */
export const FORMAT_VERSION = 1;
