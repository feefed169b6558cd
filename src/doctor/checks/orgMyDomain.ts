/*
 * org.my-domain: the org's own My Domain URL against --instance-url, and the My Domain login policy
 * (MyDomainSettings canOnlyLoginWithMyDomainUrl / doesApiLoginRequireOrgDomain) that makes login.salesforce.com and
 * test.salesforce.com refuse the org's users. External Client Apps are org-local: they too need the My Domain.
 */
import { text } from '../text.js';
import { answersAt, fail, orgCheck, skipFor, warn } from './adminSupport.js';

function host(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export const orgMyDomain = orgCheck(
  // documented: the org's My Domain from userinfo urls.custom_domain (Help: Identity URLs); the login-policy flags' effect on OAuth is not documented (inferred below).
  { id: 'org.my-domain', group: 'org', needs: ['org.connection'], evidence: 'documented' },
  (ins) => (ins.myDomainUrl ? undefined : skipFor(ins, ['identity'])),
  (ctx, ins) => {
    const myDomainUrl = ins.myDomainUrl!;
    const given = ctx.inputs.instanceUrl.value;
    const url = ctx.adapters.classifyUrl(given);
    const params = { myDomainUrl, suggestedUrl: myDomainUrl, instanceUrl: given };
    if (host(given) === host(myDomainUrl)) {
      return { status: 'pass', detail: text('detail.myDomainSame', params) };
    }
    if (url.kind === 'login' || url.kind === 'test') {
      if (ins.app?.kind === 'ExternalClientApp') {
        const detail = text('detail.myDomainEca', { ...params, appName: ins.app.name });
        return fail(ctx, detail, {
          code: 'MY_DOMAIN_REQUIRED',
          fix: 'admin-my-domain-eca',
          params: { ...params, appName: ins.app.name },
          summary: text('summary.orgMyDomain.ecaNeedsMyDomain', {
            name: ins.app.name,
            myDomainUrl,
            hostname: url.hostname,
          }),
        });
      }
      const p = ins.myDomainPolicy;
      const flags = [
        p?.canOnlyLoginWithMyDomainUrl ? 'canOnlyLoginWithMyDomainUrl' : '',
        p?.doesApiLoginRequireOrgDomain ? 'doesApiLoginRequireOrgDomain' : '',
      ].filter(Boolean);
      if (flags.length > 0) {
        const fp = { ...params, flags: flags.join(', ') };
        const detail = text('detail.myDomainPolicy', fp);
        // Observed beats the reading: a token issued at login/test.salesforce.com in this run shows the flags do not block it.
        const issued = answersAt(ctx, ['https://login.salesforce.com', 'https://test.salesforce.com']).find(
          (d) => d.outcome === 'success',
        );
        if (issued)
          return {
            status: 'pass',
            evidence: 'observed',
            detail: `${detail}\n${text('detail.myDomainPolicyContradicted', { ...fp, host: new URL(issued.loginUrl).hostname })}`,
          };
        // inferred: MyDomainSettings' effect on the OAuth token endpoint is undocumented (Metadata API: MyDomainSettings
        // documents the login page and SOAP API logins only), so at most likely, with what the token endpoint left open.
        return {
          ...fail(ctx, detail, {
            code: 'MY_DOMAIN_REQUIRED',
            confidence: 'likely',
            fix: 'admin-my-domain-policy',
            params: fp,
            summary: text('summary.orgMyDomain.loginPolicy', {
              flags: fp.flags,
              hostname: url.hostname,
              myDomainUrl,
            }),
          }),
          evidence: 'inferred',
        };
      }
      const policy = skipFor(ins, ['myDomainSettings']);
      if (policy) return { status: 'pass', detail: `${text('detail.myDomainGeneric', params)}\n${policy.detail}` };
      return { status: 'pass', detail: text('detail.myDomainGeneric', params) };
    }
    // Another host of the same org: an old My Domain (renamed, or a sandbox before its refresh). When it never reached
    // a token endpoint and sf's fallbacks through login/test.salesforce.com got no token either, it is why the login
    // fails: with the org's own My Domain, sf's first attempt reaches the org (and satisfies its login policy).
    const probe = ctx.facts.probe;
    const givenHost = host(given);
    const reachedGiven = probe?.details.some(
      (d) => host(d.loginUrl) === givenHost && !d.network && !d.nonJson && !d.throttled,
    );
    if (probe && !reachedGiven && !probe.details.some((d) => d.outcome === 'success')) {
      const detail = `${text('detail.myDomainOther', params)} ${text('detail.myDomainOtherUnreached', { givenHost })}`;
      // Just below the other confirmed findings: with the right URL, a missing approval (a refreshed sandbox) still fails.
      return fail(ctx, detail, {
        code: 'INSTANCE_URL_INVALID',
        fix: 'admin-use-my-domain',
        params,
        weight: 75,
        summary: text('summary.orgMyDomain.unreachedMyDomain', { given, myDomainUrl }),
      });
    }
    return warn(
      text('detail.myDomainOther', params),
      {
        code: 'INSTANCE_URL_INVALID',
        fix: 'admin-use-my-domain',
        params,
        summary: text('summary.orgMyDomain.notCurrentMyDomain', { given, myDomainUrl }),
      },
      20,
    );
  },
);
