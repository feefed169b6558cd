/*
 * `sf org jwt doctor`: a thin shell. Flags → inputs (with provenance) → the check engine → the renderer; returns the
 * typed result (the --json `result`) and sets the exit code from the verdict.
 */
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { SfError } from '@salesforce/core';
import { exitCodeFor } from '../../../doctor/diagnosis.js';
import type { DoctorFlags } from '../../../doctor/inputs.js';
import { fill, messages, text } from '../../../doctor/text.js';
import type { JwtDoctorResult } from '../../../doctor/types.js';
import { waitUntilWorks } from '../../../doctor/wait.js';
import { fleetName, fleetResult, fleetRows, runFleet, worstVerdict } from '../../../doctor/fleet.js';
import { renderFixOutcome, renderFixPlan, renderHuman } from '../../../render/human.js';
import { renderMarkdown } from '../../../render/markdown.js';
import { ConnectToError, installConnectTo } from '../../../salesforce/connectTo.js';
import { DEFAULT_TIMEOUT_SECONDS, diagnose } from '../../../salesforce/runner.js';
import { fixFlow } from '../../../doctor/fix/flow.js';
import type { DoctorRun } from '../../../doctor/doctor.js';
import { listStoredUsernames, readAliases, readStoredAuth } from '../../../salesforce/storedAuth.js';
import type { TraceSession } from '../../../salesforce/trace.js';
import { checkOutputPath, OutputFileError, writeOutputFile } from '../../../salesforce/outputFile.js';
import { LogFileError } from '../../../salesforce/fromLog.js';
import { interruptOutput, type FixProgress } from '../../../render/interrupt.js';
import { createScrubber, scrubDeep, type Scrubber } from '../../../knowledge/mask.js';

export type { JwtDoctorResult } from '../../../doctor/types.js';
import type { JwtDoctorFleetEntry } from '../../../doctor/fleet.js';
export type { JwtDoctorFleetEntry } from '../../../doctor/fleet.js';
/** One diagnosis; with --all the worst verdict and one entry per stored JWT login under `fleet`. */
export type OrgJwtDoctorResult = JwtDoctorResult;

const WAIT_INTERVAL_MS = 20_000;
const FLEET_CONCURRENCY = 8;
/** --all's table fits a 100-column terminal (and a narrower one: oclif's table never exceeds the terminal). */
const FLEET_TABLE_WIDTH = 100;
const LOGIN_FLAGS = ['username', 'jwt-key-file', 'client-id', 'instance-url', 'from-org', 'from-log'];
/** The fields of sf's error envelope a --json usage error keeps (SfCommandError.toJson adds `stack` and `cause`). */
const ERROR_FIELDS = [
  'name',
  'message',
  'exitCode',
  'status',
  'code',
  'actions',
  'warnings',
  'context',
  'commandName',
  'data',
  'result',
];

/** The flags of one diagnosis beyond its inputs. */
type RunOptions = {
  wait?: number;
  verbose: boolean;
  'report-file'?: string;
  trace?: string;
  fix?: boolean;
  'dry-run'?: boolean;
  open?: boolean;
};

