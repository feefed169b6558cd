/*
 * A small SOQL engine: SELECT fields (incl. parent relationship paths) | COUNT(), FROM one object, WHERE with
 * = != <> < > <= >= LIKE, [NOT] IN (values | semi-join SELECT), AND/OR/NOT, parentheses, ORDER BY, LIMIT, OFFSET.
 * Errors carry Salesforce's codes and message shapes (MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD).
 */
import { canonicalField, canonicalRelationship, objectDef, type ObjectDef } from './schema.js';
import type { OrgState, Rec } from './state.js';

export class SoqlError extends Error {
  public constructor(
    public readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

type Tok = { kind: 'word' | 'string' | 'number' | 'op' | 'punct' | 'eof'; text: string; pos: number };

function tokenize(q: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== "'") {
        if (q[j] === '\\' && j + 1 < q.length) {
          const n = q[j + 1];
          s += { n: '\n', t: '\t', r: '\r' }[n] ?? n;
          j += 2;
        } else s += q[j++];
      }
      if (j >= q.length) throw malformed(q, i, 'unterminated string literal');
      toks.push({ kind: 'string', text: s, pos: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(q[i + 1] ?? ''))) {
      const m = /^-?\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}))?|^-?\d+(\.\d+)?/.exec(
        q.slice(i),
      ) as RegExpExecArray;
      toks.push({ kind: 'number', text: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*(:\d+)?/.exec(q.slice(i)) as RegExpExecArray;
      toks.push({ kind: 'word', text: m[0], pos: i });
      i += m[0].length;
    } else if (/[=<>!]/.test(c)) {
      const two = q.slice(i, i + 2);
      const op = ['!=', '<>', '<=', '>='].includes(two) ? two : c;
      if (op === '!') throw malformed(q, i, `unexpected token: '!'`);
      toks.push({ kind: 'op', text: op, pos: i });
      i += op.length;
    } else if ('(),'.includes(c)) {
      toks.push({ kind: 'punct', text: c, pos: i });
      i++;
    } else {
      throw malformed(q, i, `unexpected token: '${c}'`);
    }
  }
  toks.push({ kind: 'eof', text: '<EOF>', pos: q.length });
  return toks;
}

/** Salesforce echoes the query with a caret under the offending column. */
function located(q: string, pos: number, message: string): string {
  const flat = q.replace(/\s+/g, ' ');
  return `\n${flat}\n${' '.repeat(Math.max(0, Math.min(pos, flat.length)))}^\nERROR at Row:1:Column:${pos + 1}\n${message}`;
}

function malformed(q: string, pos: number, message: string): SoqlError {
  return new SoqlError('MALFORMED_QUERY', located(q, pos, message));
}

export type Expr =
  | { kind: 'and' | 'or'; parts: Expr[] }
  | { kind: 'not'; inner: Expr }
  | { kind: 'cmp'; field: string; op: string; value: Literal }
  | { kind: 'in'; field: string; negate: boolean; values: Literal[] | Query }
  | { kind: 'like'; field: string; negate: boolean; pattern: string };

export type Literal = {
  type: 'string' | 'number' | 'boolean' | 'null' | 'date';
  value: string | number | boolean | null;
};

export type Query = {
  text: string;
  fields: Array<{ path: string; pos: number }>;
  count: boolean;
  from: string;
  fromPos: number;
  where?: Expr;
  orderBy: Array<{ path: string; desc: boolean; nullsLast: boolean }>;
  limit?: number;
  offset?: number;
};

