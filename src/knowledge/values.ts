/* Values read from Salesforce's JSON and XML answers, whose types the doctor does not control. */

/** A scalar as text ('' for null, undefined, objects and arrays): never "[object Object]" from an unexpected shape. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}
