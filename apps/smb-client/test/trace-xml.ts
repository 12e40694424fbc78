/**
 * A strict parser for the XML subset the trace's SVG uses (elements, double-quoted
 * attributes, text, the five predefined entities and numeric references; no DTD, CDATA,
 * comments or processing instructions), so the tests can prove the SVG is well-formed
 * without a browser and look at its elements. Anything outside that subset is an error.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string, where: string): string {
  if (s.includes('<')) throw new Error(`raw < in ${where}`);
  return s.replace(/&([^;]*);?/g, (all, ref: string) => {
    if (!all.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${all}`);
    if (ENTITIES[ref] !== undefined) return ENTITIES[ref];
    const code = /^#x([0-9a-f]+)$/i.exec(ref)?.[1] ?? /^#(\d+)$/.exec(ref)?.[1];
    if (code === undefined) throw new Error(`unknown entity &${ref}; in ${where}`);
    return String.fromCodePoint(ref.startsWith('#x') ? Number.parseInt(code, 16) : Number(code));
  });
}

function parseAttrs(source: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  let rest = source;
  while (rest.trim() !== '') {
    const m = /^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(rest);
    if (m === null) throw new Error(`bad attribute syntax in <${tag}>: ${rest.slice(0, 40)}`);
    const [all, name, value] = m as unknown as [string, string, string];
    if (name in attrs) throw new Error(`duplicate attribute ${name} in <${tag}>`);
    attrs[name] = decodeEntities(value, `<${tag} ${name}>`);
    rest = rest.slice(all.length);
  }
  return attrs;
}

/** Parses `xml` (one root element, optional surrounding whitespace) or throws saying where it breaks. */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt === -1 ? xml.length : lt);
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += decodeEntities(text, `<${top.name}> text`);
    else if (text.trim() !== '') throw new Error(`text outside the root element: ${text.slice(0, 40)}`);
    if (lt === -1) break;
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error(`unterminated tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    pos = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (open === undefined || open.name !== tag.slice(1))
        throw new Error(`</${tag.slice(1)}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = NAME.exec(body)?.[0];
    if (name === undefined) throw new Error(`bad tag <${tag.slice(0, 40)}>`);
    const element: XmlElement = {
      name,
      attrs: parseAttrs(body.slice(name.length), name),
      children: [],
      text: '',
    };
    if (top !== undefined) top.children.push(element);
    else if (root !== undefined) throw new Error(`a second root element <${name}>`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name}> is not closed`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element below `root` (depth first). */
export function allElements(root: XmlElement): XmlElement[] {
  return root.children.flatMap((c) => [c, ...allElements(c)]);
}
