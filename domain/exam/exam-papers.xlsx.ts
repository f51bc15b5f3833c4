// The papers a 1+X exam office prints (seed 004 六.4(2)：打印考场签到表、准考证): 准考证 for every
// candidate, 考场签到表 per room and session, and the list posted on each room's door. All
// A4, photos embedded where a face has to be checked against a person.
import ExcelJS from 'exceljs';
import type { IsoDate } from '../model';
import { addLine, addTableSheet, addTitle, BORDER, bufferWorkbook, FONT_NAME, safeSheetName, setCell, setupA4, type ColumnSpec } from '../xlsx/layout';
import { maskIdNumber, type Seat, type Seating } from './seating';

export interface PaperCandidate {
  studentNo: string;
  name: string;
  idNumber: string;
  className: string | null;
  /** the 1+X photo (JPEG), when collected */
  photo: Buffer | null;
}

export interface PaperSession {
  /** 理论知识考试 / 实操技能考试 */
  label: string;
  date: IsoDate;
  /** HH:MM, Beijing */
  start: string;
  end: string;
}

export interface PaperMeta {
  school: string;
  college: string;
  certificate: string;
  level: string;
  planId: number;
  place: string;
  sessions: PaperSession[];
  /** 考生须知 */
  rules: string[];
}

export const DEFAULT_EXAM_RULES = [
  '考生须凭准考证和本人有效身份证件，于开考前 20 分钟进入考场，按座位号就座。',
  '开考 15 分钟后不得入场；除规定的文具外，手机等电子设备须关机并交监考员统一存放。',
  '考试期间不得交头接耳、抄袭或协助他人作弊，违者按考试违纪处理。',
  '理论上机考试结束前不得提前离场；离场时不得带走试题、草稿纸等考试材料。',
];

const sessionText = (s: PaperSession) => `${s.label}　${s.date.replaceAll('-', '.')} ${s.start}–${s.end}`;
const title = (m: PaperMeta, paper: string) => `${m.school}${m.certificate}（${m.level}）职业技能等级证书考核${paper}`;

function photoImage(wb: ExcelJS.Workbook, photo: Buffer | null): number | null {
  return photo ? wb.addImage({ buffer: photo as unknown as ExcelJS.Buffer, extension: 'jpeg' }) : null;
}

// ---- 准考证 --------------------------------------------------------------------------------

const TICKET_COLUMNS = 8;
export const TICKETS_PER_PAGE = 2;

function box(ws: ExcelJS.Worksheet, row: number, from: number, to: number, value: string | number | null, opts: { bold?: boolean; text?: boolean } = {}): void {
  if (to > from) ws.mergeCells(row, from, row, to);
  const cell = ws.getCell(row, from);
  setCell(cell, value, opts.text ? 'text' : 'general');
  cell.font = { name: FONT_NAME, size: 11, bold: opts.bold ?? false };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (let c = from; c <= to; c++) ws.getCell(row, c).border = BORDER;
}

/** One block per candidate, two to an A4 page, in seat order room by room. Returns the first row of each block. */
function writeTicket(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, row: number, s: Seat<PaperCandidate>, m: PaperMeta): number {
  const c = s.candidate;
  addTitle(ws, row, title(m, '准考证'), TICKET_COLUMNS, 13);
  ws.getRow(row).height = 26;
  let r = row + 1;
  const pairs: Array<[string, string | number, string, string | number]> = [
    ['准考证号', s.ticketNo, '姓名', c.name],
    ['身份证号', maskIdNumber(c.idNumber), '学号', c.studentNo],
    ['证书名称', m.certificate, '等级', m.level],
    ['考场', s.roomName, '座位号', s.seat],
  ];
  for (const [l1, v1, l2, v2] of pairs) {
    box(ws, r, 1, 1, l1, { bold: true });
    box(ws, r, 2, 3, v1, { text: true });
    box(ws, r, 4, 4, l2, { bold: true });
    box(ws, r, 5, 6, v2, { text: typeof v2 === 'string' });
    ws.getRow(r).height = 24;
    r++;
  }
  // the photo box beside the four lines
  ws.mergeCells(row + 1, 7, r - 1, 8);
  const photoCell = ws.getCell(row + 1, 7);
  photoCell.border = BORDER;
  const image = photoImage(wb, c.photo);
  if (image === null) {
    photoCell.value = '照片';
    photoCell.alignment = { horizontal: 'center', vertical: 'middle' };
  } else {
    ws.addImage(image, { tl: { col: 6.25, row: row + 0.1 }, ext: { width: 78, height: 110 }, editAs: 'oneCell' });
  }
  ['场次', '日期', '时间', '考场', '座位号'].forEach((h, i) => box(ws, r, [1, 3, 4, 5, 8][i]!, [2, 3, 4, 7, 8][i]!, h, { bold: true }));
  r++;
  for (const x of m.sessions) {
    box(ws, r, 1, 2, x.label);
    box(ws, r, 3, 3, x.date.replaceAll('-', '.'), { text: true });
    box(ws, r, 4, 4, `${x.start}–${x.end}`, { text: true });
    box(ws, r, 5, 7, s.roomName);
    box(ws, r, 8, 8, s.seat);
    r++;
  }
  ws.mergeCells(r, 1, r, TICKET_COLUMNS);
  const rules = ws.getCell(r, 1);
  setCell(rules, `考生须知：\n${m.rules.map((x, i) => `${i + 1}. ${x}`).join('\n')}`, 'text');
  rules.font = { name: FONT_NAME, size: 9 };
  rules.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
  ws.getRow(r).height = 16 * (m.rules.length + 1);
  return r + 2;
}

