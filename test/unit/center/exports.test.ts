import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { zipEntry } from '../../support/zip';
import { diskStorage } from '../../../bot/file-storage';
import { materialsZipPlan, writeMaterialsZip, type MaterialsEntry } from '../../../bot/services/materials-zip';
import { certificateSequenceName, checkPattern, formatCertificateNumber } from '../../../domain/certificate-number';
import { CERTIFICATE_LIST_HEADERS, writeCertificateList, type CertificateListRow } from '../../../domain/forms/certificate-list.xlsx';
import { CHECKLIST_FILE } from '../../../domain/forms/materials-checklist.xlsx';
import { writeRoster, type RosterRow } from '../../../domain/forms/roster.xlsx';
import { summarise, writeSummary } from '../../../domain/forms/summary.xlsx';
import type { Material, MaterialKind } from '../../../domain/model';
import { computeProgress, percent } from '../../../domain/progress';

const row = (studentNo: string, name: string, over: Partial<RosterRow> = {}): RosterRow => ({
  studentNo,
  name,
  gender: 'M',
  idNumber: '41010520020101101X',
  college: '财经学院',
  major: '电子商务',
  className: '电子商务2001班',
  programme: 'undergrad',
  occupation: '电子商务师-跨境电子商务师',
  level: 'L4',
  phone: '13803711000',
  ...over,
});

async function load(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

function findRow(ws: ExcelJS.Worksheet, firstCell: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === firstCell) return r;
  throw new Error(`no row starting with ${firstCell}`);
}

describe('certificate numbers', () => {
  it.each([
    ['S{year}41{college2}{level}{seq6}', { year: 2024, collegeOrder: 9, level: 'L4' as const }, 1, 'S202441094000001'],
    ['S{year}41{college2}{level}{seq6}', { year: 2024, collegeOrder: 12, level: 'L3' as const }, 123456, 'S202441123123456'],
    ['ZK-{year}-{seq4}', { year: 2025, collegeOrder: 1, level: 'L4' as const }, 7, 'ZK-2025-0007'],
  ])('%s with serial %#', (pattern, parts, seq, expected) => {
    expect(formatCertificateNumber(pattern, parts, seq)).toBe(expected);
  });

  it('draws serials per prefix, so each college and level counts on its own', () => {
    const p = 'S{year}41{college2}{level}{seq6}';
    expect(certificateSequenceName(p, { year: 2024, collegeOrder: 9, level: 'L4' })).toBe('cert:S202441094{seq6}');
    expect(certificateSequenceName(p, { year: 2024, collegeOrder: 9, level: 'L3' })).not.toBe(certificateSequenceName(p, { year: 2024, collegeOrder: 9, level: 'L4' }));
  });

  it('refuses a serial wider than its field rather than run into the next prefix', () => {
    expect(() => formatCertificateNumber('X{seq2}', { year: 2024, collegeOrder: 1, level: 'L4' }, 100)).toThrow();
  });

  it.each([
    ['S{year}', 'cert_pattern.seq'],
    ['S{year}{seq3}{seq3}', 'cert_pattern.seq'],
    ['S{yr}{seq6}', 'cert_pattern.unknown'],
  ])('pattern %s is rejected with %s', (pattern, code) => {
    const r = checkPattern(pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.code)).toContain(code);
  });
});

describe('附件7 花名册', () => {
  it('lists students in export order with 学号/身份证号/phone as text and formulas escaped', async () => {
    const rows = [row('2020010910', '=1+1'), row('2020010902', '李四', { gender: 'F', level: 'L3' }), row('2020010901', '张三')];
    const ws = await load(await writeRoster(rows, { year: 2024, college: '财经学院' }));
    expect(String(ws.getCell('A1').value)).toContain('职业技能等级认定人员花名册');
    expect(String(ws.getCell('A1').value)).toContain('财经学院');
    const header = findRow(ws, '序号');
    expect((ws.getRow(header).values as unknown[]).slice(1, 13)).toEqual(['序号', '姓名', '性别', '身份证号', '学号', '学院', '专业', '班级', '文化程度', '申报职业（工种）', '申报等级', '联系电话']);
    const data = [1, 2, 3].map((i) => ws.getRow(header + i));
    // 四级 before 三级, then 学号 ascending
    expect(data.map((r) => r.getCell(5).value)).toEqual(['2020010901', '2020010910', '2020010902']);
    expect(data[1]!.getCell(2).value).toBe("'=1+1");
    for (const col of [4, 5, 12]) {
      expect(data[0]!.getCell(col).numFmt).toBe('@');
      expect(typeof data[0]!.getCell(col).value).toBe('string');
    }
    expect(data[0]!.getCell(11).value).toBe('四级/中级');
  });
});

