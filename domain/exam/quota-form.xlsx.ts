// 调增申请表 (seed 004 六.1): a pilot college asks, at least 2 weeks before the exam, to sit
// more candidates than the platform approved; 教务处 reviews it and sends it to the province
// (河南省1+X证书制度试点推进协调办公室). Generated from the plan, with each decision recorded so far.
import { BORDER, bufferWorkbook, FONT_NAME, setCell, setupA4 } from '../xlsx/layout';

export interface QuotaFormInput {
  school: string;
  college: string;
  certificate: string;
  level: string;
  owner: string;
  /** e.g. 理论知识考试 2024年6月15日 09:00；实操技能考试 … */
  sessions: string;
  place: string;
  pilotQuota: number;
  planned: number;
  requested: number;
  filedOn: string | null;
  reason: string | null;
  /** 教务处意见, once decided */
  academic: string | null;
  /** 省推进办审批, once recorded */
  province: string | null;
}

export const QUOTA_FORM_TITLE = '1+X证书制度试点考核人数调增申请表';

/** One A4 page of label / value boxes, the three opinions with room to sign and seal. */
export async function writeQuotaForm(i: QuotaFormInput): Promise<Buffer> {
  return bufferWorkbook((wb) => {
    const ws = wb.addWorksheet('调增申请表');
    ws.columns = [{ width: 20 }, { width: 24 }, { width: 20 }, { width: 24 }];
    ws.mergeCells(1, 1, 1, 4);
    setCell(ws.getCell(1, 1), `${i.school}${QUOTA_FORM_TITLE}`, 'text');
    ws.getCell(1, 1).font = { name: FONT_NAME, size: 16, bold: true };
    ws.getCell(1, 1).alignment = { horizontal: 'center', vertical: 'middle' };
    ws.getRow(1).height = 36;
    let r = 2;
    const pair = (a: string, av: string | number, b: string, bv: string | number) => {
      for (const [c, v, bold] of [[1, a, true], [2, av, false], [3, b, true], [4, bv, false]] as const) {
        const cell = ws.getCell(r, c);
        setCell(cell, v, typeof v === 'number' ? 'integer' : 'text');
        cell.font = { name: FONT_NAME, size: 11, bold };
        cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
        cell.border = BORDER;
      }
      ws.getRow(r++).height = 28;
    };
    const wide = (label: string, value: string, height: number) => {
      const l = ws.getCell(r, 1);
      setCell(l, label, 'text');
      l.font = { name: FONT_NAME, size: 11, bold: true };
      l.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      l.border = BORDER;
      ws.mergeCells(r, 2, r, 4);
      const v = ws.getCell(r, 2);
      setCell(v, value, 'text');
      v.font = { name: FONT_NAME, size: 11 };
      v.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
      for (let c = 2; c <= 4; c++) ws.getCell(r, c).border = BORDER;
      ws.getRow(r++).height = height;
    };
    pair('试点院部', i.college, '负责人', i.owner);
    pair('证书名称', i.certificate, '证书等级', i.level);
    wide('考核时间', i.sessions, 30);
    wide('考核地点', i.place, 24);
    pair('平台批准试点人数', i.pilotQuota, '本次考核计划人数', i.planned);
    pair('申请调增人数', i.requested - i.pilotQuota, '调增后人数', i.requested);
    wide('申请理由', i.reason ?? '', 70);
    wide('试点院部意见', `${i.filedOn ? `已于 ${i.filedOn} 提交。` : ''}\n\n负责人（签字）：　　　　　　（盖章）　　　　年　　月　　日`, 80);
    wide('教务处意见', `${i.academic ?? ''}\n\n负责人（签字）：　　　　　　（盖章）　　　　年　　月　　日`, 80);
    wide('河南省1+X证书制度试点推进协调办公室审批', `${i.province ?? ''}\n\n（盖章）　　　　年　　月　　日`, 80);
    setupA4(ws);
    ws.pageSetup.fitToHeight = 1;
    ws.pageSetup.printArea = `A1:D${r - 1}`;
  });
}
