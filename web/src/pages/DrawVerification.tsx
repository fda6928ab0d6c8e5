// The public page of a draw commitment (/verify/:commitment), for anyone, without signing
// in: what a commitment is in plain words, whether its seed is revealed, the programme's
// other seeds, and a form that re-makes a draw here in the browser (Web Crypto computes the
// HMAC; core/cm/draw-slip.ts turns it into a slip exactly as the server does) and compares
// it with what the programme recorded. The raw JSON is one click away, for machines.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Anchor, Badge, Button, Card, Code, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, isApiError, type PublicVerificationT } from '../api.ts';
import { setLanguage } from '../i18n/index.ts';
import { formatCents, formatDateTime } from '../format.ts';
import { drawMessage, entryOfSlip, prepareBowl, slipOfDigest, type Bowl } from '../../../core/cm/draw-slip.ts';

const HEX64 = /^[0-9a-fA-F]{64}$/;

function bytesOfHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
const hexOf = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
/** Web Crypto needs a secure context (https, or this computer). */
const canCompute = () => typeof crypto !== 'undefined' && !!crypto.subtle;

async function sha256Hex(seedHex: string): Promise<string> {
  return hexOf(await crypto.subtle.digest('SHA-256', bytesOfHex(seedHex)));
}

type Remade = { slip: number; total: number; tier: string; label: string | null; valueCents: number };
/** Draw n of an enrolment, re-made from the revealed seed and the bowl (CM-SPEC §3). */
async function remake(seedHex: string, enrolmentId: string, n: number, bowl: Bowl): Promise<Remade | null> {
  const key = await crypto.subtle.importKey('raw', bytesOfHex(seedHex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const digest = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(drawMessage(enrolmentId, n))));
  const p = prepareBowl(bowl);
  const slip = slipOfDigest(digest, p.total);
  if (slip === null) return null;
  const s = bowl.slips[entryOfSlip(p, slip)]!;
  return { slip, total: p.total, tier: s.tier, label: s.label ?? null, valueCents: s.valueCents };
}

type Check = { kind: 'match' | 'mismatch'; n: number; ref: string; remade: Remade; recorded: string | null } | { kind: 'unknown'; n: number; ref: string } | { kind: 'cannot' };

