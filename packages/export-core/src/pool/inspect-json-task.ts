import {
  inspectJsonDocument,
  type JsonDocumentInspection,
} from '../source/inspect-json-document.js';
import type { InspectJsonTask, SerializedError } from './export-task.js';
import { serializeError } from './serialize-error.js';

/** Only numbers and type names: nothing of the document itself has to cross back. */
export type JsonInspection = JsonDocumentInspection;

export type InspectOutcome =
  | { ok: true; result: JsonInspection }
  | { ok: false; error: SerializedError };

/** A JSON document's members, checked in one pass without building its records. */
export async function inspectJsonTask({
  bytes,
  recordsKey,
  maxRecordBytes,
  maxRecords,
  maxDepth,
}: InspectJsonTask): Promise<InspectOutcome> {
  try {
    const inspection = inspectJsonDocument(bytes, {
      recordsKey,
      ...(maxRecordBytes === undefined ? {} : { maxRecordBytes }),
      ...(maxRecords === undefined ? {} : { maxRecords }),
      ...(maxDepth === undefined ? {} : { maxDepth }),
    });
    return { ok: true, result: inspection };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
