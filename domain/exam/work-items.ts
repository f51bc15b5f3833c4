// 考试组织实施 (seed 004 附件2 四.2(3)): the work of 考前, 考中 and 考后, each item with what
// it involves and who is responsible. The defaults restate seed 004 六.2–4, 七 and 十 with
// owners taken from the plan's team; a college edits the list by sending it back as a
// workbook (the same columns), read here with the shared forgiving table walk.
import { normaliseKey } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import type { InputProblem, Result } from '../model';
import { dataRows, failed, locateTables, ok, problemAt } from '../imports/table';

export const STAGES = ['考前', '考中', '考后'] as const;
export type Stage = (typeof STAGES)[number];

export interface WorkItem {
  stage: Stage;
  /** 工作项目 */
  item: string;
  /** 具体工作内容 */
  content: string;
  /** 负责人 */
  owner: string;
}

export interface TeamNames {
  /** the plan's 负责人 */
  owner: string;
  chief: string[];
  inspector: string[];
  invigilators: string[];
  examStaff: string[];
}

const first = (names: string[], fallback: string) => names.filter(Boolean).join('、') || fallback;

export function defaultWorkItems(t: TeamNames): WorkItem[] {
  const owner = t.owner || '试点院部证书考试负责人';
  const staff = first(t.examStaff, owner);
  const chief = first(t.chief, owner);
  const invigilators = first(t.invigilators, '监考员');
  return [
    { stage: '考前', item: '报名及信息采集', content: '组织考生报名，填写《学生信息表》，收集标准小一寸红底电子照片，上传信息平台', owner: staff },
    { stage: '考前', item: '编制考场', content: '根据考试规模和方式编制考场，在信息平台填写考场及监考人员信息', owner },
    { stage: '考前', item: '报考与排考', content: '填写《报考学生信息表》并在信息平台报考；培训评价组织确认考场和监考后排考', owner: staff },
    { stage: '考前', item: '打印并发放考试材料', content: '导出排考信息，打印考场签到表、准考证，准考证发放到考生，通知考生按时参加考核', owner: staff },
    { stage: '考前', item: '考场布置与技术保障', content: '按培训评价组织要求布置考场；理论上机考场准备机房系统、网络、监控、身份识别；实操考场准备耗材和评分表', owner: staff },
    { stage: '考前', item: '考前预备会', content: '组织考评员、监考和考务人员召开考前预备会，提出考评纪律及监考要求，明确分工', owner: chief },
    { stage: '考中', item: '身份核验与签到', content: '核对准考证、身份证件与照片，考生在考场签到表上签名', owner: invigilators },
    { stage: '考中', item: '监考与考场秩序', content: '维持考场秩序，防止作弊，处理考场突发情况并记录', owner: invigilators },
    { stage: '考中', item: '主考与巡考', content: '主持考点考试，指导监考规范工作；巡视、督导考试过程', owner: [chief, first(t.inspector, '')].filter(Boolean).join('、') },
    { stage: '考中', item: '考试技术保障', content: '保障机房、网络、设备和电力正常运行，处理设备故障', owner: staff },
    { stage: '考后', item: '上传考试结果', content: '上机考试结束后按要求实时上传考试结果；实操考试结果经考评员签字确认后上报培训评价组织', owner: invigilators },
    { stage: '考后', item: '资料归档', content: '签到表、考试记录、考评员和督导员派遣函等签字文件留存纸质和电子档案，考试视频保存备查', owner: staff },
    { stage: '考后', item: '考务费用结算', content: '按考务费用结算表核算发放考务费用，提供协议、考核学生信息和发票报账', owner },
  ];
}

type Key = 'seq' | 'stage' | 'item' | 'content' | 'owner';

export const WORK_ITEM_COLUMNS: HeaderSpec<Key>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'stage', aliases: ['阶段', '考试阶段'], required: true },
  { key: 'item', aliases: ['工作项目', '项目'], required: true },
  { key: 'content', aliases: ['具体工作内容', '工作内容', '内容'], required: false },
  { key: 'owner', aliases: ['负责人', '具体工作负责人'], required: true },
];

/** The edited work items, all-or-nothing: a bad row is reported with its cell and nothing is taken. */
export function readWorkItems(grids: Grid[]): Result<WorkItem[]> {
  const located = locateTables(grids, WORK_ITEM_COLUMNS);
  if (!located.ok) return located;
  const problems: InputProblem[] = [];
  const out: WorkItem[] = [];
  for (const table of located.value) {
    for (const row of dataRows(table, ['seq'])) {
      const stage = STAGES.find((s) => normaliseKey(s) === normaliseKey(row.text('stage').replace(/阶段$/, '')));
      if (!stage) problems.push(problemAt(row.ref('stage'), 'work.stage', `阶段「${row.text('stage')}」应为 考前、考中 或 考后`));
      if (!row.text('item')) problems.push(problemAt(row.ref('item'), 'work.item', '工作项目为空'));
      if (!row.text('owner')) problems.push(problemAt(row.ref('owner'), 'work.owner', '负责人为空：每项工作都要有负责人'));
      if (stage && row.text('item') && row.text('owner')) out.push({ stage, item: row.text('item'), content: row.text('content'), owner: row.text('owner') });
    }
  }
  if (problems.length) return failed(problems);
  if (out.length === 0) return failed([{ code: 'work.empty', message: '表中没有工作项目' }]);
  const missing = STAGES.filter((s) => !out.some((w) => w.stage === s));
  if (missing.length) return failed([{ code: 'work.stage_missing', message: `缺少${missing.join('、')}阶段的工作项目` }]);
  return ok(STAGES.flatMap((s) => out.filter((w) => w.stage === s)));
}
