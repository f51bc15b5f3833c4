// 考核方案 workbook a college secretary fills: one row per scheme on 方案, its courses on
// 课程, and optionally the national-standard mapping on 国标对应. Every scheme goes
// through validateScheme; its problems are pinned to the cells a secretary must change.
import { normaliseCertificateLevel } from '../certificates';
import { parseScore, plain } from '../decimal';
import { validateScheme } from '../scheme-rules';
import { normaliseKey } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import { PART_LABEL, SMALL_ONE_INCH_RED, TWO_INCH_WHITE } from '../model';
import type { InputProblem, IsoDate, Level, Part, PhotoSpec, Result, Scheme, StandardArea } from '../model';
import { dataRows, failed, locateTables, ok, parseCount, problemAt, splitList } from './table';
import type { TableRow } from './table';

type SchemeKey =
  | 'seq' | 'code' | 'college' | 'major' | 'occupation' | 'objective' | 'passTheory' | 'passSkill' | 'holdingMonths'
  | 'integration' | 'integrationCourse' | 'technicalGroup' | 'related' | 'xCertificates' | 'photo';
type CourseKey = 'seq' | 'code' | 'part' | 'name' | 'semester' | 'weight';
type AreaKey = 'seq' | 'code' | 'part' | 'area' | 'standardWeight' | 'course' | 'courseWeight';

export const SCHEME_SHEETS = { schemes: ['方案', '考核方案'], courses: ['课程', '成绩构成'], areas: ['国标对应', '国标'] };

export const SCHEME_COLUMNS: HeaderSpec<SchemeKey>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'code', aliases: ['方案代码', '代码'], required: true },
  { key: 'college', aliases: ['学院', '二级学院'], required: true },
  { key: 'major', aliases: ['专业'], required: true },
  { key: 'occupation', aliases: ['职业(工种)', '申报职业', '职业'], required: true },
  { key: 'objective', aliases: ['培养目标等级', '培养目标'], required: false },
  { key: 'passTheory', aliases: ['理论合格线'], required: false },
  { key: 'passSkill', aliases: ['技能合格线'], required: false },
  { key: 'holdingMonths', aliases: ['持证期限(月)', '持证期限', '持证月数'], required: false },
  { key: 'integration', aliases: ['课证融通'], required: false },
  { key: 'integrationCourse', aliases: ['融通课程'], required: false },
  { key: 'technicalGroup', aliases: ['技术组成员', '认定技术组成员'], required: true },
  { key: 'related', aliases: ['相关职业'], required: false },
  { key: 'xCertificates', aliases: ['1+X证书', '对应1+X证书'], required: false },
  { key: 'photo', aliases: ['照片规格'], required: false },
];

export const COURSE_COLUMNS: HeaderSpec<CourseKey>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'code', aliases: ['方案代码', '代码'], required: true },
  { key: 'part', aliases: ['类别'], required: true },
  { key: 'name', aliases: ['课程名称'], required: true },
  { key: 'semester', aliases: ['开设学期'], required: true },
  { key: 'weight', aliases: ['权重(%)', '权重', '课程权重'], required: true },
];

export const AREA_COLUMNS: HeaderSpec<AreaKey>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'code', aliases: ['方案代码', '代码'], required: true },
  { key: 'part', aliases: ['类别'], required: true },
  { key: 'area', aliases: ['相关知识要求'], required: true },
  { key: 'standardWeight', aliases: ['国标权重'], required: true },
  { key: 'course', aliases: ['课程名称'], required: true },
  { key: 'courseWeight', aliases: ['课程权重'], required: true },
];

export const DEFAULT_PASS_MARK = '60';
export const DEFAULT_HOLDING_MONTHS = 12;

const PHOTO_SPECS: Array<{ words: string[]; spec: PhotoSpec }> = [
  { words: ['2寸白底', '二寸白底', '2寸白底证件照'], spec: TWO_INCH_WHITE },
  { words: ['小一寸红底', '小1寸红底', '小一寸红底证件照'], spec: SMALL_ONE_INCH_RED },
];

function parsePart(text: string): Part | null {
  const k = normaliseKey(text);
  if (k === '理论' || k === '理论知识') return 'theory';
  if (k === '技能' || k === '技能操作' || k === '技能要求') return 'skill';
  return null;
}

/** "30", "30%" or 30 → "30"; a percent-formatted cell arrives as 0.3 and is left to fail the sum. */
function parseWeight(text: string): string | null {
  const d = parseScore(text.replace(/%$/, ''));
  return d === null ? null : plain(d);
}

