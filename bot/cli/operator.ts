import { userInfo } from 'node:os';
import { CLI_OPERATOR_PREFIX } from '../../domain/audit';

/** Who acts from the command line: the login, recorded as `cli:<login>` and shown as 命令行（<login>）. */
export function cliOperator(): { openId: string; name: string } {
  let login = 'unknown';
  try {
    login = userInfo().username || login;
  } catch {
    // no passwd entry (a container's random uid): still the command line
  }
  return { openId: `${CLI_OPERATOR_PREFIX}${login}`, name: `命令行（${login}）` };
}
