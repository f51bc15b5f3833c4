// Blank import workbooks for admins and college secretaries: the headers each reader
// expects, one filled example row (the seed's 跨境电子商务 scheme and its people), and a
// 说明 sheet saying for every column whether it is required and what it may hold.
import ExcelJS from 'exceljs';
import { idCheckDigit } from '../id-number';
import type { Scheme } from '../model';
import { CBEC_SCHEME } from '../samples/cbec.scheme';
import { EXAMPLE_CODE_PREFIX } from '../scheme-review';

// the example rows copy the seed's scheme under a code no real scheme can have
const EXAMPLE_SCHEME = { ...CBEC_SCHEME, code: `${EXAMPLE_CODE_PREFIX}-cbec` };
import { addTableSheet, bufferWorkbook } from '../xlsx/layout';
import type { CellKind } from '../xlsx/layout';

export const IMPORT_KINDS = ['schemes', 'students', 'certificates', 'targets', 'roles'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_KIND_LABEL: Record<ImportKind, string> = {
  schemes: '考核方案',
  students: '学生名单',
  certificates: '已取得证书',
  targets: '任务分配表',
  roles: '角色名单',
};

export function isImportKind(s: string): s is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(s);
}

type Value = string | number | null;

interface TemplateColumn {
  header: string;
  group?: string;
  required: boolean;
  note: string;
  kind?: CellKind;
  width?: number;
}

interface TemplateSheet {
  name: string;
  title: string;
  columns: TemplateColumn[];
  rows: Value[][];
}

/** The seed's demo student: a valid ID (check digit computed), born 2002-03-15, male. */
export const EXAMPLE_ID_NUMBER = (() => {
  const first17 = '41010520020315271';
  return first17 + idCheckDigit(first17);
})();

function required(header: string, width: number, note = '', kind: CellKind = 'text'): TemplateColumn {
  return { header, required: true, note, kind, width };
}

function optional(header: string, width: number, note = '', kind: CellKind = 'text'): TemplateColumn {
  return { header, required: false, note, kind, width };
}

const SEQ = optional('序号', 6, '可有可无，导入时忽略', 'integer');

const STUDENTS: TemplateSheet[] = [
  {
    name: '学生',
    title: '学生名单',
    columns: [
      SEQ,
      required('学号', 14, '文本格式，不能重复'),
      required('姓名', 10),
      required('身份证号', 22, '18 位，文本格式（不要让 Excel 变成 4.10105E+17）；出生日期和性别从身份证号读取'),
      optional('性别', 6, '男 / 女；填写时必须与身份证号一致'),
      required('学院', 16, '与系统中的学院名称一致，如 财经学院'),
      required('专业', 16, '如 电子商务'),
      optional('班级', 14),
      required('入学年份', 10, '如 2020 或 2020级（也可把列名写成“年级”）'),
      required('层次', 8, '本科 / 专科'),
      optional('联系电话', 15, '文本格式；11 位手机号，或带区号的固定电话如 0371-12345678'),
      optional('民族', 8, '如 汉族'),
    ],
    rows: [[1, '2020010101', '张三', EXAMPLE_ID_NUMBER, '男', '财经学院', '电子商务', '电商2001', '2020级', '本科', '13800138000', '汉族']],
  },
];

const CERTIFICATES: TemplateSheet[] = [
  {
    name: '证书',
    title: '已取得证书名单',
    columns: [
      SEQ,
      required('学号', 14, '文本格式'),
      required('姓名', 10),
      required('证书类别', 16, '职业资格证书 / 职业技能等级证书 / 1+X'),
      required('职业名称', 24, '职业（工种）名称；1+X 证书填证书名称（列名也可写“证书名称”）'),
      required('等级', 12, '1+X：初级 / 中级 / 高级；其他：五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师'),
      optional('证书编号', 20, '文本格式'),
      required('取证时间', 12, '发证日期，如 2023-06-01（也可写 2023/6/1、2023.06.01 或 Excel 日期）；不能晚于导入当天'),
    ],
    rows: [[1, '2020010101', '张三', '1+X', '跨境电子商务多平台运营', '初级', '2023410001000123', '2023-06-01']],
  },
];

