import Type from 'typebox';

/** Fields of the input that no column took (`unknownFields: report`): how many, and which. */
export const DroppedFieldsSchema = Type.Object(
  {
    count: Type.Integer({ description: 'values of fields that no column takes' }),
    names: Type.Array(Type.String(), { description: 'the first few distinct field names' }),
  },
  { description: 'what the file does not hold: fields outside the columns' },
);

/** PDF cells whose text was cut with "…" (numbers never are): how many, and in which columns. */
export const TruncatedCellsSchema = Type.Object(
  {
    count: Type.Integer({ description: 'PDF cells whose text was cut with "…"; 0 for CSV' }),
    columns: Type.Array(Type.String(), { description: 'the first few column keys with cut cells' }),
  },
  { description: 'what the file does not show in full: text cut to fit a PDF column' },
);
