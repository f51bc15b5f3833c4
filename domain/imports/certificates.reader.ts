// 已取得证书 (certificates students already hold): read for the score command's rule 1
// and rule 3, and imported by `cert import certificates`.
import { compareIsoDate, parseLooseDateInfo } from '../calendar';
import { certificateLevelLabel, normaliseCertificateLevel, normaliseXLevel } from '../certificates';
import { normaliseKey } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import type { CertificateKind, HeldCertificate, InputProblem, IsoDate, Result } from '../model';
import { dataRows, failed, locateTables, ok, problemAt, rawValue } from './table';
import type { TableRow } from './table';

type Key = 'seq' | 'studentNo' | 'name' | 'kind' | 'certName' | 'level' | 'number' | 'issuedOn';

export const CERTIFICATE_COLUMNS: HeaderSpec<Key>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'studentNo', aliases: ['学号'], required: true },
  { key: 'name', aliases: ['姓名'], required: true },
  { key: 'kind', aliases: ['证书类别', '证书类型', '类别'], required: true },
  { key: 'certName', aliases: ['职业名称', '证书名称', '职业(工种)', '职业', '工种'], required: true },
  { key: 'level', aliases: ['等级', '证书等级', '级别'], required: true },
  { key: 'number', aliases: ['证书编号', '编号'], required: false },
  { key: 'issuedOn', aliases: ['取证时间', '取证日期', '发证日期', '发证时间'], required: true },
];

const KIND_WORDS: Array<[RegExp, CertificateKind]> = [
  [/^(1\+X|1\+X证书|X证书|1\+X职业技能等级证书)$/i, 'x'],
  [/^(职业资格证书|职业资格|国家职业资格证书)$/, 'qualification'],
  [/^(职业技能等级证书|职业技能等级|技能等级证书|职业技能等级认定证书)$/, 'skill'],
];

export function parseCertificateKind(text: string): CertificateKind | null {
  const k = normaliseKey(text).toUpperCase();
  return KIND_WORDS.find(([re]) => re.test(k))?.[1] ?? null;
}

/** Stored level words: 1+X 初级/中级/高级; vocational 五级 … 一级. */
function parseLevel(kind: CertificateKind, text: string): string | null {
  if (kind === 'x') return normaliseXLevel(text);
  const n = normaliseCertificateLevel(text);
  return n === null ? null : certificateLevelLabel(n);
}

export interface CertificateReadOptions {
  today: IsoDate;
  /** 学号 → 姓名 of the students on record; when given, each row must name one of them */
  students?: ReadonlyMap<string, string>;
}

function readRow(row: TableRow<Key>, opts: CertificateReadOptions, problems: InputProblem[]): HeldCertificate | null {
  const today = opts.today;
  const before = problems.length;
  const report = (key: Key, code: string, message: string) => problems.push(problemAt(row.ref(key), code, message));

  const studentNo = row.text('studentNo').replace(/\s+/g, '');
  if (studentNo === '') report('studentNo', 'cert.student_no', '学号为空');
  if (row.text('name') === '') report('name', 'cert.name', '姓名为空');
  else if (studentNo !== '' && opts.students) {
    const onRecord = opts.students.get(studentNo);
    if (onRecord === undefined) report('studentNo', 'cert.unknown_student', `学号 ${studentNo} 不在学生名单中，请先导入学生`);
    else if (onRecord.replace(/\s+/g, '') !== row.text('name').replace(/\s+/g, '')) {
      report('name', 'cert.name_mismatch', `学号 ${studentNo} 在学生名单中是「${onRecord}」，与本行「${row.text('name')}」不一致`);
    }
  }

  const kind = parseCertificateKind(row.text('kind'));
  if (kind === null) {
    report('kind', 'cert.kind', `证书类别「${row.text('kind')}」无法识别，应为 职业资格证书、职业技能等级证书 或 1+X`);
  }
  const certName = row.text('certName');
  if (certName === '') report('certName', 'cert.cert_name', '职业名称（或 1+X 证书名称）为空');

  let level: string | null = null;
  if (kind !== null) {
    level = parseLevel(kind, row.text('level'));
    if (level === null) {
      report(
        'level',
        'cert.level',
        kind === 'x'
          ? `1+X 证书等级「${row.text('level')}」无法识别，应为 初级、中级 或 高级`
          : `证书等级「${row.text('level')}」无法识别，应为 五级/初级工、四级/中级工、三级/高级工、二级/技师 或 一级/高级技师`,
      );
    }
  }

  const dateCell = row.cell('issuedOn');
  const info = dateCell.text === '' ? null : parseLooseDateInfo(rawValue(dateCell));
  let issuedOn: IsoDate | null = null;
  if (dateCell.text === '') report('issuedOn', 'cert.date_empty', '取证时间为空');
  else if (info === null) report('issuedOn', 'cert.date', `取证时间「${dateCell.text}」不是有效日期，应写成 2023-06-01`);
  else if (info.monthOnly) report('issuedOn', 'cert.date_month', `取证时间「${dateCell.text}」只有年月，持证时长按日计算，请写出具体日期，如 2023-06-01`);
  else if (compareIsoDate(info.date, today) > 0) report('issuedOn', 'cert.date_future', `取证时间 ${info.date} 晚于今天（${today}）`);
  else issuedOn = info.date;

  if (problems.length > before || kind === null || level === null || issuedOn === null) return null;
  const number = row.text('number').replace(/\s+/g, '');
  return { studentNo, kind, name: certName, level, number: number === '' ? null : number, issuedOn };
}

/**
 * The certificates in a workbook (any sheets carrying the table). The same certificate
 * listed twice is kept once; listed twice with a different number or date it is an error
 * naming both rows, because either could be the wrong one.
 */
export function readCertificates(grids: Grid[], opts: CertificateReadOptions): Result<HeldCertificate[]> {
  const located = locateTables(grids, CERTIFICATE_COLUMNS);
  if (!located.ok) return located;
  const problems: InputProblem[] = [];
  const seen = new Map<string, { cert: HeldCertificate; where: string; row: TableRow<Key> }>();
  const out: HeldCertificate[] = [];
  for (const table of located.value) {
    for (const row of dataRows(table, ['seq'])) {
      const cert = readRow(row, opts, problems);
      if (!cert) continue;
      const key = certificateKey(cert);
      const where = `工作表 ${row.grid.name} 第 ${row.row} 行`;
      const prev = seen.get(key);
      if (!prev) {
        seen.set(key, { cert, where, row });
        out.push(cert);
      } else if (prev.cert.number !== cert.number || prev.cert.issuedOn !== cert.issuedOn) {
        problems.push(
          problemAt(
            row.ref(prev.cert.issuedOn !== cert.issuedOn ? 'issuedOn' : 'number'),
            'cert.duplicate',
            `学号 ${cert.studentNo} 的「${cert.name}」${cert.level}证书与${prev.where}重复，但证书编号或取证时间不同（${prev.cert.number ?? '无编号'} ${prev.cert.issuedOn} / ${cert.number ?? '无编号'} ${cert.issuedOn}），请只保留正确的一行`,
          ),
        );
      }
    }
  }
  if (problems.length) return failed(problems);
  return ok(out);
}

/** One certificate per student, kind, name and level: the identity used to update in place. */
export function certificateKey(c: Pick<HeldCertificate, 'studentNo' | 'kind' | 'name' | 'level'>): string {
  return [c.studentNo, c.kind, normaliseKey(c.name), c.level].join('|');
}
