/**
 * The candidate form (docs/node.md "Console"): its fields as typed, turned into the body of
 * POST /v1/checks and validated by the same schema (node/api/check.ts CheckBodySchema) and the
 * same screening (node/check/screen-candidate.ts, inside runCheck); this file only maps field
 * names both ways, so each error is shown beside the field it is about. Pure.
 */
import { CheckBodySchema, type CheckBody } from '../api/check.js';
import { fieldErrorsFromZod } from '../../protocol/problem.js';

/** A field error of the schema or of the screening (field path, code, message). */
interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** Alias rows on the form (the API takes up to 8). */
export const FORM_ALIASES = 3;

export const CANDIDATE_FIELDS = [
  'firstName',
  'middleName',
  'lastName',
  'dob',
  'ssn',
  'licenseState',
  'licenseNumber',
] as const;
export const FORM_FIELDS = [
  ...CANDIDATE_FIELDS,
  ...Array.from({ length: FORM_ALIASES }, (_, i) => [
    `alias${i + 1}FirstName`,
    `alias${i + 1}LastName`,
  ]).flat(),
  'purpose',
  'consentRef',
  'candidateRef',
] as const;

/** What was typed, by form field name (every value a string, trimmed). */
export type CheckFormValues = Readonly<Record<string, string>>;
/** Messages by form field name; `form` for those about the whole. */
export type CheckFormErrors = Readonly<Record<string, string>>;

const MAX_FIELD_CHARS = 1000;

export function formValues(body: Record<string, unknown>): CheckFormValues {
  const out: Record<string, string> = {};
  for (const name of FORM_FIELDS) {
    const v = body[name];
    out[name] = typeof v === 'string' ? v.trim().slice(0, MAX_FIELD_CHARS) : '';
  }
  return out;
}

const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** The API body the form stands for (not yet validated). */
export function formToBody(v: CheckFormValues, requestedBy: string): unknown {
  const aliases = [];
  for (let i = 1; i <= FORM_ALIASES; i++) {
    const firstName = opt(v[`alias${i}FirstName`]);
    const lastName = opt(v[`alias${i}LastName`]);
    if (firstName !== undefined || lastName !== undefined) {
      aliases.push({ ...(firstName ? { firstName } : {}), lastName: lastName ?? '' });
    }
  }
  const state = opt(v['licenseState']);
  const number = opt(v['licenseNumber']);
  return {
    candidate: {
      firstName: v['firstName'] ?? '',
      ...(opt(v['middleName']) ? { middleName: v['middleName'] } : {}),
      lastName: v['lastName'] ?? '',
      ...(opt(v['dob']) ? { dob: v['dob'] } : {}),
      ...(opt(v['ssn']) ? { ssn: v['ssn'] } : {}),
      ...(state || number
        ? { license: { state: (state ?? '').toUpperCase(), number: number ?? '' } }
        : {}),
      ...(aliases.length > 0 ? { aliases } : {}),
    },
    purpose: v['purpose'] || 'hiring',
    consentRef: v['consentRef'] ?? '',
    ...(opt(v['candidateRef']) ? { candidateRef: v['candidateRef'] } : {}),
    requestedBy,
  };
}

/** An API field path (`candidate.license.state`, `candidate.aliases[1].lastName`) → form name. */
export function formFieldOf(apiField: string): string {
  const alias = /^candidate\.aliases\[(\d+)\](?:\.(firstName|lastName))?/.exec(apiField);
  if (alias) {
    const row = Number(alias[1]) + 1;
    const member = alias[2] === 'firstName' ? 'FirstName' : 'LastName';
    return row <= FORM_ALIASES ? `alias${row}${member}` : 'form';
  }
  if (apiField.startsWith('candidate.license')) {
    return apiField === 'candidate.license.state' ? 'licenseState' : 'licenseNumber';
  }
  if (apiField === 'candidate.aliases') return 'alias1LastName';
  const m = /^candidate\.(\w+)$/.exec(apiField);
  if (m && (CANDIDATE_FIELDS as readonly string[]).includes(m[1]!)) return m[1]!;
  if (apiField === 'purpose' || apiField === 'consentRef' || apiField === 'candidateRef') {
    return apiField;
  }
  return 'form';
}

/** Words for a person: the schema's codes for an empty or over-long field read plainly. */
function messageOf(e: FieldError, typed: string | undefined): string {
  if (e.code === 'required' || (typed === '' && e.code === 'too_short')) return 'Required.';
  if (e.code === 'too_long') return 'Too long.';
  const text = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  return text.endsWith('.') ? text : `${text}.`;
}

/** Each API field error beside its form field (several on one field are joined). */
export function formErrors(errors: readonly FieldError[], v: CheckFormValues): CheckFormErrors {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const name = formFieldOf(e.field);
    const message = messageOf(e, v[name]);
    out[name] = out[name] === undefined ? message : `${out[name]} ${message}`;
  }
  return out;
}

export type ParsedForm =
  | { readonly ok: true; readonly body: CheckBody }
  | { readonly ok: false; readonly errors: CheckFormErrors };

export function parseCheckForm(v: CheckFormValues, requestedBy: string): ParsedForm {
  const input = formToBody(v, requestedBy);
  const parsed = CheckBodySchema.safeParse(input);
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, errors: formErrors(fieldErrorsFromZod(parsed.error, input), v) };
}
