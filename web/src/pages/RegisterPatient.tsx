// Registering a patient: the console first looks for records that may be the same
// person and shows them; the user opens one, or confirms this is a new person.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Anchor, Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, isApiError, type PatientSummaryT } from '../api.ts';
import { formatDate } from '../format.ts';
import { PageTitle, TableHead } from '../components/common.tsx';
import { ErrorAlert } from '../components/forms.tsx';
import { PatientFields, emptyPatient, toBody, type PatientFormValues } from '../components/PatientFields.tsx';

const identityKey = (v: PatientFormValues) => JSON.stringify([v.legalGivenName.trim().toLowerCase(), v.legalFamilyName.trim().toLowerCase(), v.birthDate, v.mrn.trim()]);

export function RegisterPatientPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<PatientFormValues>(emptyPatient);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState<{ key: string; candidates: PatientSummaryT[] } | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  const checkDuplicates = async (): Promise<PatientSummaryT[]> => {
    const res = await api.findDuplicates({
      legalGivenName: values.legalGivenName.trim(),
      legalFamilyName: values.legalFamilyName.trim(),
      birthDate: values.birthDate,
      ...(values.mrn.trim() ? { mrn: values.mrn.trim() } : {}),
    });
    setChecked({ key: identityKey(values), candidates: res.candidates });
    setConfirmed(false);
    return res.candidates;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fresh = !checked || checked.key !== identityKey(values);
      if (fresh) {
        const candidates = await checkDuplicates();
        if (candidates.length > 0) return;
      } else if (checked.candidates.length > 0 && !confirmed) {
        return;
      }
      const confirmNotDuplicate = !fresh && (checked?.candidates.length ?? 0) > 0 && confirmed;
      const patient = await api.registerPatient({ ...toBody(values), confirmNotDuplicate });
      void queryClient.invalidateQueries({ queryKey: ['patients'] });
      notifications.show({ color: 'teal', message: t('register.done') });
      navigate(`/patients/${patient.id}`);
    } catch (err) {
      if (isApiError(err) && err.code === 'possible_duplicate') {
        await checkDuplicates().catch(setError);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const candidates = checked && checked.key === identityKey(values) ? checked.candidates : null;

  return (
    <Stack maw={960}>
      <PageTitle title={t('register.title')}>{t('register.title')}</PageTitle>
      <Text>{t('register.intro')}</Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <PatientFields values={values} onChange={setValues} error={error} autoFocusFirst />
          {candidates && candidates.length > 0 ? (
            <Alert color="yellow" variant="light" title={t('register.possibleDuplicates', { count: candidates.length })} role="alert" icon={<span aria-hidden="true">!</span>}>
              <Stack gap="sm">
                <Text size="sm">{t('register.duplicatesIntro')}</Text>
                <Table.ScrollContainer minWidth={480}>
                  <Table withTableBorder>
                    <TableHead labels={[t('patients.name'), t('patients.birthDate'), t('patients.mrn')]} />
                    <Table.Tbody>
                      {candidates.map((c) => (
                        <Table.Tr key={c.id}>
                          <Table.Td>
                            <Anchor component={Link} to={`/patients/${c.id}`}>
                              {t('patient.fullName', { family: c.legalFamilyName, given: c.legalGivenName })}
                              {c.preferredName ? ` (${c.preferredName})` : ''}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{formatDate(c.birthDate, i18n.language)}</Table.Td>
                          <Table.Td>{c.mrn}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <Checkbox label={t('register.confirmNew')} checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />
              </Stack>
            </Alert>
          ) : null}
          {candidates && candidates.length === 0 ? (
            <Text size="sm" c="dimmed" role="status">
              {t('register.noDuplicates')}
            </Text>
          ) : null}
          <Group>
            <Button type="submit" loading={busy} disabled={!!candidates && candidates.length > 0 && !confirmed}>
              {candidates && candidates.length > 0 ? t('register.registerNew') : t('register.submit')}
            </Button>
            <Button variant="default" component={Link} to="/patients">
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
