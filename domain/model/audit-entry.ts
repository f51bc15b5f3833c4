import type { IsoInstant } from '../model';

/** One line of the audit log (who did what to which record, and when), as stored. */
export interface AuditEntry {
  id: number;
  at: IsoInstant;
  actorOpenId: string;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown>;
}
