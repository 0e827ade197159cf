/** What the page can set, through data-* attributes on the script tag or `ParleyWidget.init`. */
export interface WidgetOptions {
  /** WebSocket URL, e.g. wss://bot.example.com/chat. Default: /chat on the host that served widget.js. */
  server?: string;
  title?: string;
  /** Accent colour, hex (#4f46e5). */
  color?: string;
  greeting?: string;
  /** The page's logged-in customer, if any: a label for the agents, not an authentication. */
  customer?: { id?: string; attributes?: Record<string, string> };
  /** Open the panel right away. */
  open?: boolean;
  /** Element to mount into (default: a new element at the end of <body>). */
  container?: HTMLElement;
}

export interface WidgetConfig {
  server: string;
  title: string;
  color: string;
  greeting: string;
  customer?: { id?: string; attributes?: Record<string, string> };
  open: boolean;
  container?: HTMLElement;
}

const DEFAULT_COLOR = '#4f46e5';

/** Reads data-server, data-title, data-color, data-greeting, data-customer-id, data-open. */
export function optionsFromScript(script: HTMLScriptElement): WidgetOptions {
  const d = script.dataset;
  return {
    server: d.server || undefined,
    title: d.title || undefined,
    color: d.color || undefined,
    greeting: d.greeting,
    customer: d.customerId ? { id: d.customerId } : undefined,
    open: d.open === 'true',
  };
}

/**
 * Fills defaults and refuses what could break out of its slot: the colour goes into CSS,
 * so only a hex colour is taken; the server must be a ws(s) URL.
 */
export function resolveConfig(options: WidgetOptions, scriptSrc: string | undefined, pageUrl: string): WidgetConfig {
  const base = scriptSrc || pageUrl;
  let server: URL;
  try {
    server = new URL(options.server ?? '/chat', base);
  } catch {
    server = new URL('/chat', base);
  }
  if (server.protocol === 'http:') server.protocol = 'ws:';
  if (server.protocol === 'https:') server.protocol = 'wss:';
  if (server.protocol !== 'ws:' && server.protocol !== 'wss:') throw new Error(`ParleyWidget: server must be a ws:// or wss:// URL (got ${options.server})`);
  return {
    server: server.href,
    title: (options.title ?? 'Support').slice(0, 80),
    color: /^#[0-9a-f]{3,8}$/i.test(options.color ?? '') ? options.color! : DEFAULT_COLOR,
    greeting: (options.greeting ?? 'Hi! How can I help?').slice(0, 500),
    customer: options.customer,
    open: options.open ?? false,
    container: options.container,
  };
}
