/*
 * terminalSafe: every kind of terminal control a server could send is removed whole (not left half, as "[2K"), and
 * ordinary text, Unicode included, stays.
 */
import { expect } from 'chai';
import { terminalSafe, terminalSafeBody } from '../../src/salesforce/remoteText.js';
import { TERMINAL_INJECTION } from '../../simulator/server.js';

describe('remote text: terminalSafe', () => {
  it('removes CSI, OSC 8 links, titles, BEL, 8-bit CSI, CR and bidi controls; keeps the printable text', () => {
    const cases: Array<[string, string]> = [
      ['audience is invalid\u001b[2K\u001b[1A', 'audience is invalid'],
      ['\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\', 'click'],
      ['\u001b]0;title\u0007after', 'after'],
      ['\u009b31mred\u009b0m', 'red'],
      ['line\rrewritten', 'line rewritten'],
      ['admin\u202eppa', 'admin ppa'],
      ['Ünïcødé ✓ 日本', 'Ünïcødé ✓ 日本'],
    ];
    for (const [input, output] of cases) expect(terminalSafe(input), JSON.stringify(input)).to.equal(output);
    expect(terminalSafe(TERMINAL_INJECTION)).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
    console.log(`      ${cases.length} remote strings made terminal-safe, the simulator's injection included`);
  });

  it('cleans JSON strings (escaped controls), SOAP text and XML character references', () => {
    expect(
      JSON.parse(terminalSafeBody(JSON.stringify({ error_description: `bad${TERMINAL_INJECTION}` }))).error_description,
    ).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
    expect(terminalSafeBody('<faultstring>no &#27;[2K&#x1B;]8;;x&#13;access\r</faultstring>')).to.not.match(
      /&#(27|x1B|13);|\r/,
    );
  });
});

describe('remote text: what stays', () => {
  it("keeps a certificate's PEM lines (the app's metadata), in JSON and in XML", () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\r\nMIIBszCCAR2gAwIBAgIBATANBgkqhkiG9w0BAQsFADAA\nAQAB\n-----END CERTIFICATE-----';
    expect(terminalSafe(`x\u001b[2K${pem}\ry`)).to.equal(`x${pem.replace(/\r\n/g, '\n')} y`);
    expect(terminalSafeBody(`<certificate>${pem}</certificate>`)).to.include('-----BEGIN CERTIFICATE-----\nMIIB');
  });
});
