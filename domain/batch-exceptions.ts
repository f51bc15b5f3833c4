// Where the center's reviewer should look twice before deciding a batch: a student not on
// the roster, missing or rejected materials (by the one rule, domain/materials/requirements.ts),
// materials not yet checked by the college, an ID card invalid or expiring on the exam date,
// and a 三级 decided by a certificate held.
import { checkIdCardValidity } from './materials/id-card';
import type { MaterialWaiver } from './materials/issue-gate';
import { requirementStates, type HandedIn } from './materials/requirements';
import { LEVEL_LABEL, MATERIAL_LABEL, type IsoDate, type Material, type Student } from './model';
import type { ScoreRun } from './scoring-run';

export interface BatchException {
  /** e.g. 缺材料, 身份证临期, 不在名册, 持证认定三级 */
  kind: string;
  studentNo: string;
  name: string;
  detail: string;
}

export interface ExceptionInput {
  /** in batch order */
  studentNos: string[];
  roster: ReadonlyMap<string, Student>;
  /** what each student handed in: files and the filing form filed online */
  handedIn: ReadonlyMap<string, HandedIn<Material>>;
  /** the rule behind each student's level (missing: nothing scored) */
  levelRules: ReadonlyMap<string, number | null>;
  /** the exam date, else the application date: the ID card must be valid on it */
  checkDate: IsoDate;
  /** the scoring of the stored grades, when there was one */
  run: ScoreRun | null;
  /** names from the grade book, for students not on the roster */
  names?: ReadonlyMap<string, string>;
  /** 缺材料例外 recorded by the center, per student */
  waivers?: ReadonlyMap<string, MaterialWaiver>;
}

/** Where the reviewer should look twice: missing or rejected materials, an ID card expiring, not on the roster, a level decided by a certificate. */
export function batchExceptions(input: ExceptionInput): BatchException[] {
  const out: BatchException[] = [];
  const evaluations = new Map((input.run?.students ?? []).map((s) => [s.studentNo, s]));
  for (const studentNo of input.studentNos) {
    const student = input.roster.get(studentNo);
    const name = student?.name ?? input.names?.get(studentNo) ?? evaluations.get(studentNo)?.name ?? '';
    if (!student) {
      out.push({ kind: '不在名册', studentNo, name, detail: '学生名册中没有此学号' });
    }
    const handedIn = input.handedIn.get(studentNo) ?? { latest: {}, filingFormVersion: null };
    const materials = handedIn.latest;
    const states = requirementStates({ programme: student?.programme ?? null, levelRule: input.levelRules.get(studentNo) ?? null }, handedIn);
    const missing = states.filter((r) => r.state === 'missing' || r.state === 'rejected').map((r) => MATERIAL_LABEL[r.kind]);
    const waiver = input.waivers?.get(studentNo);
    if (missing.length && waiver) out.push({ kind: '缺材料例外', studentNo, name, detail: `缺${missing.join('、')}；原因：${waiver.reason}` });
    else if (missing.length) out.push({ kind: '缺材料', studentNo, name, detail: missing.join('、') });
    // received but not yet checked by the college (材料审核): worth a look before approving
    const unreviewed = states.filter((r) => r.state === 'received' && r.via === 'file').map((r) => MATERIAL_LABEL[r.kind]);
    if (unreviewed.length) out.push({ kind: '材料未审核', studentNo, name, detail: unreviewed.join('、') });

    const validity = materials.id_back?.meta?.validity ?? materials.id_front?.meta?.validity;
    if (validity !== undefined && validity !== null) {
      const check = checkIdCardValidity(validity, { examDate: input.checkDate });
      if (!check.ok) out.push({ kind: '身份证无效', studentNo, name, detail: check.problems.map((p) => p.message).join('；') });
      else if (check.value.warning) out.push({ kind: '身份证临期', studentNo, name, detail: check.value.warning.message });
    }

    const scored = evaluations.get(studentNo);
    const deciding = scored?.evaluation.decidingCertificate;
    if (scored?.evaluation.level === 'L3' && deciding) {
      out.push({
        kind: '持证认定三级',
        studentNo,
        name,
        detail: `依据已取得的${deciding.name}（${deciding.level}${deciding.number ? `，${deciding.number}` : ''}，${deciding.issuedOn}）认定为${LEVEL_LABEL.L3}`,
      });
    }
  }
  return out;
}
