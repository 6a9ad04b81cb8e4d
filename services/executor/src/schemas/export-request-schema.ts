import Type, { type Static } from 'typebox';

export const FormatSchema = Type.Union([Type.Literal('csv'), Type.Literal('pdf')], {
  description: 'csv or pdf',
});

const ColumnSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Object(
    {
      key: Type.String({ minLength: 1, maxLength: 200 }),
      header: Type.Optional(Type.String({ maxLength: 200 })),
      width: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
      align: Type.Optional(
        Type.Union([Type.Literal('left'), Type.Literal('center'), Type.Literal('right')]),
      ),
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
    csvProfile: Type.Optional(
      Type.Union([Type.Literal('excel'), Type.Literal('rfc4180')], {
        description: 'excel (default): BOM, CRLF, digit strings kept as text; rfc4180: plain',
      }),
    ),
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
    csvProfile: Type.Optional(Type.Union([Type.Literal('excel'), Type.Literal('rfc4180')])),
  },
  { additionalProperties: false },
);

export type ExportQuery = Static<typeof ExportQuerySchema>;
