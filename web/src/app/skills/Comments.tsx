// What the counsellor wrote back about the patient's work: "Your counselor wrote: …", with
// the day and who wrote it.
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../format.ts';
import type { AppCommentT } from './api.ts';
import { localDay } from './text.tsx';

export function Comments({ comments, title }: { comments: AppCommentT[]; title?: (c: AppCommentT) => string | null }) {
  const { t, i18n } = useTranslation();
  if (comments.length === 0) return null;
  return (
    <ul className="plain sk-comments" data-testid="comments">
      {comments.map((c) => (
        <li key={`${c.entryId}-${c.reviewedAt}`} className="notice">
          {title?.(c) ? <p className="sk-comment-about">{title(c)}</p> : null}
          <p>
            <strong>{t('patientApp.skills.comment')}</strong> “{c.comment}”
          </p>
          <p className="hint">
            {c.by ? t('patientApp.skills.commentBy', { name: c.by, date: formatDate(localDay(new Date(c.reviewedAt)), i18n.language) }) : formatDate(localDay(new Date(c.reviewedAt)), i18n.language)}
          </p>
        </li>
      ))}
    </ul>
  );
}
