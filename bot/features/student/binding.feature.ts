import { bindFormSchema, bindingCard, bindValueSchema, BIND_ACTION, BINDING_CARD_VERSION } from '../../../cards/binding.card';
import { helpCard } from '../../../cards/help.card';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';
import { BIND_REFUSED_JOB, bindStudent, parseBindText } from './binding.service';
import { sendTextJob } from '../../jobs/text-notice';
import { isStudentChat } from './student-chat';

/** 绑定: by text or by the binding card's form. Authorised by who sends, never by what the card says. */
export function bindingFeature(services: Services): Feature {
  return defineFeature({
    name: 'student.binding',
    actions: [BIND_ACTION],
    jobs: { [BIND_REFUSED_JOB]: sendTextJob },
    setup(r) {
      r.onText(
        (text, ctx) => /^\s*绑定/.test(text) && isStudentChat(ctx),
        async (ctx) => {
          const answer = parseBindText(ctx.text);
          if (!answer) {
            await ctx.replyCard({ ...bindingCard({ error: '格式不对：请发送“绑定 学号 身份证后6位”，如 绑定 2020010901 12345X' }) });
            return;
          }
          const result = await bindStudent(services, ctx.actor.openId, answer);
          if (result.kind !== 'bound') {
            await ctx.reply(result.message);
            return;
          }
          await ctx.reply(`绑定成功：${result.student.name}（学号 ${result.student.studentNo}）。`);
          await ctx.replyCard({ ...helpCard({ name: result.student.name }) });
        },
      );

      r.onAction(BIND_ACTION, { value: bindValueSchema, version: BINDING_CARD_VERSION, fresh: () => ({ ...bindingCard() }) }, async (ctx) => {
        const form = bindFormSchema.safeParse(ctx.formValue);
        const answer = form.success ? form.data : { studentNo: '', idTail: '' };
        const result = await bindStudent(services, ctx.actor.openId, answer);
        if (result.kind === 'bound') {
          ctx.toast('success', '绑定成功');
          await ctx.updateCard({ ...bindingCard({ boundAs: { name: result.student.name, studentNo: result.student.studentNo } }) });
          await ctx.replyCard({ ...helpCard({ name: result.student.name }) });
          return;
        }
        ctx.toast(result.kind === 'already' ? 'info' : 'error', result.message);
        if (result.kind !== 'already') await ctx.updateCard({ ...bindingCard({ error: result.message, studentNo: answer.studentNo }) });
      });
    },
  });
}
