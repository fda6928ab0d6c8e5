// The demographic and contact fields of a patient, shared by registration and editing.
import { useTranslation } from 'react-i18next';
import { Checkbox, Fieldset, NativeSelect, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import type { PatientT } from '../api.ts';
import { ADMINISTRATIVE_SEXES, GENDER_IDENTITIES, SEXES, type AdministrativeSex, type GenderIdentity, type Sex } from '../../../contracts/patients.ts';
import { fieldError } from './forms.tsx';

export type PatientFormValues = {
  mrn: string;
  legalGivenName: string;
  legalFamilyName: string;
  preferredName: string;
  pronouns: string;
  birthDate: string;
  administrativeSex: AdministrativeSex;
  /** '' is "not recorded". */
  sex: Sex | '';
  genderIdentity: GenderIdentity | '';
  preferredLanguage: 'en' | 'es';
  phone: string;
  email: string;
  address: string;
  contactConsent: boolean;
  emergencyContactName: string;
  emergencyContactPhone: string;
  emergencyContactRelationship: string;
};

export const emptyPatient: PatientFormValues = {
  mrn: '',
  legalGivenName: '',
  legalFamilyName: '',
  preferredName: '',
  pronouns: '',
  birthDate: '',
  administrativeSex: 'unknown',
  sex: '',
  genderIdentity: '',
  preferredLanguage: 'en',
  phone: '',
  email: '',
  address: '',
  contactConsent: false,
  emergencyContactName: '',
  emergencyContactPhone: '',
  emergencyContactRelationship: '',
};

export function valuesOf(p: PatientT): PatientFormValues {
  return {
    mrn: p.mrn,
    legalGivenName: p.legalGivenName,
    legalFamilyName: p.legalFamilyName,
    preferredName: p.preferredName ?? '',
    pronouns: p.pronouns ?? '',
    birthDate: p.birthDate,
    administrativeSex: p.administrativeSex,
    sex: p.sex ?? '',
    genderIdentity: p.genderIdentity ?? '',
    preferredLanguage: p.preferredLanguage === 'es' ? 'es' : 'en',
    phone: p.phone ?? '',
    email: p.email ?? '',
    address: p.address ?? '',
    contactConsent: p.contactConsent,
    emergencyContactName: p.emergencyContactName ?? '',
    emergencyContactPhone: p.emergencyContactPhone ?? '',
    emergencyContactRelationship: p.emergencyContactRelationship ?? '',
  };
}

const OPTIONAL = ['preferredName', 'pronouns', 'phone', 'email', 'address', 'emergencyContactName', 'emergencyContactPhone', 'emergencyContactRelationship'] as const;

/** The body for the API: blank optional fields become null. */
export function toBody(v: PatientFormValues) {
  const out: Record<string, unknown> = { ...v, mrn: v.mrn.trim(), legalGivenName: v.legalGivenName.trim(), legalFamilyName: v.legalFamilyName.trim() };
  for (const k of OPTIONAL) out[k] = v[k].trim() === '' ? null : v[k].trim();
  out.sex = v.sex === '' ? null : v.sex;
  out.genderIdentity = v.genderIdentity === '' ? null : v.genderIdentity;
  return out as Omit<PatientFormValues, (typeof OPTIONAL)[number] | 'sex' | 'genderIdentity'> & { [K in (typeof OPTIONAL)[number]]: string | null } & {
    sex: Sex | null;
    genderIdentity: GenderIdentity | null;
  };
}

export function PatientFields({ values, onChange, error, autoFocusFirst = false }: { values: PatientFormValues; onChange: (v: PatientFormValues) => void; error: unknown; autoFocusFirst?: boolean }) {
  const { t } = useTranslation();
  const set = <K extends keyof PatientFormValues>(k: K, v: PatientFormValues[K]) => onChange({ ...values, [k]: v });
  const text = (k: Exclude<keyof PatientFormValues, 'contactConsent' | 'preferredLanguage' | 'administrativeSex' | 'sex' | 'genderIdentity'>, extra: Record<string, unknown> = {}) => ({
    label: t(`patient.fields.${k}`),
    value: values[k],
    onChange: (e: { currentTarget: { value: string } }) => set(k, e.currentTarget.value),
    error: fieldError(error, k),
    name: k,
    ...extra,
  });

  return (
    <Stack>
      <Fieldset legend={t('patient.sections.identity')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput {...text('legalGivenName', { required: true, autoComplete: 'off', autoFocus: autoFocusFirst })} />
          <TextInput {...text('legalFamilyName', { required: true, autoComplete: 'off' })} />
          <TextInput {...text('preferredName', { description: t('patient.hints.preferredName'), autoComplete: 'off' })} />
          <TextInput {...text('pronouns', { autoComplete: 'off' })} />
          <TextInput {...text('birthDate', { required: true, type: 'date' })} />
          <TextInput {...text('mrn', { required: true, description: t('patient.hints.mrn'), autoComplete: 'off' })} />
          <NativeSelect
            label={t('patient.fields.preferredLanguage')}
            value={values.preferredLanguage}
            onChange={(e) => set('preferredLanguage', e.currentTarget.value === 'es' ? 'es' : 'en')}
            data={[
              { value: 'en', label: t('languages.en') },
              { value: 'es', label: t('languages.es') },
            ]}
            error={fieldError(error, 'preferredLanguage')}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('patient.sections.sexAndGender')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('patient.fields.administrativeSex')}
            description={t('patient.hints.administrativeSex')}
            required
            name="administrativeSex"
            value={values.administrativeSex}
            onChange={(e) => set('administrativeSex', ADMINISTRATIVE_SEXES.find((x) => x === e.currentTarget.value) ?? 'unknown')}
            data={ADMINISTRATIVE_SEXES.map((x) => ({ value: x, label: t(`patient.options.administrativeSex.${x}`) }))}
            error={fieldError(error, 'administrativeSex')}
          />
          <NativeSelect
            label={t('patient.fields.sex')}
            description={t('patient.hints.sex')}
            name="sex"
            value={values.sex}
            onChange={(e) => set('sex', SEXES.find((x) => x === e.currentTarget.value) ?? '')}
            data={[{ value: '', label: t('common.notRecorded') }, ...SEXES.map((x) => ({ value: x, label: t(`patient.options.sex.${x}`) }))]}
            error={fieldError(error, 'sex')}
          />
          <NativeSelect
            label={t('patient.fields.genderIdentity')}
            description={t('patient.hints.genderIdentity')}
            name="genderIdentity"
            value={values.genderIdentity}
            onChange={(e) => set('genderIdentity', GENDER_IDENTITIES.find((x) => x === e.currentTarget.value) ?? '')}
            data={[{ value: '', label: t('common.notRecorded') }, ...GENDER_IDENTITIES.map((x) => ({ value: x, label: t(`patient.options.genderIdentity.${x}`) }))]}
            error={fieldError(error, 'genderIdentity')}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('patient.sections.contact')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput {...text('phone', { type: 'tel', autoComplete: 'off' })} />
          <TextInput {...text('email', { type: 'email', autoComplete: 'off' })} />
        </SimpleGrid>
        <Textarea mt="sm" {...text('address', { autosize: true, minRows: 2, autoComplete: 'off' })} />
        <Checkbox
          mt="md"
          label={t('patient.fields.contactConsent')}
          description={t('patient.hints.contactConsent')}
          checked={values.contactConsent}
          onChange={(e) => set('contactConsent', e.currentTarget.checked)}
          error={fieldError(error, 'contactConsent')}
        />
      </Fieldset>
      <Fieldset legend={t('patient.sections.emergency')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput {...text('emergencyContactName', { autoComplete: 'off' })} />
          <TextInput {...text('emergencyContactPhone', { type: 'tel', autoComplete: 'off' })} />
          <TextInput {...text('emergencyContactRelationship', { autoComplete: 'off' })} />
        </SimpleGrid>
      </Fieldset>
    </Stack>
  );
}
