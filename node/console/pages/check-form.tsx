/** The candidate form: every error beside its field, what was typed kept. */
import type { ConsoleUser } from '../../store/index.js';
import { CHECK_PURPOSES } from '../../../protocol/check-request.js';
import { FORM_ALIASES, type CheckFormErrors, type CheckFormValues } from '../check-form.js';
import { Field, Layout } from './layout.js';

export function CheckFormPage(props: {
  ori: string;
  user: ConsoleUser;
  csrf: string;
  values?: CheckFormValues;
  errors?: CheckFormErrors;
}) {
  const v = props.values ?? {};
  const e = props.errors ?? {};
  const field = (
    name: string,
    label: string,
    extra: { hint?: string; required?: boolean } = {},
  ) => <Field name={name} label={label} value={v[name]} error={e[name]} {...extra} />;
  return (
    <Layout title="Check a candidate" ori={props.ori} user={props.user} csrf={props.csrf}>
      <form method="post" action="/console/checks" id="check-form" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        {e['form'] ? (
          <p class="error" id="form-error" role="alert">
            {e['form']}
          </p>
        ) : Object.keys(e).length > 0 ? (
          <p class="error" id="form-error" role="alert">
            Some fields need attention: see the messages beside them.
          </p>
        ) : null}
        <fieldset>
          <legend>Candidate</legend>
          {field('firstName', 'First name', { required: true })}
          {field('middleName', 'Middle name')}
          {field('lastName', 'Last name', { required: true })}
          {field('dob', 'Date of birth', { hint: 'YYYY-MM-DD' })}
          {field('ssn', 'Social Security number', { hint: '9 digits, dashes optional' })}
          {field('licenseState', 'Licence state', { hint: 'two letters, e.g. NM' })}
          {field('licenseNumber', 'Peace-officer licence number')}
        </fieldset>
        <fieldset>
          <legend>Other names the candidate has used</legend>
          {Array.from({ length: FORM_ALIASES }, (_, i) => (
            <div>
              {field(`alias${i + 1}FirstName`, `Other name ${i + 1}: first name`)}
              {field(`alias${i + 1}LastName`, `Other name ${i + 1}: last name`)}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>The check</legend>
          <label for="purpose">Purpose</label>
          <select id="purpose" name="purpose">
            {CHECK_PURPOSES.map((p) => (
              <option value={p} selected={(v['purpose'] || 'hiring') === p}>
                {p.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          {e['purpose'] ? (
            <p class="error" id="purpose-error">
              {e['purpose']}
            </p>
          ) : null}
          {field('consentRef', 'Consent reference', {
            required: true,
            hint: "the reference of the candidate's signed consent; the hub keeps it, so no name, date of birth or number of the candidate's",
          })}
          {field('candidateRef', 'Your case file reference', {
            hint: 'kept on this node only, to find the check again',
          })}
        </fieldset>
        <button type="submit" id="run-check">
          Run the check
        </button>
      </form>
    </Layout>
  );
}
