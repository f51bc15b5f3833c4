import { MATERIAL_CARD_VERSION, MATERIAL_CHOOSE_ACTION, materialChooseSchema, materialKindAnsweredCard, materialKindCard, materialMenuCard } from '../../../cards/material-kind.card';
import { MATERIAL_VALIDITY_ACTION, materialValidityCard, VALIDITY_CARD_VERSION, validityFormSchema, validityValueSchema } from '../../../cards/material-validity.card';
import { MATERIAL_LABEL, type Student } from '../../../domain/model';
import type { ActionContext, MessageContext } from '../../context';
import { defineFeature, type Feature } from '../../router';
import { waitingNotice } from '../../heavy-work';
import type { Services } from '../../services';
import {
  checkValidity,
  guessKind,
  INTENT,
  INTENT_TTL_MS,
  PENDING_ID_BACK,
  intentSchema,
  pendingIdBackSchema,
  pendingName,
  pendingUploadSchema,
  photoSpecOf,
  receiveMaterial,
  type MaterialServices,
  type PendingUpload,
  type UploadKind,
} from './materials.service';
import { photoSpecText } from './requirements.service';
import { isStudentChat, loadStudent, studentOf } from './student-chat';
import { takeExamPhotoIntent } from '../exam/exam-candidates.feature';
import { receiveExamPhoto } from '../exam/exam-candidates.service';

type Ctx = MessageContext | ActionContext<unknown, unknown>;

/** Goes on with a file whose kind is known: the ID back first needs its validity period. */
async function proceed(services: MaterialServices, ctx: Ctx, student: Student, upload: PendingUpload, kind: UploadKind): Promise<void> {
  const { chatState } = services.store;
  const now = services.clock.now();
  if (kind === 'id_back') {
    await chatState.set(ctx.actor.openId, pendingName(upload.messageId), { ...upload, kind }, now);
    await chatState.set(ctx.actor.openId, PENDING_ID_BACK, { messageId: upload.messageId }, now);
    await ctx.replyCard({ ...materialValidityCard({ pending: upload.messageId }) });
    return;
  }
  await ctx.reply(`收到，正在检查${MATERIAL_LABEL[kind]}…`);
  const outcome = await receiveMaterial(services, student, ctx.actor.openId, upload, kind, undefined, (place) => ctx.reply(waitingNotice(place, MATERIAL_LABEL[kind])));
  await ctx.reply(outcome.message);
}

/** Validity typed or picked for a pending ID back: checked, then the file is processed. */
async function withValidity(services: MaterialServices, ctx: Ctx, student: Student, messageId: string, raw: string): Promise<'done' | string> {
  const { chatState } = services.store;
  const upload = await chatState.get(ctx.actor.openId, pendingName(messageId), pendingUploadSchema);
  if (!upload) return '没有找到待补充有效期的身份证国徽面，请重新发送。';
  const validity = await checkValidity(services, student, raw);
  if (!validity.ok) return validity.problems[0]!.message;
  // taken once: a double click does not store the file twice
  if (!(await chatState.take(ctx.actor.openId, pendingName(messageId), pendingUploadSchema))) return 'done';
  await chatState.remove(ctx.actor.openId, PENDING_ID_BACK);
  await ctx.reply('收到，正在检查身份证国徽面…');
  const outcome = await receiveMaterial(services, student, ctx.actor.openId, upload, 'id_back', validity.value, (place) =>
    ctx.reply(waitingNotice(place, MATERIAL_LABEL.id_back)),
  );
  await ctx.reply(outcome.message);
  return 'done';
}

function validityFromForm(formValue: Record<string, unknown>): string {
  const f = validityFormSchema.safeParse(formValue);
  if (!f.success) return '';
  const typed = f.data.validity?.trim() ?? '';
  if (typed && !/^长期$|^永久$/.test(typed)) return typed;
  const day = (s: string | undefined) => s?.trim().slice(0, 10).replaceAll('-', '.') ?? '';
  const from = day(f.data.from);
  if (!from) return typed;
  if (/^长期$|^永久$/.test(typed)) return `${from}-长期`;
  return f.data.until ? `${from}-${day(f.data.until)}` : from;
}

