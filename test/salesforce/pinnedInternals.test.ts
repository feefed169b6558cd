/*
 * The plugin leans on three internals of @salesforce/core and jsforce that no public API offers: jsforce's
 * `lib/request` setters (the routing dispatcher, bounded retries), a Connection's `_transport` (the inspector's own
 * timeouts), and replacing `AuthInfo#save` on one instance (nothing persisted). Their versions are pinned exactly in
 * package.json; this test fails when an upgrade moves or renames what the plugin patches, instead of the no-persist
 * and timeout guarantees failing silently.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { Connection as JsforceConnection } from '@jsforce/jsforce-node';
import { AuthInfo } from '@salesforce/core';
import { ROOT } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const versionOf = (pkg: string): string =>
  (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

describe('the private internals the plugin patches (pinned versions)', () => {
  it('package.json pins @salesforce/core and @jsforce/jsforce-node exactly, to what is installed', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of ['@salesforce/core', '@jsforce/jsforce-node']) {
      expect(pkg.dependencies[name], name).to.match(/^\d+\.\d+\.\d+$/);
      expect(pkg.dependencies[name], name).to.equal(versionOf(name));
    }
  });

  it("jsforce's lib/request still exports setDispatcher and setDefaults", () => {
    const request = require('@jsforce/jsforce-node/lib/request') as Record<string, unknown>;
    expect(request.setDispatcher).to.be.a('function');
    expect(request.setDefaults).to.be.a('function');
  });

  it('a jsforce Connection still sends through `_transport.httpRequest`', () => {
    const conn = new JsforceConnection({
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: 'x',
    }) as unknown as { _transport?: { httpRequest?: unknown } };
    expect(conn._transport?.httpRequest).to.be.a('function');
  });

  it('AuthInfo still saves through an instance method the doctor can replace', () => {
    expect(AuthInfo.prototype.save).to.be.a('function');
  });
});
