/*
 * The safe-to-share Markdown report, rendered from results the real engine produced: the real command against the
 * simulated org (a failing and a healthy scenario), --from-org on a stored login whose key moved, and an in-process
 * run with a damaged key, a consumer secret pasted as client id and org-side facts with org and user ids. Each report
 * must hold no unmasked username, consumer key, org or user id, key folder or secret, and still give the cause code
 * and every fix step.
 */
import { expect } from 'chai';
import { whyAndActions } from '../../src/render/human.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import type { Check } from '../../src/doctor/check.js';
import { localChecks } from '../../src/doctor/checks/local.js';
import { runDoctor as runEngine } from '../../src/doctor/doctor.js';
import { resolveInputs } from '../../src/doctor/inputs.js';
import { text } from '../../src/doctor/text.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { escapeMarkdown, renderMarkdown } from '../../src/render/markdown.js';
import { createMasker } from '../../src/knowledge/mask.js';
import { realAdapters } from '../../src/salesforce/adapters.js';
import { removeDir, runInProcess, tempHome } from '../helpers/cli.js';
import { makeTestKeys, pemBody } from '../helpers/keys.js';

type Case = {
  name: string;
  result: JwtDoctorResult;
  markdown: string;
  /** Exact values that must not appear anywhere in the report. */
  sensitive: string[];
  /** Private key bodies the run could have read. */
  keyBodies: string[];
};

const ORG_ID = '00D5g000004XyZ1EAI';
const USER_ID = '0055g00000AbCdEFGH';
const ADMIN = 'admin.user@acme.com.uat';
const PASTED_SECRET = 'E2B3A4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7081';
const NOW = new Date('2026-03-04T05:06:07Z');

/** Stands in for the org-side checks (--admin-org): their details name the org, its id, the admin and the user's id. */
const orgFacts: Check = {
  id: 'org.connection',
  group: 'org',
  needs: [],
  mode: 'local',
  evidence: 'observed',
  run: () => ({
    status: 'pass',
    detail:
      text('detail.orgConnection', {
        org: `Acme (${ORG_ID}, Developer Edition, sandbox)`,
        adminUser: ADMIN,
        myDomainUrl: 'https://acme--uat.sandbox.my.salesforce.com',
        requests: '7',
        rounds: '2',
      }) + ` User ${USER_ID} (${ORG_ID.slice(0, 15)}).`,
  }),
};

function loginArgs(sim: Simulator): string[] {
  const l = sim.login!;
  const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--json'];
  if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
  return args;
}

async function fromSimulator(scenario: string): Promise<Case> {
  const sim = await startSimulator({ scenario });
  try {
    const run = await runInProcess(loginArgs(sim), { env: sim.env });
    const result = run.json!.result;
    const l = sim.login!;
    return {
      name: scenario,
      result,
      markdown: renderMarkdown(result, { offline: false, now: NOW }),
      sensitive: [l.username, l.clientId, dirname(l.keyFile)],
      keyBodies: [pemBody(readFileSync(l.keyFile, 'utf8'))],
    };
  } finally {
    await sim.stop();
  }
}

async function fromStoredLogin(): Promise<Case> {
  const home = tempHome();
  try {
    const username = 'deploy.bot@globex.example.com';
    const clientId = '3MVG9A2kN8Bs60nV1R2c9dXmTn4pQ7wZ.yR5uL0kJ3hG6fD9sA2qW8eR1tY4uI7oP0aS3dF6gH9jK2lZ5xC8vB1nM';
    const keyPath = join(home, 'secrets', 'globex', 'server.key');
    mkdirSync(join(home, '.sfdx'));
    writeFileSync(
      join(home, '.sfdx', `${username}.json`),
      JSON.stringify({
        username,
        clientId,
        privateKey: keyPath,
        loginUrl: 'https://globex.my.salesforce.com',
        instanceUrl: 'https://globex.my.salesforce.com',
        orgId: ORG_ID,
      }),
    );
    const run = await runInProcess(['--from-org', username, '--offline', '--json'], { home });
    const result = run.json!.result;
    return {
      name: 'from-org, key moved',
      result,
      markdown: renderMarkdown(result, { offline: true, now: NOW }),
      sensitive: [username, clientId, dirname(keyPath), ORG_ID],
      keyBodies: [],
    };
  } finally {
    removeDir(home);
  }
}

