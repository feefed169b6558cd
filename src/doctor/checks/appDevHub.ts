/*
 * app.dev-hub: the login's org is a Dev Hub (core's determineIfDevHub query, sent by probe.api with the token sf would
 * get, answered 200) and the app is an External Client App. The login works, but `sf org create scratch` and
 * `sf org create sandbox` with it fail (C-1016 / RemoteOrgSignupFailed): scratch signup needs a connected app
 * (cli#3515, cli#3638; src/knowledge/platform.ts). A warning, never a cause: nothing in the JWT login is wrong.
 */
import { text } from '../text.js';
import { appCheck, appParams } from './adminSupport.js';

export const appDevHub = appCheck(
  // documented: the Dev Hub flag is the org's answer; what it means for an ECA login is the maintainers' word (cli#3515).
  { id: 'app.dev-hub', group: 'app', needs: ['org.connection'], evidence: 'documented' },
  (ctx, ins, app) => {
    if (ctx.facts.probe?.use?.isDevHub !== true) return undefined;
    const params = {
      ...appParams(app),
      username: ctx.inputs.username?.value.trim() ?? '',
      orgName: ins.org?.name ?? 'The org',
    };
    if (app.kind === 'ConnectedApp') return { status: 'pass', detail: text('detail.devHub.connectedApp', params) };
    return { status: 'warn', detail: text('detail.devHub.eca', params) };
  },
);
