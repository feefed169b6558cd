/*
 * The routing a real sf needs to reach the simulator (simulator/realSf.ts), as `npm run sim` prints it above the
 * scenario's login and admin lines: the port sf calls, the hosts line, the CA variable — each only when needed.
 */
import { expect } from 'chai';
import { realSfRouting } from '../../simulator/realSf.js';

const hosts = ['acme.my.salesforce.com', 'login.salesforce.com', 'test.salesforce.com'];

describe('simulator: what a real sf needs', () => {
  it('on a random port: port 443, the hosts line and NODE_EXTRA_CA_CERTS with the CA file', () => {
    const lines = realSfRouting({ port: 45933, protocol: 'https', hosts, caFile: 'ca.pem' });
    expect(lines.every((l) => l.startsWith('#'))).to.equal(true);
    const text = lines.join('\n');
    expect(text).to.match(/listens on port 45933; sf calls port 443: restart it with --port 443/);
    expect(text).to.include('127.0.0.1 acme.my.salesforce.com login.salesforce.com test.salesforce.com');
    expect(text).to.include('export NODE_EXTRA_CA_CERTS=ca.pem');
  });

  it('already on 443: no restart step; plain HTTP on 80: no CA step', () => {
    expect(realSfRouting({ port: 443, protocol: 'https', hosts, caFile: 'ca.pem' }).join('\n')).to.not.include(
      'restart',
    );
    const http = realSfRouting({ port: 80, protocol: 'http', hosts, caFile: 'ca.pem' }).join('\n');
    expect(http).to.not.include('restart');
    expect(http).to.not.include('NODE_EXTRA_CA_CERTS');
    expect(http).to.include('127.0.0.1 acme.my.salesforce.com');
  });
});
