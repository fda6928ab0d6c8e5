// A patient's visits on the patient page: newest first, with what happened at each, and a
// way to book the next one.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Button, Modal, Table, Text } from '@mantine/core';
import { useSession } from '../../session.tsx';
import { todayIn } from '../../format.ts';
import { TableHead } from '../../components/common.tsx';
import { ErrorAlert } from '../../components/forms.tsx';
import { Section } from '../../components/Section.tsx';
import { usePatientEncounters } from '../../queries/encounters.ts';
import { BookForm } from './Schedule.tsx';
import { AttendanceBadge, useTypeLabel, useWhen } from './shared.tsx';

export function PatientVisitsSection({ patientId, patientName }: { patientId: string; patientName: string }) {
  const { t } = useTranslation();
  const { can, program } = useSession();
  const visits = usePatientEncounters(patientId);
  const typeLabel = useTypeLabel();
  const when = useWhen();
  const [booking, setBooking] = useState(false);
  const items = visits.data?.items ?? [];
  return (
    <Section
      title={t('encounters.visits')}
      permission="read:encounter"
      testId="patient-visits"
      actions={
        can('write:schedule') ? (
          <Button size="xs" variant="light" onClick={() => setBooking(true)}>
            {t('encounters.book')}
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={visits.error} />
      {visits.data && items.length === 0 ? <Text c="dimmed">{t('encounters.noVisits')}</Text> : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing="xs">
            <TableHead labels={[t('encounters.when'), t('encounters.visit'), t('encounters.attendance')]} />
            <Table.Tbody>
              {items.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>
                    <Text component={Link} to={`/encounters/${v.id}`} size="sm" td="underline">
                      {when(v.startsAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{v.title ?? typeLabel(v.typeLabel)}</Text>
                    <Text size="xs" c="dimmed">
                      {v.staff.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {v.attendance ? (
                      <AttendanceBadge attendance={v.attendance} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t(`encounters.status.${v.status}`)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal opened={booking} onClose={() => setBooking(false)} title={t('encounters.book')} size="lg">
        <BookForm date={todayIn(program?.timeZone)} onDone={() => setBooking(false)} patient={{ id: patientId, name: patientName }} />
      </Modal>
    </Section>
  );
}
