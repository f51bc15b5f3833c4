import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runXcert } from '../../bot/cli/xcert.command';
import { loadSample, sampleStudents } from '../../db/sample';
import { memoryStore } from '../support/memory-store';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// xcert: the same candidates, photo spec, platform files and exam papers as in chat.

describe('xcert', () => {
  it('edits candidates, records the certificate photo spec, writes the platform files and the papers', async () => {
    const store = memoryStore();
    await loadSample(store, { today: '2024-03-01' });
    const nos = sampleStudents().map((s) => s.studentNo);
    const p = await store.exams.createPlan({ college: '财经学院', certificate: '网店运营推广', level: '中级', owner: 'ou', headcount: 2, status: 'filed', data: { place: '机房', physicalRooms: 1 } });
    await store.exams.setCandidates(p.id, [{ studentNo: nos[0]!, attempt: 1 }]);
    await store.exams.addSession({ planId: p.id, kind: 'theory', startsAt: '2024-06-15T01:00:00.000Z', endsAt: '2024-06-15T03:00:00.000Z', place: '机房', rooms: 1 });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
    const config = { schoolName: '郑州科技学院', storageDir: mkdtempSync(join(tmpdir(), 'xcert-')) };

    expect(await runXcert(store, config, ['candidates', String(p.id), '--add', nos[1]!], io)).toBe(0);
    expect(out.join('')).toContain('考生 2 人');
    expect(await runXcert(store, config, ['candidates', String(p.id), '--remove', '2099999999'], io)).toBe(2);
    expect(err.join('')).toContain('学号 2099999999 不在本计划的考生名单中');

    expect(await runXcert(store, config, ['photo-spec', String(p.id), '--size', '295x413', '--kb', '20-100', '--background', '蓝'], io)).toBe(0);
    expect((await store.exams.getPlan(p.id))!.data.photoSpec).toEqual({ label: '蓝底证件照', background: 'blue', minBytes: 20 * 1024, maxBytes: 100 * 1024, sizes: [{ width: 295, height: 413 }] });
    expect(await runXcert(store, config, ['photo-spec', String(p.id), '--size', 'big', '--kb', '20-100', '--background', '蓝'], io)).toBe(2);

    const dir = mkdtempSync(join(tmpdir(), 'xcert-out-'));
    expect(await runXcert(store, config, ['papers', String(p.id), '--out', dir], io)).toBe(0);
    const written = out.filter((l) => l.startsWith('已导出：')).map((l) => l.slice(4).trim());
    expect(written.map((f) => f.split('/').at(-1))).toEqual([`1+X计划${p.id}-网店运营推广中级-准考证.xlsx`, `1+X计划${p.id}-网店运营推广中级-考场签到表.xlsx`, `1+X计划${p.id}-网店运营推广中级-考场门贴.xlsx`]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(written[1]!)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['理论1考场-机房 第1考场']);
    expect(await runXcert(store, config, ['platform', String(p.id), '--out', dir], io)).toBe(0);
    expect(out.join('')).toContain('2 名考生还没有提交 1+X 照片');
    expect(await runXcert(store, config, ['papers', '999'], io)).toBe(1);

    // the province's decision needs 教务处's agreement first
    await store.exams.updatePlan(p.id, { data: { ...(await store.exams.getPlan(p.id))!.data, pilotQuota: 1, quotaRequest: { filedOn: '2024-03-01', headcount: 2, status: 'pending', filedBy: 'ou' } } });
    expect(await runXcert(store, config, ['province', String(p.id), '--decision', '批准', '--date', '2024-03-02', '--doc', '豫1+X办〔2024〕1号'], io)).toBe(2);
    expect(err.at(-1)).toContain('须先经教务处审核同意');
    expect(await runXcert(store, config, ['quota-form', String(p.id), '--out', dir], io)).toBe(0);
    expect(out.at(-1)).toMatch(/调增申请表\.xlsx\n$/);
    const audit = await store.audit.list({ entity: 'exam_plan', entityId: String(p.id), limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['exam.candidates.edit', 'exam.photo_spec', 'exam.papers.export', 'exam.platform.export']));
  });
});
