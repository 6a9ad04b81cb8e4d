/** `Content-Disposition` for a download: a plain ASCII name, nothing from the request. */
export function attachmentDisposition(id: string, format: string): string {
  const safeFormat = format === 'pdf' ? 'pdf' : 'csv';
  return `attachment; filename="export-${id.replace(/[^A-Za-z0-9-]/g, '')}.${safeFormat}"`;
}

export function contentTypeOf(format: string): string {
  return format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8';
}
