import { fromJsonArray } from '../source/from-json-array.js';
import {
  inspectJsonDocument,
  type JsonDocumentInspection,
} from '../source/inspect-json-document.js';
import type { InspectJsonTask, SerializedError } from './export-task.js';
import { serializeError } from './serialize-error.js';

export interface JsonInspection extends JsonDocumentInspection {
  /** The first record of the records array, parsed; `undefined` when it is empty or absent. */
  firstRecord: unknown;
}

export type InspectOutcome =
  | { ok: true; result: JsonInspection }
  | { ok: false; error: SerializedError };

/** A JSON document's members, checked in one pass without building its records. */
export async function inspectJsonTask({
  bytes,
  recordsKey,
  maxRecordBytes,
}: InspectJsonTask): Promise<InspectOutcome> {
  try {
    const inspection = inspectJsonDocument(bytes, {
      recordsKey,
      ...(maxRecordBytes === undefined ? {} : { maxRecordBytes }),
    });
    let firstRecord: unknown;
    const { records } = inspection;
    if (records?.type === 'array' && records.count > 0) {
      for await (const record of fromJsonArray(bytes.subarray(records.start, records.end))) {
        firstRecord = record;
        break;
      }
    }
    return { ok: true, result: { ...inspection, firstRecord } };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
