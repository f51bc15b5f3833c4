import { z } from 'zod';
import { MATERIAL_LABEL, type MaterialKind } from '../domain/model';
import { actions, button, card, markdown, md, note, type Card } from './kit';

// Which material is this? Asked when a file or image arrives and the bot cannot tell;
// also the 提交材料 menu, where a button announces what the next file will be. A button
// carries the material kind and, when answering for a file already sent, that
// message's id — looked up among the clicking user's own pending files only.

export const MATERIAL_CARD_VERSION = 1;
export const MATERIAL_CHOOSE_ACTION = 'student.material.choose';

export const UPLOADABLE = ['photo', 'id_front', 'id_back', 'student_id', 'held_certificate'] as const satisfies ReadonlyArray<Exclude<MaterialKind, 'filing_form'>>;

export const materialChooseSchema = z.object({
  action: z.literal(MATERIAL_CHOOSE_ACTION),
  v: z.number(),
  kind: z.enum(UPLOADABLE),
  pending: z.string().optional(),
});

const BUTTON_TEXT: Record<(typeof UPLOADABLE)[number], string> = {
  photo: '电子证件照',
  id_front: '身份证人像面',
  id_back: '身份证国徽面',
  student_id: '学生证',
  held_certificate: '已取得证书',
};

/** Asks what a file already sent is. */
export function materialKindCard(d: { pending: string; fileName?: string | null }): Card {
  return card({
    title: '这是哪一项材料？',
    template: 'wathet',
    elements: [
      markdown(`收到你发的${d.fileName ? `文件「${md(d.fileName)}」` : '图片'}，请选择它是哪一项材料：`),
      actions(
        UPLOADABLE.map((kind) =>
          button({ text: BUTTON_TEXT[kind], value: { action: MATERIAL_CHOOSE_ACTION, v: MATERIAL_CARD_VERSION, kind, pending: d.pending } }),
        ),
      ),
    ],
  });
}

/** The question once answered: the choice, and no buttons left to click. */
export function materialKindAnsweredCard(d: { fileName?: string | null; kind: MaterialKind | null }): Card {
  return card({
    title: '这是哪一项材料？',
    template: 'grey',
    elements: [
      markdown(
        d.kind
          ? `${d.fileName ? `文件「${md(d.fileName)}」` : '这张图片'}：已选择 **${MATERIAL_LABEL[d.kind]}**，检查结果见下方消息。`
          : `${d.fileName ? `文件「${md(d.fileName)}」` : '这张图片'}已处理过或已过期；如需提交，请重新发送。`,
      ),
    ],
  });
}

/** The 提交材料 menu: pick what you are about to send, then send it. */
export function materialMenuCard(d: { photoSpec: string; announced?: MaterialKind | null }): Card {
  return card({
    title: '提交材料',
    template: 'blue',
    elements: [
      markdown(
        d.announced
          ? `好的，请现在发送**${MATERIAL_LABEL[d.announced]}**（图片或文件均可）。`
          : '先点下面要提交的是哪一项，再把图片或文件发到这里；也可以直接发送，我会问你是哪一项。',
      ),
      actions(
        UPLOADABLE.map((kind) =>
          button({
            text: `提交${BUTTON_TEXT[kind]}`,
            type: d.announced === kind ? 'primary' : 'default',
            value: { action: MATERIAL_CHOOSE_ACTION, v: MATERIAL_CARD_VERSION, kind },
          }),
        ),
      ),
      note(`照片要求：${md(d.photoSpec)}。身份证国徽面需填写有效期限。依据已取得的证书认定等级的，还需提交该证书复印件。扫描件可为 JPG、PNG 或 PDF，单个文件不超过 10 MB。`),
    ],
  });
}
