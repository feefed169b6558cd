import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { localChecks } from '../../../src/doctor/checks/local.js';

const MESSAGES = new URL('../../../messages/local-checks.md', import.meta.url);
const CHECKS_DIR = new URL('../../../src/doctor/checks/', import.meta.url);
const MY_CHECK_FILES = ['inputUsername.ts', 'inputUsernameSandbox.ts', 'inputClientId.ts', 'keyFile.ts', 'keyParse.ts', 'urlParse.ts', 'urlSalesforceDomain.ts', 'urlKind.ts'];

/** `# key` followed directly by its text, up to the next `# ` heading. */
function sections(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of text.split(/^# /m).slice(1)) {
    const [key, ...rest] = block.split('\n');
    map.set(key.trim(), rest.join('\n').trim());
  }
  return map;
}

/** Fix ids named in the check sources (string literals with a known prefix). */
function fixIdsInSources(): Set<string> {
  const ids = new Set<string>();
  for (const file of readdirSync(CHECKS_DIR).filter((f) => MY_CHECK_FILES.includes(f))) {
    const source = readFileSync(new URL(file, CHECKS_DIR), 'utf8');
    for (const m of source.matchAll(/'((?:username|client-id|key|url|audience)-[a-z0-9-]+)'/g)) ids.add(m[1]);
  }
  return ids;
}

describe('messages/local-checks.md', () => {
  const text = readFileSync(MESSAGES, 'utf8');
  const map = sections(text);

  it('puts every text directly under its key, without printf placeholders', () => {
    expect(text).to.not.match(/^# .+\n\n/m);
    expect(text).to.not.match(/%[sd]/);
  });

  it('has a title for every local check', () => {
    for (const c of localChecks) expect(map.get(`check.${c.id}`), c.id).to.be.a('string').and.not.equal('');
  });

  it('has a title and steps for every fix a local check proposes, and no orphan fix texts', () => {
    const ids = fixIdsInSources();
    expect(ids.size).to.be.greaterThan(40);
    for (const id of ids) {
      expect(map.get(`fix.${id}.title`), id).to.match(/^[^\n]+$/);
      expect(map.get(`fix.${id}.steps`), id).to.match(/^- /);
    }
    const documented = [...map.keys()].filter((k) => k.startsWith('fix.')).map((k) => k.split('.')[1]);
    for (const id of documented) expect(ids.has(id), `fix.${id} is never proposed`).to.equal(true);
  });

  it('writes steps, commands and links as markdown lists, links as https URLs', () => {
    for (const [key, value] of map) {
      if (/\.(steps|commands|links)$/.test(key)) for (const line of value.split('\n')) expect(line, key).to.match(/^- \S/);
      if (key.endsWith('.links')) for (const line of value.split('\n')) expect(line, key).to.match(/^- https:\/\/\S+$/);
    }
  });
});
