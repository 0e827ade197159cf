import { loadModel } from './src/nlu/index.ts';
import { loadIntents } from './src/training/intents.ts';
const m = await loadModel('models/intent-20261128-125048-9970d5');
const s = await loadIntents('intents');
for (const i of s.intents) for (const r of i.responses) for (const q of r.quickReplies ?? []) {
  const p = m.predict(q.value); console.log(i.name.padEnd(20), p.label.padEnd(20), p.confidence.toFixed(2), q.value);
}
