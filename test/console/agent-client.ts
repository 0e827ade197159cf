import { WebSocket } from 'ws';
import { FrameLog } from '../helpers/frame-log.js';

/** A signed-in agent over real HTTP, as a test sees it. */
export interface AgentClient {
  name: string;
  cookie: string;
  csrf: string;
  get(path: string): Promise<{ status: number; body: any }>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  socket(origin?: string): Promise<ConsoleSocketClient>;
}

async function json(res: Response): Promise<{ status: number; body: any }> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

export async function signIn(baseUrl: string, name: string, password = 'password-123'): Promise<AgentClient> {
  const res = await fetch(`${baseUrl}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${name} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const client: AgentClient = {
    name,
    cookie,
    csrf: csrfToken,
    get: async (path) => json(await fetch(`${baseUrl}/console/api${path}`, { headers: { cookie } })),
    post: async (path, body = {}, headers = {}) =>
      json(await fetch(`${baseUrl}/console/api${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-parley-csrf': csrfToken, ...headers }, body: JSON.stringify(body) })),
    socket: (origin = baseUrl) => ConsoleSocketClient.connect(baseUrl.replace(/^http/, 'ws') + '/console/ws', { cookie, origin }),
  };
  return client;
}

/** Records console socket frames and waits for the one a test expects. */
export class ConsoleSocketClient {
  private readonly log = new FrameLog<any>();
  readonly frames: any[] = this.log.frames;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.log.push(JSON.parse(String(data))));
  }

  static connect(url: string, headers: Record<string, string>): Promise<ConsoleSocketClient> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ConsoleSocketClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  next(match: (f: any) => boolean, timeoutMs = 5000): Promise<any> {
    return this.log.waitFor(match, { timeoutMs, what: 'matching console frame' });
  }

  close(): void {
    this.ws.close();
  }
}
