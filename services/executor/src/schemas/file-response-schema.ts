import Type from 'typebox';

const fileBytes = (description: string) => Type.String({ format: 'binary', description });

/**
 * A response that is the export file itself, CSV or PDF: declared under its real media types, so
 * the OpenAPI document does not call it JSON. The body is a stream, never serialized.
 */
export function fileResponse(description: string) {
  return {
    description,
    content: {
      'text/csv': { schema: fileBytes('the CSV file, UTF-8') },
      'application/pdf': { schema: fileBytes('the PDF file') },
    },
  };
}
