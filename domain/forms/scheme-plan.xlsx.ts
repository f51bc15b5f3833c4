// 附件2 XXX专业职业技能等级认定过程化考核实施方案, as the seed lays it out: objectives, the
// course support tables against the national standard, the theory and skill score tables,
// the conditions per level, and the technical group's signature lines. Written when the
// center approves a scheme, from the approved version.
import type ExcelJS from 'exceljs';
import { plain, sum } from '../decimal';
import { LEVEL_LABEL, PART_LABEL, type IsoDate, type Part, type Scheme } from '../model';
import { addLine, addTitle, BORDER, bufferWorkbook, FONT_NAME, HEADER_FILL, setCell, setupA4, type CellKind } from '../xlsx/layout';
import { DEFAULT_SCHOOL, isoToChinese } from '../workbook/form-meta';

const COLUMNS = 6;
const WIDTHS = [8, 22, 12, 28, 12, 12];

export interface SchemePlanMeta {
  school?: string;
  version: number;
  approvedBy: string | null;
  approvedOn: IsoDate | null;
}

/** The occupation without its family prefix: 电子商务师-跨境电子商务师 → 跨境电子商务师. */
function trade(occupation: string): string {
  return occupation.includes('-') ? occupation.slice(occupation.lastIndexOf('-') + 1) : occupation;
}

function tableRow(ws: ExcelJS.Worksheet, row: number, values: Array<string | number | null>, kinds: CellKind[] = [], header = false): void {
  const r = ws.getRow(row);
  values.forEach((v, i) => {
    const cell = r.getCell(i + 1);
    setCell(cell, v, kinds[i] ?? 'general');
    cell.border = BORDER;
    cell.font = { name: FONT_NAME, size: 11, bold: header };
    cell.alignment = { horizontal: header ? 'center' : i === 1 || i === 3 ? 'left' : 'center', vertical: 'middle', wrapText: true };
    if (header) cell.fill = HEADER_FILL;
  });
}

/** 四、专业课程支撑: 考核目标 | 相关知识要求 | 国标权重 | 课程名称 | 课程权重, one row per (area, course). */
function supportTable(ws: ExcelJS.Worksheet, row: number, scheme: Scheme, part: Part): number {
  const areas = scheme.areas.filter((a) => a.part === part);
  tableRow(ws, row++, ['考核目标', '相关知识要求', '国标权重', `《${scheme.major}专业人才培养方案》课程名称`, '课程权重', ''], [], true);
  const target = `${trade(scheme.occupation.name)}（四级）${part === 'theory' ? '理论知识' : '技能要求'}`;
  if (areas.length === 0) {
    tableRow(ws, row++, [target, '（方案未列出国家职业标准对应）', null, null, null, null]);
    return row;
  }
  for (const a of areas) {
    a.courses.forEach((c, i) => {
      tableRow(ws, row++, [target, i === 0 ? a.area : null, i === 0 ? `${plain(a.standardWeight)}%` : null, c.name, `${plain(c.weight)}%`, null]);
    });
  }
  tableRow(ws, row++, ['合计', null, `${plain(sum(areas.map((a) => a.standardWeight)))}%`, null, `${plain(sum(areas.flatMap((a) => a.courses.map((c) => c.weight))))}%`, null]);
  return row;
}

/** 五、成绩构成: 序号 | 课程名称 | 开设学期 | 课程分数 | 课程权重 | 理论（技能）分值. */
function scoreTable(ws: ExcelJS.Worksheet, row: number, scheme: Scheme, part: Part): number {
  tableRow(ws, row++, ['序号', '课程名称', '开设学期', '课程分数', '课程权重', `${PART_LABEL[part]}分值`], [], true);
  scheme[part].forEach((c, i) => {
    tableRow(ws, row++, [i + 1, c.name, c.semester, 100, `${plain(c.weight)}%`, plain(c.weight)], ['integer', 'general', 'general', 'integer', 'general', 'general']);
  });
  const total = plain(sum(scheme[part].map((c) => c.weight)));
  tableRow(ws, row++, ['合计', null, null, null, `${total}%`, total]);
  return row;
}

/** 六、取证条件, per level, in the seed's words. */
export function levelConditions(scheme: Scheme): Array<{ level: string; conditions: string[] }> {
  const marks = [`理论知识综合成绩 ${plain(scheme.passTheory)} 分（含）以上`, `技能综合成绩 ${plain(scheme.passSkill)} 分（含）以上`];
  const number = (xs: string[]) => xs.map((x, i) => `${i + 1}. ${x}`);
  if (scheme.courseCertIntegration) {
    return [{ level: LEVEL_LABEL[scheme.trainingObjective ?? 'L4'], conditions: [`课证融通：以「${scheme.integrationCourse ?? ''}」课程成绩直接认定`] }];
  }
  const l3 =
    scheme.trainingObjective === 'L3'
      ? number([...marks, '人才培养方案培养目标为三级/高级，可直接认定'])
      : number([`取得本职业或相关职业（四级/中级）职业技能证书满 ${scheme.holdingMonths} 个月`, ...marks]);
  const x = scheme.occupation.xCertificates.length ? [`取得 1+X 证书（${scheme.occupation.xCertificates.join('、')}）初级可直接认定四级/中级，中级、高级可直接认定三级/高级`] : [];
  return [
    { level: LEVEL_LABEL.L4, conditions: number(marks) },
    { level: LEVEL_LABEL.L3, conditions: [...l3, ...x] },
  ];
}

