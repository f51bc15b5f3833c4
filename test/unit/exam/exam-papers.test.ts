import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zipEntry } from '../../support/zip';
import { DEFAULT_EXAM_RULES, SIGN_IN_SIGNATURES, writeAdmissionTickets, writeDoorLists, writeSignInSheets, type PaperCandidate, type PaperMeta } from '../../../domain/exam/exam-papers.xlsx';
import { assignSeats, maskIdNumber } from '../../../domain/exam/seating';
import { portraitJpeg } from '../materials/photo-fixtures';


// Seats and the printed exam papers, read back: 1,000 candidates in 34 rooms.

const candidates = (n: number, photo: Buffer | null): PaperCandidate[] =>
  // shuffled input: seating sorts by 学号 itself
  Array.from({ length: n }, (_, i) => ({
    studentNo: String(2021000000 + ((i * 7919) % n) + 1),
    name: `考生${((i * 7919) % n) + 1}`,
    idNumber: `4101052003${String(((i * 7919) % n) + 1).padStart(8, '0')}`,
    className: '电商2101',
    photo,
  }));

const meta: PaperMeta = {
  school: '焦作大学',
  college: '财经学院',
  certificate: '跨境电商B2B数据运营',
  level: '初级',
  planId: 7,
  place: '实训楼A',
  sessions: [
    { label: '理论知识考试', date: '2024-06-15', start: '09:00', end: '11:00' },
    { label: '实操技能考试', date: '2024-06-15', start: '14:00', end: '16:00' },
  ],
  rules: DEFAULT_EXAM_RULES,
};

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
function allText(ws: ExcelJS.Worksheet): string {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? ''))));
  return out.join('\n');
}

describe('seat assignment', () => {
  it('fills rooms of at least 30 in 学号 order: 1,000 candidates take 33 full rooms and 10 in the 34th', () => {
    const seating = assignSeats(candidates(1000, null), { planId: 7, rooms: 34, place: '实训楼A' });
    expect(seating.rooms).toHaveLength(34);
    expect(seating.rooms.slice(0, 33).every((r) => r.seats.length === 30)).toBe(true);
    expect(seating.rooms[33]!.seats).toHaveLength(10);
    const nos = seating.seats.map((s) => s.candidate.studentNo);
    expect(nos).toEqual([...nos].sort());
    expect(new Set(nos).size).toBe(1000);
    expect(seating.seats[0]).toMatchObject({ room: 1, seat: 1, roomName: '实训楼A 第1考场', ticketNo: '000701001' });
    expect(seating.seats[30]).toMatchObject({ room: 2, seat: 1, ticketNo: '000702001' });
    expect(seating.seats[999]).toMatchObject({ room: 34, seat: 10, ticketNo: '000734010' });
    expect(seating.unused).toBe(0);
  });

  it('puts more than 30 in a room when there are fewer rooms, and leaves unneeded rooms empty', () => {
    expect(assignSeats(candidates(100, null), { planId: 1, rooms: 2, place: '' }).rooms.map((r) => r.seats.length)).toEqual([50, 50]);
    const few = assignSeats(candidates(45, null), { planId: 1, rooms: 5, place: '', roomNames: ['机房301'] });
    expect(few.rooms.map((r) => [r.roomName, r.seats.length])).toEqual([['机房301', 30], ['第2考场', 15]]);
    expect(few.unused).toBe(3);
  });

  it('masks the middle of an ID number', () => {
    expect(maskIdNumber('410105200205122753')).toBe('410105********2753');
  });
});

