/* --open: the one-time approval URL in the user's browser (BROWSER wins, as for other CLIs). Never fails the run. */
import { spawn } from 'node:child_process';

export async function openInBrowser(url: string): Promise<boolean> {
  const command = process.env.BROWSER ?? (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open');
  return new Promise((resolve) => {
    try {
      const child = spawn(command, [url], { stdio: 'ignore', detached: true });
      child.on('error', () => resolve(false));
      child.on('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