async function inProcess(): Promise<Case> {
  const keys = makeTestKeys();
  try {
    const pem = readFileSync(keys.pkcs8, 'utf8').trim().split('\n');
    const damaged = keys.file('damaged.key', [...pem.slice(0, 10), pem[pem.length - 1], ''].join('\n'));
    const username = 'ci.bot@acme.com.uat';
    const inputs = resolveInputs({
      flags: {
        username,
        'client-id': PASTED_SECRET,
        'jwt-key-file': damaged,
        'instance-url': 'https://acme--uat.sandbox.my.salesforce.com',
        offline: true,
        alias: 'uat',
      },
      env: {},
      defaultTimeoutSeconds: 10,
    });
    const { result } = await runEngine({
      checks: [...localChecks, orgFacts],
      inputs,
      adapters: realAdapters({ offline: true }),
      ignoredFlags: ['--alias'],
    });
    return {
      name: 'damaged key, pasted secret, org ids',
      result,
      markdown: renderMarkdown(result, { offline: true, now: NOW }),
      sensitive: [username, PASTED_SECRET, keys.dir, ORG_ID, ORG_ID.slice(0, 15), USER_ID, ADMIN],
      keyBodies: [keys.body],
    };
  } finally {
    removeDir(keys.dir);
  }
}

/** Unmasked shapes: two plain characters before an @, a whole id or key, a token, a JWT, a PEM body. */
const LEAK_SHAPES: Array<[string, RegExp]> = [
  ['username', /[A-Za-z0-9._%+-]{2}(?:@|%40)[A-Za-z0-9-]{2}/],
  ['org id', /00D[A-Za-z0-9]{12}/],
  ['user id', /005[A-Za-z0-9]{12}/],
  ['consumer key', /3MVG[A-Za-z0-9._]{8}/],
  ['access token', /![A-Za-z0-9._]{20,}/],
  ['JWT', /eyJ[A-Za-z0-9_-]{10,}/],
  ['PEM body', /-----BEGIN [A-Z ]+-----\s*[A-Za-z0-9+/]{20}/],
  ['long base64', /[A-Za-z0-9+/]{60,}/],
];

