// Homework to review (issue 13): what patients handed in that nobody has reviewed yet, newest
// first — only my caseload's patients, or the whole programme. Each row opens the patient's
// page at their skills, where the entry is read and reviewed.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Anchor, Stack, Switch, Table, Text } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { ShowMore, TableHead, WhoCanSee } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { useHomeworkToReview } from '../../queries/skills.ts';
import { say, useLang } from './shared.ts';

export function HomeworkQueue() {
  const { t, i18n } = useTranslation();
  const { program } = useSession();
  const lang = useLang();
  const [mine, setMine] = useState(true);
  const q = useHomeworkToReview(mine);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm" data-testid="homework-queue">
      <Text size="sm" c="dimmed">
        {t('skills.homework.intro')}
      </Text>
      <WhoCanSee permission="read:skills" />
      <Switch label={t('skills.homework.mine')} checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
      <ErrorAlert error={q.error} />
      {q.data && items.length === 0 ? <Text c="dimmed">{mine ? t('skills.homework.noneMine') : t('skills.homework.none')}</Text> : null}
      {items.length > 0 ? (
        <Table verticalSpacing={4}>
          <TableHead labels={[t('skills.homework.patient'), t('skills.homework.module'), t('skills.homework.handedIn')]} />
          <Table.Tbody>
            {items.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${h.patientId}#skills`}>
                    {h.patientName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{say(h.moduleTitle, lang)}</Table.Td>
                <Table.Td>{formatDateTime(h.enteredAt, i18n.language, program?.timeZone)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <ShowMore query={q} />
    </Stack>
  );
}
