import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver } from '../bot/engine.js';

/** The server's Prometheus metrics, in a registry of their own (tests can create several). */
export interface ServerMetrics {
  registry: Registry;
  observer: EngineObserver;
  /** Set the gauge of connected widget sockets from a live count. */
  clients(count: () => number): void;
}

/**
 * Creates the metrics: messages stored by role, turn latency, escalations by trigger,
 * connected clients, plus Node's defaults.
 */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const messages = new Counter({ name: 'parley_messages_total', help: 'Messages stored, by role', labelNames: ['role'], registers: [registry] });
  const turns = new Histogram({
    name: 'parley_turn_duration_seconds',
    help: 'Time from the start of a turn to its reply (understand, decide, respond, store)',
    labelNames: ['action'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const escalations = new Counter({ name: 'parley_escalations_total', help: 'Conversations escalated to agents, by trigger', labelNames: ['trigger'], registers: [registry] });
  let countClients: () => number = () => 0;
  new Gauge({ name: 'parley_connected_clients', help: 'Open web chat sockets', registers: [registry], collect() { this.set(countClients()); } });
  return {
    registry,
    clients(count) {
      countClients = count;
    },
    observer: {
      message: (role) => messages.inc({ role }),
      turn: ({ ms, action, trigger }) => {
        turns.observe({ action }, ms / 1000);
        if (action === 'escalate') escalations.inc({ trigger: trigger ?? 'unknown' });
      },
    },
  };
}
