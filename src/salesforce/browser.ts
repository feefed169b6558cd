/*
 * --open: the one-time approval URL in the user's browser, through the `open` package (as plugin-org's `org open`
 * does); BROWSER, when set, names the program. Never fails the run: false when nothing could be started.
 */
import open from 'open';

export async function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    const child = await open(url, { wait: false, ...(env.BROWSER ? { app: { name: env.BROWSER } } : {}) });
    return await new Promise((resolve) => {
      child.once('error', () => resolve(false));
      // xdg-open and friends exit non-zero at once when there is no browser to hand the URL to.
      child.once('exit', (code) => resolve(code === 0));
      setTimeout(() => resolve(true), 1500).unref();
    });
  } catch {
    return false;
  }
}
