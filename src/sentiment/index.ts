/**
 * Parley sentiment: conversation frustration (pure), the default training recipe, the data loader.
 * The classifier itself is the shared one in src/nlu (task 'sentiment').
 */
export {
  updateFrustration, initialFrustration, levelOf, negativityOf, FrustrationOptions,
  type FrustrationState, type FrustrationTurn, type RememberedTurn,
} from './frustration.js';
export { jaccard, questionTokens } from './similarity.js';
export { sentimentRecipe } from './recipe.js';
export { loadSentimentData, SENTIMENT_LABELS, type SentimentLabel, type SentimentData } from '../training/sentiment-data.js';
