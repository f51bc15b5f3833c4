import { helpCard, helpValueSchema, HELP_CARD_VERSION, STUDENT_MENU_ACTIONS } from '../../../cards/help.card';
import { materialMenuCard } from '../../../cards/material-kind.card';
import { requirementsCard } from '../../../cards/requirements.card';
import { statusCard, STATUS_REFRESH_ACTION, statusValueSchema } from '../../../cards/status.card';
import type { Student } from '../../../domain/model';
import type { ActionContext, MessageContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import type { Services, ServiceSlice } from '../../services';
import { showFilingForm } from './filing-form.feature';
import { classify, type StudentIntent } from './keywords';
import { photoSpecOf } from './materials.service';
import { requirementsView } from './requirements.service';
import { levelRuleFromStore } from '../../services/material-gate';
import { loadStatus, makeLive, schemesOf, sendStatusCard } from './status.service';
import { photoSpecText } from './requirements.service';
import { isStudentChat, loadStudent, studentOf } from './student-chat';

type Ctx = MessageContext | ActionContext<unknown, unknown>;

type AnswerServices = ServiceSlice<
  'schemes' | 'campaigns' | 'grades' | 'certificates' | 'materials' | 'filingForms' | 'batches' | 'exams' | 'cohortAdmissions' | 'chatState',
  'clock' | 'config' | 'lark' | 'log'
>;

async function answer(services: AnswerServices, ctx: Ctx, student: Student, intent: StudentIntent | null): Promise<void> {
  switch (intent) {
    case 'requirements': {
      const [schemes, campaign] = await Promise.all([schemesOf(services, student), services.store.campaigns.current()]);
      const levelRule = await levelRuleFromStore(services.store, student, campaign?.applicationDate ?? services.clock.today());
      await ctx.replyCard({ ...requirementsCard(requirementsView(student, schemes, campaign, services.clock.today(), levelRule)) });
      return;
    }
    case 'status':
      await sendStatusCard(services, student, (card) => ctx.replyCard(card));
      return;
    case 'materials':
      await ctx.replyCard({ ...materialMenuCard({ photoSpec: photoSpecText(await photoSpecOf(services, student)) }) });
      return;
    case 'filingForm':
      await showFilingForm(services, ctx, student);
      return;
    case 'bind':
      await ctx.reply(`你已绑定 ${student.name}（学号 ${student.studentNo}），无需重复绑定。`);
      return;
    default:
      await ctx.replyCard({ ...helpCard({ name: student.name }) });
  }
}

const MENU_INTENT: Record<string, StudentIntent> = {
  [STUDENT_MENU_ACTIONS.requirements]: 'requirements',
  [STUDENT_MENU_ACTIONS.status]: 'status',
  [STUDENT_MENU_ACTIONS.materials]: 'materials',
  [STUDENT_MENU_ACTIONS.filingForm]: 'filingForm',
};

/** Words and menu buttons: requirements, status, materials, filing form; anything else gets the help card. */
export function studentMenuFeature(services: Services): Feature {
  return defineFeature({
    name: 'student.menu',
    actions: [...Object.values(STUDENT_MENU_ACTIONS), STATUS_REFRESH_ACTION],
    setup(r) {
      r.onText(
        (_text, ctx) => isStudentChat(ctx),
        async (ctx) => {
          const student = await studentOf(services, ctx);
          if (student) await answer(services, ctx, student, classify(ctx.text));
        },
      );

      const load = (_v: unknown, ctx: ActionContext<unknown, unknown>) => loadStudent(services, ctx);
      const menu = { value: helpValueSchema, version: HELP_CARD_VERSION, load, fresh: (ctx: ActionContext<unknown, unknown>) => (ctx.actor.student ? { ...helpCard({ name: ctx.actor.student.name }) } : null) };
      for (const [action, intent] of Object.entries(MENU_INTENT)) {
        // whatever else the value carries (a 学号, say) is ignored: the data is the actor's own
        r.onAction(action, menu, (ctx) => answer(services, ctx, ctx.record, intent));
      }

      // any version of the status card is answered with the current one
      r.onAction(STATUS_REFRESH_ACTION, { value: statusValueSchema, load }, async (ctx) => {
        await ctx.updateCard({ ...statusCard(await loadStatus(services, ctx.record)) });
        await makeLive(services, ctx.record, ctx.click.messageId);
      });
    },
  });
}
