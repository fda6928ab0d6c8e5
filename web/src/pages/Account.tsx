// The user's own account: change password, set up two-step sign-in.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Anchor, Card, List, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../session.tsx';
import { PageTitle } from '../components/common.tsx';
import { ChangePasswordForm, MfaEnrolment } from '../components/AuthForms.tsx';

export function AccountPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Stack>
      <PageTitle title={t('account.title')}>{t('account.title')}</PageTitle>
      <Text>{t('account.signedInAs', { name: me.user.displayName, email: me.user.email })}</Text>
      <List>
        <List.Item>
          <Anchor component={Link} to="/account/password">
            {t('shell.changePassword')}
          </Anchor>
        </List.Item>
        <List.Item>
          <Anchor component={Link} to="/account/two-step">
            {t('shell.setUpTwoStep')}
          </Anchor>
        </List.Item>
      </List>
    </Stack>
  );
}

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Stack maw={560}>
      <PageTitle title={t('password.title')}>{t('password.title')}</PageTitle>
      <Card withBorder padding="lg">
        <ChangePasswordForm
          onDone={() => {
            notifications.show({ color: 'teal', message: t('password.changed') });
            navigate('/');
          }}
        />
      </Card>
    </Stack>
  );
}

export function TwoStepPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Decided once: the page must keep showing the recovery codes after enrolment turns MFA on.
  const [alreadyOn] = useState(me.user.mfaEnabled);
  return (
    <Stack maw={680}>
      <PageTitle title={t('mfa.title')}>{t('mfa.title')}</PageTitle>
      <Card withBorder padding="lg">
        {alreadyOn ? (
          <Text>{t('mfa.alreadyOn')}</Text>
        ) : (
          <MfaEnrolment
            onDone={() => {
              void queryClient.invalidateQueries({ queryKey: ['me'] });
              notifications.show({ color: 'teal', message: t('mfa.enabled') });
              navigate('/');
            }}
          />
        )}
      </Card>
    </Stack>
  );
}
