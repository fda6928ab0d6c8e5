// Reinforcement-based treatment's abstinence-contingent housing (issue 14, ADR 044) is a CM
// privilege track (CM-SPEC §2): the levels are housing arrangements, earned by negative
// screens. Levels of care only show it, read-only; the CM engine decides it. A track is a
// housing track when it pays a privilege and its id or name says housing.

export type TrackLike = { id: string; name?: string | undefined; payout?: string | undefined };

export const isHousingTrack = (t: TrackLike) => t.payout === 'privilege' && /housing|vivienda/i.test(`${t.id} ${t.name ?? ''}`);
