import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { Activity, Role } from '../../bot/activity.js';
import type { Engine } from '../../bot/engine-api.js';
import type { OwnershipTransition, StoredMessage } from '../../store/types.js';
import type { WebchatSettings } from './options.js';
import { parseClientFrame, type ClientFrame, type ErrorCode, type HelloFrame, type ServerFrame } from './protocol.js';
import { TokenBucket } from './rate-limit.js';
import { signResumeToken, verifyResumeToken } from './resume-token.js';
import type { WriteCoalescer } from './write-coalescer.js';

/** WebSocket close codes we use (4000-4999 are the application's). */
export const CloseCode = {
  shutdown: 1001,
  abuse: 1008,
  idle: 4000,
  badResumeToken: 4001,
  helloTimeout: 4002,
  slowConsumer: 4003,
} as const;

/** Sessions of a conversation, so engine events reach every tab that shows it. */
export interface SessionRegistry {
  /** The session joined its conversation. */
  add(session: WebchatSession): void;
  /** A joined session left its conversation. */
  remove(session: WebchatSession): void;
  /** The session is closed (joined or not): nothing is sent to it any more. */
  closed?(session: WebchatSession): void;
}

/** Who joined which conversation: lets the server store the page's customer attributes. */
export interface JoinInfo {
  conversationId: string;
  customerId: string;
  attributes: Record<string, string>;
  resumed: boolean;
}

/** A slow reader that lets this much pile up in its send buffer is dropped, not buffered forever. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Bot replies remembered per socket, for checking thumbs without a store round trip. */
const MAX_REMEMBERED_REPLIES = 500;

// A server holds thousands of idle sockets, so a session allocates little until it is used:
// the listeners below are shared by every session (they find theirs through the socket)
// instead of closures made per session, the chains start from one settled promise, and no
// session has a timer of its own (`expire`, called by the server's sweep, instead).
const SESSION = Symbol('webchat session');
type SessionSocket = WebSocket & { [SESSION]: WebchatSession };
const settled: Promise<void> = Promise.resolve();
const sessionOf = (ws: WebSocket): WebchatSession => (ws as SessionSocket)[SESSION];
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void { sessionOf(this).onFrame(data, isBinary); }
function onSocketPong(this: WebSocket): void { sessionOf(this).alive = true; }
function onSocketClose(this: WebSocket): void { sessionOf(this).dispose(); }
function onSocketError(this: WebSocket, error: Error): void { sessionOf(this).socketError(error); }
function onHoldExpired(session: WebchatSession): void { session.releaseHeld(); }
const BOT_TYPING: ServerFrame = { type: 'typing', role: 'bot', on: true };

/**
 * One WebSocket connection of the widget: parses and polices frames, turns messages into
 * Activities for the engine, and delivers the conversation's messages exactly once and in
 * `seq` order (replay on resume, then live events, with gaps filled from history).
 */
