// Keyed list updates: a live page redraws often, and redrawing a list from
// scratch would take the focus (or a half-typed edit) away from the person.
// Items whose content has not changed keep their element.

const signatures = new WeakMap();

/**
 * Make `parent`'s children show `items`, in order. `key(item)` names an item,
 * `sign(item)` says when it must be drawn again, `render(item)` draws it.
 */
export function syncList(parent, items, { key, render, sign = JSON.stringify }) {
  const old = new Map([...parent.children].map((node) => [node.dataset.key, node]));
  const kept = new Set();
  let cursor = parent.firstElementChild;
  for (const item of items) {
    const name = String(key(item));
    const signature = sign(item);
    let node = old.get(name);
    if (!node || signatures.get(node) !== signature) {
      const fresh = render(item);
      fresh.dataset.key = name;
      signatures.set(fresh, signature);
      if (node) {
        if (node === cursor) cursor = fresh;
        node.replaceWith(fresh);
      }
      node = fresh;
    }
    kept.add(node);
    if (node === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  for (const node of [...parent.children]) {
    if (!kept.has(node)) node.remove();
  }
}
