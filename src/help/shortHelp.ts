/*
 * Help as sf gives it: `-h` is the short help (the summary, usage and flags with their summaries), `--help` the whole
 * of it (description, examples, flag descriptions, error codes). sf's own help class does this when the plugin runs
 * under sf; this one does the same when the plugin's own bin runs it.
 */
import { Help } from '@oclif/core';

const SHORT_SECTIONS = ['summary', 'usage', 'arguments', 'flags'];

export default class ShortHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    if (argv.includes('-h') && !argv.includes('--help')) this.opts.sections = SHORT_SECTIONS;
    return super.showHelp(argv);
  }
}
