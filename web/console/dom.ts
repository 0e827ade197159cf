/**
 * DOM helpers. Text only ever goes through text nodes / `textContent`: nothing a customer,
 * an agent or the bot writes is parsed as HTML. There is no `innerHTML` in the console.
 */

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/**
 * Builds an element; `on*` attributes given as functions become event listeners, `false`
 * and `undefined` attributes are left out.
 *
 * @example h('button', { type: 'button', onclick: () => claim() }, 'Claim')
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string | false | undefined | null>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in node) (node as HTMLInputElement).value = String(value);
    // Through the CSSOM: the page's CSP forbids style attributes set as markup.
    else if (name === 'style') node.style.cssText = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== false && child !== undefined && child !== null) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Array<Node | string | false | undefined | null>): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== false && c !== undefined && c !== null));
}
