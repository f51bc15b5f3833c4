import { bindingCard } from '../../../cards/binding.card';
import type { Student } from '../../../domain/model';
import type { ActionContext, MessageContext } from '../../context';
import { refuse, type Refusal } from '../../router';
import type { ServiceSlice } from '../../services';
import { autoBind } from './binding.service';

// Who the student routes serve: bound students, and people the bot does not know yet
// (they get the binding flow). Staff with a role are left to their own features.

type BindServices = ServiceSlice<'students' | 'audit', 'clock' | 'lark' | 'log'>;

export function isStudentChat(ctx: MessageContext | ActionContext<unknown, unknown>): boolean {
  if (ctx.actor.student) return true;
  if ('message' in ctx && ctx.message.chatType !== 'p2p') return false;
  return ctx.actor.roles.every((r) => r.role === 'student');
}

/**
 * The actor's own student record, binding by employee number on first contact; null
 * (after sending the binding card) when they still have to prove who they are. Never
 * a 学号 from a card value: that only says what the user clicked.
 */
export async function studentOf(services: BindServices, ctx: MessageContext | ActionContext<unknown, unknown>): Promise<Student | null> {
  if (ctx.actor.student) return ctx.actor.student;
  const bound = await autoBind(services, ctx.actor.openId);
  if (bound) {
    ctx.actor.student = bound;
    await ctx.reply(`已根据你的飞书工号自动绑定：${bound.name}（学号 ${bound.studentNo}）。`);
    return bound;
  }
  await ctx.replyCard({ ...bindingCard() });
  return null;
}

/** A card action's load step for the student routes: the actor's own record, or (binding card sent) a refusal. */
export async function loadStudent(services: BindServices, ctx: ActionContext<unknown, unknown>): Promise<Student | Refusal> {
  return (await studentOf(services, ctx)) ?? refuse('请先完成绑定（见下方卡片）。');
}
