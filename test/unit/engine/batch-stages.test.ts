import { describe, expect, it } from 'vitest';
import { awaitingReview, deciderOf, ISSUE_STAGE, RESUBMIT, reviewStageOf, stageOf } from '../../../domain/batch-stages';
import type { BatchStatus } from '../../../domain/model';

describe('a batch’s stages', () => {
  it.each<[BatchStatus, string | null, 'center' | 'office' | null, BatchStatus | null]>([
    ['submitted', '审核', 'center', 'center_approved'],
    ['center_approved', '复审', 'office', 'office_approved'],
    ['office_approved', '发证', 'center', 'issued'],
    ['issued', null, null, null],
    ['returned', null, null, null],
  ])('%s waits for %s by %s, then moves to %s', (status, verb, role, next) => {
    expect(stageOf(status)?.verb ?? null).toBe(verb);
    expect(deciderOf(status)).toBe(role);
    expect(stageOf(status)?.approveTo ?? null).toBe(next);
  });

  it('lets only the two reviews return a batch to the college', () => {
    expect(reviewStageOf('submitted')?.returnAction).toBe('center_return');
    expect(reviewStageOf('center_approved')?.returnAction).toBe('office_return');
    expect(reviewStageOf('office_approved')).toBeUndefined();
    expect(ISSUE_STAGE).toMatchObject({ from: 'office_approved', approveTo: 'issued', approveAction: 'issue', role: 'center' });
  });

  it('lists for each reviewer the batches waiting for them, and resubmits a returned batch', () => {
    expect(awaitingReview('center')).toBe('submitted');
    expect(awaitingReview('office')).toBe('center_approved');
    expect(RESUBMIT).toEqual({ from: 'returned', to: 'submitted', action: 'resubmit' });
  });
});
