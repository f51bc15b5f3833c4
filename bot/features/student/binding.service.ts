import type { Student } from '../../../domain/model';
import { formatBeijingClock } from '../../../domain/time';
import { toHalfWidth } from '../../../domain/text';
import type { ServiceSlice } from '../../services';
import { scheduleTexts } from '../../jobs/text-notice';

// Proving who a student is: 学号 + the last 6 characters of the ID number, at most
// MAX_FAILURES wrong answers per open_id in a sliding hour.

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 60 * 60 * 1000;

/** "绑定 2020123456 12345X" (also 绑定学号…, with commas or full-width characters). */
export function parseBindText(text: string): { studentNo: string; idTail: string } | null {
  const m = /^\s*绑定\s*(?:学号)?[\s:：]*([A-Za-z0-9]{4,32})[\s,，;；]+(?:身份证(?:号)?(?:后6位|后六位)?)?[\s:：]*([0-9]{5}[0-9Xx])\s*$/.exec(toHalfWidth(text));
  return m ? { studentNo: m[1]!, idTail: m[2]!.toUpperCase() } : null;
}

export function normaliseAnswer(studentNo: string, idTail: string): { studentNo: string; idTail: string } {
  return { studentNo: toHalfWidth(studentNo).replace(/\s/g, ''), idTail: toHalfWidth(idTail).replace(/\s/g, '').toUpperCase() };
}

/**
 * Locked while MAX_FAILURES failures lie inside the window; it opens again one window
 * after the oldest failure that still counts.
 */
export function lockState(failures: readonly string[], now: Date): { locked: boolean; retryAt: Date | null } {
  const since = now.getTime() - FAILURE_WINDOW_MS;
  const inWindow = failures.map((f) => new Date(f).getTime()).filter((t) => t >= since).sort((a, b) => a - b);
  if (inWindow.length < MAX_FAILURES) return { locked: false, retryAt: null };
  const opensAt = inWindow[inWindow.length - MAX_FAILURES]! + FAILURE_WINDOW_MS;
  return { locked: true, retryAt: new Date(opensAt) };
}

export function answerMatches(student: Student | undefined, idTail: string): student is Student {
  return student !== undefined && idTail.length === 6 && student.idNumber.toUpperCase().endsWith(idTail);
}

export type BindResult =
  | { kind: 'bound'; student: Student }
  | { kind: 'wrong'; message: string }
  | { kind: 'locked'; message: string }
  | { kind: 'taken'; message: string }
  | { kind: 'already'; message: string };

const WRONG = '学号或身份证后 6 位不正确，请核对后重试。';

function lockedMessage(retryAt: Date, now: Date): string {
  return `尝试次数过多，已暂时锁定。请在 ${formatBeijingClock(retryAt, now)} 之后再试；如忘记学号请联系学院。`;
}

/** Checks the answer and binds; every attempt is recorded, the answer is checked only when not locked. */
export async function bindStudent(services: ServiceSlice<'students' | 'chatState' | 'loginAttempts' | 'audit' | 'transaction', 'clock'>, openId: string, answer: { studentNo: string; idTail: string }): Promise<BindResult> {
  const { store, clock } = services;
  const now = clock.now();
  const already = await store.students.getByOpenId(openId);
  if (already) return { kind: 'already', message: `你已绑定 ${already.name}（学号 ${already.studentNo}），无需重复绑定。` };

  const failures = await store.chatState.failedLoginsSince(openId, new Date(now.getTime() - FAILURE_WINDOW_MS));
  const lock = lockState(failures, now);
  if (lock.locked) return { kind: 'locked', message: lockedMessage(lock.retryAt!, now) };

  const { studentNo, idTail } = normaliseAnswer(answer.studentNo, answer.idTail);
  const student = studentNo ? await store.students.get(studentNo) : undefined;
  if (!answerMatches(student, idTail)) {
    await store.loginAttempts.record(openId, false, now);
    const after = lockState([...failures, now.toISOString()], now);
    if (after.locked) return { kind: 'locked', message: `${WRONG}${lockedMessage(after.retryAt!, now)}` };
    const left = MAX_FAILURES - (failures.length + 1);
    return { kind: 'wrong', message: `${WRONG}（一小时内还可尝试 ${left} 次）` };
  }

  const outcome = await store.students.bindOpenId(student.studentNo, openId);
  if (outcome === 'bound' || outcome === 'already-bound-to-you') {
    await store.loginAttempts.record(openId, true, now);
    await store.audit.record({ actorOpenId: openId, action: 'student.bind', entity: 'student', entityId: student.studentNo, detail: { via: 'answer' }, at: now });
    return { kind: 'bound', student: { ...student, openId } };
  }
  if (outcome === 'student-taken') {
    // the refusal and the center's notice (once per student and account) commit together
    const text = `学号 ${student.studentNo}（${student.name}）已绑定其他飞书账号，现有另一账号（open_id ${openId}）凭正确的学号和身份证后 6 位申请绑定，已拒绝。如属本人换号，请核实后解除原绑定。`;
    await store.transaction(async (tx) => {
      await tx.audit.record({ actorOpenId: openId, action: 'student.bind.refused', entity: 'student', entityId: student.studentNo, detail: { reason: 'taken' }, at: now });
      const center = (await tx.roles.listByRole('center')).map((r) => r.openId);
      await scheduleTexts(tx, BIND_REFUSED_JOB, `${BIND_REFUSED_JOB}:${student.studentNo}:${openId}`, center, text, now);
    });
    return { kind: 'taken', message: '该学号已被其他飞书账号绑定，已拒绝并通知认定中心。如确属本人，请联系职业技能等级认定中心处理。' };
  }
  if (outcome === 'user-taken') {
    return { kind: 'already', message: '你的飞书账号已绑定其他学生，无法重复绑定。' };
  }
  return { kind: 'wrong', message: WRONG };
}

/** Feishu's employee number equal to a 学号 in the roster binds without questions. */
export async function autoBind(services: ServiceSlice<'students' | 'audit', 'clock' | 'lark' | 'log'>, openId: string): Promise<Student | null> {
  const user = await services.lark.getUser(openId).catch((err: unknown) => {
    services.log.warn({ err, openId }, 'user lookup for auto-binding failed');
    return null;
  });
  const employeeNo = user?.employeeNo?.trim();
  if (!employeeNo) return null;
  const student = await services.store.students.get(employeeNo);
  if (!student || student.openId) return null;
  const outcome = await services.store.students.bindOpenId(student.studentNo, openId);
  if (outcome !== 'bound') return null;
  await services.store.audit.record({
    actorOpenId: openId,
    action: 'student.bind',
    entity: 'student',
    entityId: student.studentNo,
    detail: { via: 'employeeNo' },
    at: services.clock.now(),
  });
  return { ...student, openId };
}

/** The job that tells the center staff of a refused binding (run with sendTextJob). */
export const BIND_REFUSED_JOB = 'student.bindRefused';