export default class OrgJwtDoctor extends SfCommand<OrgJwtDoctorResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');
  public static override readonly errorCodes = toHelpSection('ERROR CODES', {
    '0': messages.getMessage('errorCodes.0'),
    '1': messages.getMessage('errorCodes.1'),
    '2': messages.getMessage('errorCodes.2'),
    '3': messages.getMessage('errorCodes.3'),
  });

  // Mutually exclusive and dependent flags are `relationships` (the parser checks them as exclusive/dependsOn would):
  // oclif's usage line renders exclusive/dependsOn groups with stray tokens ("[--sandbox <value> | ]").
  // The first seven flags mirror `sf org login jwt` exactly (names, characters, deprecated aliases) so a pasted
  // login line works; none is `required` here because --from-org can supply them.
  public static override readonly flags = {
    username: Flags.string({
      // eslint-disable-next-line sf-plugin/dash-o -- the character of `sf org login jwt --username`, so a pasted line works
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
      description: messages.getMessage('flags.no-prompt.description'),
      aliases: ['noprompt'],
      deprecateAliases: true,
    }),
    'admin-org': Flags.string({
      summary: messages.getMessage('flags.admin-org.summary'),
      description: messages.getMessage('flags.admin-org.description'),
    }),
    'from-org': Flags.string({
      summary: messages.getMessage('flags.from-org.summary'),
      description: messages.getMessage('flags.from-org.description'),
    }),
    'audience-url': Flags.string({ summary: messages.getMessage('flags.audience-url.summary') }),
    'from-log': Flags.string({
      summary: messages.getMessage('flags.from-log.summary'),
      description: messages.getMessage('flags.from-log.description'),
      relationships: [{ type: 'none', flags: ['all', 'fix', 'wait', 'from-org', 'sandbox'] }],
    }),
    offline: Flags.boolean({
      summary: messages.getMessage('flags.offline.summary'),
      description: messages.getMessage('flags.offline.description'),
    }),
    // eslint-disable-next-line sf-plugin/flag-min-max-default -- unset: the run's own deadline (inputs.ts), as --help says
    timeout: Flags.integer({
      summary: messages.getMessage('flags.timeout.summary'),
      description: messages.getMessage('flags.timeout.description'),
      min: 1,
      max: 3600,
    }),
    // eslint-disable-next-line sf-plugin/flag-min-max-default -- unset: no waiting at all
    wait: Flags.integer({
      summary: messages.getMessage('flags.wait.summary'),
      description: messages.getMessage('flags.wait.description'),
      min: 1,
      max: 120,
      relationships: [{ type: 'none', flags: ['all', 'offline'] }],
    }),
    sandbox: Flags.string({
      summary: messages.getMessage('flags.sandbox.summary'),
      description: messages.getMessage('flags.sandbox.description'),
      relationships: [{ type: 'none', flags: ['all'] }],
    }),
    fix: Flags.boolean({
      summary: messages.getMessage('flags.fix.summary'),
      description: messages.getMessage('flags.fix.description'),
      relationships: [
        { type: 'all', flags: ['admin-org'] },
        { type: 'none', flags: ['all', 'offline'] },
      ],
    }),
    // --fix has no --no-fix form, so depending on it means "given with --fix".
    'dry-run': Flags.boolean({
      summary: messages.getMessage('flags.dry-run.summary'),
      relationships: [{ type: 'all', flags: ['fix'] }],
    }),
    open: Flags.boolean({
      summary: messages.getMessage('flags.open.summary'),
      description: messages.getMessage('flags.open.description'),
      relationships: [{ type: 'all', flags: ['fix'] }],
    }),
    'report-file': Flags.string({
      summary: messages.getMessage('flags.report-file.summary'),
      description: messages.getMessage('flags.report-file.description'),
      relationships: [{ type: 'none', flags: ['all'] }],
    }),
    trace: Flags.string({
      summary: messages.getMessage('flags.trace.summary'),
      description: messages.getMessage('flags.trace.description'),
      relationships: [{ type: 'none', flags: ['all'] }],
    }),
    verbose: Flags.boolean({ summary: messages.getMessage('flags.verbose.summary') }),
    all: Flags.boolean({
      summary: messages.getMessage('flags.all.summary'),
      description: messages.getMessage('flags.all.description'),
      relationships: [{ type: 'none', flags: LOGIN_FLAGS }],
    }),
  };

  /** The --fix under way (its live report), for an interrupt to report. */
  private fixProgress?: FixProgress;

  private scrubber?: Scrubber;
  private failing = false;
  /** --fix printed the diagnosis and its plan before confirming or applying: the end prints only the outcome. */
  private diagnosisShown = false;

  /**
   * Safety rule 3 at the one place every output passes: the result before it is rendered, and every line, table, JSON
   * envelope (success or error) and file the command writes. Built from the raw arguments and the environment, so a
   * key pasted into any flag or variable is recognised even where a parser failed on it or a URL lower-cased it.
   */
  private get scrub(): Scrubber {
    this.scrubber ??= createScrubber([...this.argv, ...Object.values(process.env)]);
    return this.scrubber;
  }

  public override log(message = '', ...args: unknown[]): void {
    super.log(this.scrub(message), ...args.map((a) => (typeof a === 'string' ? this.scrub(a) : a)));
  }

  public override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(this.scrub(message), ...args.map((a) => (typeof a === 'string' ? this.scrub(a) : a)));
  }

  public override logJson(json: unknown): void {
    // An error envelope without the stack and the parser's raw input (`cause`): names, message, codes and actions only.
    const body =
      this.failing && json && typeof json === 'object'
        ? Object.fromEntries(Object.entries(json).filter(([k]) => ERROR_FIELDS.includes(k)))
        : json;
    super.logJson(scrubDeep(body, this.scrub));
  }

  public override table<R extends Record<string, unknown>>(
    options: Parameters<SfCommand<OrgJwtDoctorResult>['table']>[0] & { data: R[] },
  ): void {
    super.table({ ...options, data: scrubDeep(options.data, this.scrub) });
  }

  public override async catch(error: Parameters<SfCommand<OrgJwtDoctorResult>['catch']>[0]): Promise<never> {
    this.failing = true;
    return super.catch(error);
  }

  public async run(): Promise<OrgJwtDoctorResult> {
    const { flags } = await this.parse(OrgJwtDoctor);
    const doctorFlags = flags as DoctorFlags;
    if (!flags.all) {
      for (const [name, flag] of [
        ['username', 'username'],
        ['client id', 'client-id'],
      ] as const) {
        // Given but empty is a diagnosis (input.* checks); not given at all is a usage error.
        if (doctorFlags[flag] === undefined && !flags['from-org'] && flags['from-log'] === undefined) {
          throw messages.createError('error.MissingInput', [name], [flag], 2);
        }
      }
      // No key with --admin-org (online) is the org-side diagnosis (inputs.ts keylessWhenNoKey), and --from-log needs
      // none (the log's answers stand in for the probe); otherwise a usage error.
      const keyless = Boolean(flags['admin-org']) && !flags.offline;
      const noKey = doctorFlags['jwt-key-file'] === undefined && !flags['from-org'];
      if (noKey && !keyless && !flags['from-log']) {
        throw messages.createError('error.MissingKeyFile', [], [], 2);
      }
      // --wait waits until the login works, which only a token shows: a run without the key would wait out its time.
      if (noKey && flags.wait !== undefined) throw messages.createError('error.WaitNeedsKey', [], [], 2);
    }
    // A prompt nobody can answer would hang or be read as "no" after the diagnosis: say so before touching the org.
    if (flags.fix && !flags['no-prompt'] && !flags['dry-run'] && !process.stdin.isTTY) {
      throw messages.createError('error.FixNeedsTerminal', [], [], 2);
    }
    if (!flags.offline) this.installRouting();
    this.exitOnSignal();
    return flags.all ? this.runFleet(doctorFlags) : this.runOne(doctorFlags, flags);
  }

  private async runOne(flags: DoctorFlags, options: RunOptions): Promise<JwtDoctorResult> {
    // --report-file: checked before any request (a bad path is a usage error), written at the end.
    if (options['report-file'])
      await this.outputFile(() => checkOutputPath(options['report-file']!, [flags['jwt-key-file'], options.trace]));
    const trace = options.trace
      ? await this.startTrace(options.trace, [flags['jwt-key-file'], options['report-file']])
      : undefined;
    let result: JwtDoctorResult | undefined;
    try {
      result = await this.diagnoseOnce(flags, options);
      return result;
    } catch (error) {
      // --from-log naming a file that cannot be read: a usage error (exit 2) saying which file and why.
      if (error instanceof LogFileError)
        throw messages.createError('error.LogFileInvalid', [error.file, error.reason], [], 2);
      throw error;
    } finally {
      // Also when the run failed: what was asked and answered until then is the record the user needs.
      if (trace) await this.finishTrace(trace, { ...flags, ...options }, result);
    }
  }

  private async diagnoseOnce(flags: DoctorFlags, options: RunOptions): Promise<JwtDoctorResult> {
    const waitMinutes = options.wait;
    const once = async (): Promise<JwtDoctorResult> => {
      // --wait polls: each round spends only what its verdict needs (the login budget).
      const run = await diagnose(flags, process.env, { spareLogins: Boolean(waitMinutes) });
      return options.fix ? this.fix(run, flags, options) : run.result;
    };
    const { result: found } = waitMinutes
      ? await waitUntilWorks(once, {
          until: Date.now() + waitMinutes * 60_000,
          intervalMs: Number(process.env.SF_JWT_DOCTOR_WAIT_INTERVAL_MS) || WAIT_INTERVAL_MS,
          now: Date.now,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          onProgress: (attempt, last, msLeft) =>
            this.spinner.start(
              text('wait.progress'),
              `${text('wait.status', { attempt: String(attempt), code: last.cause?.code ?? last.verdict, left: String(Math.ceil(msLeft / 1000)) })}`,
            ),
        })
      : { result: await this.withSpinner(!options.fix, once) };
    this.spinner.stop();
    const result = scrubDeep(found, this.scrub);

    if (!this.jsonEnabled())
      this.log(
        (this.diagnosisShown
          ? renderFixOutcome(result, { offline: Boolean(flags.offline) })
          : renderHuman(result, {
              offline: Boolean(flags.offline),
              verbose: options.verbose,
              // sf's colours only in a terminal, never in a pipe, with NO_COLOR or --json.
              color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
              width: process.stdout.isTTY ? Math.min(process.stdout.columns || 100, 120) : undefined,
            })
        ).join('\n'),
      );
    if (options['report-file']) {
      // The one file a run may write: the user asked for it, and it is masked (org ids, usernames, consumer keys).
      // A write that fails keeps the result: the diagnosis stands, with a named warning instead of the file.
      try {
        await writeOutputFile(
          options['report-file'],
          this.scrub(renderMarkdown(result, { offline: Boolean(flags.offline) })),
          [flags['jwt-key-file'], options.trace],
        );
        this.logToStderr(text('report.written', { file: options['report-file'] }));
      } catch (error) {
        if (!(error instanceof OutputFileError)) throw error;
        this.warn(
          fill(messages.getMessage('warning.ReportFileNotWritten'), { file: error.file, reason: error.reason }),
        );
      }
    }
    process.exitCode = exitCodeFor(result.verdict);
    return result;
  }

  /** A spinner on stderr while the doctor asks the org: in a terminal only, never with --json or a prompt to come. */
  private async withSpinner<T>(quiet: boolean, work: () => Promise<T>): Promise<T> {
    if (quiet && process.stderr.isTTY && !this.jsonEnabled()) this.spinner.start(text('render.spinner'));
    return work();
  }

  private async fix(
    run: DoctorRun,
    flags: DoctorFlags,
    options: { 'dry-run'?: boolean; open?: boolean; verbose?: boolean },
  ): Promise<JwtDoctorResult> {
    const { applyFixPlan } = await import('../../../salesforce/fixApply.js');
    const result = await fixFlow(run, {
      adminOrg: flags['admin-org'] ?? '',
      dryRun: Boolean(options['dry-run']),
      noPrompt: Boolean(flags['no-prompt']),
      apply: (plan, adminOrg) =>
        applyFixPlan(plan, adminOrg, {
          timeoutMs: (flags.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
          onStart: (fix) => (this.fixProgress = { result: run.result, fix }),
        }),
      rediagnose: async () => (await diagnose(flags)).result,
      // The order a person decides in: what is wrong (the diagnosis), what will change (the plan), then the question.
      show: (plan) => {
        if (this.jsonEnabled()) return;
        const diagnosis = renderHuman(run.result, { offline: false, verbose: Boolean(options.verbose) });
        this.log([...diagnosis, '', ...renderFixPlan(plan, { asPlan: true }), ''].join('\n'));
        this.diagnosisShown = true;
      },
      confirm: () => this.confirm({ message: text('fix.confirm'), ms: 60_000 }),
    });
    if (options.open && result.fix?.approvalUrl) {
      // Loaded only here: the browser opener is not part of every run's (or --help's) start-up.
      const { openInBrowser } = await import('../../../salesforce/browser.js');
      const opened = await openInBrowser(result.fix.approvalUrl);
      this.logToStderr(text(opened ? 'open.opened' : 'open.failed', { url: result.fix.approvalUrl }));
    }
    return result;
  }

  private async runFleet(flags: DoctorFlags): Promise<JwtDoctorResult> {
    const aliases = readAliases();
    const logins = listStoredUsernames()
      .map((username) => readStoredAuth(username))
      // A damaged file may be a JWT login: it is an entry (input.from-org names what is wrong), never skipped silently.
      .filter((auth) => (auth.isJwt || auth.error) && auth.username);
    const entries = await runFleet(
      logins,
      async (auth) => ({
        username: auth.username!,
        alias: Object.keys(aliases).find((a) => aliases[a] === auth.username),
        // The login budget: a first answer that decides stops the probe (no fallback pairs for 50 logins).
        result: (await diagnose({ ...flags, 'from-org': auth.username }, process.env, { spareLogins: true })).result,
      }),
      FLEET_CONCURRENCY,
    );
    const result = scrubDeep(fleetResult(entries), this.scrub);
    // Nothing checked is said as a warning (stderr, and under --json in `warnings`): a CI log shows it, exit code 3.
    if (entries.length === 0) this.warn(text('fleet.none'));
    else if (!this.jsonEnabled()) this.logFleet(result.fleet ?? []);
    process.exitCode = exitCodeFor(result.verdict);
    return result;
  }

  /** --all for a person: a table that fits 100 columns, each fix command on a line of its own, where to look next. */
  private logFleet(entries: JwtDoctorFleetEntry[]): void {
    const { rows, commands } = fleetRows(entries);
    this.table({
      data: rows,
      // Fixed widths in the 100 columns (Cause fits "USER_NOT_PREAUTHORIZED (likely)"): a long username wraps in its
      // own column instead of squeezing Fix to a few letters a word (the fix commands stand whole under the table).
      columns: [
        { key: 'org', name: 'Org', width: 22 },
        { key: 'verdict', name: 'Verdict', width: 14 },
        { key: 'cause', name: 'Cause', width: 33 },
        { key: 'fix', name: 'Fix', width: 26 },
      ],
      maxWidth: FLEET_TABLE_WIDTH,
      overflow: 'wrap',
    });
    if (commands.length > 0) {
      this.log(text('fleet.commands'));
      for (const { org, command } of commands) this.log(`  ${org}:\n    ${command}`);
      this.log('');
    }
    this.log(
      text('fleet.tokenRequests', {
        count: String(entries.reduce((sum, e) => sum + e.result.tokenRequests, 0)),
        logins: String(entries.length),
      }),
    );
    this.log(
      text('fleet.summary', {
        count: String(entries.length),
        verdict: worstVerdict(entries.map((e) => e.result.verdict)),
      }),
    );
    const example = entries.find((e) => e.result.verdict !== 'pass') ?? entries[0];
    this.log(text('fleet.detail', { name: fleetName(example) }));
  }

  /**
   * SfCommand's own signal handler throws an ExitError inside the signal event, which nothing catches: the process
   * would go on until its deadline. Ours runs first and ends it with the shell's code for the signal (after a --fix
   * began, with what it changed so far).
   */
  private exitOnSignal(): void {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.prependOnceListener(signal, () => {
        this.spinner.stop();
        // Mid-fix: the steps done so far with their undo (stderr; with --json the partial result on stdout).
        const out = interruptOutput(signal, code, this.fixProgress, this.jsonEnabled());
        if (out.stdout) process.stdout.write(out.stdout);
        // Written directly: logToStderr is silent under --json, and what changed in the org must be said anyway.
        process.stderr.write(`${out.stderr.join('\n')}\n`);
        process.exit(code);
      });
    }
  }

  /** A check of a file the user asked us to write: a bad path is a usage error (exit 2) naming it and why. */
  private async outputFile<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof OutputFileError)
        throw messages.createError('error.ReportFileInvalid', [error.file, error.reason], [], 2);
      throw error;
    }
  }

  /** --trace: the path is checked (and the file made, mode 0600) before any request; a bad one is a usage error. */
  private async startTrace(file: string, inputs: Array<string | undefined>): Promise<TraceSession> {
    const { openTrace, TraceFileError } = await import('../../../salesforce/trace.js');
    try {
      return await openTrace(file, inputs);
    } catch (error) {
      if (error instanceof TraceFileError)
        throw messages.createError('error.TraceFileInvalid', [error.file, error.reason], [], 2);
      throw error;
    }
  }

  private async finishTrace(
    trace: TraceSession,
    flags: Record<string, unknown>,
    result: JwtDoctorResult | undefined,
  ): Promise<void> {
    try {
      await trace.finish(scrubDeep(flags, this.scrub), result, this.scrub);
    } catch (error) {
      throw messages.createError(
        'error.TraceFileInvalid',
        [trace.file, (error as { reason?: string }).reason ?? (error as Error).message],
        [],
        2,
      );
    }
    this.logToStderr(text('trace.written', { file: trace.file, count: String(trace.recorder.count) }));
  }

  private installRouting(): void {
    try {
      installConnectTo(process.env);
    } catch (error) {
      if (error instanceof ConnectToError)
        throw new SfError(error.message, 'RoutingInvalid', messages.getMessages('error.RoutingInvalid.actions'), 2);
      throw error;
    }
  }
}
