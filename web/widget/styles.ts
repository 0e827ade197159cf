/**
 * The widget's CSS, inside its shadow root: the host page's styles do not reach in and
 * ours do not leak out. `:host { all: initial }` also stops inherited fonts and colours.
 */
export const styles = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0;
  background: var(--accent); color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); z-index: 2147483000;
  display: flex; align-items: center; justify-content: center; }
.launcher svg { width: 26px; height: 26px; fill: currentColor; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, .log:focus-visible { outline: 3px solid #111; outline-offset: 2px; }
.badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px;
  background: #dc2626; color: #fff; font-size: 12px; line-height: 20px; text-align: center; }
.badge[hidden], .panel[hidden], [hidden] { display: none !important; }
.panel { position: fixed; right: 20px; bottom: 88px; width: 370px; height: min(600px, calc(100vh - 110px)); z-index: 2147483001;
  display: flex; flex-direction: column; background: #fff; color: #111; border-radius: 14px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(0,0,0,.25); font-size: 15px; line-height: 1.4; }
header { background: var(--accent); color: #fff; padding: 12px 14px; display: flex; align-items: center; gap: 8px; }
header .titles { flex: 1; min-width: 0; }
h2 { margin: 0; font-size: 16px; font-weight: 600; }
.status { font-size: 12px; opacity: .9; display: flex; align-items: center; gap: 6px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: #fbbf24; }
.panel[data-connection="online"] .dot { background: #34d399; }
.panel[data-connection="offline"] .dot { background: #f87171; }
.close { background: transparent; border: 0; color: #fff; font-size: 22px; width: 36px; height: 36px; cursor: pointer; border-radius: 8px; }
.notice { background: #fef3c7; color: #78350f; font-size: 13px; padding: 6px 14px; }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: #f8fafc; }
.msg { max-width: 85%; display: flex; flex-direction: column; gap: 4px; }
.msg .bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.them { align-self: flex-start; }
.msg.them .bubble { background: #e2e8f0; border-bottom-left-radius: 4px; }
.msg.me { align-self: flex-end; align-items: flex-end; }
.msg.me .bubble { background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }
.msg.me[data-status="sending"] .bubble { opacity: .6; }
.msg.me[data-status="failed"] .bubble { background: #b91c1c; }
.meta { font-size: 11px; color: #64748b; }
.who { font-size: 11px; color: #64748b; }
.thumbs { display: flex; gap: 4px; }
.thumbs button { border: 1px solid #cbd5e1; background: #fff; color: #475569; border-radius: 8px; cursor: pointer; padding: 3px 8px; display: flex; }
.thumbs svg { width: 14px; height: 14px; fill: currentColor; }
.thumbs .down svg { transform: rotate(180deg); }
.thumbs button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.quick { display: flex; flex-wrap: wrap; gap: 6px; }
.quick button { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 16px; padding: 6px 12px; cursor: pointer; font-size: 14px; }
.typing { padding: 0 14px 6px; font-size: 12px; color: #64748b; background: #f8fafc; min-height: 1.4em; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e2e8f0; background: #fff; }
textarea { flex: 1; resize: none; border: 1px solid #cbd5e1; border-radius: 10px; padding: 8px 10px; font-size: 15px; height: 42px; color: #111; background: #fff; }
.send { border: 0; border-radius: 10px; background: var(--accent); color: #fff; padding: 0 14px; cursor: pointer; font-size: 15px; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .launcher { right: 14px; bottom: 14px; }
}
@media (prefers-reduced-motion: no-preference) { .panel { transition: opacity .15s; } }
`;