describe('附件8 汇总表', () => {
  it('counts per major × occupation × level with a 合计 row right after the data', async () => {
    const rows = [row('1', '甲'), row('2', '乙', { gender: 'F' }), row('3', '丙', { level: 'L3' }), row('4', '丁', { major: '国际贸易', occupation: '=SUM(A1)' })];
    expect(summarise(rows).map((l) => [l.major, l.level, l.total, l.male, l.female])).toEqual([
      ['电子商务', 'L4', 2, 1, 1],
      ['电子商务', 'L3', 1, 1, 0],
      ['国际贸易', 'L4', 1, 1, 0],
    ].sort((a, b) => new Intl.Collator('zh-Hans-CN').compare(String(a[0]), String(b[0]))));
    const ws = await load(await writeSummary(rows, { year: 2024 }));
    const header = findRow(ws, '序号');
    const total = findRow(ws, '合计');
    expect(total).toBe(header + 4);
    expect(ws.getRow(total).getCell(6).value).toBe(4);
    const texts = [1, 2, 3].map((i) => ws.getRow(header + i).getCell(4).value);
    expect(texts).toContain("'=SUM(A1)");
  });
});

describe('certificate list for the query systems', () => {
  it('has one header row, rows in export order, every identifier and the date as text', async () => {
    const base = { major: '电子商务', occupation: '电子商务师', gender: 'M' as const, issuedOn: '2024-06-01', issuer: '郑州科技学院' };
    const rows: CertificateListRow[] = [
      { ...base, studentNo: '2', level: 'L4', name: '@乙', idNumber: '410105200201011012', number: 'S202441094000002' },
      { ...base, studentNo: '1', level: 'L4', name: '甲', idNumber: '41010520020101101X', number: 'S202441094000001' },
    ];
    rows[0]!.remark = '缺材料例外：缺电子照片；原因：原件已核验（王老师 2024-06-01登记）';
    rows.push({ ...base, studentNo: '3', level: 'L4', name: '丙', idNumber: '810000199001011234', number: 'S202441094000003' });
    const ws = await load(await writeCertificateList(rows));
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...CERTIFICATE_LIST_HEADERS]);
    expect(CERTIFICATE_LIST_HEADERS).toEqual(['序号', '姓名', '性别', '证件类型', '证件号码', '学号', '专业', '职业（工种）', '等级', '证书编号', '发证日期', '发证机构', '备注']);
    const col = (h: string) => CERTIFICATE_LIST_HEADERS.indexOf(h) + 1;
    // export order: 学号 ascending
    expect([2, 3, 4].map((r) => ws.getRow(r).getCell(col('学号')).value)).toEqual(['1', '2', '3']);
    expect(ws.getRow(2).getCell(col('证书编号')).value).toBe('S202441094000001');
    expect(ws.getRow(3).getCell(col('姓名')).value).toBe("'@乙");
    expect(ws.getRow(2).getCell(col('证件号码')).numFmt).toBe('@');
    expect(ws.getRow(2).getCell(col('学号')).numFmt).toBe('@');
    expect(ws.getRow(2).getCell(col('发证日期')).value).toBe('2024-06-01');
    expect(ws.getRow(2).getCell(1).value).toBe(1);
    expect(ws.getRow(2).getCell(col('证件类型')).value).toBe('居民身份证');
    expect(ws.getRow(4).getCell(col('证件类型')).value).toBe('港澳台居民居住证');
    expect(ws.getRow(3).getCell(col('备注')).value).toContain('缺材料例外');
    expect(ws.getRow(2).getCell(col('备注')).value).toBeNull();
    // a machine reads it: no title, no merged cells
    expect(ws.model.merges ?? []).toEqual([]);
  });
});

function material(kind: MaterialKind, storedPath: string, fileName: string, status: Material['status'] = 'accepted'): Material {
  return { id: 1, studentNo: '', kind, version: 1, status, reason: null, storedPath, fileName, meta: {}, createdAt: '2024-03-01T00:00:00Z' };
}

function zipNames(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}