export async function writeSchemePlan(scheme: Scheme, meta: SchemePlanMeta): Promise<Buffer> {
  const school = meta.school ?? DEFAULT_SCHOOL;
  return bufferWorkbook((wb) => {
    const ws = wb.addWorksheet('附件2 实施方案');
    WIDTHS.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    setupA4(ws);
    let row = 1;
    addTitle(ws, row++, school, COLUMNS, 14);
    addTitle(ws, row++, `${scheme.major}专业职业技能等级认定过程化考核实施方案`, COLUMNS);
    addLine(ws, row++, `方案代码：${scheme.code}　第 ${meta.version} 版　${meta.approvedOn ? `认定中心审核通过：${isoToChinese(meta.approvedOn)}` : '未审核'}　${scheme.college}`, COLUMNS);
    const heading = (text: string) => addLine(ws, row++, text, COLUMNS, { bold: true });
    const para = (text: string) => {
      addLine(ws, row, text, COLUMNS);
      ws.getRow(row++).height = Math.max(20, Math.ceil(text.length / 40) * 16);
    };

    heading('一、指导思想');
    para('过程考核的目的是全面考核学生的知识、能力和综合素质，培育劳模精神、劳动精神、工匠精神，加强对所学知识的理解、掌握和应用，培养技术技能，全面提高学生职业技能素质，实现高质量就业。');
    heading('二、培养及考核目标');
    para(`${scheme.occupation.name}（四级/中级工）`);
    para(`${scheme.occupation.name}（三级/高级工）`);
    if (scheme.trainingObjective) para(`人才培养方案培养目标：${LEVEL_LABEL[scheme.trainingObjective]}`);
    heading('三、考核形式');
    para(`1. 组织实施。${trade(scheme.occupation.name)}技能等级认定技术小组依据《国家职业技能标准》，结合学校人才培养方案，通过调研、论证，形成过程化评价方案。`);
    para('2. 考核形式。采用过程化考核的评价方式自主认定：理论课程考试成绩对应专业基础课、专业课等，技能操作考核成绩对应实验课、实习（实训）课、毕业设计（论文）等。');
    para('3. 考核内容。根据考核内容拟定课程成绩册，按照成绩确定取证合格人员。');
    heading('四、专业课程支撑（参照国家职业技能标准）');
    for (const [i, part] of (['theory', 'skill'] as Part[]).entries()) {
      addLine(ws, row++, `${i + 1}. ${part === 'theory' ? '理论知识' : '技能'}支撑课程`, COLUMNS);
      row = supportTable(ws, row, scheme, part);
    }
    heading('五、成绩构成');
    for (const [i, part] of (['theory', 'skill'] as Part[]).entries()) {
      addLine(ws, row++, `（${i + 1}）${scheme.major}专业${PART_LABEL[part]}考核分值表`, COLUMNS);
      row = scoreTable(ws, row, scheme, part);
    }
    heading('六、职业技能等级认定证书取证条件');
    tableRow(ws, row++, ['工种', '等级', '同时满足以下条件', null, null, null], [], true);
    ws.mergeCells(row - 1, 3, row - 1, COLUMNS);
    for (const c of levelConditions(scheme)) {
      tableRow(ws, row, [trade(scheme.occupation.name), c.level, c.conditions.join('\n'), null, null, null]);
      ws.mergeCells(row, 3, row, COLUMNS);
      ws.getRow(row++).height = 18 * c.conditions.length + 6;
    }
    heading('七、提交资料');
    para('1. 学院提供《过程化考核理论成绩表》、《过程化考核技能成绩表》、《过程化考核综合成绩认定表》、《职业技能等级认定申报职业汇总表》；');
    para('2. 学生填写《职业技能等级认定审核备案表》一式两份，按照《（实名制台账）职业技能等级证书人员花名册》顺序排序；');
    para('3. 个人材料：身份证复印件（人像、国徽两面，在有效期内）、学生证复印件（含公章页）、已取得的职业技能证书复印件，及其扫描件（用姓名+身份证号命名）；');
    para(`4. 电子照片：${scheme.photoSpec.label}（jpg 格式），命名规则为：姓名-身份证号码；以专业为单位建压缩文件夹。`);
    row++;
    addLine(ws, row++, '职业技能等级认定技术组成员签字（不少于 5 人）：', COLUMNS, { bold: true });
    tableRow(ws, row++, ['序号', '姓名', '签字', null, null, null], [], true);
    scheme.technicalGroup.forEach((name, i) => {
      tableRow(ws, row, [i + 1, name, null, null, null, null], ['integer']);
      ws.mergeCells(row, 3, row, COLUMNS);
      ws.getRow(row++).height = 26;
    });
    row++;
    addLine(ws, row++, `${scheme.college}（盖章）：　　　　　　　年　月　日`, COLUMNS);
    addLine(ws, row++, `${school}职业技能等级认定中心（盖章）：　　　　　　　年　月　日`, COLUMNS);
    if (meta.approvedBy) addLine(ws, row++, `审核人：${meta.approvedBy}`, COLUMNS);
  });
}
