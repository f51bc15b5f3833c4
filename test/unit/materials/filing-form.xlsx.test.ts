import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { FilingForm } from '../../../domain/filing-form';
import {
  FILING_FORM_CELLS as C,
  FILING_FORM_NOTE,
  splitOccupation,
  writeFilingForms,
  type FilingFormEntry,
} from '../../../domain/forms/filing-form.xlsx';
import { filingForm } from './filing-form.fixture';
import { portraitJpeg } from './photo-fixtures';

// the 身份证号 and a certificate number with leading zeros the text-cell checks look for
function form(overrides: Partial<FilingForm> = {}): FilingForm {
  return filingForm({
    idNumber: '410105200205122753',
    certificates: [{ occupation: '电子商务师', level: '四级/中级', number: '0012023001234', issuedOn: '2023-06-15' }],
    ...overrides,
  });
}

function entry(overrides: Partial<FilingFormEntry> = {}): FilingFormEntry {
  return {
    form: form(),
    student: { studentNo: '2020010101', name: '张三' },
    theory: '85.50',
    skill: '90.00',
    occupation: '电子商务师-跨境电子商务师',
    level: 'L3',
    ...overrides,
  };
}

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

function text(ws: ExcelJS.Worksheet, address: string): string {
  const v = ws.getCell(address).value;
  return v === null || v === undefined ? '' : String(v);
}

function allText(ws: ExcelJS.Worksheet): string {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value ?? ''))));
  return out.join('\n');
}

