// One patient: demographics (view and edit), medication for OUD, episodes of care and
// the care team; tabs for assessment and plan, screens over time, and CM. Each section appears only when the user's roles allow it, and says who
// can see it. The URL carries the patient's id only.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Grid, Group, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, isApiError, type PatientT } from '../api.ts';
import { useSession } from '../session.tsx';
import { formatDate, formatInstantDate, UUID_RE } from '../format.ts';
import { PageTitle } from '../components/common.tsx';
import { ErrorAlert, useAction } from '../components/forms.tsx';
import { Section } from '../components/Section.tsx';
import { PatientFields, toBody, valuesOf, type PatientFormValues } from '../components/PatientFields.tsx';
import { MedicationSection } from './patient/Medications.tsx';
import { EpisodesSection } from './patient/Episodes.tsx';
import { CareTeamSection } from './patient/CareTeam.tsx';
import { PatientAppSection } from './patient/PatientApp.tsx';
import { NotFoundPage } from './NotFound.tsx';
import { CmTab } from './patient/Cm.tsx';
import { ScreensTab } from './patient/Screens.tsx';
import { AssessTab } from './planning/AssessTab.tsx';
import { CheckInsTab } from './patient/CheckIns.tsx';
import { ContactPreferencesSection } from './patient/ContactPreferences.tsx';
import { SafetyPlanTab } from './patient/SafetyPlan.tsx';
import { PatientVisitsSection } from './encounters/PatientVisits.tsx';
import { PatientCaseloadCard } from './counselling/Caseloads.tsx';
import { LevelsOfCareSection } from './levels-of-care/LevelsOfCare.tsx';
import { SkillsSection } from './skills/PatientSkills.tsx';
import { PatientMeetings } from './meetings/PatientMeetings.tsx';
import { PatientNaloxoneCard } from './naloxone/PatientNaloxoneCard.tsx';
import { PatientPeerCard } from './peers/PatientPeerCard.tsx';
import { PrivacyCard } from './consent/PrivacyCard.tsx';
import { TogetherCard } from './family/TogetherCard.tsx';

export const patientKey = (programId: string | undefined, id: string) => ['patients', programId, 'record', id] as const;

