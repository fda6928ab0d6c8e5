// Says that a screen shows what this phone kept from the last time it was online, and when
// that was (useLoaded's `keep`, ADR 051). In the phone's own time: the patient's clock.
import { useTranslation } from 'react-i18next';

export function KeptNote({ at }: { at: string | null }) {
  const { t, i18n } = useTranslation();
  if (!at) return null;
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
  return (
    <p className="notice" role="status" data-testid="kept-note">
      {t('patientApp.kept', { time })}
    </p>
  );
}