class Parser {
  private i = 0;
  public constructor(
    private readonly q: string,
    private readonly toks: Tok[],
  ) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === w;
  }
  private expectWord(w: string): void {
    if (!this.isWord(w)) throw this.unexpected();
    this.i++;
  }
  private expectPunct(p: string): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) throw this.unexpected();
    this.i++;
  }
  private unexpected(): SoqlError {
    const t = this.peek();
    return malformed(this.q, t.pos, `unexpected token: '${t.text}'`);
  }

  public query(nested = false): Query {
    this.expectWord('SELECT');
    const fields: Query['fields'] = [];
    let count = false;
    if (this.isWord('COUNT') && this.toks[this.i + 1]?.text === '(') {
      this.i += 2;
      this.expectPunct(')');
      count = true;
    } else {
      for (;;) {
        const t = this.next();
        if (t.kind !== 'word' || ['FROM', 'WHERE'].includes(t.text.toUpperCase())) {
          this.i--;
          throw this.unexpected();
        }
        fields.push({ path: t.text, pos: t.pos });
        if (this.peek().text !== ',') break;
        this.i++;
      }
    }
    this.expectWord('FROM');
    const fromTok = this.next();
    if (fromTok.kind !== 'word') {
      this.i--;
      throw this.unexpected();
    }
    const q: Query = { text: this.q, fields, count, from: fromTok.text, fromPos: fromTok.pos, orderBy: [] };
    if (this.isWord('WHERE')) {
      this.i++;
      q.where = this.or();
    }
    if (this.isWord('ORDER')) {
      this.i++;
      this.expectWord('BY');
      for (;;) {
        const t = this.next();
        if (t.kind !== 'word') throw malformed(this.q, t.pos, `unexpected token: '${t.text}'`);
        let desc = false;
        if (this.isWord('ASC')) this.i++;
        else if (this.isWord('DESC')) {
          this.i++;
          desc = true;
        }
        let nullsLast = desc;
        if (this.isWord('NULLS')) {
          this.i++;
          nullsLast = this.isWord('LAST');
          this.i++;
        }
        q.orderBy.push({ path: t.text, desc, nullsLast });
        if (this.peek().text !== ',') break;
        this.i++;
      }
    }
    if (this.isWord('LIMIT')) {
      this.i++;
      q.limit = this.integer();
    }
    if (this.isWord('OFFSET')) {
      this.i++;
      q.offset = this.integer();
    }
    const end = this.peek();
    if (nested ? end.text !== ')' : end.kind !== 'eof') throw this.unexpected();
    return q;
  }

  private integer(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw malformed(this.q, t.pos, `unexpected token: '${t.text}'`);
    return Number(t.text);
  }

  private or(): Expr {
    const parts = [this.and()];
    while (this.isWord('OR')) {
      this.i++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : { kind: 'or', parts };
  }

  private and(): Expr {
    const parts = [this.unary()];
    while (this.isWord('AND')) {
      this.i++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : { kind: 'and', parts };
  }

  private unary(): Expr {
    if (this.isWord('NOT')) {
      this.i++;
      return { kind: 'not', inner: this.unary() };
    }
    if (this.peek().text === '(') {
      this.i++;
      const e = this.or();
      this.expectPunct(')');
      return e;
    }
    const f = this.next();
    if (f.kind !== 'word') {
      this.i--;
      throw this.unexpected();
    }
    let negate = false;
    if (this.isWord('NOT')) {
      this.i++;
      negate = true;
      if (!this.isWord('IN') && !this.isWord('LIKE')) throw this.unexpected();
    }
    if (this.isWord('IN')) {
      this.i++;
      this.expectPunct('(');
      if (this.isWord('SELECT')) {
        const sub = this.query(true);
        this.expectPunct(')');
        return { kind: 'in', field: f.text, negate, values: sub };
      }
      const values: Literal[] = [];
      for (;;) {
        values.push(this.literal());
        if (this.peek().text !== ',') break;
        this.i++;
      }
      this.expectPunct(')');
      return { kind: 'in', field: f.text, negate, values };
    }
    if (this.isWord('LIKE')) {
      this.i++;
      const t = this.next();
      if (t.kind !== 'string') throw malformed(this.q, t.pos, `unexpected token: '${t.text}'`);
      return { kind: 'like', field: f.text, negate, pattern: t.text };
    }
    const op = this.next();
    if (op.kind !== 'op') {
      this.i--;
      throw this.unexpected();
    }
    return { kind: 'cmp', field: f.text, op: op.text === '<>' ? '!=' : op.text, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string') return { type: 'string', value: t.text };
    if (t.kind === 'number')
      return /^-?\d{4}-\d{2}-\d{2}/.test(t.text)
        ? { type: 'date', value: t.text }
        : { type: 'number', value: Number(t.text) };
    if (t.kind === 'word') {
      const u = t.text.toUpperCase();
      if (u === 'TRUE' || u === 'FALSE') return { type: 'boolean', value: u === 'TRUE' };
      if (u === 'NULL') return { type: 'null', value: null };
      if (['TODAY', 'YESTERDAY', 'TOMORROW'].includes(u)) return { type: 'date', value: u };
    }
    throw malformed(this.q, t.pos, `unexpected token: '${t.text}'`);
  }
}

export function parseSoql(text: string): Query {
  const q = text.trim();
  return new Parser(q, tokenize(q)).query();
}

// ---- evaluation ----

export type QueryContext = { state: OrgState; api: 'rest' | 'tooling'; userId: string | null; now: number };

export function visibleObject(ctx: QueryContext, name: string): ObjectDef | undefined {
  const def = objectDef(name);
  if (!def) return undefined;
  if (ctx.api === 'rest' ? !def.rest : !def.tooling) return undefined;
  if (def.devHubOnly) {
    if (ctx.state.org.isDevHub !== true) return undefined;
    const adminsOnly = ctx.state.behaviour.scratchOrgInfoAccess === 'admins';
    if (adminsOnly && ctx.userId && !ctx.state.userHasPermission(ctx.userId, 'ModifyAllData')) return undefined;
  }
  if (
    def.requires &&
    ctx.userId &&
    !ctx.state.userHasPermission(ctx.userId, def.requires) &&
    !ctx.state.userHasPermission(ctx.userId, 'ModifyAllData')
  ) {
    return undefined;
  }
  return def;
}

function invalidType(q: Query): SoqlError {
  return new SoqlError(
    'INVALID_TYPE',
    located(
      q.text,
      q.fromPos,
      `sObject type '${q.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    ),
  );
}

/** Resolves `Profile.Name` on User to [['Profile'], 'Name'] with canonical names, or throws INVALID_FIELD. */
function resolvePath(
  q: Query,
  def: ObjectDef,
  path: string,
  pos: number,
): { rels: Array<[string, ObjectDef]>; field: string } {
  const parts = path.split('.');
  let cur = def;
  const rels: Array<[string, ObjectDef]> = [];
  if (parts.length > 1 && parts[0].toLowerCase() === def.name.toLowerCase()) parts.shift(); // "User.Username"
  for (const part of parts.slice(0, -1)) {
    const rel = canonicalRelationship(cur, part);
    const target = rel ? objectDef((cur.relationships ?? {})[rel][1]) : undefined;
    if (!rel || !target) {
      throw new SoqlError(
        'INVALID_FIELD',
        located(
          q.text,
          pos,
          `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    rels.push([rel, cur]);
    cur = target;
  }
  const last = parts[parts.length - 1];
  const field = canonicalField(cur, last);
  if (!field) {
    throw new SoqlError(
      'INVALID_FIELD',
      located(
        q.text,
        pos,
        `No such column '${last}' on entity '${cur.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    );
  }
  return { rels, field };
}

function getPath(
  ctx: QueryContext,
  def: ObjectDef,
  rec: Rec,
  rels: Array<[string, ObjectDef]>,
  field: string,
): unknown {
  let cur: Rec | undefined = rec;
  for (const [rel, owner] of rels) {
    const [refField, target] = (owner.relationships ?? {})[rel];
    cur = cur ? ctx.state.byId(target, cur[refField]) : undefined;
  }
  return cur ? (cur[field] ?? null) : null;
}

function dateValue(lit: Literal, now: number): number {
  const v = String(lit.value);
  const day = new Date(now);
  day.setUTCHours(0, 0, 0, 0);
  if (v === 'TODAY') return day.getTime();
  if (v === 'YESTERDAY') return day.getTime() - 86_400_000;
  if (v === 'TOMORROW') return day.getTime() + 86_400_000;
  return Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
}

function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15) && (a.length === b.length ? a === b : true);
}

function compare(value: unknown, lit: Literal, type: string, now: number): number | null {
  if (lit.type === 'null' || value === null || value === undefined) return null;
  if (type === 'datetime' || lit.type === 'date') {
    const a = Date.parse(String(value));
    const b = dateValue(lit, now);
    return a === b ? 0 : a < b ? -1 : 1;
  }
  if (typeof value === 'number') return value - Number(lit.value);
  if (typeof value === 'boolean') return value === lit.value ? 0 : 1;
  const a = String(value);
  const b = String(lit.value);
  if (
    (type === 'id' || type === 'reference') &&
    (a.length === 15 || a.length === 18) &&
    (b.length === 15 || b.length === 18)
  ) {
    return sameId(a, b) ? 0 : a < b ? -1 : 1;
  }
  const [la, lb] = [a.toLowerCase(), b.toLowerCase()]; // text comparison in SOQL is case-insensitive
  return la === lb ? 0 : la < lb ? -1 : 1;
}

type Compiled = (rec: Rec) => boolean;

function compile(ctx: QueryContext, q: Query, def: ObjectDef, e: Expr): Compiled {
  switch (e.kind) {
    case 'and': {
      const parts = e.parts.map((p) => compile(ctx, q, def, p));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = e.parts.map((p) => compile(ctx, q, def, p));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compile(ctx, q, def, e.inner);
      return (r) => !inner(r);
    }
    default:
      break;
  }
  const { rels, field } = resolvePath(q, def, e.field, q.text.indexOf(e.field));
  const ownerDef = rels.length
    ? (objectDef((rels[rels.length - 1][1].relationships ?? {})[rels[rels.length - 1][0]][1]) ?? def)
    : def;
  const type = ownerDef.fields[field];
  const get = (r: Rec): unknown => getPath(ctx, def, r, rels, field);
  if (e.kind === 'cmp') {
    return (r) => {
      const v = get(r);
      if (e.value.type === 'null') return e.op === '=' ? v === null : e.op === '!=' ? v !== null : false;
      const c = compare(v, e.value, type, ctx.now);
      if (c === null) return e.op === '!=';
      switch (e.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '>':
          return c > 0;
        case '<=':
          return c <= 0;
        default:
          return c >= 0;
      }
    };
  }
  if (e.kind === 'like') {
    const re = new RegExp(
      `^${e.pattern
        .split('')
        .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
      'is',
    );
    return (r) => {
      const v = get(r);
      const m = v !== null && re.test(String(v));
      return e.negate ? !m : m;
    };
  }
  let candidates: Literal[];
  if (Array.isArray(e.values)) candidates = e.values;
  else {
    const sub = e.values;
    if (sub.fields.length !== 1 || sub.count)
      throw new SoqlError('MALFORMED_QUERY', located(q.text, 0, 'semi join sub-selects can only query a single field'));
    const subRows = select(ctx, sub);
    const subDef = visibleObject(ctx, sub.from) as ObjectDef;
    const sp = resolvePath(sub, subDef, sub.fields[0].path, sub.fields[0].pos);
    candidates = subRows
      .map((row): Literal => ({ type: 'string', value: getPath(ctx, subDef, row, sp.rels, sp.field) as string }))
      .filter((l) => l.value !== null);
  }
  return (r) => {
    const v = get(r);
    const hit = candidates.some((lit) => (lit.type === 'null' ? v === null : compare(v, lit, type, ctx.now) === 0));
    return e.negate ? !hit : hit;
  };
}

/** Visible rows (OauthToken: own rows only without Customize Application / Modify All Data). */
function rowsOf(ctx: QueryContext, def: ObjectDef): Rec[] {
  const rows = ctx.state.table(def.name);
  if (
    def.name === 'OauthToken' &&
    ctx.userId &&
    !ctx.state.userHasPermission(ctx.userId, 'CustomizeApplication') &&
    !ctx.state.userHasPermission(ctx.userId, 'ModifyAllData')
  ) {
    return rows.filter((r) => r.UserId === ctx.userId);
  }
  return rows;
}

/** WHERE + ORDER BY + OFFSET/LIMIT, returning the matching table rows. */
export function select(ctx: QueryContext, q: Query): Rec[] {
  const def = visibleObject(ctx, q.from);
  if (!def) throw invalidType(q);
  for (const f of q.fields) resolvePath(q, def, f.path, f.pos);
  const pred = q.where ? compile(ctx, q, def, q.where) : () => true;
  let rows = rowsOf(ctx, def).filter(pred);
  if (q.orderBy.length) {
    const keys = q.orderBy.map((o) => ({ ...o, ...resolvePath(q, def, o.path, q.text.indexOf(o.path)) }));
    rows = [...rows].sort((a, b) => {
      for (const k of keys) {
        const [va, vb] = [getPath(ctx, def, a, k.rels, k.field), getPath(ctx, def, b, k.rels, k.field)];
        if (va === vb) continue;
        if (va === null) return k.nullsLast ? 1 : -1;
        if (vb === null) return k.nullsLast ? -1 : 1;
        const c =
          typeof va === 'number' && typeof vb === 'number'
            ? va - vb
            : String(va).toLowerCase().localeCompare(String(vb).toLowerCase());
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  if (q.offset !== undefined) {
    if (q.offset > 2000) throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
    rows = rows.slice(q.offset);
  }
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return rows;
}

/** A result record: attributes + the selected fields, parent relationships as nested records. */
export function project(ctx: QueryContext, q: Query, rec: Rec, version: string): Record<string, unknown> {
  const def = objectDef(q.from) as ObjectDef;
  const attributes = (d: ObjectDef, r: Rec): Record<string, unknown> => ({
    type: d.name,
    url: `/services/data/v${version}/${ctx.api === 'tooling' ? 'tooling/' : ''}sobjects/${d.name}/${String(r.Id)}`,
  });
  const out: Record<string, unknown> = { attributes: attributes(def, rec) };
  for (const f of q.fields) {
    const { rels, field } = resolvePath(q, def, f.path, f.pos);
    let target = out;
    let cur: Rec | undefined = rec;
    let curDef = def;
    let dead = false;
    for (const [rel] of rels) {
      const [refField, targetName] = (curDef.relationships ?? {})[rel];
      const relDef = objectDef(targetName) as ObjectDef;
      const parent: Rec | undefined = cur ? ctx.state.byId(relDef.name, cur[refField]) : undefined;
      if (!parent) {
        if (!(rel in target)) target[rel] = null;
        dead = true;
        break;
      }
      if (!target[rel]) target[rel] = { attributes: attributes(relDef, parent) };
      target = target[rel] as Record<string, unknown>;
      cur = parent;
      curDef = relDef;
    }
    if (!dead && cur) target[field] = cur[field] ?? null;
  }
  return out;
}
