import { describe, expect, it } from 'vitest';
import { countedAs, joinSharingOpenings } from './story.ts';

describe('countedAs', () => {
  it('says what a yes/no outcome’s rows did, in the right voice', () => {
    expect(countedAs('crashed = 1')).toBe('crashed');
    expect(countedAs('churned = Yes')).toBe('churned');
    expect(countedAs('approved = yes')).toBe('were approved');
    expect(countedAs('admitted = Yes')).toBe('were admitted');
    expect(countedAs('is_active = 1')).toBe('are active');
    expect(countedAs('has_coupon = true')).toBe('have coupon');
    expect(countedAs('plan = Pro')).toBe('have plan = Pro');
    expect(countedAs('churned_12m = Yes')).toBe('churned within 12 months');
    expect(countedAs('readmitted_30d = 1')).toBe('were readmitted within 30 days');
  });
});

describe('joinSharingOpenings', () => {
  it('tells two sentences that open alike as one, and leaves the others as they are', () => {
    expect(
      joinSharingOpenings([
        'By category, the largest are Furniture and Lighting.',
        'Revenue is concentrated: the top 40 of 200 SKUs hold 60.1% of it.',
        'Revenue is concentrated: the top 2 of 6 categories hold 70.7% of it.',
        'Revenue is skewed: median €61.98.',
      ]),
    ).toBe(
      'By category, the largest are Furniture and Lighting. Revenue is concentrated: the top 40 of 200 SKUs hold 60.1% of it; the top 2 of 6 categories hold 70.7% of it. Revenue is skewed: median €61.98.',
    );
  });
});
