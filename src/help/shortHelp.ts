/*
 * Help as sf gives it: `-h` is the short help (the summary, usage and flags with their summaries), `--help` the whole
 * of it (description, examples, flag descriptions, error codes). sf's own help class does this when the plugin runs
 * under sf; this one does the same when the plugin's own bin runs it.
 */
import { CommandHelp, Help, type HelpSection } from '@oclif/core';

const SHORT_SECTIONS = ['summary', 'usage', 'arguments', 'flags'];

/** oclif's command help plus the command's `errorCodes` (sf-plugins-core's toHelpSection), last, as sf shows them. */
class SfCommandHelp extends CommandHelp {
  protected override sections(): ReturnType<CommandHelp['sections']> {
    const errorCodes = (this.command as { errorCodes?: HelpSection }).errorCodes;
    const allowed = this.opts.sections?.map((s) => s.toLowerCase());
    if (!errorCodes?.body || (allowed && !allowed.includes(errorCodes.header.toLowerCase()))) return super.sections();
    return [...super.sections(), { header: errorCodes.header, generate: () => [errorCodes] }];
  }
}

export default class ShortHelp extends Help {
  protected override CommandHelpClass = SfCommandHelp;

  public override async showHelp(argv: string[]): Promise<void> {
    if (argv.includes('-h') && !argv.includes('--help')) this.opts.sections = SHORT_SECTIONS;
    return super.showHelp(argv);
  }
}
