import { idCheckDigit } from '../../../domain/id-number';

export { cbecScheme } from '../engine/cbec.fixture';
export { xlsx, type SheetSpec } from '../../support/workbooks';

/** A valid 18-digit ID for a birth date, with a real check digit. */
export function validId(birth: string, seq = 123): string {
  const first17 = `410105${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export const THEORY = ['电子商务概论', '网页设计与制作', '网络营销', '电子商务数据分析与应用', '网店运营与管理', '网上开店与创业'];
export const SKILL_ONLY = ['电子商务综合模拟实训', '网络店铺图文设计实训', '电商交易平台设计与开发实训', '3D 数字化电商类仿真实训'];
export const ALL_COURSES = [...THEORY, ...SKILL_ONLY];