describe('renderMarkdown: a report safe to paste into a ticket', function () {
  this.timeout(120_000);
  const cases: Case[] = [];

  before(async () => {
    cases.push(
      await fromSimulator('self-authorize-never-approved'),
      await fromSimulator('healthy-production'),
      await fromStoredLogin(),
      await inProcess(),
    );
  });

  it('was rendered from the verdicts and causes the engine found', () => {
    expect(cases.map((c) => [c.name, c.result.verdict, c.result.cause?.code ?? null])).to.deep.equal([
      ['self-authorize-never-approved', 'fail', 'USER_NOT_APPROVED'],
      ['healthy-production', 'pass', null],
      ['from-org, key moved', 'fail', 'KEY_FILE_MISSING'],
      ['damaged key, pasted secret, org ids', 'fail', 'KEY_INVALID'],
    ]);
    // The unmasked results do hold what must be masked, so the checks below prove something.
    const raw = JSON.stringify(cases.map((c) => c.result));
    for (const c of cases) for (const value of c.sensitive) expect(raw, `${c.name}: ${value}`).to.include(value);
  });

  it('holds no unmasked username, consumer key, org or user id, key folder, or secret-looking string', () => {
    for (const c of cases) {
      for (const value of c.sensitive) expect(c.markdown, `${c.name}: ${value}`).to.not.include(value);
      for (const [what, shape] of LEAK_SHAPES)
        expect(c.markdown.match(shape)?.[0], `${c.name}: ${what}`).to.equal(undefined);
      const flat = c.markdown.replace(/\s+/g, '');
      for (const body of c.keyBodies)
        for (let i = 64; i + 24 <= body.length; i += 100)
          expect(flat, `${c.name}: key material`).to.not.include(body.slice(i, i + 24));
    }
  });

  it('shows the masked forms, so a reader still recognises the user, app, org and key file', () => {
    const [approval, , stored, local] = cases;
    expect(approval.markdown).to.include('`c*@a***.com`').and.include('3MVG9h…');
    expect(stored.markdown)
      .to.include('d*********@g*****.e******.com')
      .and.include('3MVG9A…')
      .and.include('server.key');
    expect(local.markdown)
      .to.include('00D…EAI')
      .and.include('00D…yZ1')
      .and.include('005…FGH')
      .and.include('`E2…`')
      .and.include('damaged.key');
    expect(local.markdown).to.include('https://acme--uat.sandbox.my.salesforce.com');
  });

  it('still gives the cause code and every fix step, title and command', () => {
    for (const c of cases) {
      const mask = createMasker({
        usernames: c.result.inputs.filter((i) => i.name === 'username').map((i) => i.value ?? undefined),
        clientIds: c.result.inputs.filter((i) => i.name === 'client-id').map((i) => i.value ?? undefined),
        keyPaths: c.result.inputs.filter((i) => i.name === 'jwt-key-file').map((i) => i.value ?? undefined),
      });
      if (c.result.cause) expect(c.markdown).to.include(`**${c.result.cause.code}**`);
      for (const fix of c.result.fixes) {
        expect(c.markdown).to.include(escapeMarkdown(mask(fix.title)));
        // The reason (steps[0] when the fix has one) unnumbered, the actions numbered from 1.
        const { why, actions } = whyAndActions(fix);
        if (why) expect(c.markdown).to.include(`\n${escapeMarkdown(mask(why))}\n`);
        actions.forEach((step, i) => expect(c.markdown).to.include(`\n${i + 1}. ${escapeMarkdown(mask(step))}\n`));
        for (const command of fix.commands)
          expect(c.markdown).to.match(
            new RegExp('```sh\\n(?:.*\\n)*?' + escapeRegExp(mask(command)) + '\\n(?:.*\\n)*?```'),
          );
      }
    }
    expect(cases[0].result.fixes[0].links.join()).to.include('authorize?');
  });

  it('has the sections of the human report: verdict, inputs with provenance, grouped checks, attempts, root cause, fixes, footer', () => {
    const md = cases[0].markdown;
    const order = [
      '# JWT doctor report',
      '**✗ The JWT login fails: USER_NOT_APPROVED.',
      '## Inputs',
      '| `username` | `c*@a***.com` | flag (`--username`) |',
      '## Checks',
      '### Private key',
      '### Token endpoint',
      '## Token requests (5',
      '## Root cause',
      '## Fixes',
      '### 1. ',
      '---',
      '_Report by @jwt-doctor/plugin-org-jwt-doctor ',
    ];
    let at = -1;
    for (const marker of order) {
      const next = md.indexOf(marker, at + 1);
      expect(next, `"${marker}" after position ${at}`).to.be.greaterThan(at);
      at = next;
    }
    expect(md).to.match(/\| ✗ fail \| Token endpoint issues a token \|/);
    expect(md).to.match(
      /\| 1 \| `https:\/\/acme\.my\.salesforce\.com\/` \| `https:\/\/acme\.my\.salesforce\.com\/` \| ✗ invalid_grant: user hasn't approved this consumer \(HTTP 400\) \| \d+ \|/,
    );
    expect(md).to.include(' 0.1.0 on 2026-03-04 05:06 UTC.');
    expect(cases[1].markdown).to.include('**✓ The JWT login works.');
    expect(cases[3].markdown).to.include('Ignored (the doctor saves nothing): --alias');
  });

  it('keeps Markdown intact: masked names are not emphasis, table rows are one line with escaped pipes', () => {
    for (const c of cases) {
      const tableRows = c.markdown.split('\n').filter((line) => line.startsWith('| '));
      for (const row of tableRows) expect(row.endsWith(' |'), row).to.equal(true);
      const prose = c.markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      expect(prose, c.name).to.not.match(/(?<!\\)\*(?!\*)[^*\n]*@/);
      expect(prose, c.name).to.not.match(/(?<![\\`])<(?!br>|https?:)/);
    }
  });
});

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
