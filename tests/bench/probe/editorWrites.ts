import { now } from '../inpage/clock.ts';

/**
 * The moment a remote keystroke is in a receiver's DOM: the first write into a rich-text
 * editor's DOM since the last `take()`. A MutationObserver only reports at the end of the task
 * that wrote, after everything else that task does (the rest of the editor's update, the other
 * listeners of the same Yjs update); the baseline's textarea binding records at the write
 * itself. Taking the write's own time measures both at the same moment. The end of the task
 * is still recorded beside it (richTextLog.ts), as a figure of its own.
 *
 * DOM methods and setters are wrapped on their prototypes, which the editor looks up at each
 * call; each write asks whether it lands inside `.rich-text-content`, a `closest` lookup.
 */
export function watchEditorWrites(): { take(): number | null } {
  let first: number | null = null;
  const inEditor = (node: Node | null): boolean => {
    const element = node instanceof Element ? node : (node?.parentElement ?? null);
    return element?.closest('.rich-text-content') != null;
  };
  // Taken after the write returns (the DOM holds it then); a write that throws is not one.
  const mark = (node: Node | null) => {
    if (first === null && inEditor(node)) first = now();
  };

  const wrapMethod = (proto: object, name: string, target: (self: Node) => Node | null) => {
    const original = Reflect.get(proto, name) as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') return;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: Node, ...args: unknown[]) {
        const node = target(this);
        const result = original.apply(this, args);
        mark(node);
        return result;
      },
    });
  };
  const wrapSetter = (proto: object, name: string, target: (self: Node) => Node | null) => {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    const set = descriptor?.set;
    if (!descriptor || !set) return;
    Object.defineProperty(proto, name, {
      ...descriptor,
      set(this: Node, value: unknown) {
        const node = target(this);
        set.call(this, value);
        mark(node);
      },
    });
  };

  const self = (node: Node) => node;
  const parent = (node: Node) => node.parentNode;
  for (const name of ['insertBefore', 'appendChild', 'replaceChild', 'removeChild']) wrapMethod(Node.prototype, name, self);
  for (const name of ['nodeValue', 'textContent']) wrapSetter(Node.prototype, name, self);
  wrapSetter(CharacterData.prototype, 'data', self);
  for (const name of ['appendData', 'insertData', 'deleteData', 'replaceData']) wrapMethod(CharacterData.prototype, name, self);
  for (const proto of [Element.prototype, CharacterData.prototype]) {
    for (const name of ['before', 'after', 'replaceWith', 'remove']) wrapMethod(proto, name, parent);
  }
  for (const name of ['append', 'prepend', 'replaceChildren']) wrapMethod(Element.prototype, name, self);
  for (const name of ['innerHTML', 'outerHTML']) wrapSetter(Element.prototype, name, self);

  return {
    take() {
      const at = first;
      first = null;
      return at;
    },
  };
}
