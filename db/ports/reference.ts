import type { CampaignState, CohortAdmission } from '../../domain/campaign';
import type { Campaign, CollegeTarget, Occupation, Role, RoleAssignment, Scheme } from '../../domain/model';
import type { UpsertCounts, UpsertOutcome } from '../mapping';

// Ports of the reference data the admin imports (colleges, occupations, schemes, roles,
// targets) and of the campaign years. Implemented in db/repositories/reference.repository.ts,
// campaign.repository.ts and cohort-admission.repository.ts.

export interface CollegeRepository {
  /** Adds missing colleges in the given order; existing ones keep their place. */
  upsertMany(names: string[]): Promise<UpsertCounts>;
  list(): Promise<string[]>;
}

export interface OccupationRepository {
  upsert(occupation: Occupation): Promise<UpsertOutcome>;
  get(name: string): Promise<Occupation | undefined>;
  list(): Promise<Occupation[]>;
}

export type SchemeStatus = 'draft' | 'approved';

export type StoredScheme = Scheme & {
  status: SchemeStatus;
  updatedAt: string;
  /** 1 for the first version; each approved change adds one */
  version: number;
  approvedBy: string | null;
  approvedAt: string | null;
};

/** A change to an approved scheme waiting for the center: the approved version stays in force. */
export interface SchemeDraft {
  code: string;
  version: number;
  scheme: Scheme;
  changes: string[];
  createdAt: string;
}

export type ApproveOutcome =
  | { outcome: 'approved'; scheme: StoredScheme; changes: string[] }
  | { outcome: 'already'; scheme: StoredScheme }
  | { outcome: 'not_found' };

export interface SchemeRepository {
  /**
   * Saves the scheme and its occupation. A new scheme starts as a draft unless a
   * status is given; re-saving identical content changes nothing (not even updatedAt).
   * Different content for an APPROVED scheme never replaces it: it becomes (or
   * replaces) the scheme's pending draft, with the differences listed, and the
   * approved version stays in force until the center approves the draft.
   */
  upsert(scheme: Scheme, opts?: { status?: SchemeStatus; now?: Date }): Promise<UpsertOutcome>;
  /** The pending change to an approved scheme, if any. */
  draft(code: string): Promise<SchemeDraft | undefined>;
  listDrafts(): Promise<SchemeDraft[]>;
  /**
   * The center approves: a draft scheme becomes approved, or an approved scheme's
   * pending change replaces it as the next version. Approving twice changes nothing.
   */
  approve(code: string, actor: string, now?: Date): Promise<ApproveOutcome>;
  setStatus(code: string, status: SchemeStatus, now?: Date): Promise<boolean>;
  get(code: string): Promise<StoredScheme | undefined>;
  list(): Promise<StoredScheme[]>;
  listByCollege(college: string): Promise<StoredScheme[]>;
  findByMajor(major: string): Promise<StoredScheme[]>;
}

export interface RoleRepository {
  upsertMany(assignments: RoleAssignment[]): Promise<UpsertCounts>;
  remove(openId: string, role: Role): Promise<boolean>;
  rolesOf(openId: string): Promise<RoleAssignment[]>;
  listByRole(role: Role): Promise<RoleAssignment[]>;
  listByCollege(college: string): Promise<RoleAssignment[]>;
}

export interface TargetRepository {
  upsertMany(targets: CollegeTarget[]): Promise<UpsertCounts>;
  list(year: number): Promise<CollegeTarget[]>;
}

export type StoredCampaign = Campaign & { state: CampaignState };

export type CampaignCloseOutcome = 'closed' | 'already_closed' | 'not_found' | 'is_current';

/** Campaigns (认定年度): exactly one is current; past ones stay open for their batches until closed. */
export interface CampaignRepository {
  /** Saves a campaign's dates and cohorts; it becomes current only when no campaign is. */
  upsert(campaign: Campaign): Promise<UpsertOutcome>;
  /**
   * Opens a new campaign and makes it the current one (the previous current stays open
   * for its unfinished batches). A year already on record is not touched.
   */
  open(campaign: Campaign): Promise<{ created: boolean; previous: number | null }>;
  /** Closes a past campaign; the current one stays until the next year is opened. */
  close(year: number): Promise<CampaignCloseOutcome>;
  get(year: number): Promise<StoredCampaign | undefined>;
  /** The one current campaign. */
  current(): Promise<Campaign | undefined>;
  list(): Promise<StoredCampaign[]>;
}

export interface CohortAdmissionRepository {
  /** Records (or re-words) an admission; false when the same reason was already on record. */
  admit(a: { year: number; studentNo: string; reason: string; actorOpenId: string; actorName: string | null; now?: Date }): Promise<boolean>;
  listForYear(year: number): Promise<CohortAdmission[]>;
}
