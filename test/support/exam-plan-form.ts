// A 考试计划 form as a college fills it in correctly (Beijing dates as the date picker answers them).
export const PLAN_FORM: Record<string, string> = {
  certificate: '网店运营推广',
  level: '中级',
  owner: '王老师',
  classes: '电子商务2001班',
  theoryDate: '2024-05-18 +0800',
  theoryTime: '09:00',
  practicalDate: '2024-05-18 +0800',
  practicalTime: '14:00',
  place: '实训楼A301',
  rooms: '1',
  roomNeeds: '机房需安装考试客户端',
  pilotQuota: '50',
  assessorOrg: '中教畅享（北京）科技有限公司',
  agreementStart: '2024-01-01',
  agreementEnd: '2025-12-31',
};
