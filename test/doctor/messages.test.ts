/*
 * messages/*.md hold every sentence (split by concern, each key in one file): a title for every check, and a title and
 * steps for every fix any check or the cause catalogue can propose — and no fix text that nothing proposes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { allChecks } from '../../src/doctor/checks/index.js';
import { CATALOGUE } from '../../src/doctor/causes.js';
import { CAUSE_CODES } from '../../src/doctor/types.js';
import { BUNDLES, has } from '../../src/doctor/text.js';
import { KEYS_FILE, messageKeysSource } from '../../scripts/messageKeys.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILES = readdirSync(join(ROOT, 'messages'))
  .filter((f) => f.endsWith('.md'))
  .sort();
const texts = new Map(FILES.map((f) => [f, readFileSync(join(ROOT, 'messages', f), 'utf8')]));

function sections(md: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of md.split(/^# /m).slice(1)) {
    const [key, ...rest] = block.split('\n');
    map.set(key.trim(), rest.join('\n').trim());
  }
  return map;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sourceFiles(path) : f.endsWith('.ts') ? [path] : [];
  });
}

/** Fix ids named in the sources: `fix: '<id>'` literals and the local checks' prefixed ids. */
function proposedFixIds(): Set<string> {
  const ids = new Set<string>(CATALOGUE.map((e) => e.fix ?? e.code));
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/fix: '([A-Za-z0-9_-]+)'/g)) ids.add(m[1]);
    if (!file.includes(join('src', 'doctor', 'checks'))) continue;
    // The local checks pick fix ids in expressions (`fix = cond ? 'key-…' : 'key-…'`); skip id comparisons.
    for (const m of source.matchAll(
      /(?<!(?:id|===|!==) ?:? ?)'((?:username|client-id|key|url|audience|admin-org|unreachable|fallback)-[a-z0-9-]+)'/g,
    ))
      ids.add(m[1]);
  }
  for (const kind of [
    'dns',
    'refused',
    'reset',
    'tls-untrusted',
    'tls-wrong-name',
    'tls-expired',
    'tls-other',
    'timeout',
    'not-allowed',
    'redirect',
    'other',
  ])
    ids.add(`unreachable-${kind}`);
  return ids;
}

describe('messages/*.md', () => {
  it('the typed keys (src/doctor/messageKeys.ts) are the keys of the files: run npm run messages:keys after a change', () => {
    expect(readFileSync(KEYS_FILE, 'utf8')).to.equal(messageKeysSource());
  });

  const map = new Map([...texts.values()].flatMap((md) => [...sections(md)]));

  it('loads every file as a bundle, each key in one file only', () => {
    expect(FILES).to.deep.equal(BUNDLES.map((b) => `${b}.md`).sort());
    const counts = [...texts.values()].map((md) => sections(md).size);
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(map.size);
    for (const key of map.keys()) expect(has(key), key).to.equal(true);
  });

  it('has every key the sources name literally', () => {
    const missing = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\b(?:text|list|has|getMessages?|createError)\('([A-Za-z][\w.-]*)'/g)]
        .map((m) => m[1])
        .filter((key) => !map.has(key)),
    );
    expect(missing).to.deep.equal([]);
  });

  it('uses printf placeholders only in error texts (the rest use named {placeholders})', () => {
    const printf = [...map]
      .filter(([key, value]) => !key.startsWith('error.') && /%[sd]\b/.test(value))
      .map(([key]) => key);
    expect(printf).to.deep.equal([]);
  });

  it('has a title for every check', () => {
    for (const c of allChecks)
      expect(map.get(`check.${c.id}`), c.id)
        .to.be.a('string')
        .and.not.equal('');
  });

  it('has a title and steps for every fix that can be proposed', () => {
    const ids = proposedFixIds();
    expect(ids.size).to.be.greaterThan(60);
    const missing = [...ids].filter(
      (id) => !/^fix\./.test(id) && !(map.get(`fix.${id}.title`) && /^- /.test(map.get(`fix.${id}.steps`) ?? '')),
    );
    // Causes proposed with their code as the fix id must have texts too, except those only ever proposed with a named fix.
    expect(missing.filter((id) => !(CAUSE_CODES as readonly string[]).includes(id))).to.deep.equal([]);
  });

  it('has no fix text that nothing proposes', () => {
    const ids = proposedFixIds();
    const documented = [...map.keys()]
      .filter((k) => /^fix\.[^.]+\.(title|steps|commands|links)$/.test(k))
      .map((k) => k.split('.')[1]);
    const orphans = documented.filter((id) => !ids.has(id) && !(CAUSE_CODES as readonly string[]).includes(id));
    expect([...new Set(orphans)]).to.deep.equal([]);
  });

  it('writes steps, commands and links as markdown lists, links as https URLs (or the approval URL the run builds)', () => {
    for (const [key, value] of map) {
      if (/^fix\..+\.(steps|commands|links)$/.test(key))
        for (const line of value.split('\n')) expect(line, key).to.match(/^- \S/);
      if (/^fix\..+\.links$/.test(key))
        for (const line of value.split('\n')) expect(line, key).to.match(/^- (https:\/\/\S+|\{authorizeUrl\})$/);
    }
  });
});
