/*
 * Child-process entry: stores a real sf authorization (AuthInfo.create with an access token, then save()) in the
 * HOME it runs with, and optionally an alias — the way `sf org login access-token` does. Run in its own process so
 * @salesforce/core's per-HOME singletons and keychain key never mix with the test process's.
 *   node --import tsx test/helpers/storeAdminAuth.ts <accessToken> <instanceUrl> [alias]
 */
import { AuthInfo, StateAggregator } from '@salesforce/core';
import { installConnectTo } from '../../src/salesforce/connectTo.js';

const [accessToken, instanceUrl, alias] = process.argv.slice(2);
installConnectTo(process.env);
const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl } });
await authInfo.save();
const username = authInfo.getUsername() ?? '';
if (alias) {
  const state = await StateAggregator.getInstance();
  await state.aliases.setAndSave(alias, username);
}
process.stdout.write(JSON.stringify({ username }));
