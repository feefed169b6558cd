/* Validates a --json result against the checked-in schema (schemas/org-jwt-doctor.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ROOT } from './cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'org-jwt-doctor.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

export function schemaErrors(result: unknown): string[] {
  return validate(result) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
