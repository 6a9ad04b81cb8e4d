import Type, { type Static } from 'typebox';

// Enums rather than unions of literals: a wrong value then reads "must be equal to one of the
// allowed values", not three lines of schema internals.
export const FormatSchema = Type.Enum(['csv', 'pdf'], { description: 'csv or pdf' });
const CsvProfileSchema = Type.Enum(['excel', 'rfc4180'], {
  description: 'excel (default): BOM, CRLF, digit strings kept as text; rfc4180: plain',
});

const ColumnSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Object(
    {
      key: Type.String({ minLength: 1, maxLength: 200 }),
      header: Type.Optional(Type.String({ maxLength: 200 })),
      width: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
      align: Type.Optional(Type.Enum(['left', 'center', 'right'])),
    },
    { additionalProperties: false },
  ),
]);

const RecordSchema = Type.Union([Type.Object({}), Type.Array(Type.Unknown())], {
  description: 'a record: a JSON object, or an array read by column position',
});

/** The earlier system's body, kept as it was, plus the optional csvProfile. */
export const ExportBodySchema = Type.Object(
  {
    format: FormatSchema,
    data: Type.Array(RecordSchema, { description: 'the records, in order' }),
    columns: Type.Optional(Type.Array(ColumnSchema, { minItems: 1, maxItems: 1000 })),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    user: Type.Optional(Type.String({ maxLength: 200 })),
    csvProfile: Type.Optional(CsvProfileSchema),
  },
  { additionalProperties: false },
);

export type ExportBody = Static<typeof ExportBodySchema>;

/** Options of an NDJSON upload, which has no room for them in its body. */
export const ExportQuerySchema = Type.Object(
  {
    format: FormatSchema,
    columns: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20_000, description: 'comma-separated keys' }),
    ),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    csvProfile: Type.Optional(CsvProfileSchema),
  },
  { additionalProperties: false },
);

export type ExportQuery = Static<typeof ExportQuerySchema>;
