import type { ZodError } from 'zod';

/** Turns a zod error on featurizer settings into one readable line naming the bad value. */
export function settingsError(kind: string, error: ZodError): Error {
  const detail = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return new Error(`featurizer '${kind}': invalid settings (${detail})`);
}
