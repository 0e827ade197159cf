/**
 * Parley NLU: the public API.
 */
// Contracts
export type * from './types.js';
// Training, loading, evaluating
export { trainClassifier, hashData, type TrainOptions, type TrainedClassifier } from './train.js';
export { loadModel, readManifest } from './model/load.js';
export { evaluate, evaluateAsync, evaluatePredictions, sentimentScore, type Evaluation, type EvaluateOptions } from './evaluate.js';
export { ParleyClassifier, OOS_LABEL, FALLBACK_LABEL } from './predictor.js';
// Model folders
export { readCurrent, writeCurrent, resolveModel, versionName, type CurrentModels } from './model/current.js';
export { ModelFormatError, FORMAT_VERSION } from './model/errors.js';
// Featurizers (for plug-ins)
export { registerFeaturizer, createFeaturizer, featurizerKinds, type FeaturizerSpec } from './featurizers/registry.js';
export { NgramsFeaturizer } from './featurizers/ngrams.js';
export { normalize, tokenize } from './featurizers/normalize.js';
export { fnv1a32 } from './featurizers/hash.js';
// Building blocks
export { SoftmaxTrainer, type EpochReport } from './classifier/trainer.js';
export { OptionsError } from './classifier/options.js';
export { expectedCalibrationError, fitTemperature, chooseThreshold, type ReliabilityBin } from './calibration.js';
export { explain } from './explain.js';
