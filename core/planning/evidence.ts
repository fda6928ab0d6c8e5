// The evidence behind each rule, taken only from the clinical seeds (shared/seeds/*.txt).
// Figures are quoted as the seeds state them; citations are from the seeds' reference lists.
import type { Evidence } from './types.ts';

export const SEEDS = {
  harvard2005: '000_274e5b72cf9d6c78.txt',
  uptodate2017: '001_30238f6ff3768563.txt',
  uptodate2023: '002_788e3f4f423030f0.txt',
  aac2019: '003_dc3b981c5f8781b9.txt',
  factSheet: '004_43e4bd4e1c3c8ee2.txt',
} as const;

const e = (id: string, seed: string, section: string, summary: string, citation?: string): Evidence =>
  citation === undefined ? { id, seed, section, summary } : { id, seed, section, summary, citation };

const U = SEEDS.uptodate2023;
const H = SEEDS.harvard2005;
const F = SEEDS.factSheet;

export const EVIDENCE = {
  moudFirstLine: e(
    'moud-first-line',
    U,
    'OVERVIEW; PSYCHOSOCIAL TREATMENT ALONE',
    'Medication for OUD (an opioid agonist or antagonist with psychosocial treatment) is first-line for most patients. Most trials comparing MOUD with psychosocial treatment alone found less substance use and higher abstinence with MOUD.',
  ),
  moudMainComponent: e(
    'moud-main-component',
    F,
    'Introduction',
    'Effective OUD treatment must include a medication (buprenorphine, methadone or injectable naltrexone) as its main component; psychosocial approaches are valuable adjuncts.',
    'Amato L et al. Cochrane Database Syst Rev 2011;(10):CD004147',
  ),
  nonMedicationPreference: e(
    'non-medication-preference',
    U,
    'OVERVIEW; PSYCHOSOCIAL TREATMENT ALONE — Efficacy',
    'Some patients prefer psychosocial treatment alone (nonmedication treatment: CBT, MI or CM with addiction counselling and a mutual-help group). Evidence is insufficient to judge it: a review of 5 RCTs (389 participants) found enhanced outreach counselling and brief reinforcement-based intensive outpatient counselling may be more efficacious than controls.',
    'Mayet S et al. Cochrane Database Syst Rev 2005;CD004330',
  ),
  stageMatching: e(
    'stage-matching',
    U,
    'SELECTING PSYCHOTHERAPY',
    'Interventions are selected by stage of change: precontemplation/contemplation → motivational interviewing (CM as a bridge for lower motivation); preparation/action → CBT paired with wraparound social services (or community reinforcement); action/maintenance → mutual-help groups or other peer-supported recovery. MI and CM can be used at any point.',
    'Prochaska JO, DiClemente CC, Norcross JC. Am Psychol 1992;47:1102',
  ),
  stageVariability: e(
    'stage-variability',
    U,
    'SELECTING PSYCHOTHERAPY',
    'Variability in stage of change is common; changes in motivation (e.g. return to use) are managed collaboratively with the patient.',
  ),
  miMeta: e(
    'mi-meta-analysis',
    U,
    'MOTIVATIONAL INTERVIEWING — Efficacy',
    'Meta-analysis of 59 RCTs, 13,342 adults with SUD: MI reduced substance use after the intervention (SMD 0.79, 95% CI 0.48–1.09) and at follow-up up to 12 months (SMD 0.15, 95% CI 0.04–0.25). As an adjunct to methadone, MI led to longer abstinence and fewer opiate-related problems.',
    'Smedslund G et al. Cochrane Database Syst Rev 2011;CD008063',
  ),
  miMethadoneTrial: e(
    'mi-methadone-trial',
    U,
    'MOTIVATIONAL INTERVIEWING — Efficacy',
    'Trial of 256 people on methadone maintenance: individual or group MI improved drug-use behaviour versus a health-promotion programme at 6-month follow-up.',
    'Nyamathi AM et al. J Addict Dis 2011;30:6',
  ),
  miReluctantMoud: e('mi-reluctant-moud', F, 'Psychotherapeutic Approaches — MI', 'MI can be especially helpful early in treatment or with patients who are reluctant to take a medication for OUD.'),
  miOtherBehaviours: e(
    'mi-other-behaviours',
    U,
    'MOTIVATIONAL INTERVIEWING',
    'In long treatment relationships MI can be applied to other behaviours, e.g. polysubstance use, smoking cessation or seeking medical care.',
  ),
  cmMeta: e(
    'cm-meta-analysis',
    U,
    'CONTINGENCY MANAGEMENT — Efficacy',
    "Meta-analysis of 60 RCTs, 10,444 adults receiving MOUD: CM improved abstinence from illicit opioids (Cohen's d 0.58, 95% CI 0.3–0.86), medication adherence (d 0.75, 95% CI 0.3–1.21) and therapy attendance (d 0.43, 95% CI 0.22–0.65).",
    'Bolívar HA et al. JAMA Psychiatry 2021;78:1092',
  ),
  cmRetentionTrial: e(
    'cm-retention-trial',
    U,
    'CONTINGENCY MANAGEMENT — Efficacy',
    'Trial of 256 people with OUD: CM gave higher retention (82% vs 68%) and more morphine-negative tests (68% vs 58%) than treatment as usual.',
    'Chen W et al. Drug Alcohol Depend 2013;133:270',
  ),
  cmBestEvidence: e(
    'cm-best-evidence',
    U,
    'CONTINGENCY MANAGEMENT',
    'Across SUDs, CM is the psychosocial treatment with the most consistent evidence. Standard course: 12 weeks of weekly CM. Used when a population to target can be identified (e.g. ongoing opioid use) and the setting can implement it adherently; it improves attendance, adherence and reduces other substance use (e.g. stimulants) during MOUD.',
    'Davis DR et al. Prev Med 2016;92:36',
  ),
  cmBridge: e('cm-bridge', U, 'SELECTING PSYCHOTHERAPY', 'CM can also serve as a bridge to change for individuals with lower motivation; MI and CM can be conducted at any point in treatment.'),
  cmNonMedication: e(
    'cm-non-medication',
    U,
    'PSYCHOSOCIAL TREATMENT ALONE',
    'A secondary analysis found CM effective in patients receiving psychosocial treatment alone as well as in patients receiving MOUD.',
    'Petry NM, Carroll KM. Psychol Addict Behav 2013;27:1036',
  ),
  cmSmartphone: e(
    'cm-smartphone',
    U,
    'CONTINGENCY MANAGEMENT — Implementation',
    '85 adults with OUD using a smartphone CM application over four months had 18% more negative urine drug screens and 20% higher attendance than matched controls.',
    'DeFulio A et al. J Subst Abuse Treat 2021;120:108188',
  ),
  cmStimulants: e('cm-stimulants', F, 'Behavioral Models — CM', 'Most evidence for CM is for stimulant use disorder; escalating rewards for consecutive negative screens improve efficacy.'),
  cbtStage: e(
    'cbt-stage',
    U,
    'SELECTING PSYCHOTHERAPY',
    'Individuals in preparation or action are likely better matched with action-oriented, skill-building interventions such as CBT and its variants; CBT is paired with wraparound social services.',
  ),
  cbtTrials: e(
    'cbt-trials',
    U,
    'COGNITIVE-BEHAVIORAL THERAPY — Efficacy',
    'Trials of CBT added to MOUD are mixed. Group CBT (20 weekly sessions) for 73 methadone patients: no difference at 20 weeks, fewer drug-positive urines at 6-month follow-up (a "sleeper effect"). Three trials (398 primary-care buprenorphine patients) found no added benefit. CBT averaged 18 weekly sessions in studies.',
    'Scherbaum N et al. Eur Addict Res 2005;11:163',
  ),
  cbtTechnology: e(
    'cbt-technology',
    U,
    'COGNITIVE-BEHAVIORAL THERAPY — Technology-enhanced delivery',
    'A 65-module online CBT programme with 30 minutes of counselling (vs 60 minutes of counselling) for 160 methadone patients raised abstinence with no difference in retention. A phone (IVR) system for 82 methadone patients raised attendance. A 12-week web CBT pilot with 20 buprenorphine patients: 91% vs 64% opioid-negative screens, 83 vs 69 days in treatment.',
    'Marsch LA et al. J Subst Abuse Treat 2014;46:43',
  ),
  cbtMotivated: e('cbt-motivated', F, 'Psychotherapeutic Approaches — CBT', 'CBT works best for motivated patients who adhere to treatment, practise coping skills and complete homework.'),
  cbtLaterStages: e('cbt-later-stages', H, 'Stages of change', 'Cognitive and behavioural therapies may be more appropriate for the action and maintenance stages.'),
  craStage: e('cra-stage', U, 'SELECTING PSYCHOTHERAPY', 'The community reinforcement approach, a cognitive-behavioural approach, can also be used in preparation or action.'),
  rbtTrial: e(
    'rbt-trial',
    U,
    'PSYCHOSOCIAL TREATMENT ALONE — Reinforcement-based treatment',
    'Reinforcement-based treatment (based on community reinforcement) includes counselling, abstinence-contingent housing, food, recreation and job-skills training. In 243 patients after supervised withdrawal, abstinence-contingent housing plus RBT gave 50% drug-free urines at 3 months vs 37% (housing alone) and 13% (usual care).',
    'Tuten M et al. Addiction 2012;107:973',
  ),
  wraparound: e(
    'wraparound',
    U,
    'SELECTING PSYCHOTHERAPY; PSYCHOSOCIAL TREATMENT ALONE',
    'CBT is paired with wraparound social services; programmes commonly include employment support ("job club"), skills groups and prosocial recreation; reinforcement-based treatment provides abstinence-contingent housing, food and job-skills training.',
  ),
  counselingRequired: e(
    'counseling-required',
    U,
    'OVERVIEW — Regulatory requirements in the United States',
    'US opioid treatment programmes must provide addiction counselling; buprenorphine prescribers must be able to provide or refer to psychosocial treatment.',
  ),
  counselingTrials: e(
    'counseling-trials',
    U,
    'ADDICTION COUNSELING — Efficacy',
    'Evidence is weak: of 5 trials (1446 people on MOUD) only one found added benefit from counselling. In 230 methadone patients, 12-month retention did not differ (60.6% vs 54.8% vs 37.8%). Frequency and duration can be individualised.',
    'McLellan AT et al. JAMA 1993;269:1953',
  ),
  mutualHelpStage: e(
    'mutual-help-stage',
    U,
    'SELECTING PSYCHOTHERAPY',
    'In action or maintenance, offer mutual-help groups or other peer-supported recovery; people may develop a sense of "giving back" and mentor others.',
  ),
  mutualHelpStudies: e(
    'mutual-help-studies',
    U,
    'MUTUAL HELP GROUPS — Efficacy',
    'No RCTs exist. In 142 patients after residential treatment, NA/AA attendance frequency was associated with abstinence among opioid users. Of 300 African-American patients starting buprenorphine, 86% attended a 12-step meeting and attendance was associated with retention and abstinence. Of 332 MOUD patients in NA, more than three-quarters found NA "very" or "extremely" helpful.',
    'Monico LB et al. J Subst Abuse Treat 2015;57:89',
  ),
  moudStigma: e(
    'moud-stigma',
    U,
    'MUTUAL HELP GROUPS',
    'People on MOUD may meet stigma in NA; NA policy restricts some roles (leading a meeting, sponsoring) and groups vary. Clinicians should discuss it, coach patients, and help them choose MOUD-friendly meetings such as Methadone Anonymous or Medication-Assisted Recovery Services.',
    'Ginter W. J Groups Addict Recover 2012;7:189',
  ),
  tsf: e(
    'twelve-step-facilitation',
    F,
    'Psychotherapeutic Approaches — TSF',
    '12-step facilitation is a semi-structured approach that connects patients to 12-step groups and encourages ongoing attendance; it emphasises accountability, mutual support and spirituality.',
  ),
  smart: e('smart-recovery', H, 'Support groups', 'Self-help groups such as SMART Recovery rely less on appeals to a higher power and more on cognitive and behavioural principles.'),
  peerOverdose: e(
    'peer-after-overdose',
    U,
    'PEER SUPPORT STRATEGIES',
    '80 people with an opioid overdose in the past 6 months and recent opioid-positive screens: a phone call from a trained peer (vs overdose education) raised MOUD enrolment (32.5% vs 17.5%) and lowered opioid overdose (12.5% vs 32.5%) at 12 months.',
    'Winhusen T et al. Drug Alcohol Depend 2020;216:108270',
  ),
  peerGeneral: e(
    'peer-support',
    U,
    'PEER SUPPORT STRATEGIES; MUTUAL HELP GROUPS',
    'Peers with lived experience coach people considering or on MOUD; peer programmes appear best suited to MOUD initiation and opioid abstinence. MOUD-specific peer communities such as Medication-Assisted Recovery Services offer training, groups and mentoring.',
  ),
  familyCounseling: e(
    'family-counseling',
    U,
    'FAMILY THERAPY — Behavioral family counseling',
    '124 men with OUD living with a family member: behavioural family counselling led to more naltrexone doses taken, more counselling sessions attended and more days abstinent than control.',
    "Fals-Stewart W, O'Farrell TJ. J Consult Clin Psychol 2003;71:432",
  ),
  couples: e(
    'behavioral-couples-therapy',
    F,
    'Psychotherapeutic Approaches — BCT',
    'Behavioural couples therapy includes the partner in weekly sessions over three to six months, using a CBT framework with a focus on communication; usually delivered by specially trained providers.',
  ),
  couplesUpToDate: e(
    'couples-trials',
    U,
    'FAMILY THERAPY',
    'Behavioural couples therapy and family counselling reinforce abstinence with an abstinent partner or family member and have improved adherence and outcomes in OUD.',
    'Fals-Stewart W et al. Behavior Therapy 2001;32:391',
  ),
  craft: e(
    'craft',
    U,
    'FAMILY INVOLVEMENT AND EDUCATION; FAMILY THERAPY',
    'CRAFT trains family members to help a loved one reduce use and engage in treatment and does not need the person who uses to take part. Family members in CRAFT report less depression, anger and anxiety; CRAFT involvement has reduced opioid use by the family member.',
    'Brigham GS et al. Drug Alcohol Depend 2014;138:240',
  ),
  networkTherapy: e(
    'network-therapy',
    U,
    'FAMILY THERAPY — Network therapy',
    'Sixty-six patients on buprenorphine: network therapy (family and friends join the treatment) gave a higher proportion of opioid-negative urines than medication management.',
    'Galanter M et al. J Subst Abuse Treat 2004;26:313',
  ),
  networkHarvard: e('network-team', H, 'Family counseling', 'In network therapy, friends and relatives become part of the treatment team and meet to plan for emergencies.'),
  naloxoneFamily: e(
    'naloxone-family',
    U,
    'FAMILY INVOLVEMENT AND EDUCATION',
    "Distribute naloxone with training in opioid poisoning reversal; family members trained in overdose prevention with naloxone kits may feel empowered to save a loved one's life. Educate support networks about opioid poisoning risks, including those of taking or not taking medication for OUD.",
    'Bagley SM et al. Drug Alcohol Rev 2018;37:480',
  ),
  psychotherapyCoOccurring: e(
    'psychotherapy-co-occurring',
    H,
    'Behavioral treatment',
    'Individual psychotherapy is not recommended as the main treatment for OUD, but people with co-occurring psychiatric disorders can make good use of psychotherapy (psychodynamic, interpersonal or supportive) as long as the addiction is treated at the same time.',
  ),
  residential: e(
    'residential',
    H,
    'Residential treatment',
    'For some people a residential programme (individual and group therapy, 12-step support, usually one to three months) can help; therapeutic communities last six months to two years.',
  ),
} as const satisfies Record<string, Evidence>;

export type EvidenceKey = keyof typeof EVIDENCE;
