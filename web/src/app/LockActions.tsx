// Lock and "Remove from this phone" (with its confirmation): the end of the patient's Today and
// of the family member's screen, the same on both.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function LockActions({ onLock, onSignOut }: { onLock: () => void; onSignOut: () => Promise<void> }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <div className="actions">
        <button type="button" onClick={onLock} data-testid="lock">
          {t('patientApp.today.lock')}
        </button>
        {confirming ? null : (
          <button type="button" onClick={() => setConfirming(true)} data-testid="sign-out">
            {t('patientApp.today.signOut')}
          </button>
        )}
      </div>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="sign-out-q">
          <p id="sign-out-q">{t('patientApp.today.signOutQuestion')}</p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => void onSignOut()} data-testid="sign-out-confirm">
              {t('patientApp.today.signOutYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('patientApp.today.signOutNo')}
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
