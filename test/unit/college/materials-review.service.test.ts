import { describe, expect, it } from 'vitest';
import {
  classMatches,
  currentStateMessage,
  pagesOf,
  rejectionMessage,
  resolveScope,
  reviewPage,
  showsAsImage,
} from '../../../bot/features/college/materials-review.service';
import { sampleStudents } from '../../../db/sample';
import { REVIEW_PAGE } from '../../../cards/materials-review.card';
import type { Material, MaterialKind, MaterialStatus } from '../../../domain/model';

const roster = sampleStudents();

let nextId = 1;
function material(studentNo: string, kind: MaterialKind, over: Partial<Material> = {}): Material {
  return {
    id: nextId++,
    studentNo,
    kind,
    version: 1,
    status: 'received' as MaterialStatus,
    reason: null,
    storedPath: `p/${studentNo}/${kind}`,
    fileName: `${studentNo}-${kind}.jpg`,
    meta: {},
    createdAt: '2024-03-01T02:00:00.000Z',
    ...over,
  };
}

describe('classMatches', () => {
  it.each([
    ['电子商务2001班', '电子商务2001班', true],
    ['电子商务2001班', '电子商务2001', true],
    ['电子商务2001班', '电商2001', true],
    ['电子商务2001班', '电商 2001 班', true],
    ['电子商务2001班', '２００１', true],
    ['电子商务2001班', '电商2002', false],
    ['电子商务2001班', '商电2001', false],
    ['电子商务2001班', '会计2001', false],
    ['电子商务2001班', '电商', false],
    ['电子商务2001班', '', false],
  ])('%s matches %j: %s', (className, typed, expected) => {
    expect(classMatches(className, typed)).toBe(expected);
  });
});

describe('resolveScope', () => {
  it.each([
    ['', 'college'],
    [roster[3]!.studentNo, 'student'],
    [roster[3]!.name, 'student'],
    ['电子商务', 'classes'],
    ['电商2002', 'classes'],
  ])('reads %j as %s', (q, kind) => {
    const scope = resolveScope(roster, q);
    expect(typeof scope === 'string' ? scope : scope.kind).toBe(kind);
  });

  it.each([
    ['2099999999', '本学院没有学号为 2099999999 的学生'],
    ['软件2001', '没有找到“软件2001”'],
  ])('answers %j with a message naming what was not found', (q, message) => {
    expect(resolveScope(roster, q)).toContain(message);
  });

  it('asks for the 学号 when two students share the name', () => {
    const twins = [roster[0]!, { ...roster[1]!, name: roster[0]!.name }];
    expect(resolveScope(twins, roster[0]!.name)).toContain('请改用学号');
  });
});

describe('reviewPage', () => {
  const everyone = roster.flatMap((s) => [material(s.studentNo, 'photo'), material(s.studentNo, 'id_front', { status: 'accepted' })]);

  // one pending material each: eight students fill a page (REVIEW_PAGE.students)
  it.each([
    [0, 0, REVIEW_PAGE.students],
    [1, 1, roster.length - REVIEW_PAGE.students],
    [9, 1, roster.length - REVIEW_PAGE.students],
    [-3, 0, REVIEW_PAGE.students],
  ])('page %i shows page %i with %i students, by 学号', (asked, shown, count) => {
    const p = reviewPage({ kind: 'college' }, [...roster].reverse(), everyone, asked);
    expect(p).toMatchObject({ page: shown, pages: 2, awaiting: roster.length });
    expect(p.rows).toHaveLength(count);
    const nos = p.rows.map((r) => r.student.studentNo);
    expect(nos).toEqual([...nos].sort());
  });

  it('pages by what fits in one card: no more materials on a page than REVIEW_PAGE.materials', () => {
    const five = roster.flatMap((s) => (['photo', 'id_front', 'id_back', 'student_id', 'filing_form'] as const).map((k) => material(s.studentNo, k)));
    const p = reviewPage({ kind: 'college' }, roster, five, 0);
    expect(p.rows).toHaveLength(Math.floor(REVIEW_PAGE.materials / 5));
    expect(p.pages).toBe(Math.ceil(roster.length / Math.floor(REVIEW_PAGE.materials / 5)));
    expect(pagesOf([], REVIEW_PAGE)).toEqual([[]]);
  });

  it('lists only materials awaiting review, and skips students with none', () => {
    const latest = [material(roster[0]!.studentNo, 'photo', { status: 'accepted' }), material(roster[1]!.studentNo, 'id_back'), material(roster[1]!.studentNo, 'photo')];
    const p = reviewPage({ kind: 'college' }, roster, latest, 0);
    expect(p.rows.map((r) => r.student.studentNo)).toEqual([roster[1]!.studentNo]);
    expect(p.rows[0]!.materials.map((m) => m.kind)).toEqual(['photo', 'id_back']);
  });

  it('shows one student whatever the state of their materials', () => {
    const latest = [material(roster[0]!.studentNo, 'photo', { status: 'rejected', reason: '背景不白' })];
    const p = reviewPage({ kind: 'student', student: roster[0]! }, roster, latest, 0);
    expect(p.rows).toHaveLength(1);
    expect(p.rows[0]!.materials[0]!.status).toBe('rejected');
    expect(p.awaiting).toBe(0);
  });

  it('keeps to the classes asked for', () => {
    const scope = resolveScope(roster, '电商2002');
    if (typeof scope === 'string') throw new Error(scope);
    const p = reviewPage(scope, roster, everyone, 0);
    expect(p.rows.every((r) => r.student.className === '电子商务2002班')).toBe(true);
    expect(p.awaiting).toBe(roster.filter((s) => s.className === '电子商务2002班').length);
  });
});

describe('currentStateMessage', () => {
  const v1 = material('s1', 'photo');
  it.each([
    ['a newer version', v1, { ...v1, id: 999, version: 2 }, '已重新提交电子照片（第 2 版）'],
    ['accepted', { ...v1, status: 'accepted' as const }, undefined, '已审核通过，无需重复操作'],
    ['rejected', { ...v1, status: 'rejected' as const, reason: '模糊' }, undefined, '已被退回：模糊'],
    ['gone', undefined, undefined, '已不存在'],
  ])('explains %s', (_case, current, latest, text) => {
    expect(currentStateMessage(current, latest ?? current)).toContain(text);
  });
});

it('tells the student the reason and what to do', () => {
  const text = rejectionMessage({ kind: 'id_back', version: 3 }, '有效期看不清');
  expect(text).toContain('身份证国徽面（第 3 版）被学院退回');
  expect(text).toContain('原因：有效期看不清');
  expect(text).toContain('重新发送身份证国徽面');
});

it.each([
  ['a photo', material('s', 'photo'), true],
  ['a JPEG scan', material('s', 'id_front', { meta: { type: 'jpeg' } }), true],
  ['a PDF scan', material('s', 'id_front', { meta: { type: 'pdf' } }), false],
])('shows %s as an image: %s', (_case, m, expected) => {
  expect(showsAsImage(m)).toBe(expected);
});