function parseObjective(text: string): Level | null | undefined {
  if (text === '' || text === '无') return null;
  const n = normaliseCertificateLevel(text);
  return n === 4 ? 'L4' : n === 3 ? 'L3' : undefined;
}

interface Located {
  scheme: Scheme;
  row: TableRow<SchemeKey>;
  courses: Array<{ part: Part; name: string; row: TableRow<CourseKey> }>;
  areas: Array<{ part: Part; area: string; course: string; row: TableRow<AreaKey> }>;
}

function readSchemeRow(row: TableRow<SchemeKey>, opts: SchemeReadOptions, problems: InputProblem[]): Scheme | null {
  const before = problems.length;
  const report = (key: SchemeKey, code: string, message: string) => problems.push(problemAt(row.ref(key), code, message));
  const code = row.text('code').replace(/\s+/g, '');
  if (code === '') report('code', 'scheme.code', '方案代码为空');
  else if (!/^[A-Za-z0-9_-]+$/.test(code)) report('code', 'scheme.code', `方案代码「${code}」只能用字母、数字、- 和 _（命令里要输入它，如 cbec）`);
  const collegeText = row.text('college');
  let college = collegeText;
  if (collegeText === '') report('college', 'scheme.college', '学院为空');
  else if (opts.colleges) {
    const known = opts.colleges.find((c) => normaliseKey(c) === normaliseKey(collegeText));
    if (known) college = known;
    else report('college', 'scheme.college_unknown', `学院「${collegeText}」不在学院名单中（${opts.colleges.join('、')}）`);
  }
  const major = row.text('major');
  if (major === '') report('major', 'scheme.major', '专业为空');
  const occupation = row.text('occupation');
  if (occupation === '') report('occupation', 'scheme.occupation', '职业（工种）为空');

  const objective = parseObjective(row.text('objective'));
  if (objective === undefined) report('objective', 'scheme.objective', `培养目标等级「${row.text('objective')}」应为 四级/中级、三级/高级 或留空`);

  const mark = (key: 'passTheory' | 'passSkill'): string | null => {
    const text = row.text(key);
    if (text === '') return DEFAULT_PASS_MARK;
    const d = parseScore(text);
    if (d === null) report(key, `scheme.${key}`, `合格线「${text}」应为数字，如 60`);
    return d === null ? null : plain(d);
  };
  const passTheory = mark('passTheory');
  const passSkill = mark('passSkill');

  const monthsText = row.text('holdingMonths');
  const holdingMonths = monthsText === '' ? DEFAULT_HOLDING_MONTHS : parseCount(monthsText);
  if (holdingMonths === null) report('holdingMonths', 'scheme.holding_months', `持证期限「${monthsText}」应为月数，如 12`);

  const integrationText = normaliseKey(row.text('integration'));
  const integration = integrationText === '' || integrationText === '否' ? false : integrationText === '是' ? true : null;
  if (integration === null) report('integration', 'scheme.integration', `课证融通「${row.text('integration')}」应为 是 或 否`);
  const integrationCourse = row.text('integrationCourse') || null;
  if (integration === false && integrationCourse) report('integrationCourse', 'scheme.integration_course', '不是课证融通的方案不应填写融通课程');

  const photoText = normaliseKey(row.text('photo'));
  const photo = photoText === '' ? TWO_INCH_WHITE : PHOTO_SPECS.find((p) => p.words.map(normaliseKey).includes(photoText))?.spec;
  if (!photo) report('photo', 'scheme.photo', `照片规格「${row.text('photo')}」应为 2寸白底 或 小一寸红底`);

  if (problems.length > before || objective === undefined || !passTheory || !passSkill || holdingMonths === null || integration === null || !photo) return null;
  return {
    code,
    college,
    major,
    occupation: { name: occupation, related: splitList(row.text('related')), xCertificates: splitList(row.text('xCertificates')) },
    trainingObjective: objective,
    theory: [],
    skill: [],
    areas: [],
    passTheory,
    passSkill,
    holdingMonths,
    courseCertIntegration: integration,
    integrationCourse,
    technicalGroup: splitList(row.text('technicalGroup')),
    photoSpec: photo,
  };
}

export interface SchemeReadOptions {
  today: IsoDate;
  colleges?: string[];
}

function sheetsNamed(grids: Grid[], names: string[]): Grid[] {
  return grids.filter((g) => names.map(normaliseKey).includes(normaliseKey(g.name)));
}

