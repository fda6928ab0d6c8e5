// The skills page (issue 13): engagement with the modules (the funnel by module), homework to
// review, and the library. Each tab has its own address (/skills, /skills/homework,
// /skills/library) so a link or the back button lands on it.
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { Stack, Tabs } from '@mantine/core';
import { PageTitle } from '../../components/common.tsx';
import { SkillsReport } from './SkillsReport.tsx';
import { HomeworkQueue } from './Homework.tsx';
import { Library } from './Library.tsx';

const TABS = { engagement: '/skills', homework: '/skills/homework', library: '/skills/library' } as const;
type Tab = keyof typeof TABS;

export function SkillsPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const tab: Tab = location.pathname.startsWith(TABS.homework) ? 'homework' : location.pathname.startsWith(TABS.library) ? 'library' : 'engagement';
  return (
    <Stack>
      <PageTitle title={`${t('skills.page.title')} · ${t(`skills.page.tabs.${tab}`)}`}>{t('skills.page.title')}</PageTitle>
      <Tabs value={tab} onChange={(v) => v && navigate(TABS[v as Tab])} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="engagement">{t('skills.page.tabs.engagement')}</Tabs.Tab>
          <Tabs.Tab value="homework">{t('skills.page.tabs.homework')}</Tabs.Tab>
          <Tabs.Tab value="library">{t('skills.page.tabs.library')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="engagement" pt="md">
          <SkillsReport />
        </Tabs.Panel>
        <Tabs.Panel value="homework" pt="md">
          <HomeworkQueue />
        </Tabs.Panel>
        <Tabs.Panel value="library" pt="md">
          <Library />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
