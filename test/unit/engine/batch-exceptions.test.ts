import { describe, expect, it } from 'vitest';
import { batchExceptions, type ExceptionInput } from '../../../domain/batch-exceptions';
import { sampleStudents } from '../../../db/sample';
import type { Material, MaterialKind } from '../../../domain/model';
import type { ScoreRun } from '../../../domain/scoring-run';

const [a, b] = sampleStudents();
const m = (kind: MaterialKind, meta: Record<string, unknown> = {}, status: Material['status'] = 'accepted'): Material => ({
  id: 1, studentNo: a!.studentNo, kind, version: 1, status, reason: null, storedPath: 'x', fileName: 'x.jpg', meta, createdAt: '2024-03-01T00:00:00Z',
});
const complete = (idBackMeta: Record<string, unknown> = {}) => ({ photo: m('photo'), id_front: m('id_front'), id_back: m('id_back', idBackMeta), student_id: m('student_id') });

/** what one student handed in: these files, and the filing form filed online unless `filed` is false */
const handed = (studentNo: string, latest: Partial<Record<MaterialKind, Material | undefined>>, filed = true) =>
  new Map([[studentNo, { latest, filingFormVersion: filed ? 1 : null }]]);

const base = (over: Partial<ExceptionInput> = {}): ExceptionInput => ({
  studentNos: [a!.studentNo],
  roster: new Map([[a!.studentNo, a!]]),
  handedIn: handed(a!.studentNo, complete()),
  levelRules: new Map(),
  checkDate: '2024-05-31',
  run: null,
  ...over,
});

describe('what the review card flags', () => {
  it('flags nothing for a complete student on the roster', () => {
    expect(batchExceptions(base())).toEqual([]);
  });

  it.each<[string, Partial<ExceptionInput>, string, string]>([
    ['no photo, no filing form', { handedIn: handed(a!.studentNo, { ...complete(), photo: undefined }, false) }, '缺材料', '审核备案表、电子照片'],
    ['a rejected scan', { handedIn: handed(a!.studentNo, { ...complete(), student_id: m('student_id', {}, 'rejected') }) }, '缺材料', '学生证'],
    ['an ID card expiring 10 days after the date', { handedIn: handed(a!.studentNo, complete({ validity: '2014.06.10-2024.06.10' })) }, '身份证临期', '2024.06.10'],
    ['an ID card already expired', { handedIn: handed(a!.studentNo, complete({ validity: '2014.01.10-2024.01.10' })) }, '身份证无效', ''],
    ['a photo received but not yet reviewed by the college', { handedIn: handed(a!.studentNo, { ...complete(), photo: m('photo', {}, 'received') }) }, '材料未审核', '电子照片'],
    ['a student not on the roster', { studentNos: [b!.studentNo], handedIn: handed(b!.studentNo, complete()) }, '不在名册', '名册'],
  ])('%s', (_what, over, kind, detail) => {
    const found = batchExceptions(base(over));
    expect(found.map((e) => e.kind)).toContain(kind);
    expect(found.find((e) => e.kind === kind)!.detail).toContain(detail);
  });

  it('flags a 三级 decided by a certificate held', () => {
    const run = {
      students: [
        {
          studentNo: a!.studentNo,
          name: a!.name,
          evaluation: { level: 'L3', decidingCertificate: { studentNo: a!.studentNo, kind: 'x', name: '跨境电商B2B数据运营', level: '中级', number: 'X123', issuedOn: '2023-01-01' } },
        },
      ],
    } as unknown as ScoreRun;
    const found = batchExceptions(base({ run }));
    expect(found).toEqual([expect.objectContaining({ kind: '持证认定三级', detail: expect.stringContaining('跨境电商B2B数据运营') })]);
  });

  it('asks a student whose level rests on a held certificate for its copy, and only them', () => {
    const certified = { levelRules: new Map([[a!.studentNo, 3]]) };
    expect(batchExceptions(base(certified))).toEqual([expect.objectContaining({ kind: '缺材料', detail: '已取得证书复印件' })]);
    expect(batchExceptions(base({ ...certified, handedIn: handed(a!.studentNo, { ...complete(), held_certificate: m('held_certificate') }) }))).toEqual([]);
    expect(batchExceptions(base({ levelRules: new Map([[a!.studentNo, 4]]) }))).toEqual([]);
  });

  it('counts the filing form filed online as handed in', () => {
    expect(batchExceptions(base({ handedIn: handed(a!.studentNo, complete(), true) }))).toEqual([]);
    expect(batchExceptions(base({ handedIn: handed(a!.studentNo, complete(), false) }))).toEqual([expect.objectContaining({ kind: '缺材料', detail: '审核备案表' })]);
  });
});