export function readSchemes(grids: Grid[], opts: SchemeReadOptions): Result<Scheme[]> {
  const problems: InputProblem[] = [];
  const schemeTables = locateTables(grids, SCHEME_COLUMNS, { sheetNames: SCHEME_SHEETS.schemes });
  if (!schemeTables.ok) return schemeTables;
  const byCode = new Map<string, Located>();
  const rejected = new Set<string>();
  for (const table of schemeTables.value) {
    for (const row of dataRows(table, ['seq'])) {
      const scheme = readSchemeRow(row, opts, problems);
      if (!scheme) {
        rejected.add(row.text('code').replace(/\s+/g, ''));
        continue;
      }
      const prev = byCode.get(scheme.code);
      if (prev) {
        problems.push(problemAt(row.ref('code'), 'scheme.duplicate', `方案代码 ${scheme.code} 与工作表 ${prev.row.grid.name} 第 ${prev.row.row} 行重复`));
        continue;
      }
      byCode.set(scheme.code, { scheme, row, courses: [], areas: [] });
    }
  }
  if (byCode.size === 0 && problems.length === 0) {
    return failed([{ code: 'scheme.none', sheet: schemeTables.value[0]?.grid.name, message: '工作表“方案”中没有方案' }]);
  }

  const owner = (code: string, ref: TableRow<'code'>, label: string): Located | null => {
    const found = byCode.get(code);
    // a scheme row that was itself wrong is already reported; don't pile on its courses
    if (!found && !(code !== '' && rejected.has(code))) {
      problems.push(problemAt(ref.ref('code'), 'scheme.unknown_code', code === '' ? `${label}的方案代码为空` : `方案代码「${code}」在工作表“方案”中不存在`));
    }
    return found ?? null;
  };

  const courseGrids = sheetsNamed(grids, SCHEME_SHEETS.courses);
  if (courseGrids.length === 0) {
    if ([...byCode.values()].some((l) => !l.scheme.courseCertIntegration)) {
      problems.push({ code: 'scheme.no_course_sheet', sheet: schemeTables.value[0]!.grid.name, row: 1, column: 'A', message: '缺少工作表“课程”：非课证融通的方案需要列出理论和技能课程及权重' });
    }
  } else {
    const courseTables = locateTables(grids, COURSE_COLUMNS, { sheetNames: SCHEME_SHEETS.courses });
    if (!courseTables.ok) problems.push(...courseTables.problems);
    else {
      for (const table of courseTables.value) {
        for (const row of dataRows(table, ['seq'])) {
          const before = problems.length;
          const l = owner(row.text('code').replace(/\s+/g, ''), row as TableRow<'code'>, '课程');
          const part = parsePart(row.text('part'));
          if (!part) problems.push(problemAt(row.ref('part'), 'scheme.part', `类别「${row.text('part')}」应为 理论 或 技能`));
          const name = row.text('name');
          if (name === '') problems.push(problemAt(row.ref('name'), 'scheme.course_name', '课程名称为空'));
          const semester = row.text('semester');
          if (semester === '') problems.push(problemAt(row.ref('semester'), 'scheme.semester', '开设学期为空，如 第二学期'));
          const weight = parseWeight(row.text('weight'));
          if (weight === null) problems.push(problemAt(row.ref('weight'), 'scheme.weight', `权重「${row.text('weight')}」应为百分数，如 30`));
          if (problems.length > before || !l || !part || weight === null) continue;
          l.scheme[part].push({ name, semester, weight });
          l.courses.push({ part, name, row });
        }
      }
    }
  }

  const areaTables = sheetsNamed(grids, SCHEME_SHEETS.areas).length ? locateTables(grids, AREA_COLUMNS, { sheetNames: SCHEME_SHEETS.areas }) : null;
  if (areaTables && !areaTables.ok) problems.push(...areaTables.problems);
  else if (areaTables?.ok) {
    for (const table of areaTables.value) {
      let current: { l: Located; area: StandardArea } | null = null;
      for (const row of dataRows(table, ['seq'])) {
        const before = problems.length;
        const continues = row.text('area') === '' && row.text('standardWeight') === '';
        const codeText = row.text('code').replace(/\s+/g, '');
        const partText = row.text('part');
        if (continues) {
          // the seed's layout merges 相关知识要求/国标权重 over the courses serving one area
          if (!current) {
            problems.push(problemAt(row.ref('area'), 'scheme.area_name', '相关知识要求为空'));
            continue;
          }
          if ((codeText !== '' && codeText !== current.l.scheme.code) || (partText !== '' && parsePart(partText) !== current.area.part)) {
            problems.push(problemAt(row.ref('area'), 'scheme.area_name', '相关知识要求为空（与上一行的方案代码或类别不同，不能视为同一项）'));
            continue;
          }
        } else {
          const l = owner(codeText, row as TableRow<'code'>, '国标对应');
          const part = parsePart(partText);
          if (!part) problems.push(problemAt(row.ref('part'), 'scheme.part', `类别「${partText}」应为 理论 或 技能`));
          if (row.text('area') === '') problems.push(problemAt(row.ref('area'), 'scheme.area_name', '相关知识要求为空'));
          const standardWeight = parseWeight(row.text('standardWeight'));
          if (standardWeight === null) problems.push(problemAt(row.ref('standardWeight'), 'scheme.area_weight', `国标权重「${row.text('standardWeight')}」应为百分数，如 25`));
          if (problems.length > before || !l || !part || standardWeight === null) {
            current = null;
            continue;
          }
          const area: StandardArea = { part, area: row.text('area'), standardWeight, courses: [] };
          l.scheme.areas.push(area);
          current = { l, area };
        }
        const course = row.text('course');
        if (course === '') problems.push(problemAt(row.ref('course'), 'scheme.area_course', '课程名称为空'));
        const weight = parseWeight(row.text('courseWeight'));
        if (weight === null) problems.push(problemAt(row.ref('courseWeight'), 'scheme.area_course_weight', `课程权重「${row.text('courseWeight')}」应为百分数，如 10`));
        if (problems.length > before || weight === null) continue;
        current.area.courses.push({ name: course, weight });
        current.l.areas.push({ part: current.area.part, area: current.area.area, course, row });
      }
    }
  }

  if (problems.length) return failed(problems);
  for (const l of byCode.values()) {
    for (const p of validateScheme(l.scheme)) problems.push(pin(p, l));
  }
  if (problems.length) return failed(problems);
  return ok([...byCode.values()].map((l) => l.scheme));
}

