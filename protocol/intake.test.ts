import { describe, expect, it } from 'vitest';
import { decodeJson, encodeMessage } from './decode.js';
import {
  EXAMPLE_IDS,
  exampleIntakeBatch,
  exampleIntakeReceipt,
  exampleJws,
} from './test-support/examples.js';
import {
  IntakeBatchSchema,
  intakeReceiptSchemaFor,
  IntakeReceiptSchema,
  MAX_INTAKE_BATCH,
} from './intake.js';
import { MAX_CHECKPOINT_NOTE_CHARS, MAX_LOG_PROOF } from './tlog.js';
import { decodeOutcome, rejected } from './outcome.js';

const ok = { ok: true };
const invalid = (...errors: string[]) => rejected('VALIDATION_FAILED', ...errors);
const jws = (i: number) => exampleJws('spx-attestation+jws', { n: i }, `a${i}`);

describe('intake batch', () => {
  it('round-trips through JSON', () => {
    const b = exampleIntakeBatch();
    expect(decodeJson(IntakeBatchSchema, encodeMessage(IntakeBatchSchema, b))).toEqual(b);
  });

  it('carries 1..500 distinct compact JWS strings', () => {
    const full = Array.from({ length: MAX_INTAKE_BATCH }, (_, i) => jws(i));
    expect(decodeOutcome(IntakeBatchSchema, { attestations: full })).toEqual(ok);
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [...full, jws(500)] })).toEqual(
      invalid('attestations: too_many'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [] })).toEqual(
      invalid('attestations: too_few'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [jws(1), jws(2), jws(1)] })).toEqual(
      invalid('attestations[2]: duplicate'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [jws(1), 'not.a.jws'] })).toEqual(
      invalid('attestations[1]: invalid_format'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [{ payload: 'x' }] })).toEqual(
      invalid('attestations[0]: invalid_type'),
    );
  });
});

describe('intake receipt', () => {
  const receipt = exampleIntakeReceipt();
  const item = receipt.receipts[0]!;

  it('round-trips through JSON', () => {
    expect(decodeJson(IntakeReceiptSchema, encodeMessage(IntakeReceiptSchema, receipt))).toEqual(
      receipt,
    );
  });

  it('gives each attestation accepted or duplicate with the time it was first received', () => {
    expect(
      decodeOutcome(IntakeReceiptSchema, {
        ...receipt,
        receipts: [{ ...item, status: 'duplicate' }],
      }),
    ).toEqual(ok);
    expect(
      decodeOutcome(IntakeReceiptSchema, {
        ...receipt,
        receipts: [{ ...item, status: 'rejected' }],
      }),
    ).toEqual(invalid('receipts[0].status: invalid_value'));
    expect(decodeOutcome(IntakeReceiptSchema, { ...receipt, receipts: [item, item] })).toEqual(
      invalid('receipts[1].id: duplicate'),
    );
    expect(
      decodeOutcome(IntakeReceiptSchema, {
        ...receipt,
        receipts: [{ ...item, receivedAt: '2023-11-02T15:04:07.123Z' }],
      }),
    ).toEqual(invalid('receipts[0].receivedAt: invalid_format'));
  });

  it('requires the log evidence: a checkpoint for the batch and index, salt, proof per item', () => {
    const { log: _item, ...bare } = item;
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [bare], log: receipt.log })).toEqual(
      invalid('receipts[0].log: required'),
    );
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [item] })).toEqual(
      invalid('log: required'),
    );
    const duplicate = { ...item, status: 'duplicate', log: { ...item.log, index: 0 } };
    expect(decodeOutcome(IntakeReceiptSchema, { ...receipt, receipts: [duplicate] })).toEqual(ok);
  });

  it('refuses malformed evidence, naming the member', () => {
    const withLog = (log: unknown) => ({ ...receipt, receipts: [{ ...item, log }] });
    expect(decodeOutcome(IntakeReceiptSchema, withLog({ ...item.log, index: -1 }))).toEqual(
      invalid('receipts[0].log.index: too_small'),
    );
    expect(decodeOutcome(IntakeReceiptSchema, withLog({ ...item.log, salt: 'c2FsdA' }))).toEqual(
      invalid('receipts[0].log.salt: too_short'),
    );
    const long = Array.from({ length: MAX_LOG_PROOF + 1 }, () => item.log.proof[0]!);
    expect(decodeOutcome(IntakeReceiptSchema, withLog({ ...item.log, proof: long }))).toEqual(
      invalid('receipts[0].log.proof: too_many'),
    );
    expect(decodeOutcome(IntakeReceiptSchema, withLog({ ...item.log, leafIndex: 42 }))).toEqual(
      invalid('receipts[0].log.leafIndex: unknown_field'),
    );
    expect(decodeOutcome(IntakeReceiptSchema, { ...receipt, log: { checkpoint: '' } })).toEqual(
      invalid('log.checkpoint: too_short'),
    );
    const huge = 'x'.repeat(MAX_CHECKPOINT_NOTE_CHARS + 1);
    expect(decodeOutcome(IntakeReceiptSchema, { ...receipt, log: { checkpoint: huge } })).toEqual(
      invalid('log.checkpoint: too_long'),
    );
  });

  it('must answer the batch sent: one receipt per attestation, same ids, same order', () => {
    const other = '0190f1c2-3b4a-7c5d-8e6f-000000000009';
    const schema = intakeReceiptSchemaFor([EXAMPLE_IDS.attestation, other]);
    const two = { ...receipt, receipts: [item, { ...item, id: other }] };
    expect(decodeOutcome(schema, two)).toEqual(ok);
    expect(decodeOutcome(schema, { ...two, receipts: [two.receipts[1], two.receipts[0]] })).toEqual(
      invalid('receipts[0].id: mismatch', 'receipts[1].id: mismatch'),
    );
    expect(decodeOutcome(schema, receipt)).toEqual(invalid('receipts: mismatch'));
  });
});
