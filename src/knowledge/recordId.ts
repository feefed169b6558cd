/* Salesforce record ids: the 18-character case-safe form of a 15-character id (Salesforce's documented checksum). */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3 characters that make a 15-character id unique regardless of case: one per 5 characters, a bit per capital. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}
