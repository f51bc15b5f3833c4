// Valid ID numbers built in the test from the GB 11643 algorithm itself, independent of
// the code under test, so a shared mistake cannot make both agree.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export function checkChar(first17: string): string {
  const sum = [...first17].reduce((acc, c, i) => acc + Number(c) * WEIGHTS[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

export function validId(region: string, birth: string, seq = '123'): string {
  const first17 = `${region}${birth}${seq}`;
  return first17 + checkChar(first17);
}

/** The first valid ID for region and birth whose check character is X. */
export function idEndingInX(region = '410105', birth = '20001010'): string {
  for (let n = 0; n < 1000; n++) {
    const first17 = `${region}${birth}${String(n).padStart(3, '0')}`;
    if (checkChar(first17) === 'X') return first17 + 'X';
  }
  throw new Error('no X check digit found');
}

/** A valid ID whose last digit is wrong. */
export function withWrongCheck(id: string): string {
  const good = id[17]!;
  return id.slice(0, 17) + (good === '0' ? '1' : '0');
}