export function PatientPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can, program } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const valid = UUID_RE.test(id);
  const showCm = can('read:cm');
  // screens (every patient's, in CM or not) are read with read:cm (GET /patients/{id}/screens)
  const showScreens = can('read:cm');
  const showAssess = can('read:assessment') || can('read:stage') || can('read:care-plan');
  const showCheckIns = can('read:check-in');
  const showSafetyPlan = can('read:care-plan');
  const wanted = params.get('tab');
  const tab =
    (wanted === 'cm' && showCm) ||
    (wanted === 'assess' && showAssess) ||
    (wanted === 'screens' && showScreens) ||
    (wanted === 'checkins' && showCheckIns) ||
    (wanted === 'safety-plan' && showSafetyPlan)
      ? wanted
      : 'record';
  const patient = useQuery({ queryKey: patientKey(program?.id, id), queryFn: () => api.getPatient(id), enabled: valid });

  if (!valid || (isApiError(patient.error) && patient.error.status === 404)) return <NotFoundPage />;
  if (patient.isPending) return <Text c="dimmed">{t('common.loading')}</Text>;
  if (patient.isError) return <ErrorAlert error={patient.error} />;
  const p = patient.data;

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <PageTitle title={t('patient.pageTitle')}>{t('patient.fullName', { family: p.legalFamilyName, given: p.legalGivenName })}</PageTitle>
          <Text c="dimmed" size="sm">
            {[p.preferredName ? t('patient.goesBy', { name: p.preferredName }) : null, p.pronouns, t('patient.mrnValue', { mrn: p.mrn })].filter(Boolean).join(' · ')}
          </Text>
        </div>
        <Group gap="xs">
          {can('read:audit') ? (
            <Button variant="default" onClick={() => navigate('/audit', { state: { patient: { id: p.id, displayName: `${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`, mrn: p.mrn } } })}>
              {t('patient.auditTrail')}
            </Button>
          ) : null}
          <Button variant="subtle" component={Link} to="/patients">
            {t('patient.backToSearch')}
          </Button>
        </Group>
      </Group>
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'record' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="record">{t('patient.tabs.record')}</Tabs.Tab>
          {showAssess ? <Tabs.Tab value="assess">{t('patient.tabs.assess')}</Tabs.Tab> : null}
          {showCheckIns ? <Tabs.Tab value="checkins">{t('checkIns.tab')}</Tabs.Tab> : null}
          {showSafetyPlan ? (
            <Tabs.Tab value="safety-plan" data-testid="tab-safety-plan">
              {t('safetyPlan.tab')}
            </Tabs.Tab>
          ) : null}
          {showScreens ? <Tabs.Tab value="screens">{t('patient.tabs.screens')}</Tabs.Tab> : null}
          {showCm ? <Tabs.Tab value="cm">{t('patient.tabs.cm')}</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="record" pt="md">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack>
                <Demographics patient={p} />
                <ContactPreferencesSection patientId={p.id} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Stack>
                {can('read:medication') ? <MedicationSection patientId={p.id} /> : null}
                {can('read:episode') ? <EpisodesSection patientId={p.id} /> : null}
                <LevelsOfCareSection patientId={p.id} />
                {can('read:care-team') ? <CareTeamSection patientId={p.id} /> : null}
                {can('read:care-team') ? <PatientCaseloadCard patientId={p.id} /> : null}
                {can('read:encounter') ? <PatientVisitsSection patientId={p.id} patientName={`${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`} /> : null}
                {can('read:skills') ? <SkillsSection patientId={p.id} /> : null}
                {can('read:meetings') ? <PatientMeetings patientId={p.id} /> : null}
                {can('read:naloxone') ? <PatientNaloxoneCard patientId={p.id} /> : null}
                {can('read:peer-outreach') ? <PatientPeerCard patient={{ id: p.id, name: `${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`, mrn: p.mrn }} /> : null}
                {can('read:patient-app') ? <PatientAppSection patientId={p.id} /> : null}
                {can('read:consent') ? <PrivacyCard patientId={p.id} patientName={`${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`} patientLanguage={p.preferredLanguage} /> : null}
                {can('read:family') ? <TogetherCard patientId={p.id} /> : null}
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        {showAssess ? (
          <Tabs.Panel value="assess" pt="md">
            <AssessTab patientId={p.id} patientLanguage={p.preferredLanguage === 'es' ? 'es' : 'en'} />
          </Tabs.Panel>
        ) : null}
        {showCheckIns ? (
          <Tabs.Panel value="checkins" pt="md">
            <CheckInsTab patientId={p.id} />
          </Tabs.Panel>
        ) : null}
        {showSafetyPlan ? (
          <Tabs.Panel value="safety-plan" pt="md">
            <SafetyPlanTab patientId={p.id} />
          </Tabs.Panel>
        ) : null}
        {showScreens ? (
          <Tabs.Panel value="screens" pt="md">
            <ScreensTab patientId={p.id} />
          </Tabs.Panel>
        ) : null}
        {showCm ? (
          <Tabs.Panel value="cm" pt="md">
            <CmTab patientId={p.id} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}

function Demographics({ patient }: { patient: PatientT }) {
  const { t, i18n } = useTranslation();
  const { can, program } = useSession();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<PatientFormValues>(() => valuesOf(patient));
  const [base, setBase] = useState<PatientT>(patient);
  const { busy, error, setError, run } = useAction();
  const [reloading, setReloading] = useState(false);

  const startEdit = () => {
    setValues(valuesOf(patient));
    setBase(patient);
    setError(null);
    setEditing(true);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const now = toBody(values) as Record<string, unknown>;
    const before = toBody(valuesOf(base)) as Record<string, unknown>;
    const changes: Record<string, unknown> = {};
    for (const k of Object.keys(now)) if (now[k] !== before[k]) changes[k] = now[k];
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      return;
    }
    void run(async () => {
      const saved = await api.updatePatient(patient.id, { version: base.version, ...changes });
      queryClient.setQueryData(patientKey(program?.id, patient.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['patients', program?.id, 'search'] });
      setEditing(false);
      notifications.show({ color: 'teal', message: t('patient.saved') });
    });
  };

  /** After a conflict: load the latest record as the new base, keeping what the user typed. */
  const reloadKeepingChanges = async () => {
    setReloading(true);
    try {
      const latest = await api.getPatient(patient.id);
      queryClient.setQueryData(patientKey(program?.id, patient.id), latest);
      setBase(latest);
      setError(null);
      notifications.show({ color: 'blue', message: t('patient.reloaded') });
    } catch (err) {
      setError(err);
    } finally {
      setReloading(false);
    }
  };

  const stale = isApiError(error) && error.code === 'stale_version';
  const dash = t('common.notRecorded');
  const facts: Array<[string, ReactNode]> = [
    [t('patient.fields.legalGivenName'), patient.legalGivenName],
    [t('patient.fields.legalFamilyName'), patient.legalFamilyName],
    [t('patient.fields.preferredName'), patient.preferredName ?? dash],
    [t('patient.fields.pronouns'), patient.pronouns ?? dash],
    [t('patient.fields.birthDate'), formatDate(patient.birthDate, i18n.language)],
    [t('patient.fields.administrativeSex'), t(`patient.options.administrativeSex.${patient.administrativeSex}`)],
    [t('patient.fields.sex'), patient.sex ? t(`patient.options.sex.${patient.sex}`) : dash],
    [t('patient.fields.genderIdentity'), patient.genderIdentity ? t(`patient.options.genderIdentity.${patient.genderIdentity}`) : dash],
    [t('patient.fields.mrn'), patient.mrn],
    [t('patient.fields.preferredLanguage'), t(`languages.${patient.preferredLanguage}`, { defaultValue: patient.preferredLanguage })],
    [t('patient.fields.phone'), patient.phone ?? dash],
    [t('patient.fields.email'), patient.email ?? dash],
    [t('patient.fields.address'), patient.address ?? dash],
    [t('patient.fields.contactConsent'), patient.contactConsent ? t('common.yes') : t('common.no')],
    [t('patient.fields.emergencyContactName'), patient.emergencyContactName ?? dash],
    [t('patient.fields.emergencyContactPhone'), patient.emergencyContactPhone ?? dash],
    [t('patient.fields.emergencyContactRelationship'), patient.emergencyContactRelationship ?? dash],
  ];

  return (
    <Section
      title={t('patient.sections.demographics')}
      permission="read:patient"
      testId="demographics"
      actions={
        can('update:patient') && !editing ? (
          <Button size="xs" variant="light" onClick={startEdit}>
            {t('patient.edit')}
          </Button>
        ) : null
      }
    >
      {editing ? (
        <form onSubmit={save} noValidate aria-label={t('patient.editForm')}>
          <Stack>
            {stale ? (
              <Alert color="yellow" variant="light" role="alert" title={t('patient.staleTitle')} icon={<span aria-hidden="true">!</span>}>
                <Stack gap="xs">
                  <Text size="sm">{error.detail}</Text>
                  <Text size="sm">{t('patient.staleHelp')}</Text>
                  <Group>
                    <Button size="xs" onClick={() => void reloadKeepingChanges()} loading={reloading}>
                      {t('patient.reloadKeep')}
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            ) : (
              <ErrorAlert error={error} />
            )}
            <PatientFields values={values} onChange={setValues} error={error} autoFocusFirst />
            <Group>
              <Button type="submit" loading={busy}>
                {t('common.save')}
              </Button>
              <Button variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <dl className="facts">
          {facts.map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {!editing ? (
        <Text size="xs" c="dimmed">
          {t('patient.updatedAt', { date: formatInstantDate(patient.updatedAt, i18n.language, program?.timeZone), version: patient.version })}
        </Text>
      ) : null}
    </Section>
  );
}
