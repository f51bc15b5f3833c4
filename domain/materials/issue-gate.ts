import { beijingDate } from '../time';

// 发证 waits for complete materials: a student still missing a required material gets no
// certificate unless the center recorded an exception (缺材料例外) with a reason for them in
// this batch. The exception is what the 备注 of the printed papers then shows. What counts
// as missing is decided elsewhere (the materials requirements); this only gates on it.

export interface StudentMissing {
  studentNo: string;
  name: string;
  /** Chinese labels of the required materials missing now, e.g. 电子照片 */
  missing: string[];
}

export interface MaterialWaiver {
  batchId: number;
  studentNo: string;
  reason: string;
  /** what was missing when the exception was recorded */
  missing: string[];
  actorOpenId: string;
  actorName: string | null;
  at: string;
}

export interface IssueGate {
  /** missing something and no exception: no certificate */
  blocked: StudentMissing[];
  /** missing something, covered by an exception */
  waived: Array<StudentMissing & { waiver: MaterialWaiver }>;
}

/** Who stops a batch from being issued. Students with nothing missing pass. */
export function issueGate(students: readonly StudentMissing[], waivers: ReadonlyMap<string, MaterialWaiver>): IssueGate {
  const blocked: StudentMissing[] = [];
  const waived: IssueGate['waived'] = [];
  for (const s of students) {
    if (s.missing.length === 0) continue;
    const waiver = waivers.get(s.studentNo);
    if (waiver) waived.push({ ...s, waiver });
    else blocked.push(s);
  }
  return { blocked, waived };
}

/** The newest exception per student (a second one replaces the first). */
export function latestWaivers(waivers: readonly MaterialWaiver[]): Map<string, MaterialWaiver> {
  const out = new Map<string, MaterialWaiver>();
  for (const w of [...waivers].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) out.set(w.studentNo, w);
  return out;
}

/** The 备注 line printed for a student issued under an exception. */
export function waiverRemark(w: MaterialWaiver): string {
  const what = w.missing.length ? `缺${w.missing.join('、')}` : '缺材料';
  return `缺材料例外：${what}；原因：${w.reason}（${w.actorName ?? w.actorOpenId} ${beijingDate(w.at)}登记）`;
}

/** Why 发证 is refused, naming every blocked student and what they lack. */
export function blockedMessage(blocked: readonly StudentMissing[], max = 10): string {
  const lines = blocked.slice(0, max).map((s) => `${s.name}（${s.studentNo}）缺${s.missing.join('、')}`);
  const more = blocked.length > max ? `；另有 ${blocked.length - max} 人` : '';
  return `${blocked.length} 名学生缺少必需材料，不能发证：${lines.join('；')}${more}。请学生补齐材料，或逐人登记缺材料例外并写明原因。`;
}

export const WAIVER_REASON_MAX = 200;
