import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditLogCard } from '../../cards/audit-log.card';
import { cardText } from '../../cards/kit';
import {
  AUDIT_ACTION_LABEL,
  AUDIT_ACTIONS,
  AUDIT_ENTITY_LABEL,
  BATCH_EVENT_LABEL,
  EXAM_PLAN_STATUS_LABEL,
  EXAM_SESSION_STATUS_LABEL,
  UPLOAD_STATUS_LABEL,
  auditActionLabel,
  operatorLabel,
} from '../../domain/audit';
import { BATCH_STATUS_LABEL, LEVEL_LABEL, MATERIAL_LABEL, ROLE_LABEL } from '../../domain/model';

// Every action the system records and every status it shows has words staff use. The
// type of NewAuditEntry.action refuses an unlabelled action at compile time; this test
// also reads the sources, so a label table cannot fall behind what the code records.

const CHINESE = /^[^A-Za-z_]*[\u4e00-\u9fff][^A-Za-z_]*$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('labels', () => {
  it('gives every audit action, entity and batch event a Chinese label', () => {
    for (const table of [AUDIT_ACTION_LABEL, AUDIT_ENTITY_LABEL, BATCH_EVENT_LABEL]) {
      for (const [code, label] of Object.entries(table)) expect(label.replace('1+X', ''), code).toMatch(CHINESE);
    }
  });

  it('gives every status a Chinese label', () => {
    for (const table of [BATCH_STATUS_LABEL, EXAM_PLAN_STATUS_LABEL, EXAM_SESSION_STATUS_LABEL, UPLOAD_STATUS_LABEL, ROLE_LABEL, MATERIAL_LABEL, LEVEL_LABEL]) {
      for (const [code, label] of Object.entries(table)) expect(label, code).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('has a label for every action literal and every action prefix the sources record', () => {
    const unlabelled: string[] = [];
    for (const file of [...sources('bot'), ...sources('db')]) {
      const text = readFileSync(file, 'utf8');
      for (const call of text.matchAll(/audit\.record\(\{[\s\S]*?\}\)/g)) {
        for (const m of call[0].matchAll(/action:\s*([^,\n]+)/g)) {
          for (const lit of m[1]!.matchAll(/'([a-z_]+\.[a-z_.]+)'/g)) if (!(lit[1]! in AUDIT_ACTION_LABEL)) unlabelled.push(`${file}: ${lit[1]}`);
          for (const tpl of m[1]!.matchAll(/`([a-z_.]+)\$\{/g)) {
            if (!AUDIT_ACTIONS.some((a) => a.startsWith(tpl[1]!))) unlabelled.push(`${file}: ${tpl[1]}…`);
          }
        }
      }
    }
    expect(unlabelled).toEqual([]);
  });

  it('batch events the store records are the ones labelled', () => {
    const text = readFileSync('bot/features/center/batch-review.feature.ts', 'utf8') + readFileSync('bot/features/college/batch-submit.feature.ts', 'utf8');
    for (const m of text.matchAll(/(?:Action|action):\s*'([a-z_]+)'/g)) expect(Object.keys(BATCH_EVENT_LABEL), m[1]).toContain(m[1]);
  });

  it('names the command line and its operator, and never shows an open_id when a name is known', () => {
    expect(operatorLabel('cli:root', null)).toBe('命令行（root）');
    expect(operatorLabel('cli', '命令行')).toBe('命令行（未知操作人）');
    expect(operatorLabel('cli:wang', '命令行（wang）')).toBe('命令行（wang）');
    expect(operatorLabel('ou_x', '财经学院教学秘书')).toBe('财经学院教学秘书');
    expect(operatorLabel('ou_x', null)).toBe('未知用户');
    expect(auditActionLabel('something.new')).toBe('其他操作（something.new）');
  });

  it('the log card reads labels, names and majors instead of codes', () => {
    const text = cardText(
      auditLogCard({
        filter: null,
        names: new Map([['ou_demo_student_1', '张明远（2020010901）']]),
        targets: new Map([['scheme:cbec', '电子商务（电子商务师）']]),
        entries: [
          { id: 1, at: '2024-03-01T02:05:00Z', actorOpenId: 'ou_demo_student_1', actorName: null, action: 'filing_form.submitted', entity: 'student', entityId: '2020010901', detail: {} },
          { id: 2, at: '2024-03-01T03:00:00Z', actorOpenId: 'ou_c', actorName: '财经学院教学秘书', action: 'grades.replace', entity: 'scheme', entityId: 'cbec', detail: {} },
          { id: 3, at: '2024-03-01T04:00:00Z', actorOpenId: 'cli:root', actorName: null, action: 'import.students', entity: 'students', entityId: 'a.xlsx', detail: {} },
        ],
      }),
    );
    expect(text).toContain('2024-03-01 10:05 **张明远（2020010901）** 提交审核备案表');
    expect(text).toContain('**财经学院教学秘书** 重新上传成绩表 · 专业 电子商务（电子商务师）');
    expect(text).toContain('**命令行（root）** 导入学生名单');
    expect(text).not.toMatch(/ou_|cli:|filing_form|grades\.replace|cbec/);
  });
});
