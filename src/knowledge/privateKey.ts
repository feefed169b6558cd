/*
 * What a private key file is like, as far as the checks need to know it without reading one (salesforce/keyFile.ts
 * reads and parses it).
 */

/** A PEM private key is under 4 KiB: a file past this is not a key, and reading a pipe or device stops here. */
export const HUGE_KEY_FILE_BYTES = 64 * 1024;
