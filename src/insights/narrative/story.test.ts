import { describe, expect, it } from 'vitest';
import { countedAs } from './story.ts';

describe('countedAs', () => {
  it('says what a yes/no outcome’s rows did, in the right voice', () => {
    expect(countedAs('crashed = 1')).toBe('crashed');
    expect(countedAs('churned = Yes')).toBe('churned');
    expect(countedAs('approved = yes')).toBe('were approved');
    expect(countedAs('admitted = Yes')).toBe('were admitted');
    expect(countedAs('is_active = 1')).toBe('are active');
    expect(countedAs('has_coupon = true')).toBe('have coupon');
    expect(countedAs('plan = Pro')).toBe('have plan = Pro');
  });
});
