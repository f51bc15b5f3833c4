import { z } from 'zod';
import { actions, button, card, facts, form, input, markdown, md, note, select, type Card } from './kit';

// 群发: the center chooses an audience and writes the text, sees who it reaches, then confirms.
// The confirm value names only the draft; the recipients are worked out again on the server.

export const BROADCAST_VERSION = 1;
export const BROADCAST_ACTIONS = { preview: 'broadcast.preview', confirm: 'broadcast.confirm' } as const;

export const broadcastPreviewValue = z.object({ action: z.literal(BROADCAST_ACTIONS.preview), v: z.number() });
export const broadcastConfirmValue = z.object({ action: z.literal(BROADCAST_ACTIONS.confirm), v: z.number(), broadcastId: z.string().min(1).max(64) });

export const AUDIENCE_FIELD = 'audience';
export const TEXT_FIELD = 'text';
/** the card input's limit (Feishu: max_length 1–1000) */
export const BROADCAST_TEXT_MAX = 1000;

export interface AudienceOption {
  /** college:<名称> | major:<名称> | exam:<计划编号> | missing:all */
  value: string;
  text: string;
}

/** `kept` is what was entered before a refused preview, shown again so nothing is retyped. */
export function broadcastFormCard(options: AudienceOption[], problem?: string, kept: { audience?: string; text?: string } = {}): Card {
  const audience = options.some((o) => o.value === kept.audience) ? kept.audience : undefined;
  return card({
    title: '群发通知',
    template: problem ? 'red' : 'blue',
    elements: [
      ...(problem ? [markdown(`**${md(problem)}**`)] : []),
      form({
        name: 'broadcast',
        submitText: '预览',
        value: { action: BROADCAST_ACTIONS.preview, v: BROADCAST_VERSION },
        elements: [
          select({ name: AUDIENCE_FIELD, placeholder: '发送对象', options, required: true, initial: audience }),
          input({ name: TEXT_FIELD, label: '通知内容', placeholder: '要发送的文字', multiline: true, required: true, maxLength: BROADCAST_TEXT_MAX, value: kept.text }),
        ],
      }),
      note('预览后确认才会发送；每人只会收到一次。'),
    ],
  });
}

export const broadcastPreview = z.object({
  broadcastId: z.string(),
  audience: z.string(),
  text: z.string(),
  count: z.number().int().nonnegative(),
  first: z.array(z.string()),
  /** set once confirmed */
  progress: z.object({ sent: z.number().int(), failed: z.number().int(), total: z.number().int() }).nullish(),
});
export type BroadcastPreview = z.infer<typeof broadcastPreview>;

export function broadcastPreviewCard(d: BroadcastPreview): Card {
  const p = d.progress;
  const done = p ? p.sent + p.failed >= p.total : false;
  return card({
    title: p ? (done ? '群发完成' : '群发中…') : '确认群发',
    template: p ? (done ? (p.failed ? 'orange' : 'green') : 'wathet') : 'orange',
    elements: [
      facts([
        ['发送对象', md(d.audience)],
        ['人数', `${d.count} 人`],
        ['名单', md(d.first.join('、')) + (d.count > d.first.length ? ` 等 ${d.count} 人` : '')],
      ]),
      markdown(`**内容：**\n${md(d.text)}`),
      ...(p
        ? [markdown(`已发送 ${p.sent} / ${p.total}${p.failed ? `，失败 ${p.failed}（已通知认定中心）` : ''}`)]
        : [
            actions([
              button({
                text: `确认发送（${d.count} 人）`,
                type: 'primary_filled',
                value: { action: BROADCAST_ACTIONS.confirm, v: BROADCAST_VERSION, broadcastId: d.broadcastId },
              }),
            ]),
          ]),
      note('只发给已绑定飞书的学生；未绑定的不在名单内。'),
    ],
  });
}
