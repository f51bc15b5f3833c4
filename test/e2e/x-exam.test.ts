import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { buildFeatures } from '../../bot/features';
import { sampleStudents } from '../../db/sample';
import { REGISTRATION_LAYOUT, STUDENT_INFO_LAYOUT } from '../../domain/exam/platform-layouts';
import { portraitJpeg } from '../unit/materials/photo-fixtures';
import { chatOf } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';
import { zipEntry } from '../support/zip';
import { xlsx } from '../support/workbooks';
import { runXcert } from '../../bot/cli/xcert.command';
import { drain } from '../../bot/jobs/runner';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A 1+X plan in chat: the college lists and edits the candidates, a student sends the 1+X
// photo (checked against the certificate's spec), the college gets the platform's import
// files and the exam papers with the photo embedded.

const COLLEGE = 'ou_demo_college';
const STUDENT = 'ou_demo_student_1';
const CERT = '跨境电商B2B数据运营';

afterAll(cleanupDatabases);

describe.each(testDatabases())('1+X candidates and exam papers on $name', (db) => {
  let h: Harness;
  harnessEach(async () => (h = await startHarness({ databaseUrl: await db.url(), sample: true, clock: manualClock('2024-06-01T02:00:00Z'), features: (s) => buildFeatures(s) })));

  const texts = (openId: string) => h.botMessages(chatOf(h, openId)).filter((m) => m.msgType === 'text').map((m) => (m.content as { text: string }).text);
  const files = (openId: string) =>
    h.botMessages(chatOf(h, openId))
      .filter((m) => m.msgType === 'file')
      .map((m) => h.sim.state.resources.get((m.content as { file_key: string }).file_key)!);
  async function say(openId: string, text: string) {
    await h.injector.text(openId, text);
    await h.settle();
  }
  async function load(bytes: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb;
  }

  async function plan() {
    const students = sampleStudents();
    const p = await h.store.exams.createPlan({ college: '财经学院', certificate: CERT, level: '初级', owner: COLLEGE, headcount: 4, status: 'filed', data: { place: '实训楼A', physicalRooms: 1 } });
    await h.store.exams.setCandidates(p.id, students.slice(0, 4).map((s) => ({ studentNo: s.studentNo, attempt: 1 })));
    await h.store.exams.addSession({ planId: p.id, kind: 'theory', startsAt: '2024-06-15T01:00:00.000Z', endsAt: '2024-06-15T03:00:00.000Z', place: '实训楼A', rooms: 1 });
    await h.store.exams.addSession({ planId: p.id, kind: 'practical', startsAt: '2024-06-15T06:00:00.000Z', endsAt: '2024-06-15T08:00:00.000Z', place: '实训楼A', rooms: 1 });
    return { p, students };
  }

  it('from candidates and photos to the platform files, 准考证 and 签到表', async () => {
    const { p, students } = await plan();
    const me = students[0]!;

    // the college edits the list: one removed, one added; a stranger is refused
    await say(COLLEGE, `考生 ${p.id} 删除 ${students[3]!.studentNo}`);
    await say(COLLEGE, `考生 ${p.id} 增加 ${students[5]!.studentNo}`);
    await say(COLLEGE, `考生 ${p.id} 增加 2099999999`);
    expect(texts(COLLEGE).slice(-3)).toEqual([
      '已更新考生名单：增加 0 人，删除 1 人，现有 3 人。',
      '已更新考生名单：增加 1 人，删除 0 人，现有 4 人。',
      '考生名单未修改：学号 2099999999 不在学生名册中。',
    ]);

    // the student's photo: a white one is refused and nothing kept, a red one to spec is kept
    await say(STUDENT, '1+X照片');
    expect(texts(STUDENT).at(-1)).toContain(`${CERT}（初级）考试用的照片：小一寸红底证件照`);
    await h.injector.image(STUDENT, await portraitJpeg({ width: 260, height: 378, background: [250, 250, 250], noise: 0.4, quality: 80 }));
    await h.settle();
    expect(texts(STUDENT).at(-1)).toMatch(/^❌ 1\+X 照片未通过检查，未保存：[\s\S]*背景不是红色/);
    expect((await h.store.examPhotos.latestForPlan(p.id)).size).toBe(0);
    await say(STUDENT, '1+X照片');
    const red = await portraitJpeg({ width: 260, height: 378, background: [220, 20, 30], noise: 0.4, quality: 80 });
    await h.injector.image(STUDENT, red);
    await h.settle();
    expect(texts(STUDENT).at(-1)).toBe(`✅ 已收到你的 1+X 考试照片（${CERT} 初级，第 1 版），将用于报名和准考证。`);
    // and it did not become the certification photo
    expect((await h.store.materials.latest(me.studentNo)).photo).toBeUndefined();

    await say(COLLEGE, `考生 ${p.id}`);
    expect(texts(COLLEGE).at(-1)).toContain('已交 1+X 照片 1 人；未交 3 人');

    // platform files: the import layouts, the photo named by ID number
    await say(COLLEGE, `报名表 ${p.id}`);
    const platform = files(COLLEGE);
    expect(platform.map((f) => f.fileName)).toEqual([
      `1+X计划${p.id}-${CERT}初级-学生信息表.xlsx`,
      `1+X计划${p.id}-${CERT}初级-报考学生信息表.xlsx`,
      `1+X计划${p.id}-${CERT}初级-考生照片.zip`,
    ]);
    const info = (await load(platform[0]!.bytes)).worksheets[0]!;
    expect(info.name).toBe(STUDENT_INFO_LAYOUT.sheet);
    expect((info.getRow(1).values as unknown[]).slice(1)).toEqual(STUDENT_INFO_LAYOUT.columns.map((c) => c.header));
    const kept = [students[0]!, students[1]!, students[2]!, students[5]!];
    expect([2, 3, 4, 5].map((r) => info.getRow(r).getCell(13).value)).toEqual(kept.map((s) => s.studentNo));
    expect(info.getRow(2).getCell(4).value).toBe(me.idNumber);
    expect(info.getRow(2).getCell(4).numFmt).toBe('@');
    const reg = (await load(platform[1]!.bytes)).worksheets[0]!;
    expect((reg.getRow(1).values as unknown[]).slice(1)).toEqual(REGISTRATION_LAYOUT.columns.map((c) => c.header));
    expect((reg.getRow(2).values as unknown[]).slice(1)).toEqual([1, me.idNumber, me.name, CERT, '初级', `计划${p.id}`, '郑州科技学院', '首次报考']);
    expect((await zipEntry(platform[2]!.bytes, `${me.idNumber}.jpg`)).equals(red)).toBe(true);
    expect(texts(COLLEGE).at(-1)).toContain('3 名考生还没有提交 1+X 照片');

    // exam papers
    await say(COLLEGE, `准考证 ${p.id}`);
    const papers = files(COLLEGE).slice(3);
    expect(papers.map((f) => f.fileName)).toEqual([
      `1+X计划${p.id}-${CERT}初级-准考证.xlsx`,
      `1+X计划${p.id}-${CERT}初级-考场签到表.xlsx`,
      `1+X计划${p.id}-${CERT}初级-考场门贴.xlsx`,
    ]);
    const tickets = (await load(papers[0]!.bytes)).worksheets[0]!;
    expect(tickets.getCell('E2').value).toBe(me.name);
    expect(tickets.getCell('B5').value).toBe('实训楼A 第1考场');
    expect(tickets.getCell('C7').value).toBe('2024.06.15');
    expect(tickets.getCell('D7').value).toBe('09:00–11:00');
    expect(tickets.getCell('D8').value).toBe('14:00–16:00');
    expect(tickets.getImages()).toHaveLength(1);
    const signIn = await load(papers[1]!.bytes);
    expect(signIn.worksheets.map((w) => w.name)).toEqual(['理论1考场-实训楼A 第1考场', '实操1考场-实训楼A 第1考场']);
    expect(signIn.worksheets[1]!.getImages()).toHaveLength(1);
    expect(texts(COLLEGE).at(-1)).toContain('4 名考生分入 1 个考场');

    // the 考核实施方案, with an owner changed by chat words
    await say(COLLEGE, `负责人 ${p.id} 考前预备会 孙校长`);
    expect(texts(COLLEGE).at(-1)).toBe(`已把「考前预备会」的负责人改为 孙校长。发送“实施方案 ${p.id}”获取更新后的方案。`);
    await say(COLLEGE, `实施方案 ${p.id}`);
    const doc = files(COLLEGE).at(-1)!;
    expect(doc.fileName).toBe(`1+X计划${p.id}-${CERT}初级-考核实施方案.xlsx`);
    const docWb = await load(doc.bytes);
    expect(docWb.worksheets.map((w) => w.name)).toEqual(['实施方案', '一、考核时间地点', '二、考务人员', '三、考试组织实施', '四、考务费用']);
  });

  it('imports the results: every sitting recorded, the pass held as a certificate and told in chat, a retake decided from a recorded failure', async () => {
    const { p, students } = await plan();
    const [passer, failer, absentee, missing] = students;
    const dir = mkdtempSync(join(tmpdir(), 'x-results-'));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (x: string) => void out.push(x), err: (x: string) => void err.push(x) };
    const config = { schoolName: '郑州科技学院', storageDir: dir };
    const header = ['序号', '证件号码 ', '姓名', '证书名称', '等级', '成绩', '是否通过', '证书编号', '发证日期'];
    const rows = [
      [1, passer!.idNumber, passer!.name, CERT, '初级', '85.5', '是', 'X2024060001', '2024-05-30'],
      [2, failer!.idNumber, failer!.name, CERT, '初级', '52', '否', null, null],
      [3, absentee!.idNumber, absentee!.name, CERT, '初级', '缺考', '否', null, null],
    ];
    // a pass without its certificate number is refused with its cell, and nothing is written
    const bad = join(dir, 'bad.xlsx');
    await writeFile(bad, await xlsx([{ name: '成绩', rows: [['1+X考试结果'], header, ...rows.map((r, i) => (i === 0 ? [...r.slice(0, 7), null, r[8]] : r))] }]));
    expect(await runXcert(h.store, config, ['results', String(p.id), bad], io, h.services.clock)).toBe(2);
    expect(err.join('')).toContain('工作表 成绩 第 3 行 H 列：通过的考生须有证书编号');
    expect(await h.store.examSittings.listForPlan(p.id)).toEqual([]);

    const good = join(dir, 'good.xlsx');
    await writeFile(good, await xlsx([{ name: '成绩', rows: [['1+X考试结果'], header, ...rows] }]));
    expect(await runXcert(h.store, config, ['results', String(p.id), good], io, h.services.clock)).toBe(0);
    expect(out.at(-1)).toBe(`已导入考试计划 #${p.id}（${CERT} 初级）的考试结果：通过 1 人，未通过 1 人，缺考 2 人；已通知 1 名学生。通过者的证书已记入已取得证书。\n`);
    const sittings = await h.store.examSittings.listForPlan(p.id);
    expect(new Map(sittings.map((x) => [x.studentNo, [x.outcome, x.score, x.certificateNo, x.issuedOn]]))).toEqual(
      new Map([
        [passer!.studentNo, ['passed', '85.5', 'X2024060001', '2024-05-30']],
        [failer!.studentNo, ['failed', '52', null, null]],
        [absentee!.studentNo, ['absent', null, null, null]],
        [missing!.studentNo, ['absent', null, null, null]],
      ]),
    );
    // the pass is a held 1+X certificate now: it counts for the level rules
    expect(await h.store.certificates.listForStudents([passer!.studentNo])).toContainEqual({ studentNo: passer!.studentNo, kind: 'x', name: CERT, level: '初级', number: 'X2024060001', issuedOn: '2024-05-30' });
    // the bound student is told, once even when the same file is imported again
    await drain(h.bot.jobs);
    expect(await runXcert(h.store, config, ['results', String(p.id), good], io, h.services.clock)).toBe(0);
    await drain(h.bot.jobs);
    const told = texts(STUDENT).filter((t) => t.startsWith('【1+X 考试结果】'));
    expect(told).toEqual([`【1+X 考试结果】${passer!.name}同学，你已通过${CERT}（初级）考核（成绩 85.5），证书编号 X2024060001，发证日期 2024-05-30。该证书已记入你的已取得证书，可用于职业技能等级认定。`]);

    // the next plan of the certificate: the failed candidate retakes at their own cost, the absent ones sit for the first time
    const { draftPlan } = await import('../../bot/features/exam/exam-plan.service');
    const next = await draftPlan(h.store, {
      certificate: CERT, level: '初级', owner: '王老师', college: '财经学院', classes: [passer!.className!], headcount: null,
      theory: { date: '2024-11-15', time: '09:00' }, practical: null, place: '实训楼A', physicalRooms: 1, roomNeeds: '', pilotQuota: null,
      agreement: { assessorOrg: '评价组织', startsOn: '2024-01-01', endsOn: '2025-12-31' },
    }, '2024-10-01');
    const attempt = new Map(next.candidates.map((c) => [c.studentNo, [c.attempt, c.selfPaying]]));
    expect(attempt.get(failer!.studentNo)).toEqual([2, true]);
    expect(attempt.get(absentee!.studentNo)).toEqual([1, false]);
    expect(attempt.get(missing!.studentNo)).toEqual([1, false]);
  });

  it('answers a college only about its own plans', async () => {
    const { p } = await plan();
    await h.store.roles.upsertMany([{ openId: 'ou_other_college', name: '机械学院秘书', role: 'college', college: '机械工程学院' }]);
    h.sim.state.user('ou_other_college', '机械学院秘书');
    await say('ou_other_college', `准考证 ${p.id}`);
    expect(texts('ou_other_college').at(-1)).toBe('这个考试计划不属于你所在的学院。');
    expect(files('ou_other_college')).toEqual([]);
  });
});
