// The issued-certificate list in the provincial upload layout (the national / provincial
// query systems import it): one header row straight at the top, no title, no merged cells,
// no signature lines — a machine reads this sheet, not a person. The layout is data
// (CERTIFICATE_UPLOAD_LAYOUT); rows follow the one export order.
import { LEVEL_LABEL, type Gender, type IsoDate, type Level } from '../model';
import { sortForExport } from '../ordering';
import { identityCells, uploadLayout, writeUploadWorkbook } from '../xlsx/upload-layout';

export interface CertificateListRow {
  studentNo: string;
  major: string;
  occupation: string;
  level: Level;
  name: string;
  gender: Gender;
  idNumber: string;
  number: string;
  issuedOn: IsoDate;
  issuer: string;
  /** 备注, e.g. the 缺材料例外 it was issued under */
  remark?: string | null;
}

export type CertificateField = '姓名' | '性别' | '证件类型' | '证件号码' | '学号' | '专业' | '职业' | '等级' | '证书编号' | '发证日期' | '发证机构' | '备注';

/** The provincial upload template, column by column. */
export const CERTIFICATE_UPLOAD_LAYOUT = uploadLayout<CertificateField>('证书信息', [
  ['序号', 6], ['姓名', 10], ['性别', 6], ['证件类型', 16], ['证件号码', 21], ['学号', 14], ['专业', 16],
  ['职业', 26, '职业（工种）'], ['等级', 12], ['证书编号', 22], ['发证日期', 12], ['发证机构', 28], ['备注', 30],
]);

export const CERTIFICATE_LIST_HEADERS = CERTIFICATE_UPLOAD_LAYOUT.columns.map((c) => c.header);

export async function writeCertificateList(rows: readonly CertificateListRow[]): Promise<Buffer> {
  return writeUploadWorkbook(
    CERTIFICATE_UPLOAD_LAYOUT,
    sortForExport(rows).map((r) => ({
      ...identityCells(r),
      学号: r.studentNo,
      专业: r.major,
      职业: r.occupation,
      等级: LEVEL_LABEL[r.level],
      证书编号: r.number,
      // query systems take the date as text YYYY-MM-DD: a date cell would come back as a serial number
      发证日期: r.issuedOn,
      发证机构: r.issuer,
      备注: r.remark ?? null,
    })),
  );
}
