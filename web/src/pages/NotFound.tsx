import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Anchor, Stack, Text } from '@mantine/core';
import { PageTitle } from '../components/common.tsx';

export function NotFoundPage({ forbidden = false }: { forbidden?: boolean }) {
  const { t } = useTranslation();
  const title = forbidden ? t('notFound.forbiddenTitle') : t('notFound.title');
  return (
    <Stack>
      <PageTitle title={title}>{title}</PageTitle>
      <Text>{forbidden ? t('notFound.forbiddenBody') : t('notFound.body')}</Text>
      <Anchor component={Link} to="/">
        {t('notFound.home')}
      </Anchor>
    </Stack>
  );
}