/** Photos and scans sent as images or files; the kind from a preceding button, the file name, or a question. */
export function materialsFeature(services: Services): Feature {
  const { chatState } = services.store;

  const onUpload = async (ctx: MessageContext) => {
    const student = await studentOf(services, ctx);
    if (!student) return;
    const m = ctx.message;
    const upload: PendingUpload = {
      messageId: m.messageId,
      key: (m.kind === 'image' ? m.imageKey : m.fileKey) ?? '',
      type: m.kind === 'image' ? 'image' : 'file',
      fileName: m.fileName ?? null,
    };
    // a photo announced with 1+X照片 goes to the exam plan, checked against its certificate's spec
    const examPlan = upload.type === 'image' || /\.jpe?g$/i.test(upload.fileName ?? '') ? await takeExamPhotoIntent(services, ctx.actor.openId) : null;
    if (examPlan) {
      await ctx.reply('收到，正在检查 1+X 照片…');
      await ctx.reply((await receiveExamPhoto(services, student, examPlan, upload, ctx.actor.openId)).message);
      return;
    }
    const intent = await chatState.take(ctx.actor.openId, INTENT, intentSchema);
    const announced = intent && services.clock.now().getTime() - new Date(intent.at).getTime() <= INTENT_TTL_MS ? intent.kind : null;
    const kind = announced ?? guessKind(upload.fileName);
    if (kind) return proceed(services, ctx, student, upload, kind);
    // nothing the student sent is lost: the file waits, keyed by its message, for the answer
    await chatState.set(ctx.actor.openId, pendingName(upload.messageId), upload, services.clock.now());
    await ctx.replyCard({ ...materialKindCard({ pending: upload.messageId, fileName: upload.fileName }) });
  };

  return defineFeature({
    name: 'student.materials',
    actions: [MATERIAL_CHOOSE_ACTION, MATERIAL_VALIDITY_ACTION],
    setup(r) {
      r.onImage((_name, ctx) => isStudentChat(ctx), onUpload);
      r.onFile((_name, ctx) => isStudentChat(ctx), onUpload);

      // "有效期 2019.08.01-2029.08.01" typed while an ID back waits for it
      r.onText(
        (text, ctx) => isStudentChat(ctx) && ctx.actor.student !== null && /^\s*(?:有效期限?[:：]?\s*)?\d{4}\s*[.\-/年]/.test(text),
        async (ctx) => {
          const student = ctx.actor.student!;
          const pending = await chatState.get(ctx.actor.openId, PENDING_ID_BACK, pendingIdBackSchema);
          if (!pending) {
            await ctx.reply('如需提交身份证国徽面，请先发送国徽面的照片或扫描件，再填写有效期限。');
            return;
          }
          const result = await withValidity(services, ctx, student, pending.messageId, ctx.text);
          if (result !== 'done') await ctx.reply(`❌ ${result}`);
        },
      );

      const load = (_v: unknown, ctx: ActionContext<unknown, unknown>) => loadStudent(services, ctx);
      const menu = async (student: Student) => ({ ...materialMenuCard({ photoSpec: photoSpecText(await photoSpecOf(services, student)) }) });

      r.onAction(
        MATERIAL_CHOOSE_ACTION,
        { value: materialChooseSchema, version: MATERIAL_CARD_VERSION, load, fresh: (ctx) => (ctx.actor.student ? menu(ctx.actor.student) : null) },
        async (ctx) => {
        const student = ctx.record;
        const { kind, pending } = ctx.value;
        if (!pending) {
          await chatState.set(ctx.actor.openId, INTENT, { kind, at: services.clock.now().toISOString() }, services.clock.now());
          ctx.toast('info', `请发送${MATERIAL_LABEL[kind]}`);
          await ctx.updateCard({ ...materialMenuCard({ photoSpec: photoSpecText(await photoSpecOf(services, student)), announced: kind }) });
          return;
        }
        // only the clicking user's own pending files are found: another's message id finds nothing
        const upload = await chatState.take(ctx.actor.openId, pendingName(pending), pendingUploadSchema);
        if (!upload) {
          ctx.toast('warning', '这份文件已处理过或已过期，请重新发送');
          await ctx.updateCard({ ...materialKindAnsweredCard({ kind: null }) });
          return;
        }
        await ctx.ack({ toast: `正在检查${MATERIAL_LABEL[kind]}…`, card: { ...materialKindAnsweredCard({ fileName: upload.fileName, kind }) } });
        await proceed(services, ctx, student, upload, kind);
        },
      );

      r.onAction(MATERIAL_VALIDITY_ACTION, { value: validityValueSchema, version: VALIDITY_CARD_VERSION, load }, async (ctx) => {
        const student = ctx.record;
        const raw = validityFromForm(ctx.formValue);
        const result = await withValidity(services, ctx, student, ctx.value.pending, raw);
        if (result === 'done') {
          ctx.toast('success', '有效期已确认');
          return;
        }
        ctx.toast('error', result);
        const typed = validityFormSchema.safeParse(ctx.formValue);
        const kept = typed.success ? typed.data : {};
        await ctx.updateCard({ ...materialValidityCard({ pending: ctx.value.pending, error: result, typed: kept.validity, from: kept.from, until: kept.until }) });
      });
    },
  });
}
