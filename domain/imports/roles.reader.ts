// 角色名单: who may do what in the bot. A person may hold several roles (one row each).
// College staff are bound to exactly one college; a student may name theirs; for the
// school-wide roles a 学院 is rejected rather than silently dropped, because it usually
// means the role was typed in the wrong row.
import { normaliseKey } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import { ROLE_LABEL } from '../model';
import type { InputProblem, Result, Role, RoleAssignment } from '../model';
import { dataRows, failed, locateTables, ok, problemAt } from './table';

type Key = 'seq' | 'openId' | 'name' | 'role' | 'college';

export const ROLE_COLUMNS: HeaderSpec<Key>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'openId', aliases: ['open_id', 'openid', 'open id', 'OpenID', 'Open_ID', 'OPEN_ID', '飞书open_id'], required: true },
  { key: 'name', aliases: ['姓名'], required: true },
  { key: 'role', aliases: ['角色'], required: true },
  { key: 'college', aliases: ['学院', '二级学院'], required: false },
];

const ROLE_WORDS: Record<string, Role> = {
  ...Object.fromEntries(Object.entries(ROLE_LABEL).map(([role, label]) => [label, role as Role])),
  学院老师: 'college',
  学院管理员: 'college',
  职业技能等级认定中心: 'center',
  领导小组: 'office',
};

const OPEN_ID = /^ou_[0-9A-Za-z_]+$/;

export function readRoles(grids: Grid[], opts: { colleges?: string[] } = {}): Result<RoleAssignment[]> {
  const located = locateTables(grids, ROLE_COLUMNS);
  if (!located.ok) return located;
  const problems: InputProblem[] = [];
  const seen = new Map<string, { role: RoleAssignment; where: string }>();
  const out: RoleAssignment[] = [];
  for (const table of located.value) {
    for (const row of dataRows(table, ['seq'])) {
      const before = problems.length;
      const report = (key: Key, code: string, message: string) => problems.push(problemAt(row.ref(key), code, message));
      const openId = row.text('openId').replace(/\s+/g, '');
      if (openId === '') report('openId', 'role.open_id', 'open_id 为空');
      else if (!OPEN_ID.test(openId)) report('openId', 'role.open_id', `open_id「${openId}」格式不对，应以 ou_ 开头（在飞书开放平台或通讯录中查询）`);
      const name = row.text('name');
      if (name === '') report('name', 'role.name', '姓名为空');
      const role = ROLE_WORDS[normaliseKey(row.text('role'))];
      if (!role) report('role', 'role.role', `角色「${row.text('role')}」应为 ${Object.values(ROLE_LABEL).join('、')} 之一`);
      const collegeText = row.text('college');
      let college: string | null = null;
      if (role === 'college') {
        if (collegeText === '') report(row.has('college') ? 'college' : 'role', 'role.college_missing', '学院角色必须填写所属学院');
        else {
          college = opts.colleges?.find((c) => normaliseKey(c) === normaliseKey(collegeText)) ?? null;
          if (!opts.colleges) college = collegeText;
          else if (college === null) report('college', 'role.college_unknown', `学院「${collegeText}」不在学院名单中（${opts.colleges.join('、')}）`);
        }
      } else if (role === 'student' && collegeText !== '') {
        college = opts.colleges ? (opts.colleges.find((c) => normaliseKey(c) === normaliseKey(collegeText)) ?? null) : collegeText;
        if (college === null) report('college', 'role.college_unknown', `学院「${collegeText}」不在学院名单中（${opts.colleges!.join('、')}）`);
      } else if (role && collegeText !== '') {
        report('college', 'role.college_extra', `角色「${ROLE_LABEL[role]}」不属于某个学院，学院一栏应留空（学院老师请把角色填为“学院”）`);
      }
      if (problems.length > before || !role) continue;
      const assignment: RoleAssignment = { openId, name, role, college };
      const where = `工作表 ${row.grid.name} 第 ${row.row} 行`;
      const prev = seen.get(`${openId}|${role}`);
      if (prev) {
        if (JSON.stringify(prev.role) !== JSON.stringify(assignment)) {
          report('openId', 'role.duplicate', `open_id ${openId} 的角色「${ROLE_LABEL[role]}」与${prev.where}重复且内容不同，请只保留正确的一行`);
        }
        continue;
      }
      const samePerson = [...seen.values()].find((v) => v.role.openId === openId && v.role.name !== name);
      if (samePerson) {
        report('name', 'role.name_conflict', `open_id ${openId} 在${samePerson.where}的姓名是「${samePerson.role.name}」，与本行「${name}」不同`);
        continue;
      }
      seen.set(`${openId}|${role}`, { role: assignment, where });
      out.push(assignment);
    }
  }
  if (problems.length) return failed(problems);
  return ok(out);
}