export class WebchatSession {
  conversationId: string | undefined;
  customerId: string | undefined;
  private state: 'new' | 'joined' | 'closed' = 'new';
  /** Highest seq this socket has delivered (or the client said it had on resume). */
  private sentSeq = 0;
  private delivery = settled;
  /** Accepts run one at a time: messages written in a row are stored in that order. */
  private accepting = settled;
  /** Created with the first reply delivered on this socket. */
  private botReplies: Set<string> | undefined;
  /** Made with the first message: a bucket nobody took from yet is simply full. */
  private messages: TokenBucket | undefined;
  private readonly frames: TokenBucket;
  private strikes = 0;
  private customerTyping = false;
  /**
   * Frames held while the bot answers a customer message, from the bot starting to type
   * until its reply is delivered or `replyHoldMs` passes (see `onTyping`).
   */
  private held: ServerFrame[] | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Whether the bot is typing, as far as the held frames go. */
  private heldTyping = false;
  /** Whether this socket was told the bot is typing (a `typing off` it was never told of is not sent). */
  private botTypingShown = false;
  /** When the socket opened, then when its last frame came (`performance.now()`, whole ms). */
  private lastFrameAt: number;
  private readonly socket: Duplex | undefined;
  private readonly coalescer: WriteCoalescer | undefined;
  /** Cleared before each keepalive ping, set again by the pong. */
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly engine: Engine,
    private readonly settings: WebchatSettings & { onJoin?: (info: JoinInfo) => void | Promise<void> },
    private readonly registry: SessionRegistry,
    /** The raw socket under `ws` and the coalescer that batches writes to it (optional). */
    writes?: { socket: Duplex; coalescer: WriteCoalescer },
  ) {
    // Two fields, not the object: one object fewer per socket.
    this.socket = writes?.socket;
    this.coalescer = writes?.coalescer;
    this.frames = new TokenBucket(settings.frameRate);
    this.lastFrameAt = Math.round(performance.now());
    (ws as SessionSocket)[SESSION] = this;
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('close', onSocketClose);
    ws.on('error', onSocketError);
  }

  /** Closes the socket (politely: the client gets the code and reason). */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.releaseHeld(); // an ack held for a reply still goes out before the close
    this.ws.close(code, reason);
    this.dispose();
  }

  /**
   * Closes the socket if it said no hello within `helloTimeoutMs` of opening, or sent no
   * frame for `idleTimeoutMs`. The server calls it for every socket every so often (see
   * `expirySweepMs`), so a socket is closed up to one sweep later than its limit.
   */
  expire(now = performance.now()): void {
    const quiet = now - this.lastFrameAt;
    if (this.state === 'new' && quiet >= this.settings.helloTimeoutMs) this.close(CloseCode.helloTimeout, 'no hello');
    else if (this.state === 'joined' && quiet >= this.settings.idleTimeoutMs) this.close(CloseCode.idle, 'idle');
  }

  /** Protocol-level ping; browsers answer it without any widget code. */
  ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  /** Drops a peer that stopped answering pings. */
  terminate(): void {
    this.ws.terminate();
    this.dispose();
  }

  /** A stored, customer-visible message of this conversation (from the engine's events). */
  onMessage(message: StoredMessage): void {
    this.enqueue(async () => {
      if (message.seq <= this.sentSeq) return; // already delivered (replay overlap, another tab's duplicate)
      if (message.seq === this.sentSeq + 1) return this.deliver(message);
      // A gap: an earlier message's event has not arrived yet (or it was an internal note).
      // History is the truth; read what is missing rather than guess.
      for (const m of await this.engine.history(this.conversationId!, this.sentSeq)) this.deliver(m);
    });
  }

  /**
   * The bot starting to type opens a hold: what this socket is sent meanwhile (the ack, the
   * customer's own message) waits, and goes out with the reply in one write once the bot
   * stops typing, without the typing frames (a typing indicator shown for a few milliseconds
   * is only a flicker). Under load that is one socket write and one client wakeup per
   * message instead of two. A reply slower than `replyHoldMs` does not keep the ack waiting
   * longer: the held frames go out then, with the bot typing.
   */
  onTyping(role: Role, on: boolean): void {
    if (role === 'customer') return;
    if (role === 'bot' && this.settings.replyHoldMs > 0 && this.state === 'joined') {
      if (this.held) {
        this.heldTyping = on;
        // Behind the deliveries already queued (the reply among them), not before them; the
        // bot typing again by then (the customer's next message) holds on, up to the timer.
        if (!on) this.enqueue(async () => { if (!this.heldTyping) this.releaseHeld(); });
        return;
      }
      if (on) {
        this.held = [];
        this.heldTyping = true;
        this.holdTimer = setTimeout(onHoldExpired, this.settings.replyHoldMs, this);
        return;
      }
    }
    if (role === 'bot') {
      if (!on && !this.botTypingShown) return;
      this.botTypingShown = on;
    }
    this.send({ type: 'typing', role, on });
  }

  /** @internal Sends the held frames (see `onTyping`), after the bot typing if it still is. */
  releaseHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    if (this.heldTyping) {
      this.botTypingShown = true;
      this.send(BOT_TYPING);
    }
    for (const frame of held) this.send(frame);
  }

  onTransition(t: OwnershipTransition): void {
    this.send({ type: 'state', owner: t.to });
  }

  /** @internal the socket's listeners (above) */
  socketError(error: Error): void {
    this.settings.logger?.warn({ err: error, conversationId: this.conversationId }, 'webchat socket error');
  }

  /** @internal */
  onFrame(data: RawData, isBinary: boolean): void {
    if (this.state === 'closed') return;
    // Whole milliseconds: a small integer is stored in the field itself, a fraction in a box.
    if (this.state === 'joined') this.lastFrameAt = Math.round(performance.now());
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const bytes = buffer.length;
    if (isBinary) return this.refuse('malformed', 'binary frames are not supported; send JSON text');
    if (bytes > this.settings.maxFrameBytes) return this.refuse('too_large', `frame of ${bytes} bytes exceeds the limit of ${this.settings.maxFrameBytes}`);
    if (!this.frames.take()) return this.refuse('rate_limited', 'too many frames; slow down');
    const parsed = parseClientFrame(buffer.toString('utf8'));
    if (!parsed.ok) return this.refuse(parsed.code, parsed.reason, parsed.clientId);
    this.handle(parsed.frame);
  }

  private handle(frame: ClientFrame): void {
    if (frame.type === 'ping') return this.send({ type: 'pong' });
    if (frame.type === 'hello') {
      if (this.state !== 'new') return this.refuse('already_joined', 'this socket already joined a conversation');
      return void this.join(frame);
    }
    if (this.state !== 'joined') return this.refuse('hello_required', `send hello before ${frame.type}`);
    switch (frame.type) {
      case 'message':
        return this.serially(() => this.acceptText(frame.clientId, frame.text));
      case 'quickReply':
        return this.serially(() => this.acceptText(frame.clientId, frame.value));
      case 'thumbs':
        return void this.thumbs(frame.messageId, frame.value);
      case 'typing':
        this.customerTyping = frame.on;
        return this.engine.typing(this.conversationId!, 'customer', frame.on);
    }
  }

  private async join(hello: HelloFrame): Promise<void> {
    this.lastFrameAt = Math.round(performance.now()); // idle from now on, not from the socket's opening
    let resumed = false;
    if (hello.resumeToken) {
      const verified = verifyResumeToken(this.settings.secret, hello.resumeToken, { maxAgeMs: this.settings.tokenMaxAgeMs });
      if (!verified.ok) return this.rejectResume(verified.reason);
      if (hello.conversationId && hello.conversationId !== verified.claims.conversationId) {
        return this.rejectResume('resume token was issued for another conversation');
      }
      this.conversationId = verified.claims.conversationId;
      this.customerId = verified.claims.customerId;
      this.sentSeq = hello.lastSeq ?? 0;
      resumed = true;
    } else if (hello.conversationId) {
      return this.rejectResume('resuming a conversation needs its resumeToken');
    } else {
      this.conversationId = `web:${randomUUID()}`;
      // The page may name its logged-in customer; it is a label, not an authentication.
      this.customerId = hello.customer?.id ?? `web:${randomUUID()}`;
    }
    this.state = 'joined';
    // Register before reading history: a message stored in between then arrives as an
    // event, and the seq check drops whichever copy comes second.
    this.registry.add(this);
    // The token is re-issued on every join, so an active customer never sees it expire.
    const resumeToken = signResumeToken(this.settings.secret, { conversationId: this.conversationId, customerId: this.customerId, iat: Date.now() });
    this.send({ type: 'welcome', conversationId: this.conversationId, resumeToken, customerId: this.customerId });
    try {
      await this.settings.onJoin?.({ conversationId: this.conversationId, customerId: this.customerId, attributes: hello.customer?.attributes ?? {}, resumed });
    } catch (error) {
      this.settings.logger?.warn({ err: error, conversationId: this.conversationId }, 'webchat onJoin failed');
    }
    if (resumed) {
      this.enqueue(async () => {
        for (const m of await this.engine.history(this.conversationId!, this.sentSeq)) this.deliver(m);
      });
    }
  }

  private rejectResume(reason: string): void {
    this.send({ type: 'error', code: 'bad_resume_token', reason });
    this.close(CloseCode.badResumeToken, 'bad resume token');
  }

  private async acceptText(clientId: string, text: string): Promise<void> {
    if (text.trim() === '') return this.send({ type: 'error', code: 'empty_text', reason: 'message text is empty', clientId });
    if (text.length > this.settings.maxTextLength) {
      return this.send({ type: 'error', code: 'text_too_long', reason: `message of ${text.length} characters exceeds the limit of ${this.settings.maxTextLength}`, clientId });
    }
    if (!this.messageBucket().take()) return this.refuse('rate_limited', 'too many messages; this one was not accepted, resend it later', clientId);
    const activity: Activity = {
      id: clientId,
      conversationId: this.conversationId!,
      channel: 'webchat',
      role: 'customer',
      from: this.customerId!,
      text,
      ts: Date.now(),
    };
    try {
      const { message } = await this.engine.accept(activity);
      // A clientId that names someone else's message must not be acknowledged as ours.
      if (message.conversationId !== this.conversationId || message.role !== 'customer') {
        return this.send({ type: 'error', code: 'duplicate_id', reason: 'clientId already used by another message; pick a new one', clientId });
      }
      this.send({ type: 'ack', clientId, seq: message.seq });
    } catch (error) {
      this.settings.logger?.warn({ err: error, conversationId: this.conversationId }, 'webchat accept failed');
      this.send({ type: 'error', code: 'internal', reason: 'message not stored; resend it', clientId });
    }
  }

  private serially(task: () => Promise<void>): void {
    this.accepting = this.accepting.then(task).catch((error) => this.settings.logger?.warn({ err: error, conversationId: this.conversationId }, 'webchat accept failed'));
  }

  private async thumbs(messageId: string, value: 'up' | 'down'): Promise<void> {
    if (!this.messageBucket().take()) return this.refuse('rate_limited', 'too many frames; thumbs not recorded');
    try {
      // Replies delivered on this socket are known; older ones (shown from the widget's
      // storage after a reload) are checked against the conversation's history.
      const known = this.botReplies?.has(messageId) || (await this.engine.history(this.conversationId!)).some((m) => m.id === messageId && m.role === 'bot');
      if (!known) return this.send({ type: 'error', code: 'not_found', reason: 'no bot reply with that id in this conversation' });
      await this.engine.thumbs(this.conversationId!, messageId, value, this.customerId!);
    } catch (error) {
      this.settings.logger?.warn({ err: error, conversationId: this.conversationId }, 'webchat thumbs failed');
      this.send({ type: 'error', code: 'internal', reason: 'thumbs not recorded; try again' });
    }
  }

  private deliver(message: StoredMessage): void {
    if (message.seq <= this.sentSeq) return;
    this.sentSeq = message.seq;
    if (message.internal) return; // agent notes never reach the customer, even if an engine slips
    if (message.role === 'bot') {
      this.botReplies ??= new Set();
      this.botReplies.add(message.id);
      if (this.botReplies.size > MAX_REMEMBERED_REPLIES) this.botReplies.delete(this.botReplies.values().next().value!);
    }
    this.send({
      type: 'message',
      id: message.id,
      seq: message.seq,
      role: message.role,
      text: message.text,
      ...(message.quickReplies?.length ? { quickReplies: message.quickReplies.map(({ title, value }) => ({ title, value })) } : {}),
      ts: message.ts,
    });
  }

  private messageBucket(): TokenBucket {
    return (this.messages ??= new TokenBucket(this.settings.rate));
  }

  /** Deliveries run one at a time so that seq order on the wire is the store's order. */
  private enqueue(task: () => Promise<void>): void {
    this.delivery = this.delivery.then(task).catch((error) => {
      this.settings.logger?.warn({ err: error, conversationId: this.conversationId }, 'webchat delivery failed');
      // Without the missing messages the client would have a silent hole: let it resume.
      this.close(CloseCode.shutdown, 'delivery failed; reconnect');
    });
  }

  private refuse(code: ErrorCode, reason: string, clientId?: string): void {
    this.send({ type: 'error', code, reason, ...(clientId ? { clientId } : {}) });
    if (++this.strikes >= this.settings.maxStrikes) this.close(CloseCode.abuse, 'too many refused frames');
  }

  private send(frame: ServerFrame): void {
    if (this.state === 'closed' || this.ws.readyState !== this.ws.OPEN) return;
    if (this.held) return void this.held.push(frame);
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) return this.close(CloseCode.slowConsumer, 'not reading');
    if (this.socket) this.coalescer!.hold(this.socket);
    this.ws.send(JSON.stringify(frame));
  }

  /** @internal */
  dispose(): void {
    if (this.state === 'closed') return;
    const wasJoined = this.state === 'joined';
    this.state = 'closed';
    clearTimeout(this.holdTimer);
    this.held = undefined;
    this.registry.closed?.(this);
    if (wasJoined) {
      this.registry.remove(this);
      // A customer who leaves mid-sentence is no longer typing.
      if (this.customerTyping) this.engine.typing(this.conversationId!, 'customer', false);
    }
  }
}
