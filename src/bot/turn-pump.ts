import { endOfPhase } from '../loop/end-of-phase.js';

/**
 * Starts turns in the order their messages were accepted, at most `perPhase` of them per
 * phase of the event loop, with the loop reading sockets in between. Started as soon as
 * their messages are accepted, the turns would run between two socket reads, and under load
 * the sockets further down the loop's list (and those that became readable meanwhile) would
 * wait for all of them: the customers who wrote first were answered last. Here a message
 * read now waits only for the turns accepted before it, and the replies of each slice go out
 * while the next one runs.
 *
 * @example
 * const pump = new TurnPump();
 * await pump.ticket(); // now it is this turn's time
 */
export class TurnPump {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  constructor(private readonly perPhase = 64) {}

  /** Resolves when the turns accepted before this one have been started. */
  ticket(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    endOfPhase(this.release);
  }

  private readonly release = (): void => {
    this.scheduled = false;
    for (const start of this.waiting.splice(0, this.perPhase)) start();
    if (this.waiting.length > 0) this.schedule();
  };
}
