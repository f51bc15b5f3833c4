import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { buildFeatures } from '../../bot/features';
import { adjustmentRefusal, adjustmentWindow, parseAdjustment } from '../../domain/exam/adjustment-window';
import { QUOTA_FORM_TITLE } from '../../domain/exam/quota-form.xlsx';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { jobsDone } from '../support/e2e';
import { startHarness } from '../support/sim-harness';

// 调增申请表 from the plan, and the one yearly window for the second-half adjustment.

const COLLEGE = 'ou_demo_college';
const ACADEMIC = 'ou_academic';

afterAll(cleanupDatabases);

describe('the adjustment window', () => {
  it('is open in the configured month only, and names the next dates otherwise', () => {
    expect(adjustmentWindow('2024-09-01', 9)).toEqual({ open: true, from: '2024-09-01', to: '2024-09-30' });
    expect(adjustmentWindow('2024-09-30', 9).open).toBe(true);
    expect(adjustmentWindow('2024-10-01', 9)).toEqual({ open: false, from: '2025-09-01', to: '2025-09-30' });
    expect(adjustmentRefusal('2024-06-01', 9)).toBe('下半年考核计划调整（新增、调增、调减）每年只在 9 月受理，今天（2024年6月1日）不能提交；下次受理时间为 2024年9月1日 至 2024年9月30日。');
    expect(adjustmentWindow('2024-02-10', 2)).toEqual({ open: true, from: '2024-02-01', to: '2024-02-29' });
    expect(parseAdjustment(' 调减 跨境电商B2B数据运营 初级 20 人 两个班改期')).toEqual({ kind: '调减', certificate: '跨境电商B2B数据运营', level: '初级', count: 20, reason: '两个班改期' });
    expect(parseAdjustment('加 X 初级 1')).toContain('请按格式填写');
  });
});

describe.each(testDatabases())('调增 papers and the September window on $name', (db) => {
  async function harness(at: string) {
    const h = await startHarness({ databaseUrl: await db.url(), sample: true, clock: manualClock(at), features: (s) => buildFeatures(s) });
    h.sim.state.user(ACADEMIC, '教务处老师');
    await h.store.roles.upsertMany([{ openId: ACADEMIC, name: '教务处老师', role: 'academic', college: null }]);
    return h;
  }
  const textsOf = (h: Awaited<ReturnType<typeof harness>>, openId: string) =>
    h.botMessages(h.sim.state.p2pChat(openId).chatId).filter((m) => m.msgType === 'text').map((m) => (m.content as { text: string }).text);

  it('refuses an adjustment outside September with the dates, and sends one in September to 教务处', async () => {
    const june = await harness('2024-06-01T02:00:00Z');
    try {
      await june.injector.text(COLLEGE, '计划调整 调增 跨境电商B2B数据运营 初级 20 新增两个班');
      await june.settle();
      expect(textsOf(june, COLLEGE).at(-1)).toContain('每年只在 9 月受理，今天（2024年6月1日）不能提交；下次受理时间为 2024年9月1日 至 2024年9月30日');
      expect(textsOf(june, ACADEMIC)).toEqual([]);
      expect((await june.store.audit.list({ entity: 'college', limit: 5 })).filter((a) => a.action === 'exam.adjustment.file')).toEqual([]);
    } finally {
      await june.close();
    }
    const september = await harness('2024-09-10T02:00:00Z');
    try {
      const filed = await september.injector.text(COLLEGE, '计划调整 调增 跨境电商B2B数据运营 初级 20 新增两个班');
      await september.settle();
      expect(textsOf(september, COLLEGE).at(-1)).toBe('已提交下半年考核计划调整申请（调增 跨境电商B2B数据运营 初级 20 人），已送教务处。');
      // 教务处's notice was committed with the filing, keyed by the message (a resumed message stores the same job)
      expect((await september.store.jobs.list({ keyPrefix: 'exam.adjustmentFiled:' })).map((j) => j.key)).toEqual([`exam.adjustmentFiled:${filed.messageId}:${ACADEMIC}`]);
      await jobsDone(september.store, 'exam.adjustmentFiled:');
      expect(textsOf(september, ACADEMIC)).toEqual(['【下半年考核计划调整】财经学院申请调增：跨境电商B2B数据运营（初级）20 人，理由：新增两个班。']);
      const [entry] = (await september.store.audit.list({ entity: 'college', limit: 5 })).filter((a) => a.action === 'exam.adjustment.file');
      expect(entry?.detail).toMatchObject({ kind: '调增', count: 20, filedOn: '2024-09-10' });
    } finally {
      await september.close();
    }
  });

  it('generates the 调增申请表 from the plan with 教务处 and the province recorded', async () => {
    const h = await harness('2024-05-01T02:00:00Z');
    try {
      const p = await h.store.exams.createPlan({
        college: '财经学院',
        certificate: '跨境电商B2B数据运营',
        level: '初级',
        owner: COLLEGE,
        headcount: 60,
        status: 'filed',
        data: { pilotQuota: 50, place: '实训楼A', ownerName: '王老师', quotaRequest: { filedOn: '2024-04-20', headcount: 60, status: 'approved', filedBy: COLLEGE, decidedBy: ACADEMIC, decidedOn: '2024-04-22', provinceOn: '2024-04-28', provinceDocument: '豫1+X办〔2024〕12号' } },
      });
      await h.store.exams.addSession({ planId: p.id, kind: 'theory', startsAt: '2024-06-15T01:00:00.000Z', endsAt: '2024-06-15T03:00:00.000Z', place: '实训楼A', rooms: 2 });
      await h.injector.text(COLLEGE, `调增申请表 ${p.id}`);
      await h.settle();
      const [file] = h.botMessages(h.sim.state.p2pChat(COLLEGE).chatId).filter((m) => m.msgType === 'file');
      const resource = h.sim.state.resources.get((file!.content as { file_key: string }).file_key)!;
      expect(resource.fileName).toBe(`1+X计划${p.id}-跨境电商B2B数据运营初级-调增申请表.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(resource.bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.getCell('A1').value).toBe(`郑州科技学院${QUOTA_FORM_TITLE}`);
      const cells = (r: number) => ['A', 'B', 'C', 'D'].map((c) => ws.getCell(`${c}${r}`).value);
      expect(cells(2)).toEqual(['试点院部', '财经学院', '负责人', '王老师']);
      expect(cells(3)).toEqual(['证书名称', '跨境电商B2B数据运营', '证书等级', '初级']);
      expect(String(ws.getCell('B4').value)).toBe('理论知识考试 2024年6月15日 09:00');
      expect(cells(6)).toEqual(['平台批准试点人数', 50, '本次考核计划人数', 60]);
      expect(cells(7)).toEqual(['申请调增人数', 10, '调增后人数', 60]);
      expect(String(ws.getCell('B10').value)).toContain('同意调增，报省推进办审批（2024年4月22日）');
      expect(ws.getCell('A11').value).toBe('河南省1+X证书制度试点推进协调办公室审批');
      expect(String(ws.getCell('B11').value)).toContain('批准：豫1+X办〔2024〕12号（2024年4月28日）');
      expect(String(ws.getCell('B9').value)).toContain('负责人（签字）');
      expect(ws.pageSetup.paperSize).toBe(9);
      expect(ws.pageSetup.fitToHeight).toBe(1);
    } finally {
      await h.close();
    }
  });
});
