import { z } from 'zod';
import { LEVEL_LABEL, type Level } from '../domain/model';
import { actions, button, card, markdown, md, note, type Card } from './kit';

// Asked when a workbook fits more than one of the college's schemes (two majors that
// share courses): one button per candidate. The handler re-checks that the chosen
// scheme belongs to the clicker's college and that the upload is still waiting.

export const SCHEME_SELECT_VERSION = 1;
export const SCHEME_SELECT_ACTIONS = { choose: 'college.scheme.choose' } as const;

export const schemeChooseValue = z.object({
  action: z.literal(SCHEME_SELECT_ACTIONS.choose),
  v: z.number(),
  uploadId: z.string().min(1),
  schemeCode: z.string().min(1),
});

export interface SchemeOption {
  code: string;
  major: string;
  occupation: string;
  level: Level | null;
}

export interface SchemeSelectData {
  uploadId: string;
  fileName: string;
  candidates: SchemeOption[];
  /** once chosen, the card says so and offers no buttons */
  chosen?: string | null;
}

export function schemeSelectCard(d: SchemeSelectData): Card {
  const label = (o: SchemeOption) => `${o.major} · ${o.occupation}${o.level ? ` · ${LEVEL_LABEL[o.level]}` : ''}（${o.code}）`;
  if (d.chosen) {
    const o = d.candidates.find((c) => c.code === d.chosen);
    return card({
      title: '已选择考核方案',
      template: 'green',
      elements: [markdown(`《${md(d.fileName)}》按 **${md(o ? label(o) : d.chosen)}** 计算，结果稍后发送。`)],
    });
  }
  return card({
    title: '请选择考核方案',
    template: 'orange',
    elements: [
      markdown(`《${md(d.fileName)}》的课程同时符合以下几个考核方案，请选择这份成绩表对应的方案：`),
      actions(
        d.candidates.map((o) =>
          button({ text: label(o), value: { action: SCHEME_SELECT_ACTIONS.choose, v: SCHEME_SELECT_VERSION, uploadId: d.uploadId, schemeCode: o.code } }),
        ),
      ),
      note('以后可在成绩表标题中写明专业名称，例如“电子商务专业 2020级成绩表”，就能自动识别。'),
    ],
  });
}
