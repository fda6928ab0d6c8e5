// The "Assessment and plan" tab of the patient page: safety alerts first, then the stage
// of change, administering an instrument, recommendations and the care plan.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Grid, Stack } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { AdministerSection, AssessmentHistory, SafetyAlerts, StageSection } from './Assessments.tsx';
import { CarePlanSection, RecommendationsPanel, type DraftIntervention } from './CarePlan.tsx';
import { newIdempotencyKey } from '../../api.ts';

export function AssessTab({ patientId, patientLanguage }: { patientId: string; patientLanguage?: 'en' | 'es' }) {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const [pending, setPending] = useState<DraftIntervention[]>([]);
  return (
    <Stack data-testid="assess-tab">
      {can('read:safety-alert') ? <SafetyAlerts patientId={patientId} /> : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack>
            {can('read:stage') ? <StageSection patientId={patientId} /> : null}
            {can('write:assessment') ? <AdministerSection patientId={patientId} /> : null}
            {can('read:assessment') ? <AssessmentHistory patientId={patientId} /> : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack>
            {can('read:care-plan') ? (
              <RecommendationsPanel
                patientId={patientId}
                patientLanguage={patientLanguage}
                accepted={pending.map((p) => p.code ?? '')}
                onAccept={(r) =>
                  setPending((prev) => [
                    ...prev,
                    {
                      id: newIdempotencyKey(),
                      code: r.intervention,
                      source: 'recommendation',
                      text: t(`interventions.${r.intervention}`, { defaultValue: r.intervention }),
                      goalIds: [],
                      responsibleStaffIds: [me.user.id],
                      frequency: t('plan.defaultFrequency'),
                      status: 'planned',
                    },
                  ])
                }
              />
            ) : null}
            {can('read:care-plan') ? <CarePlanSection patientId={patientId} pending={pending} onPendingUsed={() => setPending([])} /> : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
