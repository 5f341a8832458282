// The phone app's "confirm your mobile number": pages are texted and called only to a number its person has
// confirmed with the code texted to it (docs/security.md, Push and phone). Shown only while it is unconfirmed.
import { api, h, notice } from './common.js';

/** Shows the confirmation box after {@code anchor} when the person's number is not confirmed yet. */
export async function mountPhoneConfirmation(anchor) {
  const r = await api('/api/v1/me/contact');
  if (!anchor || !r.ok || !r.data || !r.data.phone || r.data.phoneConfirmed) return;
  const error = h('p', { class: 'field-error', id: 'phone-code-error', 'aria-live': 'polite' });
  const code = h('input', {
    id: 'phone-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6',
    'aria-describedby': 'phone-code-error',
  });
  const box = h('section', { class: 'phone-confirm', 'aria-label': 'Confirm your mobile number' },
    h('p', {}, `Pages are texted and called to ${r.data.phone} only once you confirm it with the code texted to it.`),
    h('label', { for: 'phone-code' }, 'Code'), code,
    h('button', {
      type: 'button',
      onclick: async () => {
        const answer = await api('/api/v1/me/contact/confirm', { method: 'POST', body: { code: code.value.trim() } });
        if (answer.ok) {
          box.remove();
          notice('Your number is confirmed: pages will be texted and called to it.');
        } else {
          const v = answer.data && answer.data.violations && answer.data.violations[0];
          error.textContent = v ? `Code ${v.reason}` : (answer.data && answer.data.detail) || 'Try again.';
        }
      },
    }, 'Confirm'),
    h('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        const sent = await api('/api/v1/me/contact/code', { method: 'POST' });
        error.textContent = sent.ok ? 'A new code is on its way.' : (sent.data && sent.data.detail) || 'Try again.';
      },
    }, r.data.codeSentAt ? 'Text me a new code' : 'Text me a code'),
    error);
  anchor.after(box);
}
