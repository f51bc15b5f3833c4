import { describe, expect, it } from 'vitest';
import { photoFileName, safeFileName, scanFileName } from '../../../domain/materials/naming';

describe('material file names', () => {
  it('names the photo 姓名-身份证号.jpg with an upper-case X', () => {
    expect(photoFileName('张三', '41010520000101275x')).toBe('张三-41010520000101275X.jpg');
  });

  it.each([
    ['id_front', 'jpg', '张三410105200001012754-身份证人像面.jpg'],
    ['id_back', '.PNG', '张三410105200001012754-身份证国徽面.png'],
    ['student_id', 'pdf', '张三410105200001012754-学生证.pdf'],
    ['filing_form', 'pdf', '张三410105200001012754-审核备案表.pdf'],
    ['photo', 'jpg', '张三-410105200001012754.jpg'],
  ] as const)('names a %s scan as 姓名+身份证号 with its side', (kind, ext, expected) => {
    expect(scanFileName('张三', '410105200001012754', kind, ext)).toBe(expected);
  });

  it('keeps a name with a middle dot', () => {
    expect(photoFileName('阿卜杜·热合曼', '410105200001012754')).toBe('阿卜杜·热合曼-410105200001012754.jpg');
  });
});

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', '_.._etc_passwd'],
    ['a\\b/c', 'a_b_c'],
    ['名\u0000字\u001f', '名字'],
    ['张三:*?"<>|.jpg', '张三_______.jpg'],
    ['  .hidden. ', 'hidden'],
    ['', '未命名'],
    ['///', '未命名'],
    ['CON.txt', '_CON.txt'],
    ['right\u202eto-left.jpg', 'rightto-left.jpg'],
  ])('makes %j safe', (raw, expected) => {
    expect(safeFileName(raw)).toBe(expected);
  });

  it('never contains a separator or control character', () => {
    for (const raw of ['a/b', 'a\\b', 'x\ny', '\t\r']) {
      expect(safeFileName(raw)).not.toMatch(/[/\\\u0000-\u001f]/);
    }
  });

  it('shortens a very long name within 240 bytes and keeps the extension', () => {
    const name = safeFileName(`${'长'.repeat(200)}.jpg`);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(240);
    expect(name.endsWith('.jpg')).toBe(true);
  });
});
