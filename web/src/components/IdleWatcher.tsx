// Automatic sign-out. The server ends a session after the organisation's idle minutes
// without a request. While the user works (keys, pointer, scrolling) the console keeps
// the session alive with a light request; when they have been away for all but one
// minute it warns, and when the time is up it signs out and returns to sign-in.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, Text } from '@mantine/core';
import { api, onRequest } from '../api.ts';

const WARN_MS = 60_000;
/** The server refreshes its "last seen" only when it is older than 30 s; stay on the safe side. */
const SERVER_TOUCH_MS = 35_000;
/** Keep-alive requests go out at most this often while the user is active. */
const KEEP_ALIVE_MS = 60_000;
const SAFETY_MS = 3_000;

export function IdleWatcher({ idleTimeoutMinutes }: { idleTimeoutMinutes: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idleMs = idleTimeoutMinutes * 60_000;
  const serverSeenAt = useRef(Date.now());
  const lastActivity = useRef(Date.now());
  const pinging = useRef(false);
  const [remaining, setRemaining] = useState<number | null>(null);
  const warning = remaining !== null;
  const warningRef = useRef(false);
  warningRef.current = warning;
  const ended = useRef(false);

  useEffect(
    () =>
      onRequest((at) => {
        if (at - serverSeenAt.current > SERVER_TOUCH_MS) serverSeenAt.current = at;
      }),
    [],
  );

  const keepAlive = () => {
    if (pinging.current) return;
    pinging.current = true;
    api
      .me()
      .then((me) => {
        serverSeenAt.current = Date.now();
        queryClient.setQueryData(['me'], me);
      })
      .catch(() => undefined)
      .finally(() => {
        pinging.current = false;
      });
  };

  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = Date.now();
      if (!warningRef.current && Date.now() - serverSeenAt.current > KEEP_ALIVE_MS) keepAlive();
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
    // keepAlive only uses refs and the stable query client
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const tick = () => {
      const left = serverSeenAt.current + idleMs - SAFETY_MS - Date.now();
      if (left <= 0) {
        if (ended.current) return;
        ended.current = true;
        setRemaining(null);
        void api
          .signOut()
          .catch(() => undefined)
          .finally(() => {
            queryClient.clear();
            navigate('/sign-in', { replace: true, state: { message: 'idle' } });
          });
      } else if (left <= WARN_MS) {
        setRemaining(Math.ceil(left / 1000));
      } else if (warningRef.current) {
        setRemaining(null);
      }
    };
    const id = window.setInterval(tick, 1000);
    return () => window.clearInterval(id);
  }, [idleMs, navigate, queryClient]);

  const stay = () => {
    setRemaining(null);
    keepAlive();
  };
  const signOutNow = () => {
    ended.current = true;
    void api
      .signOut()
      .catch(() => undefined)
      .finally(() => {
        queryClient.clear();
        navigate('/sign-in', { replace: true });
      });
  };

  return (
    <Modal opened={warning} onClose={stay} title={t('idle.title')} centered closeOnClickOutside={false}>
      <Text>{t('idle.body', { count: Math.max(1, Math.ceil(idleTimeoutMinutes)) })}</Text>
      <Text mt="sm" fw={600} aria-live="off">
        {t('idle.countdown', { seconds: remaining ?? 0 })}
      </Text>
      <Group mt="lg" justify="flex-end">
        <Button variant="default" onClick={signOutNow}>
          {t('idle.signOutNow')}
        </Button>
        <Button onClick={stay} data-autofocus>
          {t('idle.stay')}
        </Button>
      </Group>
    </Modal>
  );
}