/** Puts a validateScheme problem on the cell to change, prefixed with the scheme's code. */
function pin(p: InputProblem, l: Located): InputProblem {
  const part: Part | null = /theory/.test(p.code) ? 'theory' : /skill/.test(p.code) ? 'skill'
    : p.message.startsWith(PART_LABEL.theory) ? 'theory' : p.message.startsWith(PART_LABEL.skill) ? 'skill' : null;
  const quoted = [...p.message.matchAll(/「([^」]*)」/g)].map((m) => m[1]!);
  const courses = l.courses.filter((c) => c.part === part);
  const areas = l.areas.filter((a) => a.part === part);
  const courseRow = (name: string | undefined) => courses.findLast((c) => normaliseKey(c.name) === normaliseKey(name ?? ''))?.row;
  const at = (ref: { sheet: string; row: number; column: string }) => ({ ...p, ...ref, message: `方案 ${l.scheme.code}：${p.message}` });
  const onScheme = (key: SchemeKey) => at(l.row.ref(key));

  switch (p.code) {
    case 'scheme.theory_sum':
    case 'scheme.skill_sum': {
      const last = courses.at(-1);
      return last ? at(last.row.ref('weight')) : onScheme('code');
    }
    case 'scheme.weight':
    case 'scheme.duplicate_course':
    case 'scheme.area_mismatch': {
      const row = courseRow(quoted[0]);
      return row ? at(row.ref(p.code === 'scheme.duplicate_course' ? 'name' : 'weight')) : onScheme('code');
    }
    case 'scheme.area_weight':
    case 'scheme.area_no_course':
    case 'scheme.area_courses_sum':
    case 'scheme.area_course_weight':
    case 'scheme.area_sum':
    case 'scheme.area_course_unknown': {
      const rows = p.code === 'scheme.area_sum' ? areas
        : p.code === 'scheme.area_course_unknown' ? areas.filter((a) => normaliseKey(a.course) === normaliseKey(quoted[0] ?? ''))
        : areas.filter((a) => a.area === quoted[0]);
      const hit = p.code === 'scheme.area_course_weight' ? rows.find((a) => a.course === quoted[1]) : rows.at(-1);
      if (!hit) return onScheme('code');
      const column: AreaKey = p.code === 'scheme.area_sum' || p.code === 'scheme.area_weight' ? 'standardWeight'
        : p.code === 'scheme.area_course_unknown' ? 'course' : 'courseWeight';
      return at(hit.row.ref(column));
    }
    case 'scheme.pass_theory':
      return onScheme('passTheory');
    case 'scheme.pass_skill':
      return onScheme('passSkill');
    case 'scheme.holding_months':
      return onScheme('holdingMonths');
    case 'scheme.technical_group':
      return onScheme('technicalGroup');
    case 'scheme.integration_course':
      return onScheme(l.row.has('integrationCourse') ? 'integrationCourse' : 'integration');
    case 'scheme.occupation':
      return onScheme('occupation');
    default:
      return onScheme('code');
  }
}
