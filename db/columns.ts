import type { EntitySchemaColumnOptions } from 'typeorm';

// Column shapes shared by every entity file: every column names its type so both dialects
// agree; instants (ISO-8601 UTC, 24 characters) and calendar dates (YYYY-MM-DD) are text.

export const id: EntitySchemaColumnOptions = { type: 'integer', primary: true, generated: 'increment' };
export const str = (length: number, nullable = false): EntitySchemaColumnOptions => ({ type: 'varchar', length, nullable });
export const text = (nullable = false): EntitySchemaColumnOptions => ({ type: 'text', nullable });
export const int = (nullable = false): EntitySchemaColumnOptions => ({ type: 'integer', nullable });
export const bool: EntitySchemaColumnOptions = { type: 'boolean' };
export const instant = (nullable = false): EntitySchemaColumnOptions => str(24, nullable);
export const date = (nullable = false): EntitySchemaColumnOptions => str(10, nullable);
