import { UserError } from '../cli/user-error.js';
import { loadModel, resolveModel, type ParleyClassifier } from '../nlu/index.js';

/**
 * Loads a model from 'intent' / 'sentiment' (the current one), a version under `modelsDir`,
 * or a folder; every failure (unknown name, missing or foreign folder, unsupported format)
 * becomes a one-line UserError.
 *
 * @example const model = await openModel('intent'); // the version models/current.json names
 */
export async function openModel(nameOrPath: string, modelsDir = 'models'): Promise<ParleyClassifier> {
  try {
    return await loadModel(await resolveModel(modelsDir, nameOrPath));
  } catch (error) {
    throw new UserError((error as Error).message, 2, { cause: error });
  }
}
