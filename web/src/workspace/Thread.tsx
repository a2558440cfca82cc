// One message thread of a case, oldest first: the staff case view and the
// citizen's postbox show it (who wrote, when, read or not, attachments).
import { usePack } from '../lib/i18n';
import { workspacePack } from './messages';
import { formatSize, type PostfachMessage } from './case_api';

// One message thread, oldest first; used by the case view and the citizen's postbox.
export function Thread({ messages, reader, attachmentUrl }: {
  messages: PostfachMessage[]; reader: 'office' | 'citizen'; attachmentUrl: (messageId: string, idx: number) => string;
}) {
  const { t, lang } = usePack(workspacePack);
  const date = (iso: string) => new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');
  if (!messages.length) return <p>{t('noMessages')}</p>;
  return (
    <ol class="thread">
      {messages.map((m) => {
        const own = reader === 'citizen' ? m.direction === 'toOffice' : m.direction === 'toCitizen';
        const readAt = m.direction === 'toCitizen' ? m.readByCitizenAt : m.readByOfficeAt;
        return (
          <li key={m.id} class={`message ${own ? 'message-own' : ''}`} data-direction={m.direction}>
            <article aria-labelledby={`msg-${m.id}`}>
              <h3 id={`msg-${m.id}`}>{m.subject}</h3>
              <p class="message-meta">
                {m.direction === 'toCitizen' ? t('fromOffice') : reader === 'citizen' ? t('ownMessage') : t('fromCitizen')}
                {' · '}{t('sent', { date: date(m.createdAt) })}
                {' · '}<span class="message-read">{readAt ? t('readAt', { date: date(readAt) }) : t('unread')}</span>
              </p>
              <p class="message-text">{m.text}</p>
              {m.attachments.length ? (
                <ul class="attachment-list" aria-label={t('attachments')}>
                  {m.attachments.map((a) => (
                    <li key={a.idx}><a href={attachmentUrl(m.id, a.idx)} download={a.filename}>{t('downloadNamed', { name: a.filename })}</a> ({formatSize(a.size, lang)})</li>
                  ))}
                </ul>
              ) : null}
            </article>
          </li>
        );
      })}
    </ol>
  );
}

