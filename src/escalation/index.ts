/** Escalation: when the bot hands a conversation to a person, why, and in which order. */
export { decide } from './decide.js';
export { advanceSnapshot, initialSnapshot } from './frustration.js';
export { EscalationPolicy, defaultPolicy, type EscalationPolicyInput } from './policy.js';
export { queuePriority, basePriority, waitingBoost, attributeBoost, type QueueEntry } from './priority.js';
export { summarize, summaryFacts, type SummaryItem, type SummaryFacts } from './summary.js';
export type { ConversationSnapshot, TurnUnderstanding, Decision, Trigger, Frustration, Owner } from './types.js';