export async function writeAdmissionTickets(seating: Seating<PaperCandidate>, meta: PaperMeta): Promise<Buffer> {
  return bufferWorkbook((wb) => {
    const ws = wb.addWorksheet('准考证');
    ws.columns = [10, 10, 12, 10, 10, 10, 10, 10].map((width) => ({ width }));
    let row = 1;
    seating.seats.forEach((s, i) => {
      row = writeTicket(wb, ws, row, s, meta);
      if ((i + 1) % TICKETS_PER_PAGE === 0 && i + 1 < seating.seats.length) ws.getRow(row - 1).addPageBreak();
    });
    setupA4(ws);
    ws.pageSetup.printArea = `A1:H${Math.max(1, row - 1)}`;
  });
}

// ---- 考场签到表 ------------------------------------------------------------------------------

export const SIGN_IN_SIGNATURES = ['监考员（签字）', '监考员（签字）', '日期'];
const PHOTO_ROW_HEIGHT = 62;

const SIGN_IN_COLUMNS: ColumnSpec<Seat<PaperCandidate>>[] = [
  { header: '座位号', width: 7, kind: 'integer', value: (s) => s.seat },
  { header: '照片', width: 11, value: () => null },
  { header: '姓名', width: 10, kind: 'text', value: (s) => s.candidate.name },
  { header: '学号', width: 14, kind: 'text', value: (s) => s.candidate.studentNo },
  { header: '身份证号', width: 21, kind: 'text', value: (s) => s.candidate.idNumber },
  { header: '准考证号', width: 12, kind: 'text', value: (s) => s.ticketNo },
  { header: '考生签名', width: 14, value: () => null },
  { header: '备注', width: 10, value: () => null },
];

/** One sheet per room and session: the photo to check the face, a column to sign, the invigilators' lines. */
export async function writeSignInSheets(seating: Seating<PaperCandidate>, meta: PaperMeta): Promise<Buffer> {
  return bufferWorkbook((wb) => {
    // one media entry per photo, shared by the sheets of every session
    const images = new Map<Buffer, number | null>();
    const imageOf = (photo: Buffer | null) => {
      if (!photo) return null;
      if (!images.has(photo)) images.set(photo, photoImage(wb, photo));
      return images.get(photo)!;
    };
    for (const session of meta.sessions) {
      for (const room of seating.rooms) {
        const placed = addTableSheet(wb, {
          name: safeSheetName(`${session.label.slice(0, 2)}${room.room}考场-${room.roomName}`),
          title: title(meta, '考场签到表'),
          subtitles: [`考场：${room.roomName}　场次：${sessionText(session)}　应到 ${room.seats.length} 人　实到____人　缺考____人`],
          columns: SIGN_IN_COLUMNS,
          rows: room.seats,
          signatures: SIGN_IN_SIGNATURES,
        });
        const { ws, firstDataRow } = placed;
        room.seats.forEach((s, i) => {
          const r = firstDataRow + i;
          ws.getRow(r).height = PHOTO_ROW_HEIGHT;
          const image = imageOf(s.candidate.photo);
          if (image !== null) ws.addImage(image, { tl: { col: 1.1, row: r - 1 + 0.05 }, ext: { width: 56, height: 78 }, editAs: 'oneCell' });
        });
      }
    }
    if (wb.worksheets.length === 0) wb.addWorksheet('考场签到表');
  });
}

// ---- 门贴 ---------------------------------------------------------------------------------

const DOOR_COLUMNS: ColumnSpec<Seat<PaperCandidate>>[] = [
  { header: '座位号', width: 8, kind: 'integer', value: (s) => s.seat },
  { header: '姓名', width: 14, kind: 'text', value: (s) => s.candidate.name },
  { header: '学号', width: 16, kind: 'text', value: (s) => s.candidate.studentNo },
  { header: '准考证号', width: 14, kind: 'text', value: (s) => s.ticketNo },
  { header: '身份证号', width: 22, kind: 'text', value: (s) => maskIdNumber(s.candidate.idNumber) },
];

/** The list posted on each room's door: every session of the room, who sits where. */
export async function writeDoorLists(seating: Seating<PaperCandidate>, meta: PaperMeta): Promise<Buffer> {
  return bufferWorkbook((wb) => {
    for (const room of seating.rooms) {
      const { ws } = addTableSheet(wb, {
        name: safeSheetName(`${room.room}-${room.roomName}`),
        title: `${room.roomName}`,
        subtitles: [`${meta.certificate}（${meta.level}）职业技能等级证书考核　共 ${room.seats.length} 人`, ...meta.sessions.map(sessionText)],
        columns: DOOR_COLUMNS,
        rows: room.seats,
      });
      ws.getCell(1, 1).font = { name: FONT_NAME, size: 26, bold: true };
      ws.getRow(1).height = 40;
    }
    if (wb.worksheets.length === 0) wb.addWorksheet('门贴');
    for (const ws of wb.worksheets) addLine(ws, ws.rowCount + 2, `考点：${meta.place}　${meta.school} ${meta.college}`, DOOR_COLUMNS.length);
  });
}
