import {
  columnAlignments,
  columnTypes,
  csvProfiles,
  exportFormats,
  unknownFieldPolicies,
} from '@org/export-core';
import Type, { type Static } from 'typebox';

// Enums rather than unions of literals: a wrong value then reads "must be equal to one of the
// allowed values", not three lines of schema internals.
export const FormatSchema = Type.Enum([...exportFormats], {
  description: exportFormats.join(' or '),
});
const CsvProfileSchema = Type.Enum([...csvProfiles], {
  description:
    'CSV only, ignored by the other formats. excel (default): BOM, CRLF, digit strings kept as text; rfc4180: plain',
});

/** The most keys one export may name, and the longest key: the same in a body and a query. */
export const maxColumns = 1000;
export const maxColumnKeyLength = 200;

const ColumnTypeSchema = Type.Enum([...columnTypes], {
  description:
    "how the column's values are written: text, integer, decimal, date, datetime or boolean",
});

const timeZone = (options: { description: string; default?: string }) =>
  Type.String({ minLength: 1, maxLength: 64, ...options });

const ColumnSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: maxColumnKeyLength }),
  Type.Object(
    {
      key: Type.String({ minLength: 1, maxLength: maxColumnKeyLength }),
      header: Type.Optional(Type.String({ maxLength: 200 })),
      width: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
      align: Type.Optional(Type.Enum([...columnAlignments])),
      type: Type.Optional(ColumnTypeSchema),
      timeZone: Type.Optional(
        timeZone({
          description: "an IANA time zone name for this column's dates, instead of the export's",
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);

const RecordSchema = Type.Union(
  [Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown())],
  {
    description: 'a record: a JSON object, or an array read by column position',
  },
);

/** The options added since the earlier system, the same in a body and a query string. */
const laterOptions = {
  timeZone: Type.Optional(
    timeZone({
      default: 'UTC',
      description: 'the IANA time zone name (Europe/Paris) dates are written in; default UTC',
    }),
  ),
  nullText: Type.Optional(
    Type.String({
      maxLength: 100,
      default: '',
      description: 'what a null value is written as; default the empty string',
    }),
  ),
  unknownFields: Type.Optional(
    Type.Enum([...unknownFieldPolicies], {
      default: 'report',
      description:
        'a record key that no column names: report (default) counts it, error fails the export',
    }),
  ),
};

/** The earlier system's body, kept as it was, plus the optional fields added since. */
export const ExportBodySchema = Type.Object(
  {
    format: FormatSchema,
    data: Type.Array(RecordSchema, { description: 'the records, in order' }),
    columns: Type.Optional(Type.Array(ColumnSchema, { minItems: 1, maxItems: maxColumns })),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    user: Type.Optional(Type.String({ maxLength: 200 })),
    csvProfile: Type.Optional(CsvProfileSchema),
    ...laterOptions,
  },
  { additionalProperties: false },
);

export type ExportBody = Static<typeof ExportBodySchema>;

/** Options of an NDJSON upload, which has no room for them in its body. */
export const ExportQuerySchema = Type.Object(
  {
    format: FormatSchema,
    columns: Type.Optional(
      Type.Union(
        [
          Type.String({ minLength: 1, maxLength: 20_000 }),
          Type.Array(Type.String({ minLength: 1, maxLength: maxColumnKeyLength }), {
            minItems: 1,
            maxItems: maxColumns,
          }),
        ],
        {
          description:
            'the keys, never trimmed: one value is comma-separated (`columns=id,qty`), or a JSON array of strings when it starts with `[` (`columns=["a,b","c"]`); a repeated parameter is one key each, taken as it is (`columns=a,b&columns=c`)',
        },
      ),
    ),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    csvProfile: Type.Optional(CsvProfileSchema),
    ...laterOptions,
  },
  { additionalProperties: false },
);

export type ExportQuery = Static<typeof ExportQuerySchema>;

const CallbackUrlSchema = Type.String({
  minLength: 1,
  maxLength: 2048,
  description:
    'an http(s) URL on a host of EXPORT_WEBHOOK_HOSTS: POSTed the job, signed, once it is done, failed or cancelled',
});

/** A job's body: an export's, plus where to tell of its end. */
export const JobBodySchema = Type.Object(
  { ...ExportBodySchema.properties, callbackUrl: Type.Optional(CallbackUrlSchema) },
  { additionalProperties: false },
);

export type JobBody = Static<typeof JobBodySchema>;

/** A job's NDJSON upload options: an export's, plus where to tell of its end. */
export const JobQuerySchema = Type.Object(
  { ...ExportQuerySchema.properties, callbackUrl: Type.Optional(CallbackUrlSchema) },
  { additionalProperties: false },
);
