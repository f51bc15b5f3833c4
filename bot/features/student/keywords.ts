// What a student's words ask for, by simple keyword rules (no language model): the
// first rule whose words appear wins, so the more specific ones come first.

export type StudentIntent = 'bind' | 'requirements' | 'status' | 'materials' | 'filingForm' | 'help';

const RULES: Array<[StudentIntent, RegExp]> = [
  ['bind', /^\s*绑定/],
  ['filingForm', /备案表|审核表|填表|填写表/],
  ['status', /进度|状态|成绩|还差|缺什么|缺少|差什么|审核到|结果|等级|考试安排|什么时候考/],
  ['materials', /提交材料|交材料|上传|提交照片|证件照|照片|身份证|学生证|材料/],
  ['requirements', /要求|条件|标准|课程|权重|方案|截止|怎么申报|如何申报|需要什么/],
  ['help', /帮助|help|菜单|你好|您好|^hi$|^\?$|^？$/i],
];

export function classify(text: string): StudentIntent | null {
  const t = text.trim();
  for (const [intent, re] of RULES) if (re.test(t)) return intent;
  return null;
}