describe('materials ZIP', () => {
  it('puts each major in its folder, students in grade-book order, names from 姓名 and 身份证号, rejected files left out', async () => {
    const files = diskStorage(mkdtempSync(join(tmpdir(), 'zip-')));
    for (const p of ['a.jpg', 'b.png', 'c.jpg', 'd.jpg']) await files.put(p, Buffer.from(p));
    const entries: MaterialsEntry[] = [
      {
        student: { studentNo: '2', name: '李四', idNumber: '41010520020101101x', major: '电子商务' },
        materials: { photo: material('photo', 'a.jpg', 'IMG_1.jpg'), id_front: material('id_front', 'b.png', '正面.PNG') },
        basis: { programme: 'undergrad', levelRule: 4 },
      },
      {
        student: { studentNo: '3', name: '王/五', idNumber: '410105200201011012', major: '国际贸易' },
        materials: { photo: material('photo', 'c.jpg', 'x.jpg', 'rejected'), student_id: material('student_id', 'd.jpg', 's.jpg') },
        // certified on a certificate held: its copy is owed too
        basis: { programme: 'junior', levelRule: 3 },
      },
    ];
    expect(materialsZipPlan(entries).map((p) => p.name)).toEqual([
      '电子商务/李四-41010520020101101X.jpg',
      '电子商务/李四41010520020101101X-身份证人像面.png',
      '国际贸易/王_五410105200201011012-学生证.jpg',
    ]);
    entries[1]!.onlineFormVersion = 2;
    const zip = await writeMaterialsZip(entries, files, '郑州科技学院职业技能等级认定材料清单（财经学院 2024年）');
    expect(await zipNames(zip)).toEqual([CHECKLIST_FILE, ...materialsZipPlan(entries).map((p) => p.name)]);

    // the 清单 says per student what is there (version, checked or not) and what is missing
    const ws = await load(await zipEntry(zip, CHECKLIST_FILE));
    expect(ws.getCell('A1').value).toBe('郑州科技学院职业技能等级认定材料清单（财经学院 2024年）');
    const header = findRow(ws, '序号');
    expect((ws.getRow(header).values as unknown[]).slice(1)).toEqual([
      '序号', '学号', '姓名', '身份证号', '专业', '电子照片', '身份证人像面', '身份证国徽面', '学生证（含公章页）', '已取得证书复印件', '审核备案表', '缺少的材料',
    ]);
    const cells = (r: number) => (ws.getRow(r).values as unknown[]).slice(2);
    expect(cells(header + 1)).toEqual(['2', '李四', '41010520020101101x', '电子商务', '第1版 已通过', '第1版 已通过', '缺', '缺', '不需要', '缺', '审核备案表、身份证国徽面、学生证（含公章页）']);
    expect(cells(header + 2)).toEqual(['3', '王/五', '410105200201011012', '国际贸易', '缺（第1版已退回）', '缺', '缺', '第1版 已通过', '缺', '线上填写 第2版', '电子照片、身份证人像面、身份证国徽面、已取得证书复印件']);
    expect(ws.getCell(header + 1, 2).numFmt).toBe('@');
    expect(ws.pageSetup.paperSize).toBe(9);
    let text = '';
    ws.eachRow((row) => row.eachCell((c) => (text += `${String(c.value)}\n`)));
    expect(text).toContain('共 2 人，材料齐全 0 人，缺材料 2 人');
    expect(text).toContain('制表人');
  });
});

describe('progress against 附件1 targets', () => {
  it.each([
    [0, 100, 0],
    [1, 3, 33],
    [2, 3, 66],
    [5, 0, null],
    [480, 480, 100],
  ])('%i of %i is %s%%', (done, target, expected) => {
    expect(percent(done, target)).toBe(expected);
  });

  it('keeps 附件1 order and sums the school totals', () => {
    const t = (college: string, certified: number) => ({ year: 2024, college, graduates: 10, training: 8, certified, advanced: 2, xCertified: null });
    const p = computeProgress(2024, ['甲院', '乙院'], [t('乙院', 10), t('甲院', 4)], new Map([['乙院', { certified: 5, advanced: 1, xCertified: 0 }]]));
    expect(p.lines.map((l) => [l.order, l.college, l.certifiedPct])).toEqual([
      [1, '甲院', 0],
      [2, '乙院', 50],
    ]);
    expect(p.totals.counts.certified).toBe(5);
    expect(p.totals.certifiedPct).toBe(35);
  });
});
