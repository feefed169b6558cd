/*
 * The doctor on the 2025–2026 platform (issue 13, point 3), against the simulated orgs of point 5, with --admin-org:
 * a Dev Hub logged in through an External Client App (a warning: scratch orgs will fail, cli#3515), an ECA whose OAuth
 * settings a sandbox refresh lost (known issue a02Ka00000mn8S6: the fix recreates them), an uninstalled connected app
 * (the fix names the "Approve Uninstalled Connected Apps" permission, help 005132365).
 */
import { expect } from 'chai';
import { loadScenario, startSimulator, type Behaviour } from '../../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome } from '../../helpers/cli.js';
import type { JwtDoctorResult } from '../../../src/doctor/types.js';

async function doctor(name: string, behaviour: Behaviour = {}, admin = true): Promise<JwtDoctorResult> {
  const scenario = structuredClone(loadScenario(name));
  scenario.server = { ...scenario.server, behaviour: { ...scenario.server?.behaviour, ...behaviour } };
  const sim = await startSimulator({ scenario });
  const home = tempHome();
  try {
    const l = sim.login!;
    if (admin) await storeAdminAuth(sim, home, { alias: 'admin' });
    const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId];
    args.push('--instance-url', l.instanceUrl!, '--json', ...(admin ? ['--admin-org', 'admin'] : []));
    const run = await runInProcess(args, { env: { ...sim.env, ...KEYCHAIN_ENV }, home });
    return run.json!.result;
  } finally {
    removeDir(home);
    await sim.stop();
  }
}

const check = (r: JwtDoctorResult, id: string) => r.checks.find((c) => c.id === id);

describe('the doctor on the 2025–2026 platform', function () {
  this.timeout(120_000);

  it('a Dev Hub logged in through an ECA: the login works, with a warning that scratch orgs will not', async () => {
    const r = await doctor('devhub-eca');
    expect(r.verdict).to.be.oneOf(['pass', 'warn']);
    expect(r.cause).to.equal(null);
    expect(check(r, 'app.dev-hub')).to.include({ status: 'warn' });
    expect(check(r, 'app.dev-hub')?.detail).to.match(/Dev Hub.*External Client App CI_Deploy_ECA.*org create scratch/s);
    // The same org without the Dev Hub flag (or a user who cannot read ScratchOrgInfo): nothing to say.
    const healthy = await doctor('healthy-eca');
    expect(healthy.verdict).to.equal('pass');
    expect(check(healthy, 'app.dev-hub')).to.equal(undefined);
    const unseen = await doctor('devhub-eca', { scratchOrgInfoAccess: 'admins' });
    expect(unseen.verdict).to.equal('pass');
    expect(check(unseen, 'app.dev-hub')).to.equal(undefined);
  });

  it('an ECA whose OAuth settings a refresh lost: CLIENT_ID_INVALID confirmed, the fix recreates the settings', async () => {
    for (const ecaOauthSettingsLostError of ['client_id_invalid', 'app_not_found'] as const) {
      const r = await doctor('sandbox-eca-oauth-settings-lost', { ecaOauthSettingsLostError });
      expect(r.verdict, ecaOauthSettingsLostError).to.equal('fail');
      expect(r.cause?.code, ecaOauthSettingsLostError).to.equal('CLIENT_ID_INVALID');
      expect(check(r, 'app.eca-oauth-settings')).to.include({ status: 'fail', evidence: 'documented' });
      expect(r.fixes[0].title).to.equal('Recreate the OAuth settings of CI_Deploy_ECA in Acme Corp');
      expect(r.fixes[0].steps.join('\n')).to.match(/a02Ka00000mn8S6/);
    }
    expect((await doctor('sandbox-eca-oauth-settings-lost')).cause?.confidence).to.equal('confirmed');
    // Without the admin org the token endpoint's answer is all there is: the key is unknown (likely).
    const plain = await doctor('sandbox-eca-oauth-settings-lost', {}, false);
    expect(plain.cause?.code).to.equal('CLIENT_ID_INVALID');
    // A healthy ECA org: the check passes.
    expect(check(await doctor('healthy-eca'), 'app.eca-oauth-settings')).to.include({ status: 'pass' });
  });

  it('an uninstalled connected app on a custom admin profile: the fix names the permission the clone lacks', async () => {
    const r = await doctor('uninstalled-app-custom-admin-profile');
    expect(r.cause?.code).to.equal('APP_NOT_INSTALLED');
    const fix = r.fixes.map((f) => f.steps.join('\n')).join('\n');
    expect(fix).to.match(/Approve Uninstalled Connected Apps/);
    expect(fix).to.match(/standard System Administrator profile/);
  });
});
