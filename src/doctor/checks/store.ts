/*
 * Shared by the store.* checks (sf's local auth store, issue 13 point 2): the stored login they look at and the shape
 * of their finding.
 *
 * The root-cause rule for LOCAL_AUTH_STORE, decided here once:
 * - A store problem that alone stops sf — the generic keychain's key file with a mode other than 600: core reads the
 *   keychain before its first token request and throws — is a failure and the root cause (weight 99, `stopsSf`), even
 *   when the org's token endpoint would issue a token; the org-side cause, if any, follows as the next fix.
 * - Every other store problem (an auth file the keychain cannot decrypt, a stored login whose host or org id the org no
 *   longer has, a stored key path in a temporary directory) leaves `sf org login jwt` itself working: sf replaces the
 *   stored login of the same username when it logs in. It breaks the commands that use the stored login afterwards. It
 *   is a warning: the root cause only when the org-side login works (the diagnosis ranks warnings when nothing fails;
 *   the verdict is then `warn`), otherwise a warning with its fix after the org-side cause's.
 * test/doctor/checks/store.test.ts proves both halves.
 */
import { asTyped } from '../../knowledge/instanceUrl.js';
import type { CauseProposal, Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import { loginCommand } from '../inputs.js';
import type { StoredLoginFacts } from '../../salesforce/authStore.js';

/** The stored login of the username this run diagnoses (the --from-org one, or --username's), if sf has one. */
export function storedLogin(ctx: DoctorContext): StoredLoginFacts | undefined {
  const username = ctx.inputs.username?.value.trim();
  if (!username) return undefined;
  return ctx.facts.authStore?.logins.find((l) => l.username === username);
}

/**
 * A local store.* check about the stored login of this run's username: it applies only when sf has one, and its
 * findings are observed (the files as sf stores them, core's own decrypt).
 */
export function storedLoginCheck(
  id: string,
  run: (ctx: DoctorContext, login: StoredLoginFacts) => CheckOutcome | undefined,
): Check {
  return {
    id,
    group: 'store',
    needs: [],
    mode: 'local',
    evidence: 'observed',
    run(ctx) {
      const login = storedLogin(ctx);
      return login ? run(ctx, login) : undefined;
    },
  };
}

/** Fix texts' values: the auth file, the name to log out, and the login line that stores the login again. */
export function storeParams(ctx: DoctorContext, login: StoredLoginFacts): Record<string, string> {
  const instanceUrl =
    asTyped(ctx.facts.probe?.recommendedLoginUrl, ctx.inputs.instanceUrl.value) ?? ctx.inputs.instanceUrl.value;
  return {
    authFile: login.authFileDisplay,
    target: login.alias ?? login.username,
    loginCommand:
      loginCommand({
        username: login.username,
        clientId: ctx.inputs.clientId?.value.trim(),
        keyFile: ctx.inputs.keyFile?.value,
        instanceUrl,
      }) ?? 'sf org login jwt',
  };
}

/** A store warning: confirmed (the file system and core's own decrypt said so), never above an org-side failure. */
export function storeWarning(
  detail: string,
  cause: Pick<CauseProposal, 'fix' | 'summary' | 'params'> & { weight: number },
): CheckOutcome {
  return {
    status: 'warn',
    detail,
    cause: { code: 'LOCAL_AUTH_STORE', confidence: 'confirmed', alternatives: [], ...cause },
  };
}
