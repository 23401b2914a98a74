/** RFC 3339 in UTC without fractions (`2026-11-25T12:53:00Z`), as cfssl certinfo prints times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