export function DrawVerificationPage() {
  const { commitment = '' } = useParams();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const valid = HEX64.test(commitment);
  const data = useQuery({ queryKey: ['public', 'verification', commitment], queryFn: () => api.publicVerification(commitment), enabled: valid });
  const seeds = useQuery({ queryKey: ['public', 'seeds', commitment], queryFn: () => api.publicSeeds(commitment), enabled: valid });
  const [ref, setRef] = useState(params.get('enrolment') ?? '');
  const [n, setN] = useState<string | number>(params.get('n') ?? '');
  const [check, setCheck] = useState<Check | null>(null);
  const [fingerprint, setFingerprint] = useState<'match' | 'mismatch' | null>(null);
  const [all, setAll] = useState(false);

  useEffect(() => {
    document.title = `${t('verify.title')} · ${t('app.name')}`;
  }, [t]);

  const v = data.data;
  useEffect(() => {
    if (!v?.seedHex || !canCompute()) return;
    void sha256Hex(v.seedHex).then((h) => setFingerprint(h === v.commitment ? 'match' : 'mismatch'));
  }, [v?.seedHex, v?.commitment]);

  const run = async (refValue: string, nValue: number, d: PublicVerificationT) => {
    const reference = refValue.trim().toLowerCase();
    if (!d.seedHex) return;
    if (!canCompute()) return setCheck({ kind: 'cannot' });
    const recorded = d.draws.find((x) => x.enrolmentId.toLowerCase() === reference && x.n === nValue);
    if (!recorded || !recorded.bowl) return setCheck({ kind: 'unknown', n: nValue, ref: reference });
    const remade = await remake(d.seedHex, recorded.enrolmentId, nValue, recorded.bowl as Bowl);
    if (!remade) return setCheck({ kind: 'unknown', n: nValue, ref: reference });
    setCheck({ kind: remade.tier === recorded.tier ? 'match' : 'mismatch', n: nValue, ref: reference, remade, recorded: recorded.tier });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (v && ref.trim() && Number(n) >= 1) void run(ref, Number(n), v);
  };

  const draws = useMemo(() => (v ? (all ? v.draws : v.draws.slice(0, 20)) : []), [v, all]);
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language, v?.timeZone) : '');

  return (
    <main className="public-page">
      <Stack gap="lg" maw={960} mx="auto" p="lg">
        <Group justify="space-between" align="flex-start">
          <Title order={1} size="h2">
            {t('verify.title')}
          </Title>
          <Button variant="subtle" onClick={() => setLanguage(i18n.language === 'es' ? 'en' : 'es')} lang={i18n.language === 'es' ? 'en' : 'es'}>
            {i18n.language === 'es' ? 'English' : 'Español'}
          </Button>
        </Group>
        <Stack gap="xs" data-testid="verify-explain">
          <Text>{t('verify.what1')}</Text>
          <Text>{t('verify.what2')}</Text>
          <Text>{t('verify.what3')}</Text>
        </Stack>

        {!valid || (isApiError(data.error) && data.error.status === 404) ? (
          <Alert color="red" variant="light" title={t('verify.notFoundTitle')}>
            {t('verify.notFound')}
          </Alert>
        ) : data.error ? (
          <Alert color="red" variant="light">
            {t('verify.loadError')}
          </Alert>
        ) : !v ? (
          <Text c="dimmed">{t('common.loading')}</Text>
        ) : (
          <>
            <Card withBorder data-testid="verify-commitment">
              <Stack gap="xs">
                <Group gap="sm">
                  <Title order={2} size="h4">
                    {t('verify.commitmentTitle')}
                  </Title>
                  {v.revealed ? (
                    <Badge color="teal" variant="light">
                      {t('verify.revealed')}
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      {t('verify.inUse')}
                    </Badge>
                  )}
                </Group>
                <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }} data-testid="verify-commitment-value">
                  {v.commitment}
                </Code>
                <Text size="sm">
                  {t('verify.activeFrom', { when: when(v.activeFrom) })}
                  {v.retiredAt ? ` · ${t('verify.retiredAt', { when: when(v.retiredAt) })}` : ''}
                </Text>
                {v.seedHex ? (
                  <>
                    <Text size="sm" fw={600}>
                      {t('verify.seedTitle')}
                    </Text>
                    <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }} data-testid="verify-seed">
                      {v.seedHex}
                    </Code>
                    {fingerprint ? (
                      <Text size="sm" data-testid="verify-fingerprint" c={fingerprint === 'match' ? 'teal.9' : 'red.9'}>
                        <span aria-hidden="true">{fingerprint === 'match' ? '✓ ' : '✗ '}</span>
                        {t(fingerprint === 'match' ? 'verify.fingerprintMatch' : 'verify.fingerprintMismatch')}
                      </Text>
                    ) : null}
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('verify.notRevealedYet')}
                  </Text>
                )}
              </Stack>
            </Card>

            {v.seedHex ? (
              <Card withBorder data-testid="verify-check">
                <form onSubmit={submit} aria-labelledby="verify-check-title">
                  <Stack gap="sm">
                    <Title order={2} size="h4" id="verify-check-title">
                      {t('verify.checkTitle')}
                    </Title>
                    <Text size="sm">{t('verify.checkHelp')}</Text>
                    <Group align="flex-end" gap="sm">
                      <TextInput
                        label={t('verify.reference')}
                        value={ref}
                        onChange={(e) => setRef(e.currentTarget.value)}
                        w={{ base: '100%', sm: 380 }}
                        styles={{ input: { fontFamily: 'monospace' } }}
                      />
                      <NumberInput label={t('verify.drawNumber')} value={n} onChange={setN} min={1} allowDecimal={false} w={140} />
                      <Button type="submit">{t('verify.checkButton')}</Button>
                    </Group>
                    <div aria-live="polite" data-testid="verify-result">
                      {check ? <CheckResult check={check} /> : null}
                    </div>
                  </Stack>
                </form>
              </Card>
            ) : null}

            <Card withBorder>
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('verify.seedsTitle')}
                </Title>
                <Text size="sm">{t('verify.seedsHelp')}</Text>
                {seeds.data ? (
                  <Table.ScrollContainer minWidth={640}>
                    <Table data-testid="verify-seeds">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t('verify.commitmentCol')}</Table.Th>
                          <Table.Th scope="col">{t('verify.inUseFrom')}</Table.Th>
                          <Table.Th scope="col">{t('verify.seedCol')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {seeds.data.items.map((s) => (
                          <Table.Tr key={s.commitment} aria-current={s.commitment === v.commitment ? 'page' : undefined}>
                            <Table.Td ff="monospace" fz="xs" style={{ overflowWrap: 'anywhere' }}>
                              {s.commitment === v.commitment ? (
                                <>
                                  {s.commitment}{' '}
                                  <Badge size="xs" variant="outline">
                                    {t('verify.thisOne')}
                                  </Badge>
                                </>
                              ) : (
                                <Anchor component={Link} to={`/verify/${s.commitment}`}>
                                  {s.commitment}
                                </Anchor>
                              )}
                            </Table.Td>
                            <Table.Td>
                              {when(s.activeFrom)}
                              {s.retiredAt ? ` – ${when(s.retiredAt)}` : ''}
                            </Table.Td>
                            <Table.Td>{s.revealed ? t('verify.revealed') : t('verify.inUse')}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                ) : null}
              </Stack>
            </Card>

            {v.seedHex ? (
              <Card withBorder>
                <Stack gap="xs">
                  <Title order={2} size="h4">
                    {t('verify.drawsTitle', { count: v.draws.length })}
                  </Title>
                  {v.draws.length === 0 ? (
                    <Text c="dimmed">{t('verify.noDraws')}</Text>
                  ) : (
                    <Table.ScrollContainer minWidth={640}>
                      <Table data-testid="verify-draws">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th scope="col">{t('verify.reference')}</Table.Th>
                            <Table.Th scope="col">{t('verify.drawNumber')}</Table.Th>
                            <Table.Th scope="col">{t('verify.recorded')}</Table.Th>
                            <Table.Th scope="col">{t('verify.serverCheck')}</Table.Th>
                            <Table.Th scope="col">
                              <span className="sr-only">{t('common.actions')}</span>
                            </Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {draws.map((d) => (
                            <Table.Tr key={`${d.enrolmentId}-${d.n}`}>
                              <Table.Td ff="monospace" fz="xs">
                                {d.enrolmentId}
                              </Table.Td>
                              <Table.Td>{d.n}</Table.Td>
                              <Table.Td>{d.tier ?? '—'}</Table.Td>
                              <Table.Td>{d.verified === null ? '—' : d.verified ? t('verify.yes') : t('verify.no')}</Table.Td>
                              <Table.Td>
                                <Button
                                  size="xs"
                                  variant="light"
                                  aria-label={t('verify.checkThis', { n: d.n, ref: d.enrolmentId })}
                                  onClick={() => {
                                    setRef(d.enrolmentId);
                                    setN(d.n);
                                    void run(d.enrolmentId, d.n, v);
                                  }}
                                >
                                  {t('verify.checkButton')}
                                </Button>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                  {v.draws.length > draws.length ? (
                    <Button size="xs" variant="subtle" onClick={() => setAll(true)}>
                      {t('verify.showAll', { count: v.draws.length })}
                    </Button>
                  ) : null}
                </Stack>
              </Card>
            ) : null}

            <Card withBorder>
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('verify.machinesTitle')}
                </Title>
                <Text size="sm">{t('verify.machinesHelp')}</Text>
                <Anchor href={`/api/v1/public/draw-verification/${v.commitment}`} data-testid="verify-json">
                  {t('verify.jsonLink')}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {v.algorithm}
                </Text>
              </Stack>
            </Card>
          </>
        )}
      </Stack>
    </main>
  );
}

function CheckResult({ check }: { check: Check }) {
  const { t, i18n } = useTranslation();
  if (check.kind === 'cannot')
    return (
      <Alert color="yellow" variant="light">
        {t('verify.cannotCompute')}
      </Alert>
    );
  if (check.kind === 'unknown')
    return (
      <Alert color="yellow" variant="light">
        {t('verify.unknownDraw', { n: check.n, ref: check.ref })}
      </Alert>
    );
  const r = check.remade;
  const prize = `${r.label ?? r.tier}${r.valueCents > 0 ? ` (${formatCents(r.valueCents, i18n.language)})` : ''}`;
  return (
    <Alert
      color={check.kind === 'match' ? 'teal' : 'red'}
      variant="light"
      title={
        <>
          <span aria-hidden="true">{check.kind === 'match' ? '✓ ' : '✗ '}</span>
          {t(check.kind === 'match' ? 'verify.match' : 'verify.mismatch')}
        </>
      }
    >
      {t('verify.remade', { n: check.n, slip: r.slip + 1, total: r.total, prize, tier: r.tier, recorded: check.recorded ?? '—' })}
    </Alert>
  );
}
