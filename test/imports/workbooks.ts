// Test workbooks built the way staff make them, and ID numbers computed from GB 11643
// here rather than by the code under test.
import { loadXlsxGrids } from '../support/workbooks';
import type { Grid } from '../../domain/xlsx/grid';
import { xlsx } from '../support/workbooks';

export type CellInput = string | number | Date | null;

export interface SheetInput {
  name: string;
  rows: CellInput[][];
  /** merges like "A1:F1" */
  merges?: string[];
}

export async function grids(sheets: SheetInput[]): Promise<Grid[]> {
  return loadXlsxGrids(await xlsx(sheets));
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid 18-digit ID; an odd sequence number makes a man. */
export function idNumber(birth: string, seq: string, region = '410105'): string {
  const first17 = `${region}${birth}${seq}`;
  const sum = [...first17].reduce((acc, ch, i) => acc + Number(ch) * WEIGHTS[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
