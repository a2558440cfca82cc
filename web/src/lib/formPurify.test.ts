import { describe, expect, it } from 'vitest';
import DOMPurify, { loadPurify, needsPurify, onPurify, preparePurify } from './formPurify';

describe('DOMPurify for the form renderer', () => {
  it('is needed only by forms with an HTML field', () => {
    expect(needsPurify({ components: [{ type: 'text', text: '<b>markdown</b>' }, { type: 'textfield', key: 'a' }] })).toBe(false);
    expect(needsPurify({ components: [{ type: 'group', components: [{ type: 'html', content: '<p>x</p>' }] }] })).toBe(true);
    expect(preparePurify({ components: [{ type: 'textfield', key: 'a' }] })).toBeNull();
  });

  it('shows nothing unsanitized before it is loaded, then tells the form to render again', async () => {
    expect(DOMPurify.sanitize('<img src=x onerror=alert(1)>', {})).toBe('');
    let rendered = 0;
    const stop = onPurify(() => rendered++);
    await loadPurify();
    stop();
    expect(rendered).toBe(1);
  });
});
