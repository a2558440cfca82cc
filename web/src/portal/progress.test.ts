import { describe, expect, it } from 'vitest';
import { messages } from '../lib/messages';
import { postfachHref, progressPath, stageKey, stepStateKey } from './progress';

const store = (entries: Record<string, string>) => ({ getItem: (k: string) => entries[k] ?? null });

describe('citizen progress', () => {
  it('names every stage the server sends in both languages', () => {
    for (const stage of ['received', 'in_progress', 'waiting', 'decided', 'completed', 'closed']) {
      const key = stageKey(stage);
      expect(key, stage).toBeDefined();
      expect(messages.de[key!]).not.toBe(messages.en[key!]);
    }
    expect(stageKey('anonymised')).toBeUndefined();
    expect(messages.de[stepStateKey('current')]).toBe('aktueller Stand');
  });

  it('builds the tenant-scoped progress path with the code escaped', () => {
    expect(progressPath('amt-musterland', '7K2M 9QXH')).toBe('/api/v1/tenants/amt-musterland/submissions/7K2M%209QXH/progress');
  });

  it('links the postbox only with the receipt key of this browser', () => {
    const receipt = JSON.stringify({ trackingCode: 'AB12-CD34-EF56', receipt: { key: 'k/+=' } });
    expect(postfachHref('amt', 'AB12-CD34-EF56', store({ 'amtsweg.receipt.AB12-CD34-EF56': receipt })))
      .toBe('/amt/postfach/AB12-CD34-EF56?key=k%2F%2B%3D');
    expect(postfachHref('amt', 'AB12-CD34-EF56', store({}))).toBeNull();
    expect(postfachHref('amt', 'AB12-CD34-EF56', store({ 'amtsweg.receipt.AB12-CD34-EF56': '{broken' }))).toBeNull();
    expect(postfachHref('amt', 'AB12-CD34-EF56', store({ 'amtsweg.receipt.AB12-CD34-EF56': '{"receipt":{}}' }))).toBeNull();
    expect(postfachHref('amt', 'AB12-CD34-EF56', undefined)).toBeNull();
  });
});
