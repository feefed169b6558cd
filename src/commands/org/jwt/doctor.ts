/*
 * `sf org jwt doctor`: a thin shell. Flags → inputs (with provenance) → the check engine → the renderer; returns the
 * typed result (the --json `result`) and sets the exit code from the verdict.
 */
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { SfError } from '@salesforce/core';
import { runDoctor } from '../../../doctor/doctor.js';
import { exitCodeFor } from '../../../doctor/diagnosis.js';
import { ignoredFlags, resolveInputs, type DoctorFlags } from '../../../doctor/inputs.js';
import { messages } from '../../../doctor/text.js';
import { allChecks } from '../../../doctor/checks/index.js';
import type { JwtDoctorResult } from '../../../doctor/types.js';
import { renderHuman } from '../../../render/human.js';
import { realAdapters } from '../../../salesforce/adapters.js';
import { ConnectToError, installConnectTo } from '../../../salesforce/connectTo.js';
import { readStoredAuth } from '../../../salesforce/storedAuth.js';
import { findProjectLoginUrl } from '../../../salesforce/projectConfig.js';

export type { JwtDoctorResult } from '../../../doctor/types.js';

const DEFAULT_TIMEOUT_SECONDS = 60;

export default class OrgJwtDoctor extends SfCommand<JwtDoctorResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');
  public static override readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': messages.getMessage('errorCodes.0'),
    '1': messages.getMessage('errorCodes.1'),
    '2': messages.getMessage('errorCodes.2'),
    '3': messages.getMessage('errorCodes.3'),
  });

  // The first seven flags mirror `sf org login jwt` exactly (names, characters, deprecated aliases) so a pasted
  // login line works; none is `required` here because --from-org can supply them.
  public static override readonly flags = {
    username: Flags.string({
      char: 'o',
      summary: messages.getMessage('flags.username.summary'),
      aliases: ['u'],
      deprecateAliases: true,
    }),
    'jwt-key-file': Flags.string({
      char: 'f',
      summary: messages.getMessage('flags.jwt-key-file.summary'),
      aliases: ['jwtkeyfile', 'keyfile'],
      deprecateAliases: true,
    }),
    'client-id': Flags.string({
      char: 'i',
      summary: messages.getMessage('flags.client-id.summary'),
      aliases: ['clientid'],
      deprecateAliases: true,
    }),
    // A string, not Flags.url: a malformed URL is a diagnosis (check url.parse), not a usage error.
    'instance-url': Flags.string({
      char: 'r',
      summary: messages.getMessage('flags.instance-url.summary'),
      description: messages.getMessage('flags.instance-url.description'),
      aliases: ['instanceurl', 'l'],
      deprecateAliases: true,
    }),
    'set-default-dev-hub': Flags.boolean({
      char: 'd',
      summary: messages.getMessage('flags.set-default-dev-hub.summary'),
      aliases: ['setdefaultdevhub', 'setdefaultdevhubusername', 'v'],
      deprecateAliases: true,
    }),
    'set-default': Flags.boolean({
      char: 's',
      summary: messages.getMessage('flags.set-default.summary'),
      aliases: ['setdefaultusername'],
      deprecateAliases: true,
    }),
    alias: Flags.string({
      char: 'a',
      summary: messages.getMessage('flags.alias.summary'),
      aliases: ['setalias'],
      deprecateAliases: true,
    }),
    'no-prompt': Flags.boolean({
      char: 'p',
      summary: messages.getMessage('flags.no-prompt.summary'),
      hidden: true,
      aliases: ['noprompt'],
      deprecateAliases: true,
    }),
    'admin-org': Flags.string({ summary: messages.getMessage('flags.admin-org.summary'), description: messages.getMessage('flags.admin-org.description') }),
    'from-org': Flags.string({ summary: messages.getMessage('flags.from-org.summary') }),
    'audience-url': Flags.string({ summary: messages.getMessage('flags.audience-url.summary') }),
    offline: Flags.boolean({ summary: messages.getMessage('flags.offline.summary'), default: false }),
    timeout: Flags.integer({ summary: messages.getMessage('flags.timeout.summary'), min: 1, max: 3600 }),
  };

  public async run(): Promise<JwtDoctorResult> {
    const { flags } = await this.parse(OrgJwtDoctor);
    const doctorFlags = flags as DoctorFlags;

    const storedAuth = flags['from-org'] ? readStoredAuth(flags['from-org']) : undefined;
    for (const [name, flag] of [['username', 'username'], ['client id', 'client-id'], ['private key file', 'jwt-key-file']] as const) {
      // Given but empty is a diagnosis (input.* checks); not given at all is a usage error.
      if (doctorFlags[flag] === undefined && !flags['from-org']) {
        throw messages.createError('error.MissingInput', [name], [flag], 2);
      }
    }
    if (!flags.offline) this.installRouting();

    const inputs = resolveInputs({
      flags: doctorFlags,
      env: process.env,
      storedAuth,
      project: flags['instance-url'] || storedAuth?.found ? undefined : findProjectLoginUrl(),
      defaultTimeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    });
    const { result } = await runDoctor({
      checks: allChecks,
      inputs,
      adapters: realAdapters({ offline: inputs.offline }),
      ignoredFlags: ignoredFlags(doctorFlags),
      initialFacts: { storedAuth },
    });

    if (!this.jsonEnabled()) this.log(renderHuman(result, { offline: inputs.offline }).join('\n'));
    process.exitCode = exitCodeFor(result.verdict);
    return result;
  }

  private installRouting(): void {
    try {
      installConnectTo(process.env);
    } catch (error) {
      if (error instanceof ConnectToError) throw new SfError(error.message, 'RoutingInvalid', messages.getMessages('error.RoutingInvalid.actions'), 2);
      throw error;
    }
  }
}