const TARGETS: TemplateSheet[] = [
  {
    name: '任务分配表',
    title: '各学院职业技能等级认定任务分配表',
    columns: [
      SEQ,
      optional('年度', 8, '如 2024；不填时用命令的 --year，默认当前认定年度', 'integer'),
      required('院（系）', 20, '与系统中的学院名称一致'),
      required('毕业生人数', 10, '不小于 0 的整数', 'integer'),
      required('培训任务（人次）', 10, '不小于 0 的整数', 'integer'),
      { ...required('总计', 10, '取证人数总计，不小于 0 的整数（也可写成一列“取证人数总计”）', 'integer'), group: '取证人数（人）' },
      { ...required('其中高级及以上', 10, '不能多于总计', 'integer'), group: '取证人数（人）' },
      optional('1+X 证书取证人数（人）', 12, '没有 1+X 任务的学院留空', 'integer'),
    ],
    rows: [[1, 2024, '财经学院', 1704, 1363, 1159, 927, 433]],
  },
];

const ROLES: TemplateSheet[] = [
  {
    name: '角色',
    title: '角色名单',
    columns: [
      SEQ,
      required('open_id', 40, '飞书用户的 open_id，以 ou_ 开头'),
      required('姓名', 10),
      required('角色', 16, '学生 / 学院 / 认定中心 / 领导小组办公室 / 管理员'),
      optional('学院', 16, '角色为“学院”时必填，且须是系统中的学院；其他角色留空'),
    ],
    rows: [[1, 'ou_7d8a6e6df7621556ce0d21922b676706', '李老师', '学院', '财经学院']],
  },
];

const PART_LABEL = { theory: '理论', skill: '技能' } as const;

/** 课程 rows from the seed's scheme; weights as numbers, as a secretary would type them. */
function courseRows(scheme: Scheme): Value[][] {
  return (['theory', 'skill'] as const).flatMap((part) =>
    scheme[part].map((c) => [scheme.code, PART_LABEL[part], c.name, c.semester, Number(c.weight)]),
  );
}

/** 国标对应 rows: an area served by several courses names itself and its weight on the first row only. */
function areaRows(scheme: Scheme): Value[][] {
  return scheme.areas.flatMap((a) =>
    a.courses.map((c, i) => [
      scheme.code,
      PART_LABEL[a.part],
      i === 0 ? a.area : null,
      i === 0 ? Number(a.standardWeight) : null,
      c.name,
      Number(c.weight),
    ]),
  );
}

