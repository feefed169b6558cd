/*
 * A small, strict XML reader for the Metadata API's SOAP answers, giving exactly the tree xml2js gives jsforce
 * (explicitArray: false — one child a value, repeated children an array; attributes under `$`, text beside
 * attributes under `_`; names with their prefixes; an empty element ''). jsforce's own reading (xml2js on sax,
 * character by character) costs most of a large org's inspection: a thousand Connected Apps are megabytes of XML.
 * This one tokenizes with one sticky regular expression; anything it cannot read is an error, never a partial tree.
 */

export type XmlValue = string | XmlObject | XmlValue[];
export type XmlObject = { [name: string]: XmlValue | Record<string, string> };

export class XmlError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;\s&<]{1,10});/g, (whole: string, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) throw new XmlError(`bad character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[name];
    if (value === undefined) throw new XmlError(`unknown entity ${whole}`);
    return value;
  });
}

// 1 CDATA · comment · processing instruction · doctype | 2 closing tag | 3 opening tag name, 4 attributes, 5 "/" | 6 text
const TOKEN =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/([^\s>/]+)\s*>|<([^\s>/!?]+)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/y;
const ATTRIBUTE = /([^\s=>/]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;

type Frame = { name: string; obj: XmlObject; text: string; cdata: boolean };

function attributes(text: string): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) out[m[1]] = decode(m[2] ?? m[3] ?? '');
  return out;
}

function add(parent: XmlObject, name: string, value: XmlValue): void {
  if (!(name in parent)) parent[name] = value;
  else if (Array.isArray(parent[name])) parent[name].push(value);
  else parent[name] = [parent[name], value];
}

/** xml2js's closing of an element: whitespace-only text dropped, a text-only element is its text. */
function close(frame: Frame): XmlValue {
  const obj = frame.obj;
  let blank = '';
  if (/^\s*$/.test(frame.text) && !frame.cdata) blank = frame.text;
  else obj._ = frame.text;
  const keys = Object.keys(obj);
  if (keys.length === 0) return blank;
  if (keys.length === 1 && keys[0] === '_') return obj._;
  return obj;
}

/** The document as xml2js (explicitArray: false) reads it: `{ rootName: value }`. Throws XmlError when malformed. */
export function parseXml(xml: string): XmlObject {
  const stack: Frame[] = [];
  let root: XmlObject | undefined;
  TOKEN.lastIndex = 0;
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new XmlError(`unreadable markup at offset ${at}`);
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) {
      if (!top) throw new XmlError('character data outside the root element');
      top.text += m[1];
      top.cdata = true;
    } else if (m[2] !== undefined) {
      if (top?.name !== m[2]) throw new XmlError(`unexpected closing tag </${m[2]}> at offset ${at}`);
      stack.pop();
      const value = close(top);
      const parent = stack[stack.length - 1];
      if (parent) add(parent.obj, top.name, value);
      else root = { [top.name]: value };
    } else if (m[3] !== undefined) {
      if (root) throw new XmlError('a second root element');
      const obj: XmlObject = {};
      const attrs = attributes(m[4]);
      if (attrs) obj.$ = attrs;
      const frame: Frame = { name: m[3], obj, text: '', cdata: false };
      if (m[5]) {
        const value = close(frame);
        if (top) add(top.obj, frame.name, value);
        else root = { [frame.name]: value };
      } else {
        stack.push(frame);
      }
    } else if (m[6] !== undefined) {
      if (top) top.text += decode(m[6]);
      else if (m[6].trim()) throw new XmlError('text outside the root element');
    }
  }
  if (stack.length) throw new XmlError(`the document ends inside <${stack[stack.length - 1].name}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}
