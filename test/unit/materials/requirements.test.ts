import { describe, expect, it } from 'vitest';
import { guessKind } from '../../../bot/features/student/materials.service';
import { callbackValues, cardText } from '../../../cards/kit';
import { materialMenuCard } from '../../../cards/material-kind.card';
import {
  levelRuleOf,
  missingMaterials,
  requiredMaterials,
  requirementState,
  type HandedIn,
  type RequirementBasis,
} from '../../../domain/materials/requirements';
import type { Evaluation, MaterialKind, MaterialStatus, Programme } from '../../../domain/model';

const EVERYONE: MaterialKind[] = ['filing_form', 'photo', 'id_front', 'id_back', 'student_id'];
const files = (entries: Partial<Record<MaterialKind, MaterialStatus>>): HandedIn['latest'] =>
  Object.fromEntries(Object.entries(entries).map(([k, status]) => [k, { status }]));
const complete = files({ photo: 'accepted', id_front: 'accepted', id_back: 'accepted', student_id: 'received' });

describe('what a student must hand in', () => {
  it.each<[string, RequirementBasis, MaterialKind[]]>([
    ['an undergraduate not yet scored', { programme: 'undergrad', levelRule: null }, EVERYONE],
    ['a junior-college student not yet scored', { programme: 'junior', levelRule: null }, EVERYONE],
    ['a student certified on a 1+X certificate held (rule 1)', { programme: 'undergrad', levelRule: 1 }, [...EVERYONE, 'held_certificate']],
    ['a student certified on the training objective (rule 2)', { programme: 'junior', levelRule: 2 }, EVERYONE],
    ['a student certified on a certificate held long enough (rule 3)', { programme: 'junior', levelRule: 3 }, [...EVERYONE, 'held_certificate']],
    ['a student certified on scores alone (rule 4)', { programme: 'undergrad', levelRule: 4 }, EVERYONE],
    ['a student who failed (rule 5)', { programme: 'undergrad', levelRule: 5 }, EVERYONE],
    ['a student not on the roster', { programme: null, levelRule: null }, EVERYONE],
  ])('%s', (_who, basis, expected) => {
    expect(requiredMaterials(basis)).toEqual(expected);
  });
});

describe('what is missing', () => {
  const undergrad = { programme: 'undergrad' as Programme, levelRule: null };
  it.each<[string, RequirementBasis, HandedIn, MaterialKind[]]>([
    ['nothing handed in', undergrad, { latest: {}, filingFormVersion: null }, EVERYONE],
    ['every file sent but the form not filed', undergrad, { latest: complete, filingFormVersion: null }, ['filing_form']],
    ['every file sent and the form filed online', undergrad, { latest: complete, filingFormVersion: 1 }, []],
    ['the form filed online, nothing else', undergrad, { latest: {}, filingFormVersion: 2 }, ['photo', 'id_front', 'id_back', 'student_id']],
    ['a rejected photo', undergrad, { latest: { ...complete, photo: { status: 'rejected' } }, filingFormVersion: 1 }, ['photo']],
    ['a received, not yet reviewed scan still counts as handed in', undergrad, { latest: { ...complete, id_back: { status: 'received' } }, filingFormVersion: 1 }, []],
    ['a filing-form file rejected, the form then filed online', undergrad, { latest: { ...complete, filing_form: { status: 'rejected' } }, filingFormVersion: 1 }, []],
    ['a filing-form file rejected and nothing filed online', undergrad, { latest: { ...complete, filing_form: { status: 'rejected' } }, filingFormVersion: null }, ['filing_form']],
    ['certified on a held certificate, without its copy', { programme: 'junior', levelRule: 3 }, { latest: complete, filingFormVersion: 1 }, ['held_certificate']],
    ['certified on a held certificate, copy rejected', { programme: 'junior', levelRule: 1 }, { latest: { ...complete, held_certificate: { status: 'rejected' } }, filingFormVersion: 1 }, ['held_certificate']],
    ['certified on a held certificate, copy sent', { programme: 'junior', levelRule: 1 }, { latest: { ...complete, held_certificate: { status: 'received' } }, filingFormVersion: 1 }, []],
    ['certified on scores, no certificate copy asked', { programme: 'junior', levelRule: 4 }, { latest: complete, filingFormVersion: 1 }, []],
  ])('%s', (_what, basis, handedIn, expected) => {
    expect(missingMaterials(basis, handedIn)).toEqual(expected);
  });

  it('says the filing form filed online was received, naming its version', () => {
    expect(requirementState('filing_form', { latest: {}, filingFormVersion: 3 })).toEqual({ kind: 'filing_form', state: 'received', via: 'online', version: 3 });
    expect(requirementState('photo', { latest: { photo: { status: 'accepted' } }, filingFormVersion: 3 })).toEqual({ kind: 'photo', state: 'accepted', via: 'file' });
    expect(requirementState('photo', { latest: {}, filingFormVersion: 3 })).toEqual({ kind: 'photo', state: 'missing' });
  });
});

describe('which level rule applies when several schemes were scored', () => {
  const e = (level: Evaluation['level'], rule: number | null): Pick<Evaluation, 'level' | 'rule'> => ({
    level,
    rule: rule === null ? null : { number: rule as 1 | 2 | 3 | 4 | 5, text: '' },
  });
  it.each<[string, Array<Pick<Evaluation, 'level' | 'rule'>>, number | null]>([
    ['nothing scored', [], null],
    ['scores incomplete', [e(null, null)], null],
    ['one scheme', [e('L4', 4)], 4],
    ['the higher level wins', [e('L4', 1), e('L3', 2)], 2],
    ['on equal levels the lower rule', [e('L3', 3), e('L3', 1)], 1],
    ['a pass beats a failure', [e(null, 5), e('L4', 4)], 4],
    ['failed everywhere', [e(null, 5)], 5],
  ])('%s', (_what, evaluations, expected) => {
    expect(levelRuleOf(evaluations)).toBe(expected);
  });
});

describe('handing in the certificate copy', () => {
  it('is offered on the 提交材料 menu and recognised by its file name', () => {
    const menu = materialMenuCard({ photoSpec: '2寸白底' });
    expect([...callbackValues(menu)].map((v) => v.kind)).toContain('held_certificate');
    expect(cardText(menu)).toContain('提交已取得证书');
    expect(guessKind('张三-职业技能等级证书.pdf')).toBe('held_certificate');
    expect(guessKind('张三-学生证.jpg')).toBe('student_id');
  });
});
