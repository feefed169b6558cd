/*
 * The plugin's own package name and version, read from package.json (one level above both src/ and lib/), for the
 * sf doctor hook's test names and the report footer.
 */
import { readFileSync } from 'node:fs';

const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export const PACKAGE_NAME = pjson.name;
export const PACKAGE_VERSION = pjson.version;
