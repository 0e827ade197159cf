import { optionsFromScript, resolveConfig, type WidgetOptions } from './config.js';
import { mountWidget, type WidgetApi } from './ui.js';

/**
 * Entry point of widget.js. Embedding is one tag:
 *
 *   <script src="https://bot.example.com/widget.js" data-title="Support" data-color="#4f46e5"
 *           data-greeting="Hi! How can I help?"></script>
 *
 * or, with `data-manual` on the tag, `window.ParleyWidget.init({ title: 'Support' })`.
 */
declare global {
  interface Window {
    ParleyWidget?: { init(options?: WidgetOptions): WidgetApi; version: string };
  }
}

const script = document.currentScript as HTMLScriptElement | null;
let instance: WidgetApi | undefined;

function init(options: WidgetOptions = {}): WidgetApi {
  instance?.destroy(); // init twice replaces, it does not stack two widgets
  const config = resolveConfig(options, script?.src, location.href);
  instance = mountWidget(config);
  return instance;
}

function whenReady(run: () => void): void {
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}

window.ParleyWidget = { init, version: '0.1.0' };
if (script && !('manual' in script.dataset)) {
  const options = optionsFromScript(script);
  whenReady(() => init(options));
}
