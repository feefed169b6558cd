/*
 * From Spring '26 new connected apps cannot be created through the UI or the APIs, Metadata API included (help
 * 005228017): a fix that tells a user to create a connected app must offer the External Client App path alongside.
 * Reads every fix in messages/fixes.md (title, steps, commands, links together) and every fix as rendered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { fixFor } from '../../src/doctor/fixes.js';
import { adviceWithoutEcaPath, CREATE_CONNECTED_APP, PLATFORM_FACTS } from '../../src/knowledge/platform.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXES_MD = readFileSync(join(ROOT, 'messages', 'fixes.md'), 'utf8');

/** Each fix's texts (`# fix.<id>.title|steps|commands|links`) joined: one fix is read as one piece of advice. */
function fixesById(): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of FIXES_MD.split(/^# /m).slice(1)) {
    const [key, ...rest] = block.split('\n');
    const m = /^fix\.(.+)\.(title|steps|commands|links)$/.exec(key.trim());
    if (!m) continue;
    out.set(m[1], `${out.get(m[1]) ?? ''}\n${rest.join('\n')}`);
  }
  return out;
}

describe("fixes and the Spring '26 connected app block", () => {
  it('recognises "create a connected app" advice in its phrasings, and the ECA path next to it', () => {
    for (const advice of [
      'Create a connected app with JWT bearer.',
      'create a new Connected App in Setup',
      'Set up a new connected app for the integration.',
      'Use a new connected app.',
      'make your own connected app',
      'Register another connected app',
      'CREATE A CONNECTED APP',
    ])
      expect(adviceWithoutEcaPath(advice), advice).to.equal(true);
    for (const fine of [
      'Setup → App Manager → the connected app → Edit',
      'Create a new connected app, or an External Client App (Setup → External Client App Manager → New).',
      'Install the connected app in the org',
    ])
      expect(adviceWithoutEcaPath(fine), fine).to.equal(false);
    expect(PLATFORM_FACTS.connectedAppCreationBlocked.sources).to.include('help 005228017');
  });

  it('no fix text in messages/fixes.md advises creating a connected app without the External Client App path', () => {
    const fixes = fixesById();
    expect(fixes.size).to.be.greaterThan(50);
    const offending = [...fixes].filter(([, all]) => adviceWithoutEcaPath(all)).map(([id]) => id);
    const advising = [...fixes].filter(([, all]) => CREATE_CONNECTED_APP.test(all)).map(([id]) => id);
    console.log(
      `      ${fixes.size} fixes read; ${advising.length} mention making a connected app (${advising.join(', ')}), all with the ECA path`,
    );
    expect(offending).to.deep.equal([]);
  });

  it('no rendered fix does either (every fix id, its placeholders filled)', () => {
    const params = { username: 'ci@acme.com', clientId: '3MVG9', appName: 'CI_App', loginUrl: 'https://x' };
    let rendered = 0;
    for (const id of fixesById().keys()) {
      const fix = fixFor({ code: 'UNKNOWN', confidence: 'likely', summary: '', fix: id, params }, params);
      if (!fix) continue;
      rendered += 1;
      const all = [fix.title, ...fix.steps, ...fix.commands, ...fix.links].join('\n');
      expect(adviceWithoutEcaPath(all), `fix.${id}: ${all}`).to.equal(false);
    }
    expect(rendered).to.be.greaterThan(50);
  });
});
