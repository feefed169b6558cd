/*
 * The inspector's XML reader gives the tree jsforce's xml2js (explicitArray: false) gives, and refuses what is not XML.
 */
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { parseXml } from '../../src/salesforce/inspectorXml.js';

const xml2js = createRequire(import.meta.url)('xml2js') as {
  parseStringPromise: (s: string, o: object) => Promise<unknown>;
};

const SAMPLES = [
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><readMetadataResponse><result><records xsi:type="ConnectedApp"><fullName>A</fullName><oauthConfig><scopes>Api</scopes><scopes>RefreshToken</scopes><consumerKey>3MVG</consumerKey></oauthConfig></records><records xsi:nil="true"/></result></readMetadataResponse></soapenv:Body></soapenv:Envelope>',
  '<a xmlns="x"><b>1</b><b>2</b><c/><d></d><e>  </e><f q="1">t</f><g q=\'2\'/><h><![CDATA[ <x> ]]></h><i>&lt;&amp;&#65;&#x42;&quot;</i>\n<j>\n <k>v</k>\n</j><!-- c --></a>',
  '<r><cert>-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----</cert><empty>   </empty></r>',
];

describe('parseXml (the inspector reads SOAP answers like xml2js)', () => {
  for (const [i, xml] of SAMPLES.entries()) {
    it(`sample ${i + 1}: the same tree as xml2js`, async () => {
      expect(parseXml(xml)).to.deep.equal(await xml2js.parseStringPromise(xml, { explicitArray: false }));
    });
  }

  for (const bad of [
    '{"access_token":"00D',
    '<a><b></a>',
    '<a>',
    '<a></a><b/>',
    'text <a/>',
    '<a>&bogus;</a>',
    '',
    '<a/',
    '<a x=1/>',
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => parseXml(bad)).to.throw();
    });
  }
});
