// On a family member's row of the patient's Privacy and sharing card (issue 16): how many of the
// family education lessons they finished in their app (nothing while none), with the lessons' names on hover and for
// screen readers. The family member's own record (read:family), not the patient's.
import { useTranslation } from 'react-i18next';
import { Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { MemberLessons as MemberLessonsOut } from '../../../../contracts/family-education.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';

export function MemberLessons({ familyMemberId }: { familyMemberId: string }) {
  const { t } = useTranslation();
  const { program } = useSession();
  const q = useQuery({
    queryKey: ['family-education', program?.id ?? '', familyMemberId],
    queryFn: () => json<z.infer<typeof MemberLessonsOut>>(`/family-members/${encodeURIComponent(familyMemberId)}/lessons`),
  });
  if (!q.data || q.data.items.length === 0) return null;
  const names = q.data.items.map((l) => l.title).join(', ');
  const line = (
    <Text size="xs" c="dimmed" data-testid="family-row-lessons">
      {t('familyEducation.lessons.count', { n: q.data.items.length, total: q.data.total })}
      <span className="sr-only">{`: ${names}`}</span>
    </Text>
  );
  return (
    <Tooltip label={`${t('familyEducation.lessons.title')}: ${names}`} multiline w={260}>
      {line}
    </Tooltip>
  );
}
