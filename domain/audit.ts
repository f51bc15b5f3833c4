// The words staff read for what the system records: every audit action, every
// workflow event and every status, in Chinese, in one table each. Cards, the command
// line and exports all read them from here; an action without a label does not compile
// (NewAuditEntry.action is AuditAction) and test/unit/labels.test.ts checks the rest.

export const AUDIT_ACTION_LABEL = {
  'batch.submit': '提交批次',
  'batch.resubmit': '重新提交批次',
  'batch.center_approve': '认定中心审核通过',
  'batch.center_return': '认定中心退回批次',
  'batch.office_approve': '领导小组办公室复审通过',
  'batch.office_return': '领导小组办公室退回批次',
  'batch.issue': '发证',
  'batch.export': '导出批次文件',
  'batch.material_waiver': '登记缺材料例外',
  'paper.summary': '导出学院汇总表（附件8）',
  'paper.progress': '导出任务进度（附件1）',
  'progress.view': '查看进度',
  'broadcast.confirm': '群发通知',
  'grades.upload': '上传成绩表',
  'grades.replace': '重新上传成绩表',
  'material.received': '提交材料',
  'material.accept': '材料审核通过',
  'material.reject': '退回材料',
  'filing_form.submitted': '提交审核备案表',
  'student.bind': '绑定学号',
  'student.bind.refused': '绑定被拒（学号已被他人绑定）',
  'exam.plan.create': '报送考试计划',
  'exam.plan.feeSheet': '生成考务费用结算表',
  'exam.staff.assign': '安排考务人员',
  'exam.quota.request': '申请调增考试名额',
  'exam.quota.approve': '教务处同意调增考试名额（报省推进办）',
  'exam.quota.reject': '教务处驳回调增考试名额',
  'exam.quota.province': '登记省推进办调增审批',
  'exam.adjustment.file': '提交下半年考核计划调整',
  'exam.results.import': '导入 1+X 考试结果',
  'exam.session.schedule': '发送考试通知',
  'exam.session.move': '调整考试时间',
  'exam.session.cancel': '取消考试',
  'exam.candidates.edit': '调整考生名单',
  'exam.photo.received': '提交 1+X 考试照片',
  'exam.photo_spec': '设置 1+X 照片规格',
  'exam.platform.export': '导出报名平台文件',
  'exam.papers.export': '导出考务材料',
  'exam.plan_doc.export': '导出考核实施方案',
  'exam.work_items': '修改考试组织实施工作项目',
  'campaign.open': '新建认定年度',
  'campaign.close': '关闭认定年度',
  'campaign.admit': '准予非本届学生参加认定',
  'scheme.approve': '考核方案审核通过',
  'import.schemes': '导入考核方案',
  'import.students': '导入学生名单',
  'import.certificates': '导入已取得证书',
  'import.targets': '导入任务分配表',
  'import.roles': '导入角色名单',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABEL;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABEL) as AuditAction[];

/** What an audit entry was about. */
export const AUDIT_ENTITY_LABEL: Record<string, string> = {
  batch: '批次',
  upload: '上传',
  material: '材料',
  student: '学生',
  scheme: '专业',
  exam_plan: '考试计划',
  exam_session: '考试场次',
  broadcast: '通知',
  college: '学院',
  campaign: '认定年度',
  schemes: '考核方案',
  students: '学生名单',
  certificates: '证书',
  targets: '任务分配表',
  roles: '角色名单',
};

/** A batch's workflow events (its history on the review card). */
export const BATCH_EVENT_LABEL = {
  submit: '提交',
  resubmit: '重新提交',
  center_approve: '认定中心审核通过',
  center_return: '认定中心退回',
  office_approve: '领导小组办公室复审通过',
  office_return: '领导小组办公室退回',
  issue: '发证',
} as const satisfies Record<string, string>;

export const EXAM_PLAN_STATUS_LABEL: Record<string, string> = { filed: '已报送', scheduled: '已发通知', cancelled: '已取消', done: '已结束' };
export const EXAM_SESSION_STATUS_LABEL: Record<'scheduled' | 'moved' | 'cancelled', string> = { scheduled: '已安排', moved: '时间已调整', cancelled: '已取消' };
export const UPLOAD_STATUS_LABEL: Record<'received' | 'processing' | 'accepted' | 'rejected' | 'failed', string> = {
  received: '已收到',
  processing: '计算中',
  accepted: '已通过检查',
  rejected: '有错误',
  failed: '处理失败',
};

/** The label of a recorded action; an action recorded before this table knew it shows as 其他操作 plus its code. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABEL as Record<string, string>)[action] ?? `其他操作（${action}）`;
}

/** Prefix of the operator the command line records: `cli:<login>`. */
export const CLI_OPERATOR_PREFIX = 'cli:';

/** Who did it, as a person reads it: the name; 命令行（login） for the command line; never an open_id when a name is known. */
export function operatorLabel(openId: string, name: string | null | undefined): string {
  if (openId === 'cli' || openId.startsWith(CLI_OPERATOR_PREFIX)) {
    if (name?.startsWith('命令行（')) return name;
    return `命令行（${openId.slice(CLI_OPERATOR_PREFIX.length) || '未知操作人'}）`;
  }
  return name || '未知用户';
}
