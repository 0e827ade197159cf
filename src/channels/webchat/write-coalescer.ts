import type { Duplex } from 'node:stream';
import { endOfPhase } from '../../loop/end-of-phase.js';

/**
 * Coalesces the frames a socket is sent during one event-loop turn into one write. A
 * customer message produces several frames within a turn or two (ack, the message itself,
 * typing on, the reply, typing off); sent one by one each is a syscall of its own, on the
 * server and a wakeup on the client. The socket is corked at its first frame of the turn and
 * uncorked once for every socket when the loop phase ends (`endOfPhase`, as the group commit
 * and the turn slices): frames written by turns that ran in the check phase go out before
 * the next poll phase reads sockets, not after it. A turn that reads a burst (a thousand
 * customers writing at once) runs for hundreds of milliseconds: at most `maxHeld` sockets
 * wait, then they go out and the next ones are held, so early replies do not wait for the
 * whole burst.
 *
 * @example
 * const coalescer = new WriteCoalescer();
 * coalescer.hold(rawSocket); ws.send(a); ws.send(b); // one write, after this turn
 */
export class WriteCoalescer {
  private held = new Set<Duplex>();

  /** `maxHeld`: sockets held at once; the next one releases them all first (see the class comment). */
  constructor(private readonly maxHeld = 64) {}

  hold(socket: Duplex): void {
    if (this.held.has(socket) || socket.destroyed) return;
    if (this.held.size >= this.maxHeld) this.release();
    if (this.held.size === 0) endOfPhase(this.release);
    socket.cork();
    this.held.add(socket);
  }

  private readonly release = (): void => {
    const held = this.held;
    this.held = new Set();
    for (const socket of held) socket.uncork();
  };
}