const SCHEMES: TemplateSheet[] = [
  {
    name: '方案',
    title: '职业技能等级认定过程化考核方案',
    columns: [
      required('方案代码', 10, `字母、数字、- 或 _，如 cbec；命令和其他工作表用它指代方案。示例行的代码以 ${EXAMPLE_CODE_PREFIX} 开头，不会与真实方案重名；请改成本专业自己的代码`),
      required('学院', 12, '与系统中的学院名称一致'),
      required('专业', 12),
      required('职业（工种）', 24, '如 电子商务师-跨境电子商务师'),
      optional('培养目标等级', 12, '四级/中级、三级/高级，或留空（无培养目标等级）'),
      optional('理论合格线', 10, '60 到 100，留空为 60', 'general'),
      optional('技能合格线', 10, '60 到 100，留空为 60', 'general'),
      optional('持证期限（月）', 10, '申报三级/高级时已持证书须满的月数，留空为 12', 'integer'),
      optional('课证融通', 8, '是 / 否，留空为 否；“是”时由融通课程成绩直接认定，不需要课程权重'),
      optional('融通课程', 14, '课证融通为“是”时必填'),
      required('技术组成员', 30, '认定技术组成员姓名，用 、 或 , 分隔，不少于 5 人'),
      optional('相关职业', 20, '其证书可按“本职业或相关职业”计算的职业，用 、 分隔'),
      optional('1+X证书', 24, '对应本职业的 1+X 证书名称，用 、 分隔'),
      optional('照片规格', 12, '2寸白底 / 小一寸红底，留空为 2寸白底'),
    ],
    rows: [
      [EXAMPLE_SCHEME.code, '财经学院', '电子商务', '电子商务师-跨境电子商务师', '三级/高级', 60, 60, 12, '否', null, '王一、李二、张三、赵四、刘五', '电子商务师', '跨境电子商务多平台运营', '2寸白底'],
    ],
  },
  {
    name: '课程',
    title: '成绩构成（理论、技能课程及权重）',
    columns: [
      required('方案代码', 10, '与工作表“方案”中的方案代码一致'),
      required('类别', 8, '理论 / 技能'),
      required('课程名称', 28, '与成绩单中的课程名称一致；同一课程可同时出现在理论和技能中'),
      required('开设学期', 10, '如 第二学期'),
      required('权重（%）', 10, '百分数，填 30 表示 30%；每个方案的理论、技能课程权重各自合计 100', 'general'),
    ],
    rows: courseRows(EXAMPLE_SCHEME),
  },
  {
    name: '国标对应',
    title: '国家职业标准对应（可选）',
    columns: [
      required('方案代码', 10, '可选工作表，不需要时整张删除'),
      required('类别', 8, '理论 / 技能'),
      required('相关知识要求', 20, '国家职业标准中的知识（技能）要求；同一要求由多门课程支撑时，后续行的本列和国标权重留空'),
      required('国标权重', 10, '百分数；每类合计 100', 'general'),
      required('课程名称', 28, '须出现在工作表“课程”的同类别中'),
      required('课程权重', 10, '同一要求下各课程权重之和等于国标权重；一门课程在各要求中的权重之和等于它在“课程”中的权重', 'general'),
    ],
    rows: areaRows(EXAMPLE_SCHEME),
  },
];

const TEMPLATES: Record<ImportKind, TemplateSheet[]> = {
  schemes: SCHEMES,
  students: STUDENTS,
  certificates: CERTIFICATES,
  targets: TARGETS,
  roles: ROLES,
};

function addNotes(wb: ExcelJS.Workbook, kind: ImportKind, sheets: TemplateSheet[]): void {
  const rows = sheets.flatMap((s) =>
    s.columns.map((c) => ({ sheet: s.name, header: c.group ? `${c.group} — ${c.header}` : c.header, required: c.required ? '必填' : '选填', note: c.note })),
  );
  addTableSheet(wb, {
    name: '说明',
    title: `${IMPORT_KIND_LABEL[kind]}导入模板 填写说明`,
    columns: [
      { header: '工作表', width: 12, kind: 'text', value: (r) => r.sheet },
      { header: '列名', width: 24, kind: 'text', value: (r) => r.header },
      { header: '是否必填', width: 10, kind: 'text', value: (r) => r.required },
      { header: '填写要求', width: 70, kind: 'text', value: (r) => r.note },
    ],
    rows,
    notes: [
      '表头可以在前 20 行内任意一行；标题行、序号列、空行和末尾的合计/签字行会被忽略。',
      '导入是整体生效的：只要有一处错误，整个文件都不会导入，并会列出每个问题所在的工作表、行和列。',
      '同一文件重复导入不会重复写入；修改某一行后重新导入，会更新对应记录。',
      '示例行可以直接删除或覆盖。',
    ],
  });
}

/** The import template for `kind`; every template imports cleanly through its own reader. */
export async function writeTemplate(kind: ImportKind): Promise<Buffer> {
  const sheets = TEMPLATES[kind];
  return bufferWorkbook((wb) => {
    for (const s of sheets) {
      addTableSheet(wb, {
        name: s.name,
        title: s.title,
        columns: s.columns.map((c, i) => ({
          header: c.header,
          group: c.group,
          width: c.width ?? 12,
          kind: c.kind,
          value: (row: Value[]) => row[i],
        })),
        rows: s.rows,
      });
    }
    addNotes(wb, kind, sheets);
  });
}
