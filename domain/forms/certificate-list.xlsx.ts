// The issued-certificate list in the provincial upload layout (the national / provincial
// query systems import it): one header row straight at the top, no title, no merged cells,
// no signature lines — a machine reads this sheet, not a person. The layout is data
// (CERTIFICATE_UPLOAD_LAYOUT); rows follow the one export order.
import { GENDER_LABEL, LEVEL_LABEL, type Gender, type IsoDate, type Level } from '../model';
import { sortForExport } from '../ordering';
import { writeUploadWorkbook, type UploadLayout } from '../xlsx/upload-layout';

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
export const CERTIFICATE_UPLOAD_LAYOUT: UploadLayout<CertificateField> = {
  sheet: '证书信息',
  columns: [
    { header: '序号', field: '序号', width: 6 },
    { header: '姓名', field: '姓名', width: 10 },
    { header: '性别', field: '性别', width: 6 },
    { header: '证件类型', field: '证件类型', width: 16 },
    { header: '证件号码', field: '证件号码', width: 21 },
    { header: '学号', field: '学号', width: 14 },
    { header: '专业', field: '专业', width: 16 },
    { header: '职业（工种）', field: '职业', width: 26 },
    { header: '等级', field: '等级', width: 12 },
    { header: '证书编号', field: '证书编号', width: 22 },
    { header: '发证日期', field: '发证日期', width: 12 },
    { header: '发证机构', field: '发证机构', width: 28 },
    { header: '备注', field: '备注', width: 30 },
  ],
};

export const CERTIFICATE_LIST_HEADERS = CERTIFICATE_UPLOAD_LAYOUT.columns.map((c) => c.header);

/** 居民身份证, or the residence permit of Hong Kong, Macao and Taiwan residents (810000 / 820000 / 830000). */
export function idDocumentType(idNumber: string): string {
  return /^8[123]/.test(idNumber) ? '港澳台居民居住证' : '居民身份证';
}

export async function writeCertificateList(rows: readonly CertificateListRow[]): Promise<Buffer> {
  return writeUploadWorkbook(
    CERTIFICATE_UPLOAD_LAYOUT,
    sortForExport(rows).map((r) => ({
      姓名: r.name,
      性别: GENDER_LABEL[r.gender],
      证件类型: idDocumentType(r.idNumber),
      证件号码: r.idNumber,
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
