// Skills modules on a care plan's intervention (issue 13): for an intervention some module
// serves (CBT, MI, CRA …), the modules already assigned from it and "Assign a module", which
// opens the patient page's AssignModal with the plan and the intervention (suggestions for it).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Group, Text } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { useModuleLibrary, usePatientSkills } from '../../queries/skills.ts';
import { AssignModal } from './AssignModal.tsx';
import { say, useLang } from './shared.ts';

export function InterventionSkills({ patientId, carePlanId, interventionId, code }: { patientId: string; carePlanId: string; interventionId: string; code: string | null }) {
  const { can } = useSession();
  if (!code || !can('read:skills')) return null;
  return <Assigned patientId={patientId} carePlanId={carePlanId} interventionId={interventionId} code={code} />;
}

function Assigned({ patientId, carePlanId, interventionId, code }: { patientId: string; carePlanId: string; interventionId: string; code: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const lang = useLang();
  const library = useModuleLibrary();
  const skills = usePatientSkills(patientId);
  const [assigning, setAssigning] = useState(false);
  const served = library.data?.items.some((m) => m.status === 'published' && (m.interventions as readonly string[]).includes(code)) ?? false;
  if (!served) return null;
  const fromHere = (skills.data?.modules ?? []).filter((m) => m.assignment?.carePlanId === carePlanId && m.assignment.interventionId === interventionId);
  return (
    <Group gap="xs" mt={4} data-testid="intervention-skills">
      {fromHere.length ? <Text size="xs">{t('skills.plan.assigned', { list: fromHere.map((m) => `${say(m.title, lang)} (${t(`skills.status.${m.status}`)})`).join(', ') })}</Text> : null}
      {can('write:skills') ? (
        <Button size="compact-xs" variant="light" onClick={() => setAssigning(true)} aria-label={t('skills.plan.assignLabel', { intervention: t(`interventions.${code}`, { defaultValue: code }) })}>
          {t('skills.plan.assign')}
        </Button>
      ) : null}
      {assigning ? <AssignModal patientId={patientId} from={{ carePlanId, interventionId, interventionCode: code }} onClose={() => setAssigning(false)} /> : null}
    </Group>
  );
}