describe('writeFilingForms', () => {
  it('writes one sheet per student, named by 学号 and name, in the given order', async () => {
    const wb = await load(await writeFilingForms([
      entry(),
      entry({ student: { studentNo: '2020010102', name: '李四' }, form: form({ name: '李四' }) }),
      entry({ student: { studentNo: '2020010102', name: '李四' }, form: form({ name: '李四' }) }),
    ]));
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['2020010101张三', '2020010102李四', '2020010102李四(2)']);
  });

  it('titles the form as the seed does, with the school as a parameter', async () => {
    const [def] = (await load(await writeFilingForms([entry()]))).worksheets;
    expect(text(def!, C.title)).toBe('郑州科技学院职业技能等级认定审核备案表');
    expect(text(def!, C.subtitle)).toBe('(过程化考核方式)');
    const [other] = (await load(await writeFilingForms([entry()], { school: '某某职业学院' }))).worksheets;
    expect(text(other!, C.title)).toBe('某某职业学院职业技能等级认定审核备案表');
  });

  it.each([
    ['A3', '姓名'], [C.name, '张三'],
    ['C3', '性别'], [C.gender, '男'],
    ['E3', '出生年月'], [C.birthMonth, '2002.05'],
    [C.photo, '照片'],
    ['A4', '文化程度'], [C.education, '本科'],
    ['C4', '民族'], [C.ethnicity, '汉族'],
    ['E4', '政治面貌'], [C.politicalStatus, '共青团员'],
    ['A5', '身份证号码'],
    ['A6', '所在院(系)'], [C.college, '商学院'],
    ['E6', '联系方式'], [C.phone, '13800138000'],
    ['A7', '申请职业'], [C.occupation, '电子商务师-跨境电子商务师'],
    ['E7', '申请等级'], [C.level, '三级/高级'],
    [C.resumeLabel, '个人\n简历'],
    [C.highSchool, '2017年09月--2020年06月　郑州市第一中学　高中学习'],
    [C.university, '2020年09月--2024年06月　郑州科技学院　电子商务专业学习'],
    [C.training, '2023年07月--2023年08月　参加跨境电商运营（实习）'],
    [C.certificatesTitle, '已取得职业技能证书信息(未取证不填写)'],
    ['A13', '职业名称'], ['C13', '职业等级'], ['E13', '证书编号'], ['G13', '发证时间'],
    ['A14', '电子商务师'], ['C14', '四级/中级'], ['G14', '2023.06.15'],
  ])('puts %s = %j', async (address, expected) => {
    const [ws] = (await load(await writeFilingForms([entry()]))).worksheets;
    expect(text(ws!, address)).toBe(expected);
  });

  it('keeps the ID number, phone and certificate number as text cells', async () => {
    const [ws] = (await load(await writeFilingForms([entry()]))).worksheets;
    for (const [address, value] of [[C.idNumber, '410105200205122753'], [C.phone, '13800138000'], ['E14', '0012023001234']] as const) {
      expect(ws!.getCell(address).value).toBe(value);
      expect(ws!.getCell(address).numFmt).toBe('@');
    }
  });

  it('fills the review sentences with occupation, hours, scores and level', async () => {
    const [ws] = (await load(await writeFilingForms([entry({ hours: 256, certificateNumber: 'Z2024000123' })]))).worksheets;
    const all = allText(ws!);
    expect(all).toContain('该同学完成 电子商务师-跨境电子商务师 职业(工种) 256 学时的课程学习,理论成绩 85.50 分,实操成绩 90.00 分。');
    expect(all).toContain('经审核,该同学符合申报 电子商务师 职业 跨境电子商务师 (工种) 三 级证书发放标准。');
    expect(all).toContain('同意颁发 电子商务师 职业 跨境电子商务师 (工种) 三 级职业技能等级证书。\n证书编号: Z2024000123');
    expect(all).toContain('院(系)(签章)');
    expect(all).toContain('职业技能等级认定中心(代章)');
    expect(all).toContain('本人声明以上所填信息真实：(签字处)');
    expect(all).toContain(FILING_FORM_NOTE);
  });

  it('leaves blanks where hours, scores or the certificate number are unknown', async () => {
    const [ws] = (await load(await writeFilingForms([entry({ theory: null, skill: null, level: 'L4' })]))).worksheets;
    const all = allText(ws!);
    expect(all).toContain('职业(工种) ______ 学时的课程学习,理论成绩 ______ 分,实操成绩 ______ 分。');
    expect(all).toContain('证书编号: ______');
    expect(all).toContain('(工种) 四 级证书发放标准');
  });

  it('prints a blank training line and two blank certificate lines when none were filled', async () => {
    const f = form({ certificates: [], resume: { ...form().resume, training: null } });
    const [ws] = (await load(await writeFilingForms([entry({ form: f })]))).worksheets;
    expect(text(ws!, C.training)).toBe('_____年__月--_____年__月参加_____（培训/实习）');
    expect(text(ws!, 'A14')).toBe('');
    expect(text(ws!, 'A15')).toBe('');
    expect(allText(ws!)).toContain('该同学完成');
  });

  it('escapes text that a spreadsheet would take for a formula', async () => {
    const f = form({ college: '=HYPERLINK("http://x","点我")', occupation: '+cmd', certificates: [{ occupation: '@SUM(A1)', level: '-1', number: '1', issuedOn: '2023-01-01' }] });
    const [ws] = (await load(await writeFilingForms([entry({ form: f })]))).worksheets;
    expect(text(ws!, C.college)).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(text(ws!, C.occupation)).toBe("'+cmd");
    expect(text(ws!, 'A14')).toBe("'@SUM(A1)");
    expect(text(ws!, 'C14')).toBe("'-1");
    ws!.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('sets up A4 portrait printing on one page', async () => {
    const [ws] = (await load(await writeFilingForms([entry()]))).worksheets;
    expect(ws!.pageSetup.paperSize).toBe(9);
    expect(ws!.pageSetup.orientation).toBe('portrait');
    expect(ws!.pageSetup.fitToWidth).toBe(1);
  });

  it('places the accepted photo in the photo box', async () => {
    const photo = await portraitJpeg({ width: 413, height: 579, background: [255, 255, 255], noise: 0.3, quality: 60 });
    const wb = await load(await writeFilingForms([entry({ photo })]));
    const ws = wb.worksheets[0]!;
    expect(ws.getImages()).toHaveLength(1);
    expect(text(ws, C.photo)).toBe('');
  });

  it('falls back to the college option when the form leaves 所在院(系) empty', async () => {
    const [ws] = (await load(await writeFilingForms([entry({ form: form({ college: '' }) })], { college: '信息工程学院' }))).worksheets;
    expect(text(ws!, C.college)).toBe('信息工程学院');
  });
});

describe('splitOccupation', () => {
  it.each([
    ['电子商务师-跨境电子商务师', '电子商务师', '跨境电子商务师'],
    ['电子商务师（跨境电子商务师）', '电子商务师', '跨境电子商务师'],
    ['电工', '电工', null],
  ])('splits %s into 职业 and 工种', (raw, job, workType) => {
    expect(splitOccupation(raw)).toEqual({ job, workType });
  });
});
