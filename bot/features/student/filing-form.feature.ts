import {
  filingFormCard,
  filingFormSavedCard,
  filingFormValueSchema,
  FILING_FORM_CARD_VERSION,
  FILING_FORM_SUBMIT_ACTION,
} from '../../../cards/filing-form.card';
import { GENDER_LABEL, LEVEL_LABEL, type Student } from '../../../domain/model';
import { formatBeijing } from '../../../domain/time';
import type { ActionContext, MessageContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services, ServiceSlice } from '../../services';
import { checkSubmission, formValuesToFlat, prefill } from './filing-form.service';
import { refreshStatusCards, schemesOf } from './status.service';
import { loadStudent } from './student-chat';

type FormCardServices = ServiceSlice<'schemes' | 'filingForms', 'config'>;

async function formCardFor(services: FormCardServices, student: Student) {
  const [schemes, last] = await Promise.all([schemesOf(services, student), services.store.filingForms.latest(student.studentNo)]);
  return filingFormCard({
    name: student.name,
    values: prefill(student, schemes[0], last, services.config.schoolName),
    lastVersion: last?.version ?? null,
  });
}

export async function showFilingForm(services: FormCardServices, ctx: MessageContext | ActionContext<unknown, unknown>, student: Student): Promise<void> {
  await ctx.replyCard({ ...(await formCardFor(services, student)) });
}

/** 审核备案表: each valid submission is a new version; errors come back on the same card, values kept. */
export function filingFormFeature(services: Services): Feature {
  return defineFeature({
    name: 'student.filingForm',
    actions: [FILING_FORM_SUBMIT_ACTION],
    setup(r) {
      const onForm = {
        value: filingFormValueSchema,
        version: FILING_FORM_CARD_VERSION,
        load: (_v: unknown, ctx: ActionContext<unknown, unknown>) => loadStudent(services, ctx),
        // an outdated form: a new one, prefilled from what the student filed last
        fresh: async (ctx: ActionContext<unknown, unknown>) => (ctx.actor.student ? { ...(await formCardFor(services, ctx.actor.student)) } : null),
      };
      r.onAction(FILING_FORM_SUBMIT_ACTION, onForm, async (ctx) => {
        const student = ctx.record;
        const flat = formValuesToFlat(ctx.formValue);
        const checked = checkSubmission(flat, student, services.clock.today());
        if (!checked.ok) {
          const last = await services.store.filingForms.latest(student.studentNo);
          ctx.toast('error', `有 ${Object.keys(checked.fieldErrors).length} 处需要修改`);
          await ctx.updateCard({ ...filingFormCard({ name: student.name, values: flat, errors: checked.fieldErrors, lastVersion: last?.version ?? null }) });
          return;
        }
        const now = services.clock.now();
        const form = checked.value;
        const saved = await services.store.filingForms.save(student.studentNo, form, now);
        await services.store.audit.record({
          actorOpenId: ctx.actor.openId,
          action: 'filing_form.submitted',
          entity: 'student',
          entityId: student.studentNo,
          detail: { version: saved.version },
          at: now,
        });
        ctx.toast('success', `已提交（第 ${saved.version} 版）`);
        await ctx.updateCard({
          ...filingFormSavedCard({
            name: student.name,
            version: saved.version,
            at: formatBeijing(now.toISOString()),
            summary: [
              ['姓名', form.name],
              ['性别', GENDER_LABEL[form.gender]],
              ['身份证号码', form.idNumber],
              ['联系方式', form.phone],
              ['申请职业', form.occupation],
              ['申请等级', LEVEL_LABEL[form.level]],
            ],
          }),
        });
        await refreshStatusCards(services, [student.studentNo]);
      });
    },
  });
}