describe('exam papers for 1,000 candidates in 34 rooms', () => {
  it('sign-in sheets: one per room and session, photos embedded, signature column and invigilator lines, A4', async () => {
    const photo = await portraitJpeg({ width: 52, height: 72, background: [200, 30, 30], noise: 0.2 });
    const seating = assignSeats(candidates(1000, photo), { planId: 7, rooms: 34, place: '实训楼A' });
    const wb = await load(await writeSignInSheets(seating, meta));
    expect(wb.worksheets).toHaveLength(68);
    expect(wb.worksheets[0]!.name).toBe('理论1考场-实训楼A 第1考场');
    expect(wb.worksheets[34]!.name).toBe('实操1考场-实训楼A 第1考场');
    const last = wb.worksheets[33]!;
    expect(String(last.getCell('A1').value)).toBe('焦作大学跨境电商B2B数据运营（初级）职业技能等级证书考核考场签到表');
    expect(String(last.getCell('A2').value)).toBe('考场：实训楼A 第34考场　场次：理论知识考试　2024.06.15 09:00–11:00　应到 10 人　实到____人　缺考____人');
    expect((last.getRow(3).values as unknown[]).slice(1)).toEqual(['座位号', '照片', '姓名', '学号', '身份证号', '准考证号', '考生签名', '备注']);
    const rows = [4, 5, 13].map((r) => (last.getRow(r).values as unknown[]).slice(1));
    expect(rows[0]).toEqual([1, undefined, '考生991', '2021000991', '410105200300000991', '000734001']);
    expect(rows[2]!.slice(0, 4)).toEqual([10, undefined, '考生1000', '2021001000']);
    expect(last.getCell(4, 5).numFmt).toBe('@');
    // photos: one per candidate, in the 照片 column of its own row
    const images = last.getImages();
    expect(images).toHaveLength(10);
    expect(images.map((i) => Math.floor(i.range.tl.nativeRow)).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(images.every((i) => Math.floor(i.range.tl.nativeCol) === 1)).toBe(true);
    const text = allText(last);
    for (const s of SIGN_IN_SIGNATURES) expect(text).toContain(`${s}：`);
    expect(last.pageSetup.paperSize).toBe(9);
    expect(wb.worksheets[0]!.getImages()).toHaveLength(30);
  });

  it('准考证: a block per candidate with photo, masked ID, certificate, level, each session with room and seat, rules; two per page', async () => {
    const photo = await portraitJpeg({ width: 52, height: 72, background: [200, 30, 30], noise: 0.2 });
    const list = candidates(61, photo);
    list[5]!.photo = null;
    const seating = assignSeats(list, { planId: 7, rooms: 2, place: '实训楼A' });
    const bytes = await writeAdmissionTickets(seating, meta);
    const wb = await load(bytes);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('准考证');
    const text = allText(ws);
    const titleRows: number[] = [];
    ws.eachRow((row, r) => {
      if (row.getCell(1).value === '焦作大学跨境电商B2B数据运营（初级）职业技能等级证书考核准考证') titleRows.push(r);
    });
    expect(titleRows).toHaveLength(61);
    expect(ws.getCell('B2').value).toBe('000701001');
    expect(ws.getCell('E2').value).toBe('考生1');
    expect(ws.getCell('B3').value).toBe('410105********0001');
    expect(ws.getCell('E3').value).toBe('2021000001');
    expect(ws.getCell('B4').value).toBe('跨境电商B2B数据运营');
    expect(ws.getCell('E4').value).toBe('初级');
    expect(ws.getCell('B5').value).toBe('实训楼A 第1考场');
    expect(ws.getCell('E5').value).toBe(1);
    const line = (r: number) => ['A', 'C', 'D', 'E', 'H'].map((c) => ws.getCell(`${c}${r}`).value);
    expect(line(6)).toEqual(['场次', '日期', '时间', '考场', '座位号']);
    expect(line(7)).toEqual(['理论知识考试', '2024.06.15', '09:00–11:00', '实训楼A 第1考场', 1]);
    expect(line(8)).toEqual(['实操技能考试', '2024.06.15', '14:00–16:00', '实训楼A 第1考场', 1]);
    expect(String(ws.getCell('A9').value)).toContain(`1. ${DEFAULT_EXAM_RULES[0]}`);
    expect(text).not.toContain('410105200300000001');
    // 60 photos embedded (one candidate has none yet: the box says 照片)
    expect(ws.getImages()).toHaveLength(60);
    let empty = 0;
    ws.eachRow((row) => row.eachCell((c) => void (c.value === '照片' && c.master.address === c.address && empty++)));
    expect(empty).toBe(1);
    expect(ws.pageSetup.paperSize).toBe(9);
    // two tickets per page: a manual row break after every second block (exceljs writes but does not read them)
    const xml = (await zipEntry(bytes, 'xl/worksheets/sheet1.xml')).toString('utf8');
    expect(/<rowBreaks count="(\d+)"/.exec(xml)?.[1]).toBe('30');
  });

  it('door lists: one sheet per room with seats in order, masked IDs and every session', async () => {
    const seating = assignSeats(candidates(1000, null), { planId: 7, rooms: 34, place: '实训楼A' });
    const wb = await load(await writeDoorLists(seating, meta));
    expect(wb.worksheets).toHaveLength(34);
    const ws = wb.worksheets[1]!;
    expect(ws.getCell('A1').value).toBe('实训楼A 第2考场');
    expect(allText(ws)).toContain('理论知识考试　2024.06.15 09:00–11:00');
    const header = 5;
    expect((ws.getRow(header).values as unknown[]).slice(1)).toEqual(['座位号', '姓名', '学号', '准考证号', '身份证号']);
    expect((ws.getRow(header + 1).values as unknown[]).slice(1)).toEqual([1, '考生31', '2021000031', '000702001', '410105********0031']);
    expect(ws.getRow(header + 30).getCell(1).value).toBe(30);
    expect(ws.pageSetup.paperSize).toBe(9);
  });
});
