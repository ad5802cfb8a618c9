import { isPeopleSide } from '../semantics.ts';
import { type Fact, ROWS_MEASURE_ID } from '../types.ts';
import {
  agree,
  at,
  capitalize,
  claim,
  granularityNoun,
  has,
  hedge,
  inPointsOf,
  isPluralLabel,
  isYesMember,
  listOf,
  magnitude,
  pastTenTimes,
  relative,
  singularNoun,
  stepAdjective,
  stepMove,
  stepNoun,
  type Vocabulary,
} from './phrases.ts';

/** The words of one fact: a headline, a two-sentence summary, a lead paragraph and a one-sentence mention. */
export interface FactText {
  title: string;
  summary: string;
  lead: string;
  mention: string;
}

type Describer = (fact: Fact, words: Vocabulary) => FactText;

export const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

/** For a level (population): "on average 0.96B per year" instead of a bare value that reads as a sum over years. */
const level = (fact: Fact, words: Vocabulary, text: string) => {
  const per = words.measure(fact.measureId).stockPer;
  return per && !has(fact, 'moment') ? `on average ${text} per ${per}` : text;
};

/** "€1.23M of the amount": a measure named by a bare generic word takes an article. */
const theGeneric = (measure: string) => (/^(amount|value|total|quantity|volume)$/i.test(measure) ? 'the ' : '');

/** A sentence about one moment of a panel starts with it ("In 2005, cluster 1 …"); others start capitalized. */
const opening = (fact: Fact, text: string) =>
  has(fact, 'moment')
    ? `${isDay(claim(fact, 'moment')) ? 'On' : 'In'} ${claim(fact, 'moment')}, ${text}`
    : capitalize(text);

/**
 * What the other members did across a member's shift: moved together (typically), moved a lot (more than a
 * quarter: nothing "stayed near" a level then), or stayed near their level.
 */
function othersAcrossShift(fact: Fact, words: Vocabulary, others: string, up: boolean): string {
  if (has(fact, 'othersCommonChange'))
    return `${others} ${(claim(fact, 'othersDirection') === 'rose') === up ? '' : 'went the other way: they '}typically ${claim(fact, 'othersDirection')} ${magnitude(fact, 'othersCommonChange')} across the same date.`;
  const move = fact.claims.othersMaxChangePct;
  if (move?.kind === 'percent' && Math.abs(Number(move.value)) >= 25)
    return `${others} moved by at most ${magnitude(fact, 'othersMaxChangePct')} across the same date.`;
  if (!has(fact, 'othersLevel'))
    return `${others} held their levels, none moving more than ${magnitude(fact, 'othersMaxChangePct')} across the same date.`;
  return words.dimension(fact.subspace!.dimension)?.members.length === 2
    ? `${others} stayed near ${claim(fact, 'othersLevel')}, moving no more than ${magnitude(fact, 'othersMaxChangePct')} across the same date.`
    : `${others} stayed near ${claim(fact, 'othersLevel')}, none moving more than ${magnitude(fact, 'othersMaxChangePct')} across the same date.`;
}

/** A period told as one day ("December 31, 2024"), which takes "on" rather than "in". */
const isDay = (text: string) => /^[A-Z][a-z]+ \d{1,2}, \d{4}$/.test(text);

const direction = (fact: Fact) => (fact.data.direction === 'down' ? 'down' : 'up');

const trend: Describer = (fact, words) => {
  const subject = words.subject(fact);
  const up = direction(fact) === 'up';
  const verb = up
    ? hedge(fact.strength, 'rose', 'rose', 'edged up')
    : hedge(fact.strength, 'fell', 'fell', 'edged down');
  const inUnits = fact.claims.changePct?.kind !== 'percent';
  const change = magnitude(fact, 'changePct');
  const size = has(fact, 'multiple') ? `${claim(fact, 'multiple')} over the period` : inUnits ? `by ${change}` : change;
  const title = `${capitalize(subject)} ${verb} ${size} from ${claim(fact, 'firstPeriod')} to ${claim(fact, 'lastPeriod')}`;
  // Ten times or more reads as a multiple alone: "(+1,388,242%, 13,883×)" says nothing the multiple does not.
  const multiple = has(fact, 'multiple') ? Number(fact.claims.multiple!.value) : 0;
  const sized =
    multiple >= 10
      ? claim(fact, 'multiple')
      : `${up ? '+' : '-'}${change}${multiple > 0 ? `, ${claim(fact, 'multiple')}` : ''}`;
  // Years compared year against year are totals, or averages of their months.
  const from =
    fact.data.yearOnYear && words.measure(fact.measureId).aggregation !== 'sum' ? 'from an average of' : 'from';
  const s1 = `${capitalize(subject)} ${verb} ${from} ${claim(fact, 'firstValue')} ${at(claim(fact, 'firstPeriod'))} to ${claim(fact, 'lastValue')} ${at(claim(fact, 'lastPeriod'))} (${sized}).`;
  const steps = stepAdjective(fact.data.points, fact.data.granularity, 'to');
  let s2 =
    Number(fact.data.stepLag ?? 1) > 1
      ? `It was ${up ? 'above' : 'below'} the same ${granularityNoun(fact.data.granularity)} a year earlier in ${fact.claims.stepsInDirection?.value === fact.claims.steps?.value ? 'all' : `${claim(fact, 'stepsInDirection')} of`} ${claim(fact, 'steps')} ${granularityNoun(fact.data.granularity, true)}.`
      : fact.claims.stepsInDirection?.value === fact.claims.steps?.value
        ? `It moved ${up ? 'up' : 'down'} in every one of its ${claim(fact, 'steps')} ${steps} steps.`
        : `It moved ${up ? 'up' : 'down'} in ${claim(fact, 'stepsInDirection')} of ${claim(fact, 'steps')} ${steps} steps.`;
  if (has(fact, 'decadePace')) {
    s2 = `Its trend line ${up ? 'climbs' : 'falls'} ${claim(fact, 'decadePace')} a decade: ${claim(fact, 'lineChange')} over ${claim(fact, 'lineYears')} years, with swings from year to year around it.`;
  }
  if (has(fact, 'peakPeriod')) {
    s2 = `It peaked at ${claim(fact, 'peakValue')} ${at(claim(fact, 'peakPeriod'))} and has since fallen ${claim(fact, 'fromPeakPct').replace(/^-/, '')} from that peak.`;
  }
  let pace = '';
  if (has(fact, 'paceChange')) {
    const per = granularityNoun(fact.data.granularity);
    pace = `The ${up ? 'rise' : 'fall'} has ${claim(fact, 'paceChange')}: ${claim(fact, 'earlyPace')} a ${per} in ${claim(fact, 'earlyWindow')}, against ${claim(fact, 'latePace')} a ${per} in ${claim(fact, 'lateWindow')}.`;
  }
  let record = '';
  if (has(fact, 'recordOf') || has(fact, 'recordSince')) {
    const extreme = up ? 'highest' : 'lowest';
    const nouns = granularityNoun(fact.data.granularity, true);
    const range = has(fact, 'recordOf')
      ? `of all ${claim(fact, 'recordOf')} ${nouns}`
      : `since the data begin ${at(claim(fact, 'recordSince'))}`;
    record = `${capitalize(claim(fact, 'lastPeriod'))} was the ${extreme} ${range}`;
    record += has(fact, 'topCount')
      ? `, and the ${claim(fact, 'topCount')} ${extreme} ${nouns} all came from ${claim(fact, 'topFrom')} on.`
      : '.';
  }
  let alone = '';
  if (fact.subspace && (has(fact, 'othersMaxChange') || has(fact, 'othersMaxChangePct'))) {
    const most = has(fact, 'othersMaxChange') ? claim(fact, 'othersMaxChange') : claim(fact, 'othersMaxChangePct');
    alone = `None of the other ${words.plural(fact.subspace.dimension)} moved more than ${most.replace(/^-/, '')}.`;
  }
  const details = [s2, alone, pace, record].filter(Boolean).join(' ');
  let share = '';
  // A share that reads the same at both ends ("from 0.5% to 0.5%") says nothing.
  if (has(fact, 'firstShare') && has(fact, 'lastShare') && claim(fact, 'firstShare') !== claim(fact, 'lastShare')) {
    share = ` Its share of the total went from ${claim(fact, 'firstShare')} to ${claim(fact, 'lastShare')}.`;
  }
  if (fact.subspace) share += overtakings(fact, words);
  return {
    title,
    // Two sentences: the move, and the most telling thing about it.
    summary: `${s1} ${alone || record || pace || s2}`,
    lead: `${s1} ${details}${share}`,
    mention: `${capitalize(subject)} ${verb} from ${claim(fact, 'firstValue')} (${claim(fact, 'firstPeriod')}) to ${claim(fact, 'lastValue')} (${claim(fact, 'lastPeriod')}).${share}`,
  };
};

const peak: Describer = (fact, words) => {
  const subject = capitalize(words.subject(fact));
  const steps = stepAdjective(fact.data.points, fact.data.granularity, 'to');
  if (fact.data.shape === 'surge' || fact.data.shape === 'slump') {
    const up = fact.data.shape === 'surge';
    const move = unsignedMove(fact, words, 'movePct');
    const verb = up ? 'climbed' : 'slid';
    const record = up ? 'the highest' : 'the lowest';
    const isRecord = fact.data.record === true;
    const title = `${subject} ${verb} ${move} from ${claim(fact, 'firstPeriod')} to ${claim(fact, 'peakPeriod')}${isRecord ? `, ${record} since ${claim(fact, 'dataStart')}` : ''}`;
    const ended =
      fact.claims.lastPeriod?.value === fact.claims.peakPeriod?.value
        ? ''
        : `; it stood at ${claim(fact, 'lastValue')} ${at(claim(fact, 'lastPeriod'))}`;
    const since = isRecord ? `, ${record} level since the data begin ${at(claim(fact, 'dataStart'))}` : '';
    const s1 = `${subject} went from ${claim(fact, 'firstValue')} ${at(claim(fact, 'firstPeriod'))} to ${claim(fact, 'peakValue')} ${at(claim(fact, 'peakPeriod'))} (${up ? '+' : '-'}${move})${since}${ended}.`;
    // The steps were counted with the calendar months' pattern taken out: said so.
    const adjusted = fact.data.seasonallyAdjusted === true ? 'Seasonally adjusted, it' : 'It';
    const s2 = `${adjusted} went ${up ? 'up' : 'down'} in ${claim(fact, 'stepsToward')} of the ${claim(fact, 'stepsBefore')} ${steps} steps of the ${up ? 'climb' : 'slide'}, far more than the series moved before it.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${subject} ${verb} from ${claim(fact, 'firstValue')} (${claim(fact, 'firstPeriod')}) to ${claim(fact, 'peakValue')} (${claim(fact, 'peakPeriod')}).`,
    };
  }
  if (fact.data.shape === 'low') {
    const fall = claim(fact, 'fallPct').replace(/^-/, '');
    const recovery = has(fact, 'recoveryPct')
      ? `, ${claim(fact, 'recoveryPct').replace(/^[+-]/, '')} above the low`
      : '';
    const title = `${subject} fell ${fall} to a low ${at(claim(fact, 'peakPeriod'))}, then recovered`;
    const s1 = `${subject} fell from ${claim(fact, 'firstValue')} ${at(claim(fact, 'firstPeriod'))} to a low of ${claim(fact, 'peakValue')} ${at(claim(fact, 'peakPeriod'))} (${fall} lower), then recovered to ${claim(fact, 'lastValue')} ${at(claim(fact, 'lastPeriod'))}${recovery}.`;
    // A steady fall is told from the high before it, step by step; a sudden one against the level it left.
    const s2 = has(fact, 'levelBefore')
      ? `Before the fall it averaged ${claim(fact, 'levelBefore')}; after the low it rose in ${claim(fact, 'stepsAway')} of ${claim(fact, 'stepsAfter')} ${steps} steps.`
      : `It went down in ${claim(fact, 'stepsToward')} of ${claim(fact, 'stepsBefore')} ${steps} steps to the low and up in ${claim(fact, 'stepsAway')} of ${claim(fact, 'stepsAfter')} after it.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${subject} fell to a low of ${claim(fact, 'peakValue')} (${claim(fact, 'peakPeriod')}) and ended at ${claim(fact, 'lastValue')} (${claim(fact, 'lastPeriod')}).`,
    };
  }
  const fall = claim(fact, 'fromPeakPct').replace(/^-/, '');
  // From a start near nothing (2 cases) a multiple means nothing ("27,242×"): the two values say it.
  const multiple = Number(fact.claims.riseMultiple?.value ?? 0);
  const rise =
    multiple >= 100 || !(multiple > 0 || has(fact, 'risePct'))
      ? ''
      : ` (${multiple > 0 ? claim(fact, 'riseMultiple') : claim(fact, 'risePct').replace(/^[+-]/, '+')})`;
  const title = `${subject} peaked ${at(claim(fact, 'peakPeriod'))} and ${agree(subject, 'has', 'have')} since fallen ${fall}`;
  const s1 = `${subject} rose from ${claim(fact, 'firstValue')} ${at(claim(fact, 'firstPeriod'))} to a peak of ${claim(fact, 'peakValue')} ${at(claim(fact, 'peakPeriod'))}${rise}, then fell to ${claim(fact, 'lastValue')} ${at(claim(fact, 'lastPeriod'))}, ${fall} below the peak.`;
  const s2 = `It went up in ${claim(fact, 'stepsToward')} of ${claim(fact, 'stepsBefore')} ${steps} steps before the peak and down in ${claim(fact, 'stepsAway')} of ${claim(fact, 'stepsAfter')} after it.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${subject} peaked at ${claim(fact, 'peakValue')} (${claim(fact, 'peakPeriod')}) and ended at ${claim(fact, 'lastValue')} (${claim(fact, 'lastPeriod')}).`,
  };
};

const shareShift: Describer = (fact, words) => {
  const member = words.member(fact.subspace?.dimension, fact.subspace?.member ?? '');
  const measure = words.measure(fact.measureId).label;
  const up = direction(fact) === 'up';
  const verb = up ? 'rose' : 'fell';
  const title = `${possessive(capitalize(member))} share of ${measure} ${verb} from ${claim(fact, 'firstShare')} to ${claim(fact, 'lastShare')}`;
  const s1 = `${capitalize(member)} went from ${claim(fact, 'firstShare')} of all ${measure} ${at(claim(fact, 'firstPeriod'))} to ${claim(fact, 'lastShare')} ${at(claim(fact, 'lastPeriod'))}, a ${up ? 'gain' : 'loss'} of ${claim(fact, 'shareChangePoints').replace('%', '')} percentage points.`;
  const valueChange = Number(fact.claims.valueChangePct?.value ?? 0);
  // Past ten times (from a small start) the two values say it better than "+109,466%".
  const changePct =
    has(fact, 'valueChangePct') && !pastTenTimes(valueChange)
      ? ` (${valueChange >= 0 ? '+' : '-'}${claim(fact, 'valueChangePct').replace(/^-/, '')})`
      : '';
  let s2 = has(fact, 'firstValue')
    ? `In absolute terms it ${valueChange >= 0 ? 'grew' : 'declined'} from ${claim(fact, 'firstValue')} to ${claim(fact, 'lastValue')}${changePct}.`
    : '';
  if (has(fact, 'peakPeriod') && !up && has(fact, 'lastValue')) {
    s2 = `In absolute terms it peaked at ${claim(fact, 'peakValue')} ${at(claim(fact, 'peakPeriod'))} and ended at ${claim(fact, 'lastValue')}, ${claim(fact, 'fromPeakPct').replace(/^-/, '')} down from that peak.`;
  }
  return {
    title,
    summary: s2 ? `${s1} ${s2}` : s1,
    lead: s2 ? `${s1} ${s2}` : s1,
    // A share that fell while the member's own total grew says both, in words: "(28,217 to 43,079)" after a
    // falling share reads as a contradiction.
    mention: !has(fact, 'firstValue')
      ? `${possessive(capitalize(member))} share of ${measure} ${verb} from ${claim(fact, 'firstShare')} ${at(claim(fact, 'firstPeriod'))} to ${claim(fact, 'lastShare')} ${at(claim(fact, 'lastPeriod'))}.`
      : valueChange >= 0 === up
        ? `${possessive(capitalize(member))} share of ${measure} ${verb} from ${claim(fact, 'firstShare')} to ${claim(fact, 'lastShare')} (${claim(fact, 'firstValue')} to ${claim(fact, 'lastValue')}).`
        : `${possessive(capitalize(member))} share of ${measure} ${verb} from ${claim(fact, 'firstShare')} to ${claim(fact, 'lastShare')}, although its own ${measure} ${valueChange >= 0 ? 'grew' : 'declined'} from ${claim(fact, 'firstValue')} to ${claim(fact, 'lastValue')}.`,
  };
};

/** A member that joined late and stayed: a branch's opening, told by its first day and the share it has now. */
const launch: Describer = (fact, words) => {
  const dimension = fact.subspace!.dimension;
  const member = capitalize(words.member(dimension, fact.subspace!.member));
  const measure = words.measure(fact.measureId).label;
  const generic = theGeneric(measure);
  const title = `${member} joined on ${claim(fact, 'firstDay')} and brought ${claim(fact, 'latestShare')} of ${generic}${measure} by ${claim(fact, 'latestPeriod')}`;
  const s1 = `${member} first appears on ${claim(fact, 'firstDay')}, well after the file begins (${claim(fact, 'fileStart')}); the other ${claim(fact, 'others')} ${words.plural(dimension)} are there from the start.`;
  const s2 = `In ${claim(fact, 'latestPeriod')} its ${measure} came to ${claim(fact, 'latestValue')}, ${claim(fact, 'latestShare')} of the total.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2} Its climb from nothing is its opening, not a trend.`,
    mention: `${member} joined on ${claim(fact, 'firstDay')} and brought ${claim(fact, 'latestShare')} of ${generic}${measure} in ${claim(fact, 'latestPeriod')}.`,
  };
};

const changePoint: Describer = (fact, words) => {
  if (fact.data.launch) return launch(fact, words);
  const subject = words.subject(fact);
  const up = Number(fact.claims.changePct?.value ?? 0) > 0;
  const jump = up
    ? hedge(fact.strength, 'jumped', 'rose', 'edged up')
    : hedge(fact.strength, 'dropped', 'fell', 'edged down');
  const title = `${capitalize(subject)} ${jump} ${magnitude(fact, 'changePct')} from ${claim(fact, 'changePeriod')} and stayed there`;
  // A total is per period ("2,448 a day"); an average (a temperature) is just its level, and so is a level
  // held at each moment (slots offered an hour), told per its own step, never per the series' week.
  const told = words.measure(fact.measureId);
  const per =
    told.aggregation !== 'sum' || typeof fact.data.granularity !== 'string'
      ? ''
      : told.stockPer
        ? told.stockPer === fact.data.granularity
          ? ''
          : ` per ${told.stockPer}`
        : ` a ${granularityNoun(fact.data.granularity)}`;
  const s1 = `From ${claim(fact, 'changePeriod')}, ${subject} ${jump} to an average of ${claim(fact, 'meanAfter')}${per}, against ${claim(fact, 'meanBefore')} before: a lasting shift, ${relative(fact, 'changePct')}${has(fact, 'changeRelPct') ? `, ${claim(fact, 'changeRelPct')} ${up ? 'above' : 'below'} the old level` : ''}.`;
  const siblings = fact.subspace && has(fact, 'othersMaxChangePct');
  const others = siblings
    ? words.dimension(fact.subspace!.dimension)?.members.length === 2
      ? capitalize(words.others(fact.subspace!.dimension, fact.subspace!.member))
      : `The other ${words.plural(fact.subspace!.dimension)}`
    : '';
  const s2 = siblings
    ? othersAcrossShift(fact, words, others, up)
    : has(fact, 'stepFrom')
      ? // Few periods: the step between two of them, and where the latest stands.
        `The step came between ${claim(fact, 'stepFromPeriod')} (${claim(fact, 'stepFrom')}) and ${claim(fact, 'changePeriod')} (${claim(fact, 'stepTo')})${has(fact, 'latestPeriod') ? `; ${at(claim(fact, 'latestPeriod'))} it stood at ${claim(fact, 'latestValue')}, still ${up ? 'above' : 'below'} where it was before` : ''}.`
      : has(fact, 'breadthMembers')
        ? breadthAcrossShift(fact, words, up)
        : `The new level has held since, rather than drifting back.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(subject)} shifted from ${claim(fact, 'meanBefore')} to ${claim(fact, 'meanAfter')} from ${claim(fact, 'changePeriod')} (${relative(fact, 'changePct')}).`,
  };
};

/** How many members of a breakdown made the whole table's step with it, and by how much (in percent). */
function breadthAcrossShift(fact: Fact, words: Vocabulary, up: boolean): string {
  const dimension = String(fact.data.breadth);
  const all = claim(fact, 'breadthMembers') === claim(fact, 'breadthOf');
  const who = all
    ? `Every ${words.singular(dimension)}`
    : `${claim(fact, 'breadthMembers')} of the ${claim(fact, 'breadthOf')} ${words.plural(dimension)}`;
  const verb = up ? 'rose' : 'fell';
  return `${who} ${verb} across the same date, by ${claim(fact, 'breadthLow')} to ${claim(fact, 'breadthHigh')}: the shift is ${all ? "the whole table's" : 'broad'}, not one ${words.singular(dimension)}'s.`;
}

/** A move's size without its sign, in points for a percentage ("slid 11.2 points"). */
const unsignedMove = (fact: Fact, words: Vocabulary, key: string) =>
  inPointsOf(words.measure(fact.measureId), claim(fact, key).replace(/^[+-]/, ''));

/** A sudden move that lasted: from what to what, how many typical steps, and where it stood at the end. */
const shock: Describer = (fact, words) => {
  const subject = words.subject(fact);
  const up = direction(fact) === 'up';
  const granularity = granularityNoun(fact.data.granularity);
  const move = unsignedMove(fact, words, 'changePct');
  // A move over two or three periods names both ends; one over a single period is its largest step.
  const steps = Number(fact.data.index) - Number(fact.data.from);
  // A quarter or more is a collapse; a smaller move made news by its breadth (GDP down 7% in 28 of 29
  // countries) fell.
  const [from, to] = [Number(fact.claims.previousValue?.value), Number(fact.claims.value?.value)];
  const sharp = !(from !== 0 && Math.abs((to - from) / from) < 0.25);
  const verb = up ? (sharp ? 'jumped' : 'rose') : sharp ? 'collapsed' : 'fell';
  const title =
    steps > 1
      ? `${capitalize(subject)} ${verb} ${move} from ${claim(fact, 'previousPeriod')} to ${claim(fact, 'period')}`
      : `${capitalize(subject)} ${verb} ${move} ${at(claim(fact, 'period'))}, its largest ${stepMove(fact.data.points, fact.data.granularity)}`;
  const multiple = has(fact, 'stepMultiple')
    ? `: ${claim(fact, 'stepMultiple')} its typical ${granularity}-to-${granularity} step`
    : '';
  const yearAgo = has(fact, 'yearAgoChangePct')
    ? `, ${unsignedMove(fact, words, 'yearAgoChangePct')} ${up ? 'above' : 'below'} ${claim(fact, 'yearAgoPeriod')} (${claim(fact, 'yearAgoValue')})`
    : '';
  const s1 = `${capitalize(at(claim(fact, 'period')))}, ${subject} ${up ? 'jumped' : 'fell'} from ${claim(fact, 'previousValue')} ${at(claim(fact, 'previousPeriod'))} to ${claim(fact, 'value')} (${up ? '+' : '-'}${move})${multiple}${yearAgo}.`;
  // Where it ended: still off its old level, or back past it (unemployment below its pre-shock 6.6%).
  const [last, before] = [Number(fact.claims.lastValue?.value), Number(fact.claims.previousValue?.value)];
  // Within a yearly cycle a December is no match for a February: the whole years say where it ended.
  const backPast = !has(fact, 'yearAgoValue') && (up ? last <= before : last >= before);
  // By year, the last year against the one the shock left says where it ended (s3): its value once.
  const yearly = fact.data.granularity === 'year' && has(fact, 'recentYearValue');
  // Half of the way back or more the next period (a season behind closed doors, then full stadiums): it came back.
  const next = Number(fact.claims.nextValue?.value);
  const after = Number(fact.claims.value?.value);
  const cameBack = before !== after && (next - after) / (before - after) >= 0.5;
  const s2 = cameBack
    ? `It came back ${at(claim(fact, 'nextPeriod'))}: ${claim(fact, 'nextValue')}.`
    : yearly
      ? `It did not snap back: ${claim(fact, 'nextValue')} ${at(claim(fact, 'nextPeriod'))}.`
      : backPast
        ? `It did not snap back: ${claim(fact, 'nextValue')} ${at(claim(fact, 'nextPeriod'))}; by ${claim(fact, 'lastPeriod')} it was ${claim(fact, 'lastValue')}, back past its level before the ${up ? 'jump' : 'fall'}.`
        : claim(fact, 'nextPeriod') === claim(fact, 'lastPeriod')
          ? `It did not snap back: ${claim(fact, 'nextValue')} ${at(claim(fact, 'nextPeriod'))}, the latest.`
          : `It did not snap back: ${claim(fact, 'nextValue')} ${at(claim(fact, 'nextPeriod'))}, and ${claim(fact, 'lastValue')} ${at(claim(fact, 'lastPeriod'))}.`;
  // A panel's shock names how many of its entities moved with the whole.
  const entity = words.profile.entity;
  const sameWay = Number(fact.claims.sameWayEntities?.value);
  const crowd =
    !entity || !has(fact, 'entitiesSeen')
      ? ''
      : sameWay === Number(fact.claims.entitiesSeen?.value)
        ? ` All ${claim(fact, 'entitiesSeen')} ${words.plural(entity)} ${up ? 'rose' : 'fell'}.`
        : ` ${claim(fact, 'sameWayEntities')} of the ${claim(fact, 'entitiesSeen')} ${words.plural(entity)} ${up ? 'rose' : 'fell'}.`;
  const came = words.measure(fact.measureId).aggregation === 'sum' ? 'came to' : 'averaged';
  const s3 = !has(fact, 'recentYearValue')
    ? ''
    : has(fact, 'recentOfBase')
      ? ` Over ${claim(fact, 'recentYear')}, ${subject} ${came} ${claim(fact, 'recentYearValue')}, ${claim(fact, 'recentOfBase')} of ${claim(fact, 'baseYear')} (${claim(fact, 'baseYearValue')}).`
      : ` Over ${claim(fact, 'recentYear')}, ${subject} ${came} ${claim(fact, 'recentYearValue')}, against ${claim(fact, 'baseYearValue')} in ${claim(fact, 'baseYear')}.`;
  return {
    title,
    summary: `${s1}${crowd} ${s2}`,
    lead: `${s1}${crowd} ${s2}${s3}`,
    mention: `${capitalize(subject)} ${up ? 'jumped' : 'fell'} from ${claim(fact, 'previousValue')} to ${claim(fact, 'value')} ${at(claim(fact, 'period'))}.`,
  };
};

/** A few periods off the level around them: when, how long, how far, and whether the others shared it. */
const episode: Describer = (fact, words) => {
  const subject = words.subject(fact);
  const up = direction(fact) === 'up';
  const units = granularityNoun(fact.data.granularity, true);
  const length = `${claim(fact, 'length')} ${units}`;
  const othersSteady = fact.subspace && has(fact, 'othersMaxChangePct') && fact.surprise > 1;
  const its = agree(words.measure(fact.measureId).label, 'its', 'their');
  const size = has(fact, 'ratioToTypical')
    ? `${claim(fact, 'ratioToTypical')} ${its} usual level`
    : `${magnitude(fact, 'changePct').replace(/^\+/, '')} ${up ? 'above' : 'below'} ${its} usual level`;
  const title = `${capitalize(subject)} ran ${size} for ${length} from ${claim(fact, 'period')}`;
  const extreme = has(fact, 'extremeValue')
    ? ` ${up ? 'It peaked' : 'It bottomed out'} at ${claim(fact, 'extremeValue')} on ${claim(fact, 'extremePeriod')}.`
    : '';
  const s1 = `From ${claim(fact, 'period')} to ${claim(fact, 'endPeriod')}, ${subject} averaged ${claim(fact, 'value')}, against ${claim(fact, 'expected')} in the ${units} around it: ${relative(fact, 'changePct')}, for ${length} in a row.${extreme}`;
  const s2 = othersSteady
    ? `No other ${words.singular(fact.subspace!.dimension)} moved by more than ${claim(fact, 'othersMaxChangePct')} over those ${units}.`
    : `No other stretch of the series comes close.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(subject)} ran ${size} for ${length} from ${claim(fact, 'period')} (${claim(fact, 'value')} against ${claim(fact, 'expected')}).`,
  };
};

/** A member that stopped (a store closed for three months): nothing at all, where it used to have some. */
const closure: Describer = (fact, words) => {
  const member = capitalize(words.member(fact.subspace!.dimension, fact.subspace!.member));
  const measure = words.measure(fact.measureId).label;
  const unit = granularityNoun(fact.data.granularity);
  const units = granularityNoun(fact.data.granularity, true);
  const resumed = (fact.data.closure as { resumed: boolean }).resumed;
  const span = `${claim(fact, 'length')} ${units}`;
  const title = resumed
    ? `${member} had no ${measure} for ${span}, from ${claim(fact, 'period')} to ${claim(fact, 'endPeriod')}`
    : `${member} has had no ${measure} since ${claim(fact, 'period')}, after ${claim(fact, 'expected')} a ${unit} before`;
  const s1 = `From ${claim(fact, 'period')} to ${claim(fact, 'endPeriod')}, ${member} recorded no ${measure} at all — ${claim(fact, 'length')} ${units} in a row — against an average of ${claim(fact, 'expected')} a ${unit} ${resumed ? 'before and after' : 'before'} (${claim(fact, 'changePct').replace(/^-/, '')} lower).`;
  const back = resumed
    ? `It was back to ${claim(fact, 'nextValue')} ${at(claim(fact, 'nextPeriod'))}.`
    : `Nothing has come in since, up to the end of the data.`;
  const others = (fact.data.closure as { allOthers: boolean }).allOthers
    ? Number(fact.claims.othersActive?.value) === 1
      ? `The other ${words.singular(fact.subspace!.dimension)} carried on through those ${units}.`
      : `All ${claim(fact, 'othersActive')} other ${words.plural(fact.subspace!.dimension)} carried on through those ${units}.`
    : `${claim(fact, 'othersActive')} of the other ${words.plural(fact.subspace!.dimension)} carried on through those ${units} without a gap.`;
  return {
    title,
    summary: `${s1} ${back}`,
    lead: `${s1} ${back} ${others}`,
    mention: `${member} had no ${measure} for ${span} from ${claim(fact, 'period')} (${claim(fact, 'expected')} a ${unit} around it).`,
  };
};

/** A season far from what its months and the long-run level lead one to expect (a hot summer). */
const anomaly: Describer = (fact, words) => {
  const subject = words.subject(fact);
  const side = direction(fact) === 'up' ? 'above' : 'below';
  const when = `from ${claim(fact, 'period')} to ${claim(fact, 'endPeriod')}`;
  const title = `${capitalize(subject)} ran ${claim(fact, 'offBy')} ${side} normal ${when}`;
  const s1 = `${capitalize(when)}, ${subject} averaged ${claim(fact, 'value')}, against the ${claim(fact, 'expected')} that those months usually bring once the season and the long-run level are taken into account: ${claim(fact, 'offBy')} ${side}, for ${claim(fact, 'length')} months in a row.`;
  const s2 = `No other stretch of the record comes close, for its time of year.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(subject)} ran ${claim(fact, 'offBy')} ${side} normal ${when} (${claim(fact, 'value')} against ${claim(fact, 'expected')}).`,
  };
};

/** Hours of one member at nothing while the others carried on (a counter down from 07:00 to 17:00). */
const outage: Describer = (fact, words) => {
  const member = capitalize(words.member(fact.subspace!.dimension, fact.subspace!.member));
  const measure = words.measure(fact.measureId).label;
  const plural = words.plural(fact.subspace!.dimension);
  // No rows at all in a log of readings: the data stopped, which is not a count of zero.
  const noReadings = (fact.data.outage as { noReadings?: boolean }).noReadings === true;
  const what = noReadings ? 'sent no readings' : `recorded no ${measure}`;
  const title = `${member} ${what} for ${claim(fact, 'length')} hours on ${claim(fact, 'period')}`;
  const s1 = `On ${claim(fact, 'period')}, ${member} ${what} from ${claim(fact, 'startHour')} to ${claim(fact, 'endHour')}: a gap of ${claim(fact, 'length')} hours in a row, hours that usually bring ${claim(fact, 'expected')}${noReadings ? ` of ${measure}` : ''}.`;
  const others = (fact.data.outage as { allOthers: boolean }).allOthers
    ? `All ${claim(fact, 'othersActive')} other ${plural} carried on as usual through those hours.`
    : `${claim(fact, 'othersActive')} of the other ${plural} carried on as usual through those hours.`;
  const dayText = has(fact, 'dayValue')
    ? ` That day ${member} came to ${claim(fact, 'dayValue')}, ${claim(fact, 'dayDropPct')} below its usual ${claim(fact, 'weekday')} (${claim(fact, 'dayTypical')}).`
    : '';
  return {
    title,
    summary: `${s1} ${others}`,
    lead: `${s1} ${others}${dayText}`,
    mention: `${member} ${what} from ${claim(fact, 'startHour')} to ${claim(fact, 'endHour')} on ${claim(fact, 'period')} (${claim(fact, 'expected')} usual for those hours).`,
  };
};

/** A member's period far off its usual share of its siblings' (a store's June at a quarter of its usual). */
const offShare: Describer = (fact, words) => {
  const dimension = fact.subspace!.dimension;
  const member = capitalize(words.member(dimension, fact.subspace!.member));
  const measure = words.measure(fact.measureId).label;
  const up = direction(fact) === 'up';
  const plural = words.plural(dimension);
  const title = `${member} ${measure} ${up ? 'jumped' : 'collapsed'} ${claim(fact, 'offPct')} ${at(claim(fact, 'period'))} while the other ${plural} held`;
  const s1 = `${capitalize(at(claim(fact, 'period')))}, ${member} ${measure} came to ${claim(fact, 'value')}, ${claim(fact, 'offPct')} ${up ? 'above' : 'below'} the ${claim(fact, 'expected')} its usual share of the other ${plural} points to.`;
  const others = has(fact, 'othersMovePct')
    ? ` The other ${plural} together were ${Number(fact.claims.othersMovePct?.value) >= 0 ? `${claim(fact, 'othersMovePct').replace(/^\+/, '')} above` : `${claim(fact, 'othersMovePct').replace(/^-/, '')} below`} their usual level that ${granularityNoun(fact.data.granularity)}, so the move is ${possessive(member)} alone.`
    : '';
  return {
    title,
    summary: `${s1}${others}`,
    lead: `${s1}${others}`,
    mention: `${member} ${measure} ${agree(measure, 'was', 'were')} ${claim(fact, 'offPct')} ${up ? 'above' : 'below'} its usual share of the other ${plural} ${at(claim(fact, 'period'))} (${claim(fact, 'value')} against ${claim(fact, 'expected')}).`,
  };
};

/** The record cell of a panel: one member's period above every other member's every period. */
const recordCell: Describer = (fact, words) => {
  const dimension = fact.subspace!.dimension;
  const member = capitalize(words.member(dimension, claim(fact, 'member')));
  const measure = words.measure(fact.measureId).label;
  const granularity = granularityNoun(fact.data.granularity);
  const kind = words.singular(dimension);
  const second = `${words.member(dimension, claim(fact, 'secondMember'))} ${at(claim(fact, 'secondPeriod'))}`;
  // "134 goals", "€1.2M of revenue".
  const amount = `${claim(fact, 'value')}${words.measure(fact.measureId).format.kind === 'currency' ? ' of' : ''} ${measure}`;
  const s1 = `${capitalize(at(claim(fact, 'period')))}, ${member} reached ${amount}, the most of any ${kind} in any ${granularity} of the file: ${claim(fact, 'aboveSecondPct')} above the next best, ${claim(fact, 'secondValue')} (${second}).`;
  const s2 = has(fact, 'ownNextValue')
    ? ` Its own next best ${granularity} was ${claim(fact, 'ownNextValue')} (${claim(fact, 'ownNextPeriod')}).`
    : '';
  return {
    title: `${member} set the record ${at(claim(fact, 'period'))}: ${amount}, ${claim(fact, 'aboveSecondPct')} above any other ${kind}'s best`,
    summary: `${s1}${s2}`,
    lead: `${s1}${s2}`,
    mention: `${member} holds the record ${at(claim(fact, 'period'))}: ${amount}, against ${claim(fact, 'secondValue')} for the next best (${second}).`,
  };
};

const spike: Describer = (fact, words) => {
  if (fact.data.offShare) return offShare(fact, words);
  if (fact.data.outage) return outage(fact, words);
  if (fact.data.closure) return closure(fact, words);
  if (fact.data.anomaly) return anomaly(fact, words);
  if (fact.data.episode) return episode(fact, words);
  if (fact.data.shock) return shock(fact, words);
  if (fact.data.recordCell) return recordCell(fact, words);
  const subject = words.subject(fact);
  const up = direction(fact) === 'up';
  const period = claim(fact, 'period');
  const granularity = granularityNoun(fact.data.granularity);
  const othersSteady = fact.subspace && has(fact, 'othersMaxChangePct') && fact.surprise > 1;
  const tail = othersSteady ? ` while other ${words.plural(fact.subspace!.dimension)} held steady` : '';
  // A spike that is mostly one row says so first: that row is the story.
  const oneRow = has(fact, 'topRowValue')
    ? `, ${claim(fact, 'topRowSharePct')} of it one ${singularNoun(words.measure(ROWS_MEASURE_ID).label)}`
    : '';
  const title = up
    ? `${capitalize(subject)} spiked to ${claim(fact, 'value')} ${at(period)}${oneRow || (has(fact, 'ratioToTypical') ? `, ${claim(fact, 'ratioToTypical')} a typical ${granularity}` : '')}`
    : `${capitalize(subject)} fell ${magnitude(fact, 'changePct')} ${at(period)}${tail}`;
  const multiple = up && has(fact, 'expectedRatio');
  const against = multiple ? `${claim(fact, 'expectedRatio')} the` : `${relative(fact, 'changePct')} than the`;
  // A day read against its own weekdays (a busy Saturday against the Saturdays around it) says so.
  const neighbours = fact.data.weekday ? `the ${fact.data.weekday}s around it` : `its neighbouring ${granularity}s`;
  // Over a few periods the level is the other periods' average (a drought year against the five others).
  const expected = fact.data.againstOthers
    ? `${claim(fact, 'expected')} of the other ${granularity}s`
    : `${claim(fact, 'expected')} ${neighbours} point to`;
  const s1 = `${capitalize(at(period))}, ${subject} ${up ? 'spiked to' : 'dropped to'} ${claim(fact, 'value')}, ${against} ${expected}.`;
  const parts: string[] = [];
  if (has(fact, 'topRowValue')) {
    const row = singularNoun(words.measure(ROWS_MEASURE_ID).label);
    const which = has(fact, 'topRowId') ? `${claim(fact, 'topRowId')}, ` : '';
    parts.push(
      `A single ${row} (${which}${claim(fact, 'topRowValue')}) makes up ${claim(fact, 'topRowSharePct')} of it.`,
    );
  }
  if (up && has(fact, 'ratioToTypical'))
    parts.push(`That is ${claim(fact, 'ratioToTypical')} the median ${granularity} (${claim(fact, 'typical')}).`);
  if (has(fact, 'topDay'))
    parts.push(
      `${Number(fact.claims.topDaySharePct?.value) > 50 ? 'Most' : 'Much'} of it came in one day: ${claim(fact, 'topDayValue')} on ${claim(fact, 'topDay')} (${claim(fact, 'topDaySharePct')} of the ${granularity}).`,
    );
  if (othersSteady)
    parts.push(
      `No other ${words.singular(fact.subspace!.dimension)} moved by more than ${claim(fact, 'othersMaxChangePct')} that ${granularity}.`,
    );
  // A whole panel's week names how many of its entities moved with it, by a quarter or more.
  const entity = words.profile.entity;
  if (entity && has(fact, 'entitiesSeen')) {
    const all = Number(fact.claims.sameWayEntities?.value) === Number(fact.claims.entitiesSeen?.value);
    const who = all
      ? `All ${claim(fact, 'entitiesSeen')} ${words.plural(entity)}`
      : `${claim(fact, 'sameWayEntities')} of the ${claim(fact, 'entitiesSeen')} ${words.plural(entity)}`;
    parts.push(
      `${who} ${up ? 'rose' : 'fell'} by a quarter or more against their own usual level that ${granularity}.`,
    );
  }
  if (has(fact, 'twinPeriod'))
    parts.push(
      `It comes back every year: ${at(claim(fact, 'twinPeriod'))} ${subject} ${up ? 'spiked' : 'dropped'} to ${claim(fact, 'twinValue')} too.`,
    );
  if (fact.data.recovered && has(fact, 'nextPeriod'))
    parts.push(`It was back to ${claim(fact, 'nextValue')} ${at(claim(fact, 'nextPeriod'))}.`);
  const s2 = parts.join(' ') || `It is the most unusual ${granularity} in the series.`;
  return {
    title,
    summary: `${s1} ${parts[0] ?? s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(subject)} ${up ? 'spiked' : 'dipped'} to ${claim(fact, 'value')} ${at(period)} (${multiple ? `${claim(fact, 'expectedRatio')} what was expected` : `${relative(fact, 'changePct')} than expected`}).`,
  };
};

/** A total's weekend rhythm as volume and size: "mostly more orders", or what each one is worth on either side. */
function volumeAndSize(fact: Fact, words: Vocabulary): string {
  if (!has(fact, 'rowsWeekendVsWeekdayPct')) return '';
  const rows = words.measure(ROWS_MEASURE_ID).label;
  const one = singularNoun(rows);
  const measure = words.measure(fact.measureId).label;
  const total = Number(fact.claims.weekendVsWeekdayPct!.value);
  const count = Number(fact.claims.rowsWeekendVsWeekdayPct!.value);
  const counts = `${claim(fact, 'rowsWeekendMean')} ${rows} a weekend day against ${claim(fact, 'rowsWeekdayMean')}`;
  if (Math.sign(count) === Math.sign(total) && Math.abs(count) >= 0.75 * Math.abs(total))
    return ` It is mostly volume: ${counts} (${relative(fact, 'rowsWeekendVsWeekdayPct')}), at much the same ${measure} per ${one} (${claim(fact, 'perRowWeekend')} against ${claim(fact, 'perRowWeekday')}).`;
  return ` Per ${one}, ${measure} ${agree(measure, 'averages', 'average')} ${claim(fact, 'perRowWeekend')} at weekends against ${claim(fact, 'perRowWeekday')} on weekdays, with ${counts}.`;
}

/** How much of a total's daily swing is the number of rows, and how much their size. */
function hourVolumeAndSize(fact: Fact, words: Vocabulary): string {
  if (!has(fact, 'rowsPeakMean')) return '';
  const rows = words.measure(ROWS_MEASURE_ID).label;
  const one = singularNoun(rows);
  const measure = words.measure(fact.measureId).label;
  const total = Number(fact.claims.peakVsTroughPct?.value ?? Number.NaN);
  const count = Number(fact.claims.rowsPeakVsTroughPct!.value);
  const counts = `${claim(fact, 'rowsPeakMean')} ${rows} at ${claim(fact, 'peak')} against ${claim(fact, 'rowsTroughMean')} at ${claim(fact, 'trough')}`;
  if (Number.isFinite(total) && Math.log1p(count / 100) >= 0.75 * Math.log1p(total / 100))
    return ` It is mostly volume: ${counts}, at much the same ${measure} per ${one} (${claim(fact, 'perRowPeak')} against ${claim(fact, 'perRowTrough')}).`;
  return ` Per ${one}, ${measure} ${agree(measure, 'averages', 'average')} ${claim(fact, 'perRowPeak')} at ${claim(fact, 'peak')} against ${claim(fact, 'perRowTrough')} at ${claim(fact, 'trough')}, with ${counts}.`;
}

const seasonality: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const cycle = fact.data.cycle as string;
  if (cycle === 'weekday') {
    const shape = fact.data.weekendShape;
    const weekendUp = Number(fact.claims.weekendVsWeekdayPct?.value ?? 0) >= 0;
    // An average (distance per flight, a rate) is higher or lower at weekends; weekends do not "bring" it.
    if (words.measure(fact.measureId).aggregation !== 'sum' && shape !== null) {
      const gap = relative(fact, 'weekendVsWeekdayPct');
      const s1 = `At weekends ${measure} ${agree(measure, 'averages', 'average')} ${claim(fact, 'weekendMean')}, against ${claim(fact, 'weekdayMean')} on weekdays: ${gap}.`;
      const s2 = `${claim(fact, 'peak')} is the highest day (${claim(fact, 'peakValue')}) and ${claim(fact, 'trough')} the lowest (${claim(fact, 'troughValue')}).`;
      return {
        title: `${capitalize(measure)} ${agree(measure, 'is', 'are')} ${gap} at weekends than on weekdays`,
        summary: `${s1} ${s2}`,
        lead: `${s1} ${s2} The day-of-week pattern is the average of all the weeks in the file.`,
        mention: `${capitalize(measure)} ${agree(measure, 'is', 'are')} ${gap} on weekends than on weekdays (${claim(fact, 'weekendMean')} vs ${claim(fact, 'weekdayMean')}).`,
      };
    }
    if (shape === null && has(fact, 'oneDay')) {
      const day = claim(fact, 'oneDay');
      const gap = relative(fact, 'oneDayVsOthersPct', 'above', 'below');
      // Six days equal as written sit "at 35", not "between 35 and 35".
      const range =
        claim(fact, 'othersLow') === claim(fact, 'othersHigh')
          ? `at ${claim(fact, 'othersLow')}`
          : `between ${claim(fact, 'othersLow')} and ${claim(fact, 'othersHigh')}`;
      const s1 = `${day}s stand apart: ${measure} ${agree(measure, 'averages', 'average')} ${claim(fact, 'oneDayValue')} on a ${day}, ${gap} the other days of the week, which all sit ${range}.`;
      return {
        title: `${capitalize(measure)} ${agree(measure, 'runs', 'run')} ${gap} the rest of the week on ${day}s`,
        summary: s1,
        lead: `${s1} The day-of-week pattern is the average of all the weeks in the file.`,
        mention: `${capitalize(measure)} ${agree(measure, 'is', 'are')} ${gap} the other days on ${day}s (${claim(fact, 'oneDayValue')}, against ${claim(fact, 'othersLow')}–${claim(fact, 'othersHigh')}).`,
      };
    }
    const title =
      shape !== null
        ? `Weekends ${weekendUp ? 'bring' : 'see'} ${claim(fact, 'weekendVsWeekdayPct').replace(/^-/, '')} ${weekendUp ? 'more' : isPluralLabel(measure) ? 'fewer' : 'less'} ${measure} than weekdays`
        : `${capitalize(measure)} ${agree(measure, 'follows', 'follow')} a weekly cycle, peaking on ${claim(fact, 'peak')}s`;
    const s1 = `On an average weekend day ${measure} ${agree(measure, 'reaches', 'reach')} ${claim(fact, 'weekendMean')}, against ${claim(fact, 'weekdayMean')} on an average weekday: ${relative(fact, 'weekendVsWeekdayPct')} at the weekend.`;
    const s2 = `${claim(fact, 'peak')} is the ${weekendUp && shape === 'high' ? 'busiest' : 'highest'} day (${claim(fact, 'peakValue')}) and ${claim(fact, 'trough')} the lowest (${claim(fact, 'troughValue')}).`;
    // Without a weekend shape the peak day is the story, against the average weekday (a Saturday peak beside
    // a near-closed Sunday: the weekend's average says nothing) or against the other weekdays.
    const baseline = has(fact, 'peakVsWeekdayPct')
      ? 'peakVsWeekdayPct'
      : has(fact, 'peakVsOtherWeekdaysPct')
        ? 'peakVsOtherWeekdaysPct'
        : null;
    const against = baseline === 'peakVsWeekdayPct' ? 'the average weekday' : 'the other weekdays';
    const peakSentence = baseline
      ? `${claim(fact, 'peak')}s run ${relative(fact, baseline, 'above', 'below')} ${against} (${claim(fact, 'peakValue')} against ${claim(fact, 'peakBaselineMean')}); ${claim(fact, 'trough')} is the lowest day (${claim(fact, 'troughValue')}).`
      : s2;
    const [first, second] = shape !== null ? [s1, s2] : [peakSentence, baseline ? '' : s1];
    const both = second ? `${first} ${second}` : first;
    return {
      title,
      summary: both,
      lead: `${both}${volumeAndSize(fact, words)} The day-of-week pattern is the average of all the weeks in the file.`,
      mention:
        shape === null && baseline
          ? `${capitalize(measure)} ${agree(measure, 'peaks', 'peak')} on ${claim(fact, 'peak')}s, ${relative(fact, baseline, 'above', 'below')} ${against} (${claim(fact, 'peakValue')} against ${claim(fact, 'peakBaselineMean')} per day), and ${agree(measure, 'is', 'are')} lowest on ${claim(fact, 'trough')}s.`
          : `${capitalize(measure)} ${agree(measure, 'is', 'are')} ${relative(fact, 'weekendVsWeekdayPct')} on weekends than on weekdays (${claim(fact, 'weekendMean')} vs ${claim(fact, 'weekdayMean')} per day).`,
    };
  }
  if (cycle === 'hour') {
    const title = `${capitalize(measure)} ${agree(measure, 'follows', 'follow')} a daily cycle: highest at ${claim(fact, 'peak')}, lowest at ${claim(fact, 'trough')}`;
    // A total per hour is no average of the things counted: "£617 of basket at 19:00 on an average day".
    const s1 = has(fact, 'rowsPeakMean')
      ? `On an average day, ${measure} ${agree(measure, 'adds', 'add')} up to ${claim(fact, 'peakValue')} in the ${claim(fact, 'peak')} hour and ${claim(fact, 'troughValue')} in the ${claim(fact, 'trough')} hour, its highest and lowest.`
      : `Averaged by hour of day, ${measure} ${agree(measure, 'peaks', 'peak')} at ${claim(fact, 'peak')} (${claim(fact, 'peakValue')}) and ${agree(measure, 'bottoms', 'bottom')} at ${claim(fact, 'trough')} (${claim(fact, 'troughValue')}).`;
    const s2 = `That daily swing of ${magnitude(fact, 'amplitude')} is the average of all the days in the file.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}${hourVolumeAndSize(fact, words)}`,
      mention: `${capitalize(measure)} ${agree(measure, 'runs', 'run')} a daily cycle, peaking at ${claim(fact, 'peak')} and lowest at ${claim(fact, 'trough')} (${magnitude(fact, 'amplitude')} apart).`,
    };
  }
  const title = `${capitalize(measure)} ${agree(measure, 'follows', 'follow')} a yearly cycle: highest in ${claim(fact, 'peak')}, lowest in ${claim(fact, 'trough')}`;
  // Daily totals are compared as each month's average day (February is not short of sales, only of days).
  const perDay = fact.data.perDay ? ' a day' : fact.data.perWeek ? ' a week' : '';
  const s1 = `Once the long-run trend is taken out, ${measure} ${agree(measure, 'runs', 'run')} ${claim(fact, 'peakDeviation')}${perDay} above trend in ${claim(fact, 'peak')} and ${claim(fact, 'troughDeviation')}${perDay} below it in ${claim(fact, 'trough')}.`;
  const s2 = `That seasonal swing of ${magnitude(fact, 'amplitude')}${perDay} from peak to trough is the average of the years in the file.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    // A count's swing names what it counts ("19.6 orders a day apart", not "19.64 apart").
    mention: `${capitalize(measure)} ${agree(measure, 'has', 'have')} a seasonal cycle, peaking in ${claim(fact, 'peak')} and bottoming out in ${claim(fact, 'trough')}, ${magnitude(fact, 'amplitude')}${fact.measureId === ROWS_MEASURE_ID ? ` ${measure}` : ''}${perDay} apart.`,
  };
};

/**
 * One member's own yearly rhythm ("Respiratory fills: 3.07× as many in January as in July"), beside what the
 * other members did over the same months.
 */
const memberCycle: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const member = capitalize(words.member(fact.dimension, claim(fact, 'member')));
  const per = fact.data.perDay ? 'a day' : fact.data.perWeek ? 'a week' : 'a month';
  const others = words.plural(fact.dimension);
  const generic = theGeneric(measure);
  const own = agree(measure, 'its', 'their');
  const title = `${member} ${measure} ${agree(measure, 'runs', 'run')} on a yearly cycle of ${own} own: ${claim(fact, 'ratio')} as high in ${claim(fact, 'peak')} as in ${claim(fact, 'trough')}`;
  const s1 = `${member} averages ${claim(fact, 'peakValue')} of ${generic}${measure} ${per} in ${claim(fact, 'peak')} and ${claim(fact, 'troughValue')} in ${claim(fact, 'trough')}, ${claim(fact, 'ratio')} as much at its peak.`;
  const s2 = `The other ${others} together run only ${claim(fact, 'restGapPct')} ${fact.data.restHigher ? 'higher' : 'lower'} in ${claim(fact, 'peak')} than in ${claim(fact, 'trough')}, so the rhythm is ${possessive(member)} own, not the whole table's.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${member} ${measure} ${agree(measure, 'runs', 'run')} on a yearly cycle of ${own} own too, ${claim(fact, 'ratio')} as high in ${claim(fact, 'peak')} as in ${claim(fact, 'trough')}.`,
  };
};

/** What a leader or a top group put in for its return (its share of the spend, and its ROAS against the rest). */
function inputSentence(fact: Fact, words: Vocabulary, subject: string): string {
  if (!has(fact, 'inputShare')) return '';
  const input = words.measure(String(fact.data.input)).label;
  const perInput = words.measure(String(fact.data.perInput)).label;
  return ` ${subject} took ${claim(fact, 'inputShare')} of the ${input}: ${perInput} of ${claim(fact, 'perInputInside')} against ${claim(fact, 'perInputOutside')} for the rest.`;
}

/** A member whose few rows carry much of a money total: "garden furniture, 3.2% of the lines, 38.7% of revenue". */
const fewRowsMuchOfTheTotal: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const member = capitalize(words.member(fact.dimension, claim(fact, 'member')));
  const rows = words.measure(ROWS_MEASURE_ID).label;
  const generic = theGeneric(measure);
  const title = `${member} brings ${claim(fact, 'share')} of ${generic}${measure} from only ${claim(fact, 'rowShare')} of the ${rows}`;
  const s1 = `${member} accounts for ${claim(fact, 'memberValue')} of ${generic}${measure}, ${claim(fact, 'share')} of the total, from ${claim(fact, 'memberRows')} ${rows} (${claim(fact, 'rowShare')} of them).`;
  const each = has(fact, 'perRowRatio') ? `: ${claim(fact, 'perRowRatio')} as much each` : '';
  const s2 = `Its ${rows} average ${claim(fact, 'perRow')} against ${claim(fact, 'perRowRest')} for the rest${each}.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${member} brings ${claim(fact, 'share')} of ${generic}${measure} from ${claim(fact, 'rowShare')} of the ${rows} (${claim(fact, 'perRow')} each against ${claim(fact, 'perRowRest')}).`,
  };
};

const leader: Describer = (fact, words) => {
  if (fact.data.disproportion) return fewRowsMuchOfTheTotal(fact, words);
  const measure = words.measure(fact.measureId).label;
  const leaderName = words.member(fact.dimension, claim(fact, 'leader'));
  // A count reads as "has the most rows", never "leads rows".
  const counted = fact.measureId === ROWS_MEASURE_ID;
  const leads = counted ? `has the most ${measure},` : `leads ${measure} with`;
  const title = `${opening(fact, leaderName)} ${leads} ${claim(fact, 'leaderShare')} of the total`;
  const generic = theGeneric(measure);
  const amount = `${level(fact, words, claim(fact, 'leaderValue'))} ${counted ? '' : `of ${generic}`}${measure}`;
  const s1 = `${opening(fact, leaderName)} accounts for ${amount}, ${claim(fact, 'leaderShare')} of the total across ${claim(fact, 'members')} ${words.plural(fact.dimension)}.`;
  const runnerUp = fact.claims.members?.value === 2 ? '' : 'the next one, ';
  const s2 = `That is ${claim(fact, 'ratio')} ${runnerUp}${words.member(fact.dimension, claim(fact, 'second'))} (${claim(fact, 'secondValue')}, ${claim(fact, 'secondShare')}).`;
  // A lead that is partly size: the member's own share of the rows, beside its share of the total.
  const rows = has(fact, 'leaderRowShare')
    ? ` It also holds ${claim(fact, 'leaderRows')} of the ${claim(fact, 'rows')} ${words.measure(ROWS_MEASURE_ID).label} (${claim(fact, 'leaderRowShare')}), so ${Number(fact.claims.leaderRowShare?.value) >= 0.75 * Number(fact.claims.leaderShare?.value) ? 'much of its lead is its size' : `each of them brings more ${measure} than elsewhere`}.`
    : '';
  // Over the years the share moved (or another member led the last one): the total hides the mix's change.
  const years = has(fact, 'leaderFirstShare')
    ? ` Year by year its share went from ${claim(fact, 'leaderFirstShare')} in ${claim(fact, 'leadFirstPeriod')} to ${claim(fact, 'leaderLastShare')} in ${claim(fact, 'leadLastPeriod')}${has(fact, 'lastLeader') ? `, when ${words.member(fact.dimension, claim(fact, 'lastLeader'))} led with ${claim(fact, 'lastLeaderShare')}` : ''}.`
    : '';
  return {
    title,
    summary: `${s1} ${s2}${years}`,
    lead: `${s1} ${s2}${years}${rows}${inputSentence(fact, words, 'It')}`,
    mention: `${opening(fact, leaderName)} ${leads} ${claim(fact, 'leaderShare')} of the total, ${claim(fact, 'ratio')} ${runnerUp ? 'the runner-up' : words.member(fact.dimension, claim(fact, 'second'))}.${inputSentence(fact, words, 'It')}`,
  };
};

const laggard: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const name = words.member(fact.dimension, claim(fact, 'laggard'));
  const singular = words.singular(fact.dimension);
  if (fact.data.negative && has(fact, 'negativeTotal')) {
    const plural = words.plural(fact.dimension);
    const title = `${opening(fact, name)} loses the most ${measure}, ${claim(fact, 'laggardValue')}: ${claim(fact, 'negativeMembers')} of ${claim(fact, 'members')} ${plural} are below zero`;
    const s1 = `${opening(fact, name)} ends with ${claim(fact, 'laggardValue')} of ${measure}, the lowest of ${claim(fact, 'members')} ${plural}. ${capitalize(claim(fact, 'negativeMembers'))} of them are below zero and give back ${claim(fact, 'negativeTotal').replace(/^-/, '')} between them, while the whole makes ${claim(fact, 'total')}.`;
    const s2 = `${capitalize(words.member(fact.dimension, claim(fact, 'top')))} makes the most: ${claim(fact, 'topValue')}.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${claim(fact, 'negativeMembers')} of ${claim(fact, 'members')} ${plural} have negative ${measure}, ${name} the most (${claim(fact, 'laggardValue')}).`,
    };
  }
  if (fact.data.negative) {
    const only = Number(fact.claims.negativeMembers?.value ?? 1) === 1;
    const title = `${opening(fact, name)} ${only ? 'is the only' : 'is a'} ${singular} with negative ${measure}: ${claim(fact, 'laggardValue')}`;
    const s1 = `${opening(fact, name)} ends with ${claim(fact, 'laggardValue')} of ${measure}, while the ${claim(fact, 'members')} ${words.plural(fact.dimension)} together make ${claim(fact, 'total')}; the median ${singular} makes ${claim(fact, 'median')}.`;
    const s2 = has(fact, 'next')
      ? `${capitalize(words.member(fact.dimension, claim(fact, 'next')))} is also below zero, at ${claim(fact, 'nextValue')}.`
      : `Every other ${singular} is above zero.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${capitalize(name)} has negative ${measure} (${claim(fact, 'laggardValue')}) while the whole makes ${claim(fact, 'total')}.`,
    };
  }
  const trails = fact.measureId === ROWS_MEASURE_ID ? `has the fewest ${measure}` : `trails on ${measure}`;
  const title = `${opening(fact, name)} ${trails}: ${claim(fact, 'laggardValue')}, ${claim(fact, 'belowMedianPct')} below the median ${singular}`;
  const s1 =
    fact.measureId === ROWS_MEASURE_ID
      ? `${opening(fact, name)} has ${level(fact, words, claim(fact, 'laggardValue'))} ${measure}, the fewest of ${claim(fact, 'members')} ${words.plural(fact.dimension)} and ${claim(fact, 'belowMedianPct')} below the median ${singular} (${claim(fact, 'median')}).`
      : `${opening(fact, name)} brings ${level(fact, words, claim(fact, 'laggardValue'))} of ${measure}, the least of ${claim(fact, 'members')} ${words.plural(fact.dimension)} and ${claim(fact, 'belowMedianPct')} below the median ${singular} (${claim(fact, 'median')}).`;
  const s2 = `The next smallest, ${words.member(fact.dimension, claim(fact, 'next'))}, has ${claim(fact, 'nextValue')}.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${opening(fact, name)} ${trails} with ${claim(fact, 'laggardValue')}, ${claim(fact, 'belowMedianPct')} below the median ${singular}.`,
  };
};

/** One named thing far from the others (a hospital's mortality ratio), against the median thing. */
const outlier: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const name = capitalize(claim(fact, 'member'));
  const row = words.row();
  const higher = fact.data.direction === 'higher';
  const side = higher ? 'above' : 'below';
  const distance = has(fact, 'ratioToMedian')
    ? `${claim(fact, 'ratioToMedian')} the median ${row}`
    : has(fact, 'fromMedianPct')
      ? `${claim(fact, 'fromMedianPct')} ${side} the median ${row}`
      : `${claim(fact, 'fromMedian')} ${side} the median ${row}`;
  const title = `${name} stands out on ${measure}: ${claim(fact, 'memberValue')}, ${distance}`;
  const s1 = `${capitalize(possessive(name))} ${measure} ${agree(measure, 'is', 'are')} ${claim(fact, 'memberValue')}, the ${higher ? 'highest' : 'lowest'} of ${claim(fact, 'members')} ${words.rows()} and ${distance} (${claim(fact, 'median')}).`;
  const s2 = `The next ${higher ? 'highest' : 'lowest'}, ${claim(fact, 'next')}, has ${claim(fact, 'nextValue')}: no other ${row} comes close.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${name} stands out on ${measure} (${claim(fact, 'memberValue')} against a median of ${claim(fact, 'median')}).`,
  };
};

const concentration: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const plural = words.plural(fact.dimension);
  if (fact.data.many) {
    // Hundreds of customers: the largest tenth, by how much it holds against the tenth an even spread gives it.
    const title = `The top ${claim(fact, 'topKPctOfMembers')} of ${plural} bring ${claim(fact, 'topShare')} of ${measure}`;
    const s1 = `The ${claim(fact, 'topK')} largest of ${claim(fact, 'members')} ${plural}, ${claim(fact, 'topKPctOfMembers')} of them, account for ${claim(fact, 'topShare')} of ${measure}.`;
    const s2 = `The largest, ${words.member(fact.dimension, claim(fact, 'topMember'))}, alone brings ${claim(fact, 'topMemberShare')} (${claim(fact, 'topMemberValue')} of ${claim(fact, 'total')}).`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${capitalize(measure)} ${agree(measure, 'is', 'are')} concentrated: the top ${claim(fact, 'topKPctOfMembers')} of ${plural} hold ${claim(fact, 'topShare')} of ${agree(measure, 'it', 'them')}.`,
    };
  }
  const topK = Number(fact.claims.topK?.value ?? 1);
  const names = Array.from({ length: Math.min(topK, 8) }, (_, i) =>
    words.member(fact.dimension, claim(fact, `top${i + 1}`)),
  );
  const title = `${opening(fact, 'the top')} ${claim(fact, 'topK')} of ${claim(fact, 'members')} ${plural} bring ${claim(fact, 'topShare')} of ${measure}`;
  const s1 = `${opening(fact, topK <= 8 ? listOf(names) : `the top ${claim(fact, 'topK')} ${plural}`)} together account for ${claim(fact, 'topShare')} of ${measure}, although they are only ${claim(fact, 'topK')} of ${claim(fact, 'members')} ${plural}.`;
  const s2 = `${capitalize(words.member(fact.dimension, claim(fact, 'topMember')))} alone brings ${claim(fact, 'topMemberShare')} (${level(fact, words, `${claim(fact, 'topMemberValue')} of ${claim(fact, 'total')}`)}).`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}${inputSentence(fact, words, 'Together they')}`,
    mention: `${opening(fact, measure)} ${agree(measure, 'is', 'are')} concentrated: the top ${claim(fact, 'topK')} of ${claim(fact, 'members')} ${plural} hold ${claim(fact, 'topShare')} of ${agree(measure, 'it', 'them')}.`,
  };
};

/**
 * A measure with and without a condition (promo days against the others), per row; in a panel, each
 * entity against its own other periods ("store for store, weekly sales are 7.5% higher in holiday weeks").
 */
const conditionSegment: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const condition = words.dimension(fact.dimension)?.label ?? fact.dimension ?? 'the condition';
  const rows = words.measure(ROWS_MEASURE_ID).label;
  const row = words.row();
  const member = claim(fact, 'member');
  const sides = words.sides(fact.dimension, member) ?? { member: `with ${condition}`, other: `without ${condition}` };
  const higher = fact.data.direction === 'higher';
  const gap = has(fact, 'diffPct') ? relative(fact, 'diffPct') : higher ? 'higher' : 'lower';
  const is = agree(measure, 'is', 'are');
  // "Installs with battery make up 33.7% of all installs", not "Battery makes up…".
  const share = !isYesMember(member)
    ? ''
    : sides.member.startsWith('with ')
      ? `${capitalize(rows)} ${sides.member} make up ${claim(fact, 'memberRowShare')} of all ${rows}.`
      : `${capitalize(sides.member.replace(/^(in|on|for) /, ''))} ${agree(sides.member, 'makes', 'make')} up ${claim(fact, 'memberRowShare')} of the ${rows}.`;
  if (fact.data.withinEntity) {
    const entity = words.singular(String(fact.data.withinEntity));
    const entities = words.plural(String(fact.data.withinEntity));
    const title = `${capitalize(measure)} ${is} ${gap} ${sides.member}, ${entity} for ${entity}`;
    const s1 = `${capitalize(entity)} for ${entity}, ${measure} ${is} ${gap} ${sides.member} than ${sides.other}.`;
    const s2 = `Across all ${entities}, the average ${row} holds ${claim(fact, 'memberValue')} ${sides.member} and ${claim(fact, 'restValue')} ${sides.other}.${share ? ` ${share}` : ''}`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${capitalize(entity)} for ${entity}, ${measure} ${is} ${gap} ${sides.member}.`,
    };
  }
  const title = `${capitalize(measure)} ${is} ${gap} ${sides.member}: ${claim(fact, 'memberValue')} vs ${claim(fact, 'restValue')} per ${row}`;
  const s1 = `On average, ${measure} ${is} ${claim(fact, 'memberValue')} per ${row} ${sides.member} and ${claim(fact, 'restValue')} ${sides.other}: ${gap} ${sides.member}.`;
  return {
    title,
    summary: share ? `${s1} ${share}` : s1,
    lead: share ? `${s1} ${share}` : s1,
    mention: `${capitalize(measure)} ${is} ${gap} ${sides.member} (${claim(fact, 'memberValue')} vs ${claim(fact, 'restValue')} per ${row}).`,
  };
};

/** A measure that climbs or falls across ordered members: from one end to the other, every step listed. */
const orderedSegment: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const { rising } = fact.data.ordered as { rising: boolean };
  const noun = words.singular(fact.dimension);
  const step = (name: string) => words.member(fact.dimension, claim(fact, name));
  const title = `${capitalize(measure)} ${rising ? agree(measure, 'climbs', 'climb') : agree(measure, 'falls', 'fall')} with ${noun}: from ${claim(fact, 'firstStepValue')} for ${step('firstStep')} to ${claim(fact, 'lastStepValue')} for ${step('lastStep')}`;
  const steps = [1, 2, 3, 4, 5, 6, 7, 8].filter((i) => has(fact, `step${i}`));
  const listing = steps.map((i) => `${step(`step${i}`)} ${claim(fact, `step${i}Value`)}`);
  if (Number(fact.claims.steps?.value) + 1 > steps.length) listing.push('…');
  const every = claim(fact, 'stepsWith') === claim(fact, 'steps');
  const s1 = `${capitalize(measure)} ${rising ? 'rises' : 'falls'} ${every ? 'at every step' : `in ${claim(fact, 'stepsWith')} of ${claim(fact, 'steps')} steps`} from one ${noun} to the next: ${listing.join(', ')}.`;
  const ends = has(fact, 'stepsRatio')
    ? `${capitalize(step(rising ? 'lastStep' : 'firstStep'))} runs ${claim(fact, 'stepsRatio')} as high as ${step(rising ? 'firstStep' : 'lastStep')}.`
    : '';
  return {
    title,
    summary: `${s1} ${ends}`.trim(),
    lead: `${s1} ${ends}`.trim(),
    mention: `${capitalize(measure)} ${rising ? 'climbs' : 'falls'} with ${noun}, from ${claim(fact, 'firstStepValue')} for ${step('firstStep')} to ${claim(fact, 'lastStepValue')} for ${step('lastStep')}.`,
  };
};

const segment: Describer = (fact, words) => {
  if (fact.data.condition) return conditionSegment(fact, words);
  if (fact.data.ordered) return orderedSegment(fact, words);
  const measure = words.measure(fact.measureId).label;
  const member = words.member(fact.dimension, claim(fact, 'member'));
  const higher = fact.data.direction === 'higher';
  const plural = words.plural(fact.dimension);
  const ranks = [1, 2, 3, 4, 5, 6].filter((i) => has(fact, `rank${i}`));
  // Two groups (overtime or not): the rest is the other one, named; a ranking of two says nothing more.
  const other =
    ranks.length === 2 && !has(fact, 'rank3')
      ? [claim(fact, 'rank1'), claim(fact, 'rank2')].find((name) => name !== claim(fact, 'member'))
      : undefined;
  // An experiment's arm is told against its control (`versus`), named.
  const against = other ?? (has(fact, 'control') ? claim(fact, 'control') : undefined);
  const rest = against ? words.member(fact.dimension, against) : null;
  // A gap between two percentages is in points: "9.9 points higher", never "9.9% higher" (a relative rise).
  const diffAbs = has(fact, 'diffAbs') ? claim(fact, 'diffAbs').replace(/%$/, ' points') : '';
  // An experiment reads as one arm against the other(s), in neutral words: a higher rate may be worse.
  const gapWords = has(fact, 'diffPct')
    ? relative(fact, 'diffPct')
    : has(fact, 'diffAbs')
      ? `${diffAbs} ${higher ? 'higher' : 'lower'}`
      : higher
        ? 'higher'
        : 'lower';
  // Of two groups one is higher, not highest; nor is a member above the rest combined "highest" when
  // another ranks above it (OK's 33 °C against CLIPPING's 51 °C).
  const end = higher ? 'rank1' : has(fact, 'rankLast') ? 'rankLast' : `rank${ranks.at(-1)}`;
  const atEnd = ranks.length === 0 || claim(fact, end) === claim(fact, 'member');
  const extreme = rest || !atEnd ? (higher ? 'higher' : 'lower') : higher ? 'highest' : 'lowest';
  const title = fact.data.experiment
    ? `${capitalize(measure)} ${agree(measure, 'is', 'are')} ${gapWords} for ${member} than for ${rest ?? `the other ${plural}`}: ${claim(fact, 'memberValue')} vs ${claim(fact, 'restValue')}`
    : `${opening(fact, measure)} ${agree(measure, 'is', 'are')} ${extreme} for ${member}: ${claim(fact, 'memberValue')} vs ${claim(fact, 'restValue')} for ${rest ?? 'the rest'}`;
  // Ten times or more reads as a multiple ("2,584× as high"), never as "258,294% higher".
  const manyTimes = has(fact, 'ratio') && higher && Number(fact.claims.ratio!.value) >= 10;
  const gap = manyTimes
    ? `${claim(fact, 'ratio')} as high`
    : has(fact, 'diffPct')
      ? relative(fact, 'diffPct')
      : `${has(fact, 'diffAbs') ? `${diffAbs} ${words.measure(fact.measureId).scale ? 'points ' : ''}` : ''}${higher ? 'higher' : 'lower'}`;
  // A multiple reads only upward: "16.3% lower (1.2×)" is a puzzle.
  const ratio = has(fact, 'ratio') && !manyTimes && higher ? ` (${claim(fact, 'ratio')})` : '';
  // The others' value is their pooled average, not a total: "combined" only fits a rate of their sums.
  const others =
    words.measure(fact.measureId).aggregation === 'mean'
      ? `the other ${plural} on average`
      : `all other ${plural} combined`;
  const s1 = `${opening(fact, member)} stands out on ${measure}: ${claim(fact, 'memberValue')} against ${claim(fact, 'restValue')} for ${rest ?? others}, ${gap}${ratio}.`;
  const listing = ranks.map(
    (i) => `${words.member(fact.dimension, claim(fact, `rank${i}`))} ${claim(fact, `rank${i}Value`)}`,
  );
  // A long ranking: its top five, then the lowest, and how many there are.
  if (has(fact, 'rankLast'))
    listing.splice(
      5,
      listing.length,
      `…, ${words.member(fact.dimension, claim(fact, 'rankLast'))} ${claim(fact, 'rankLastValue')} (${claim(fact, 'members')} in all)`,
    );
  const base = words.measure(fact.measureId).perRowOf;
  // Two arms of a test split evenly (B has 50.0% of the visitors) say nothing by their shares.
  const rowShare = Number(fact.claims.memberRowShare?.value);
  const evenPair = Number(fact.claims.members?.value) === 2 && rowShare >= 40 && rowShare <= 60;
  const s2 = evenPair
    ? ''
    : has(fact, 'memberSumShare') && base
      ? `${capitalize(member)} ${agree(member, 'makes', 'make')} up ${claim(fact, 'memberRowShare')} of the ${words.measure(ROWS_MEASURE_ID).label} but ${agree(member, 'brings', 'bring')} in ${claim(fact, 'memberSumShare')} of ${words.measure(base).label}.`
      : rest && has(fact, 'memberRowShare')
        ? `${capitalize(member)} ${agree(member, 'makes', 'make')} up ${claim(fact, 'memberRowShare')} of the ${words.measure(ROWS_MEASURE_ID).label}.`
        : ranks.length >= 2
          ? `By ${words.singular(fact.dimension)}, from highest to lowest: ${listing.join(', ')}.`
          : `The gap holds across the ${claim(fact, 'members')} ${plural} compared.`;
  const text = s2 ? `${s1} ${s2}` : s1;
  return {
    title,
    summary: text,
    lead: text,
    mention: `${opening(fact, measure)} ${agree(measure, 'is', 'are')} ${extreme} for ${member} (${claim(fact, 'memberValue')} vs ${claim(fact, 'restValue')} for ${rest ?? 'the rest'}).`,
  };
};

const correlation: Describer = (fact, words) => {
  if (fact.data.outcome) return outcomeDriver(fact, words);
  const a = words.measure(String(fact.data.a)).label;
  const b = words.measure(String(fact.data.b)).label;
  const positive = Number(fact.data.r) > 0;
  // A link a few extreme rows carry is only as strong as its ranks.
  const sized = Math.abs(Number(fact.data.leveraged ? fact.claims.rho?.value : fact.data.r));
  const strength = sized >= 0.7 ? 'strongly' : sized >= 0.5 ? 'clearly' : 'moderately';
  const s2 = `Where ${a} ${agree(a, 'is', 'are')} ${claim(fact, 'aLow')} or less, ${b} ${agree(b, 'averages', 'average')} ${claim(fact, 'bAtLowA')}; where ${agree(a, 'it is', 'they are')} ${claim(fact, 'aHigh')} or more, ${b} ${agree(b, 'averages', 'average')} ${claim(fact, 'bAtHighA')}.`;
  if (fact.data.crossesZero) {
    // Weak over all rows, but the sign changes: the loss is the finding.
    const lossAtHigh = Number(fact.claims.bAtHighA?.value) < 0;
    const where = lossAtHigh ? `${a} is ${claim(fact, 'aHigh')} or more` : `${a} is ${claim(fact, 'aLow')} or less`;
    const title = `${capitalize(b)} turns negative where ${where}: ${claim(fact, lossAtHigh ? 'bAtHighA' : 'bAtLowA')} per ${words.row()} on average`;
    const s1 = `${capitalize(words.measure(ROWS_MEASURE_ID).label)} where ${where} average ${claim(fact, lossAtHigh ? 'bAtHighA' : 'bAtLowA')} of ${b}: below zero, while those where ${lossAtHigh ? `${a} is ${claim(fact, 'aLow')} or less` : `${a} is ${claim(fact, 'aHigh')} or more`} average ${claim(fact, lossAtHigh ? 'bAtLowA' : 'bAtHighA')}.`;
    const size =
      Math.abs(Number(fact.data.r)) < 0.3 ? 'weak' : Math.abs(Number(fact.data.r)) < 0.5 ? 'modest' : 'clear';
    const s3 = `Over all ${claim(fact, 'n')} ${words.measure(ROWS_MEASURE_ID).label} the correlation is ${size} (r = ${claim(fact, 'r')}), but it is the difference between a gain and a loss.`;
    return {
      title,
      summary: `${s1} ${s3}`,
      lead: `${s1} ${s3}`,
      mention: `Where ${where}, ${b} averages ${claim(fact, lossAtHigh ? 'bAtHighA' : 'bAtLowA')}, below zero (r = ${claim(fact, 'r')}).`,
    };
  }
  if (fact.data.daily) return dailyLink(fact, a, b, positive, strength);
  // Tighter inside each member of a breakdown (each league) than over all rows: told there first.
  if (fact.data.tighterWithin) {
    const each = words.singular(String(fact.data.tighterWithin));
    const title = `Within each ${each}, ${positive ? `${a} and ${b} rise together` : `higher ${a} goes with lower ${b}`} (r = ${claim(fact, 'withinLow')} to ${claim(fact, 'withinHigh')})`;
    const s1 = `Inside each of the ${claim(fact, 'withinGroups')} ${words.plural(String(fact.data.tighterWithin))}, ${a} and ${b} are ${positive ? 'positively' : 'negatively'} correlated (r from ${claim(fact, 'withinLow')} to ${claim(fact, 'withinHigh')}), more tightly than over all ${claim(fact, 'n')} rows (r = ${claim(fact, 'r')}): the ${words.plural(String(fact.data.tighterWithin))} differ in level, which blurs the link when they are pooled.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `Within each ${each}, ${a} and ${b} are ${positive ? 'positively' : 'negatively'} correlated (r = ${claim(fact, 'withinLow')} to ${claim(fact, 'withinHigh')}).`,
    };
  }
  const title = positive
    ? `${capitalize(a)} and ${b} rise together (r = ${claim(fact, 'r')})`
    : `Higher ${a} ${agree(a, 'goes', 'go')} with lower ${b} (r = ${claim(fact, 'r')})`;
  // Over the rows where one of them is not zero (the paid channels' spend), and how many rows that leaves out.
  const rows = fact.data.nonZero
    ? `the ${claim(fact, 'n')} rows where ${words.measure(String(fact.data.nonZero)).label} is above zero (${claim(fact, 'zeroRows')} rows have none)`
    : `${claim(fact, 'n')} rows`;
  let s1 = `Across ${rows}, ${a} and ${b} are ${strength} ${positive ? 'positively' : 'negatively'} correlated (r = ${claim(fact, 'r')}).`;
  if (has(fact, 'rho') && fact.data.leveraged)
    s1 += ` Ranked, they agree less (rank correlation ${claim(fact, 'rho')}): a few ${words.measure(ROWS_MEASURE_ID).label} with extreme values carry much of r.`;
  else if (has(fact, 'rho'))
    s1 += ` Ranked, they agree more closely (rank correlation ${claim(fact, 'rho')}): the link is curved, steeper over part of the range than a straight line shows.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(a)} and ${b} are ${positive ? 'positively' : 'negatively'} correlated (r = ${claim(fact, 'r')}).`,
  };
};

/** A link told on daily values, where single readings hide it (the hour of day moves both). */
function dailyLink(fact: Fact, a: string, b: string, positive: boolean, strength: string): FactText {
  const title = positive
    ? `Day by day, ${a} and ${b} rise together (r = ${claim(fact, 'r')})`
    : `Day by day, higher ${a} ${agree(a, 'goes', 'go')} with lower ${b} (r = ${claim(fact, 'r')})`;
  const s1 = `Across ${claim(fact, 'n')} days, the daily ${a} and ${b} are ${strength} ${positive ? 'positively' : 'negatively'} correlated (r = ${claim(fact, 'r')}): on days when ${a} ${agree(a, 'is', 'are')} ${claim(fact, 'aLow')} or less, ${b} ${agree(b, 'averages', 'average')} ${claim(fact, 'bAtLowA')}; when ${agree(a, 'it is', 'they are')} ${claim(fact, 'aHigh')} or more, ${claim(fact, 'bAtHighA')}.`;
  const s2 = `Reading by reading the link looks weak (r = ${claim(fact, 'readingsR')}): within a day, the hour moves both more than they move each other.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `Day by day, ${a} and ${b} are ${positive ? 'positively' : 'negatively'} correlated (r = ${claim(fact, 'r')}).`,
  };
}

function outcomeDriver(fact: Fact, words: Vocabulary): FactText {
  const outcome = words.measure(fact.measureId).label;
  const predictor = words.measure(String(fact.data.predictor)).label;
  const rising = Number(fact.claims.highRate?.value ?? 0) >= Number(fact.claims.lowRate?.value ?? 0);
  const title = `${capitalize(outcome)} ${rising ? 'climbs' : 'falls'} with ${predictor}: ${claim(fact, 'highRate')} at ${claim(fact, 'highRange')} vs ${claim(fact, 'lowRate')} at ${claim(fact, 'lowRange')}`;
  // "2.6× higher" reads well; "1.8× lower" does not: a fall is said in points.
  const ratio =
    has(fact, 'ratio') && rising
      ? `, ${claim(fact, 'ratio')} higher`
      : has(fact, 'gapPoints')
        ? `, ${claim(fact, 'gapPoints')} points ${rising ? 'higher' : 'lower'}`
        : '';
  const rows = words.measure(ROWS_MEASURE_ID).label;
  const s1 = `${capitalize(rows)} with ${claim(fact, 'highRange')} ${predictor} have ${/^[aeiou]/i.test(outcome) ? 'an' : 'a'} ${outcome} of ${claim(fact, 'highRate')}, against ${claim(fact, 'lowRate')} for ${rows} with ${claim(fact, 'lowRange')}${ratio}.`;
  // "The more support tickets, the higher the churn rate": right for a plural label and a singular one alike.
  const more = words.measure(String(fact.data.predictor)).aggregation === 'sum' ? 'more' : 'higher';
  const over = has(fact, 'pairs') ? `Over the ${claim(fact, 'pairs')} ${rows} that have both` : 'Across all rows';
  const s2 = `${over}, the correlation is r = ${claim(fact, 'r')}: the ${more} ${predictor}, the ${rising ? 'higher' : 'lower'} the ${outcome}.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(outcome)} is ${claim(fact, 'highRate')} at ${claim(fact, 'highRange')} ${predictor} vs ${claim(fact, 'lowRate')} at ${claim(fact, 'lowRange')} (r = ${claim(fact, 'r')}).`,
  };
}

/** A gap between segments that is mix: gone (or turned round) stratum for stratum. */
const mixGap: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId);
  const label = measure.label;
  const strata = String(fact.data.stratifier);
  const stratum = words.singular(strata);
  const sides = words.sides(fact.dimension, claim(fact, 'member'));
  const inside = sides?.member ?? `for ${words.member(fact.dimension, claim(fact, 'member'))}`;
  const outside =
    sides?.other ??
    `for ${has(fact, 'other') ? words.member(fact.dimension, claim(fact, 'other')) : words.others(fact.dimension, claim(fact, 'member'))}`;
  const points = (text: string) => inPointsOf(measure, text);
  const higher = fact.data.direction === 'higher';
  const is = agree(label, 'is', 'are');
  const each = `within each ${stratum}`;
  // A gap that only shrinks within the strata is still there: "but only €1,628 within each grade".
  const [gap, adjusted] = [Math.abs(Number(fact.claims.gap?.value)), Math.abs(Number(fact.claims.adjustedGap?.value))];
  const butWithin = fact.data.reversed
    ? `but not ${each}`
    : adjusted <= 0.25 * gap
      ? `but barely ${each}`
      : `but only ${points(claim(fact, 'adjustedGap'))} ${each}`;
  const title = `${capitalize(label)} ${is} ${higher ? 'higher' : 'lower'} ${inside} overall (${claim(fact, 'memberValue')} vs ${claim(fact, 'restValue')}), ${butWithin}`;
  const s1 = `Overall, ${label} ${is} ${claim(fact, 'memberValue')} ${inside} against ${claim(fact, 'restValue')} ${outside}.`;
  const s2 = fact.data.reversed
    ? `${capitalize(each)}, it turns round: ${label} ${is} ${higher ? 'lower' : 'higher'} ${inside} in ${claim(fact, 'against')} of ${claim(fact, 'strata')} ${words.plural(strata)}, by ${points(claim(fact, 'adjustedGap'))} on average.`
    : `${capitalize(each)}, the gap shrinks from ${points(claim(fact, 'gap'))} to ${points(claim(fact, 'adjustedGap'))}.`;
  const rows = words.measure(ROWS_MEASURE_ID).label;
  // "Male employees" and "Female"; a condition's rows by its side ("employees for smokers").
  const name = (side: 'member' | 'other') => {
    // A side that names the rows already ("for organic reviews") is those rows: "organic reviews".
    if (sides) return sides[side].endsWith(` ${rows}`) ? sides[side].replace(/^for /, '') : `${rows} ${sides[side]}`;
    // (Men and women are people already: never "men employees".)
    const person = words.member(fact.dimension, claim(fact, 'member'));
    if (side === 'member') return /^(men|women)$/.test(person) ? person : `${person} ${rows}`;
    return has(fact, 'other')
      ? words.member(fact.dimension, claim(fact, 'other'))
      : words.others(fact.dimension, claim(fact, 'member'));
  };
  const [crowd, shareCrowd, rest, shareRest] =
    fact.data.crowded === 'inside'
      ? [name('member'), 'sourceInsideShare', name('other'), 'sourceOutsideShare']
      : [name('other'), 'sourceOutsideShare', name('member'), 'sourceInsideShare'];
  // (Untold where the base is money: the crowding is in dollars, not in rows.)
  const crowding = has(fact, 'sourceInsideShare');
  const s3 = crowding
    ? `${capitalize(crowd)} are over-represented in ${words.member(strata, claim(fact, 'source'))} (${claim(fact, shareCrowd)} of them, against ${claim(fact, shareRest)} of ${rest.replace(new RegExp(` ${rows}$`), '')}), where ${label} ${is} ${claim(fact, 'sourceLevel')}.`
    : '';
  const s4 = crowding
    ? `The overall gap is a matter of mix: which ${words.plural(strata)} the ${rows} are in.`
    : `The overall gap is a matter of mix: which ${words.plural(strata)} the money is in.`;
  const within = fact.data.reversed
    ? `${points(claim(fact, 'adjustedGap'))} the other way on average`
    : `a gap of ${points(claim(fact, 'adjustedGap'))} within them`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: [s1, s2, s3, s4].filter(Boolean).join(' '),
    mention: fact.data.reversed
      ? `${capitalize(label)} ${is} ${higher ? 'higher' : 'lower'} ${inside} overall, but not ${each} (${within}).`
      : `${capitalize(label)} ${is} ${higher ? 'higher' : 'lower'} ${inside} overall, far less so ${each} (${within}).`,
  };
};

const simpson: Describer = (fact, words) => {
  if (fact.data.kind === 'gap') return mixGap(fact, words);
  const a = words.measure(String(fact.data.a)).label;
  const b = words.measure(String(fact.data.b)).label;
  const overallPositive = Number(fact.data.r) > 0;
  const plural = words.plural(fact.dimension);
  const groups = (fact.data.groups as unknown[]).map(
    (_, i) => `${words.member(fact.dimension, claim(fact, `group${i + 1}`))} ${claim(fact, `group${i + 1}R`)}`,
  );
  const title = `${capitalize(a)} vs ${b}: ${overallPositive ? 'positive' : 'negative'} overall, ${overallPositive ? 'negative' : 'positive'} within every ${words.singular(fact.dimension)}`;
  const s1 = `Taken together, ${a} and ${b} correlate ${overallPositive ? 'positively' : 'negatively'} (r = ${claim(fact, 'r')}), but within each of the ${claim(fact, 'groups')} ${plural} the relation reverses: ${listOf(groups)}.`;
  const s2 = `This is Simpson's paradox: the differences between ${plural} hide the relation that holds inside each one.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `Within each ${words.singular(fact.dimension)}, ${a} and ${b} correlate ${overallPositive ? 'negatively' : 'positively'} (${listOf(groups)}), the reverse of the overall r = ${claim(fact, 'r')}.`,
  };
};

const overview: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const kind = fact.data.kind;
  if (kind === 'breakdown') {
    // Every member rounds to the same value (Anscombe's four series): say so instead of "from 7.50 to 7.50".
    const same = claim(fact, 'lowestValue') === claim(fact, 'highestValue');
    const each = `each of the ${claim(fact, 'members')} ${words.plural(fact.dimension)}`;
    const verb =
      words.measure(fact.measureId).aggregation === 'sum'
        ? agree(measure, 'is', 'are')
        : agree(measure, 'averages', 'average');
    const precision =
      fact.claims.lowestValue!.value === fact.claims.highestValue!.value ? '' : ', to the precision shown';
    const s1 = !same
      ? `${capitalize(measure)} ${agree(measure, 'ranges', 'range')} from ${claim(fact, 'lowestValue')} (${words.member(fact.dimension, claim(fact, 'lowest'))}) to ${claim(fact, 'highestValue')} (${words.member(fact.dimension, claim(fact, 'highest'))}) across ${claim(fact, 'members')} ${words.plural(fact.dimension)}.`
      : fact.measureId === ROWS_MEASURE_ID
        ? `${capitalize(each)} has ${claim(fact, 'lowestValue')} ${measure}.`
        : `${capitalize(measure)} ${verb} ${claim(fact, 'lowestValue')} for ${each}${precision}.`;
    // A total's tests ask whether one member leads or a few hold most of it; an average's, whether members differ.
    const s2 = has(fact, 'highestShare')
      ? `${capitalize(words.member(fact.dimension, claim(fact, 'highest')))} alone holds ${claim(fact, 'highestShare')} of it; ${Number(fact.claims.members?.value) <= 3 ? `with only ${claim(fact, 'members')} ${words.plural(fact.dimension)} there is nothing to test it against` : 'the others are too few to test against it'}, so read this as a description, not a pattern.`
      : words.measure(fact.measureId).aggregation === 'sum'
        ? `By our tests no ${words.singular(fact.dimension)} is ahead of the rest and no few of them hold most of it, so read this as a description, not a pattern.`
        : 'The differences between them did not pass our significance tests, so read this as a description, not a pattern.';
    return {
      title: `${capitalize(measure)} across ${words.plural(fact.dimension)}`,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: s1,
    };
  }
  if (kind === 'timeline') {
    // Where it was lowest and highest, unless a swing below starts or ends there and says so.
    const inSwings = ['fallFrom', 'fallTo', 'riseFrom', 'riseTo'].map((name) => has(fact, name) && claim(fact, name));
    const where = (name: 'minAt' | 'maxAt') =>
      has(fact, name) && !inSwings.includes(claim(fact, name)) ? ` (${claim(fact, name)})` : '';
    const s1 = `Over ${claim(fact, 'periods')} ${granularityNoun(fact.data.granularity, true)}, ${measure} stayed between ${claim(fact, 'min')}${where('minAt')} and ${claim(fact, 'max')}${where('maxAt')}.`;
    const swing = (name: 'fall' | 'rise') =>
      has(fact, `${name}Pct`)
        ? `its largest ${name} ${name === 'fall' ? 'took' : 'added'} ${claim(fact, `${name}Pct`)}${name === 'fall' ? ' off' : ''}, from ${claim(fact, `${name}FromValue`)} ${at(claim(fact, `${name}From`))} to ${claim(fact, `${name}ToValue`)} ${at(claim(fact, `${name}To`))}`
        : null;
    const swings = [swing('fall'), swing('rise')].filter((text): text is string => text !== null);
    const moved = swings.length > 0 ? ` ${capitalize(swings.join('; '))}.` : '';
    // Under two years, a winter high and a summer low may well be the seasons: say that it cannot be tested.
    const s2 = fact.data.yearOnly
      ? 'No trend or shift in it passed our significance tests, and less than two years of data cannot show whether the swing repeats each year.'
      : `No trend, shift or cycle in it passed our significance tests${swings.length > 0 ? ', so these are swings, not a direction' : ''}.`;
    return {
      title: `${capitalize(measure)} over time`,
      summary: `${s1}${moved} ${s2}`,
      lead: `${s1}${moved} ${s2}`,
      mention: s1,
    };
  }
  if (kind === 'table') {
    const s1 = `The file holds ${claim(fact, 'rows')} rows and ${claim(fact, 'columns')} columns, of which ${claim(fact, 'varying')} vary enough to analyse.`;
    // Few rows explain why nothing was found; with more, the data simply held no tested pattern.
    const s2 =
      Number(fact.claims.rows?.value ?? 0) < 50
        ? 'That is too little to find a pattern; a longer extract would let the analysis compare, trend and test.'
        : 'None of the patterns we test for (trends, shifts, cycles, leaders, gaps between groups) passed in it.';
    return { title: 'What the file holds', summary: `${s1} ${s2}`, lead: `${s1} ${s2}`, mention: s1 };
  }
  // A middle half of one value (most intervals staffed by 35) is that value, not "between 35 and 35".
  const s1 =
    claim(fact, 'p25') === claim(fact, 'p75')
      ? `At least half of the ${claim(fact, 'n')} values of ${measure} are ${claim(fact, 'median')}.`
      : `Half of the ${claim(fact, 'n')} values of ${measure} lie between ${claim(fact, 'p25')} and ${claim(fact, 'p75')}, around a median of ${claim(fact, 'median')}.`;
  const s2 = `They range from ${claim(fact, 'min')} to ${claim(fact, 'max')}.`;
  return {
    title: `${capitalize(measure)}: typical values and spread`,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: s1,
  };
};

const patternException: Describer = (fact, words) => {
  // Inside one member of another breakdown: "manufacturing value", "Manufacturing value fell in 17 of 18".
  const measure = has(fact, 'withinMember')
    ? `${words.member((fact.data.within as { dimension: string }).dimension, claim(fact, 'withinMember'))} ${words.measure(fact.measureId).label}`
    : words.measure(fact.measureId).label;
  const plural = words.plural(fact.dimension);
  const up = fact.data.direction === 'up';
  const exception = words.member(fact.dimension, claim(fact, 'exception'));
  const exceptionUp = Number(fact.claims.exceptionChangePct?.value ?? 0) > 0;
  const title = `${capitalize(measure)} ${up ? 'rose' : 'fell'} in ${claim(fact, 'agree')} of ${claim(fact, 'members')} ${plural}; ${exception} ${exceptionUp ? 'rose' : 'fell'} ${magnitude(fact, 'exceptionChangePct')}`;
  const s1 = `From ${claim(fact, 'firstPeriod')} to ${claim(fact, 'lastPeriod')}, ${measure} ${up ? 'rose' : 'fell'} in ${claim(fact, 'agree')} of ${claim(fact, 'members')} ${plural} (typically by ${magnitude(fact, 'typicalChangePct')}), but ${exception} went the other way: from ${claim(fact, 'exceptionFirst')} to ${claim(fact, 'exceptionLast')}.`;
  // The exception to a shared move only when every other member shared it; else the clearest of those that
  // did not (HALC fell too, if less).
  const alone = Number(fact.claims.agree?.value) === Number(fact.claims.members?.value) - 1;
  const role = alone
    ? `the exception to an otherwise shared ${up ? 'rise' : 'fall'}`
    : `the clearest exception to the ${up ? 'rise' : 'fall'} of most ${plural}`;
  const s2 = has(fact, 'turnPeriod')
    ? `${capitalize(exception)} had ${up ? 'peaked' : 'bottomed out'} at ${claim(fact, 'turnValue')} ${at(claim(fact, 'turnPeriod'))} and moved ${magnitude(fact, 'sinceTurnPct')} ${up ? 'down' : 'up'} since, ${role}.`
    : `That makes ${exception} ${role}.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(exception)} ${measure} ${exceptionUp ? 'rose' : 'fell'} ${magnitude(fact, 'exceptionChangePct')} while it ${up ? 'rose' : 'fell'} in ${claim(fact, 'agree')} of ${claim(fact, 'members')} ${plural}.`,
  };
};

const driver: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const up = fact.data.direction === 'up';
  const name = words.member(fact.dimension, claim(fact, 'driver'));
  const move = up ? 'rise' : 'fall';
  const moved = up ? 'rose' : 'fell';
  const whole = `${capitalize(measure)} ${moved} by ${claim(fact, 'delta')} (${claim(fact, 'deltaPct').replace(/^-/, '')}) from ${claim(fact, 'from')} to ${claim(fact, 'to')}`;
  const s2 = `Yet it held only ${claim(fact, 'usualSharePct')} of ${measure} in ${claim(fact, 'from')}.`;
  // More than the whole change (coal fell 734.6 TWh of a 367.6 fall): the others moved the other way, and a
  // share above 100% would only puzzle.
  if (Number(fact.claims.explainedPct?.value) > 100) {
    const s1 = `${whole}; ${name} alone ${moved} by ${claim(fact, 'driverDelta')}, more than the whole ${move}, while the others together went the other way.`;
    return {
      title: `${capitalize(name)} ${moved} by more than the whole ${move} in ${measure}`,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `${capitalize(name)} ${moved} by ${claim(fact, 'driverDelta')} from ${claim(fact, 'from')} to ${claim(fact, 'to')}, more than the whole ${move} in ${measure} (${claim(fact, 'delta')}).`,
    };
  }
  const s1 = `${whole}, and ${name} accounts for ${claim(fact, 'driverDelta')} of that change: ${claim(fact, 'explainedPct')}.`;
  return {
    title: `${capitalize(name)} drove ${claim(fact, 'explainedPct')} of the ${move} in ${measure}`,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(name)} accounts for ${claim(fact, 'explainedPct')} of the change in ${measure} from ${claim(fact, 'from')} to ${claim(fact, 'to')} (${claim(fact, 'driverDelta')}).`,
  };
};

const mixShift: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const plural = words.plural(fact.dimension);
  const up = fact.data.direction === 'up';
  const title = `${capitalize(measure)} ${up ? 'rose' : 'fell'} overall while it ${up ? 'fell' : 'rose'} in ${claim(fact, 'opposite')} of ${claim(fact, 'members')} ${plural}`;
  const s1 = `Across the whole table, ${measure} went from ${claim(fact, 'rateBefore')} in the first half of the period to ${claim(fact, 'rateAfter')} in the second, yet it moved the other way in ${claim(fact, 'opposite')} of ${claim(fact, 'members')} ${plural}.`;
  const s2 = `The mix shifted: ${words.member(fact.dimension, claim(fact, 'growingMember'))} went from ${claim(fact, 'growingShareBefore')} to ${claim(fact, 'growingShareAfter')} of the volume, at a rate of ${claim(fact, 'growingRate')}, and the change of mix alone moved the overall rate by ${claim(fact, 'mixEffectPoints').replace('%', '')} percentage points.`;
  return { title, summary: `${s1} ${s2}`, lead: `${s1} ${s2}`, mention: s1 };
};

const latestChange: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const up = fact.data.direction === 'up';
  const title = `${capitalize(measure)} ${up ? 'jumped' : 'dropped'} ${claim(fact, 'changePct').replace(/^-/, '')} ${at(claim(fact, 'period'))}`;
  const s1 = `${capitalize(at(claim(fact, 'period')))}, ${measure} ${agree(measure, 'was', 'were')} ${claim(fact, 'value')}, ${relative(fact, 'changePct')} than ${claim(fact, 'previousPeriod')} (${claim(fact, 'previousValue')}); a typical step is about ${claim(fact, 'typicalStepPct')}.`;
  // After a first step the same way (a break that began a period earlier), that step is told; else the
  // year-ago value, or that no earlier step moved it as far, when that is so.
  const s2 = has(fact, 'breakStartPct')
    ? `It follows a ${claim(fact, 'breakStartPct').replace(/^[-+]/, '')} ${up ? 'rise' : 'fall'} ${at(claim(fact, 'previousPeriod'))}: the break began a step earlier.`
    : has(fact, 'yoyPct')
      ? `Against ${claim(fact, 'yearAgoPeriod')} (${claim(fact, 'yearAgoValue')}), it is ${relative(fact, 'yoyPct')}.`
      : fact.data.largest === true
        ? 'It is the largest move in the series.'
        : '';
  return {
    title,
    summary: `${s1} ${s2}`.trim(),
    lead: `${s1} ${s2}`.trim(),
    mention: `The latest period, ${claim(fact, 'period')}, ${measure} ${up ? 'jumped' : 'dropped'} ${claim(fact, 'changePct').replace(/^-/, '')} against ${claim(fact, 'previousPeriod')}.`,
  };
};

const streak: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const up = fact.data.direction === 'up';
  const step = stepNoun(fact.data.points, fact.data.granularity);
  // "10 years in a row", or "10 5-year periods in a row" for data published every fifth year.
  const unit = step === '' ? 'times' : step === granularityNoun(fact.data.granularity) ? `${step}s` : `${step} periods`;
  const title = `${capitalize(measure)} ${up ? 'rose' : 'fell'} ${claim(fact, 'length')} ${unit} in a row`;
  const s1 = `From ${claim(fact, 'startPeriod')} to ${claim(fact, 'endPeriod')}, ${measure} ${up ? 'rose' : 'fell'} ${claim(fact, 'length')} ${unit} in a row, from ${claim(fact, 'startValue')} to ${claim(fact, 'endValue')}.`;
  const s2 = has(fact, 'recordPeriod')
    ? `${capitalize(claim(fact, 'recordPeriod'))} set a record ${fact.data.record === 'high' ? 'high' : 'low'} at ${claim(fact, 'recordValue')}.`
    : `It is the longest run in the ${claim(fact, 'periods')} ${unit} of the record.`;
  return { title, summary: `${s1} ${s2}`, lead: `${s1} ${s2}`, mention: s1 };
};

const distribution: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  // Named as the file's rows are (orders, members), "rows" only when they have no name.
  const rows = words.rows();
  if (fact.data.fewPayers === true) {
    const s1 = `Only ${claim(fact, 'nonzeroShare')} of the ${rows} have any ${measure}, and the top ${claim(fact, 'topCut')} of ${rows} hold ${claim(fact, 'topShare')} of it; the largest is ${claim(fact, 'max')}.`;
    return {
      title: `The top ${claim(fact, 'topCut')} of ${rows} hold ${claim(fact, 'topShare')} of all ${measure}`,
      summary: s1,
      lead: s1,
      mention: `${capitalize(measure)} is held by few: only ${claim(fact, 'nonzeroShare')} of ${rows} have any, and the top ${claim(fact, 'topCut')} hold ${claim(fact, 'topShare')} of it.`,
    };
  }
  const above = fact.data.tiedAtCut === true ? 'at or above' : 'above';
  const s1 = has(fact, 'nonzeroShare')
    ? `Only ${claim(fact, 'nonzeroShare')} of the ${rows} have any ${measure}; the rest are at zero, and a long tail reaches ${claim(fact, 'max')}.`
    : claim(fact, 'p25') === claim(fact, 'p75')
      ? `At least half of the ${measure} values are ${claim(fact, 'median')}, but a long tail reaches ${claim(fact, 'max')}.`
      : `Half of the ${measure} values lie between ${claim(fact, 'p25')} and ${claim(fact, 'p75')} (median ${claim(fact, 'median')}), but a long tail reaches ${claim(fact, 'max')}.`;
  const s2 = has(fact, 'top5Share')
    ? `The top ${claim(fact, 'topCut')} of ${rows} hold ${claim(fact, 'top5Share')} of the total.`
    : `One ${words.row()} in twenty is ${above} ${claim(fact, 'p95')}.`;
  // Nearly all of a total in a few rows leads with the few.
  const few = fact.data.heldByFew === true;
  const title = few
    ? `The top ${claim(fact, 'topCut')} of ${rows} hold ${claim(fact, 'top5Share')} of all ${measure}`
    : `${capitalize(measure)} ${agree(measure, 'has', 'have')} a long tail: median ${claim(fact, 'median')}, the top ${claim(fact, 'topCut')} ${above} ${claim(fact, 'p95')}`;
  const [first, second] = few ? [s2, s1] : [s1, s2];
  return {
    title,
    summary: `${first} ${second}`,
    lead: `${first} ${second}`,
    mention: `${capitalize(measure)} ${agree(measure, 'is', 'are')} skewed: median ${claim(fact, 'median')}, but the top ${claim(fact, 'topCut')} of ${rows} are ${above} ${claim(fact, 'p95')}${has(fact, 'top5Share') ? ` and hold ${claim(fact, 'top5Share')} of the total` : ''}.`,
  };
};

const pairedDifference: Describer = (fact) => {
  const stem = String(fact.data.stem);
  const side = (name: string) => `${claim(fact, name)}${isPeopleSide(String(fact.claims[name]?.value)) ? "'s" : ''}`;
  const high = `${side('highSide')} ${stem}`;
  const low = `${side('lowSide')} ${stem}`;
  const are = isPeopleSide(String(fact.claims.highSide?.value)) ? 'are' : 'is';
  const title = `${capitalize(high)} ${agree(stem, 'runs', 'run')} higher than ${low}: ${claim(fact, 'highValue')} vs ${claim(fact, 'lowValue')}`;
  const s1 = `Row for row, ${high} ${agree(stem, 'averages', 'average')} ${claim(fact, 'highValue')} and ${low} ${claim(fact, 'lowValue')}: ${claim(fact, 'difference')} more, over ${claim(fact, 'rows')} rows.`;
  const s2 = `${capitalize(claim(fact, 'highSide'))} ${are} ahead in ${claim(fact, 'aheadShare')} of them and behind in ${claim(fact, 'behindShare')}.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `${capitalize(high)} averages ${claim(fact, 'highValue')} against ${claim(fact, 'lowValue')} for ${low}.`,
  };
};

/** An experiment's arm that moves a rate in one segment only: the personalised push on iOS, not on Android. */
const liftInOneSegment: Describer = (fact, words) => {
  const measure = words.measure(fact.measureId).label;
  const within = fact.data.within as { dimension: string; member: string };
  const arm = words.member(fact.dimension, claim(fact, 'member'));
  const control = words.member(fact.dimension, claim(fact, 'control'));
  const cell = words.member(within.dimension, claim(fact, 'within'));
  const flat = words.member(within.dimension, claim(fact, 'flatWithin'));
  const up = fact.data.direction === 'higher';
  const flatLift = has(fact, 'flatLiftPct') ? ` (${relative(fact, 'flatLiftPct')})` : '';
  // On a device or a platform, in a country or a segment.
  const at = /device|platform|(^|[_\s])os($|[_\s])|browser|app/i.test(within.dimension) ? 'on' : 'in';
  const s1 = `${capitalize(at)} ${cell}, ${measure} is ${claim(fact, 'armValue')} for ${arm} against ${claim(fact, 'controlValue')} for ${control}, ${relative(fact, 'liftPct')}.`;
  if (fact.data.reverses) {
    // Not "no effect" there: the arm moves the rate the other way, as clearly.
    const title = `${capitalize(arm)} ${up ? 'raises' : 'lowers'} ${measure} ${at} ${cell} but ${up ? 'lowers' : 'raises'} it ${at} ${flat}: ${claim(fact, 'flatArmValue')} vs ${claim(fact, 'flatControlValue')} for ${control}`;
    const s2 = `${capitalize(at)} ${flat} it works the other way: ${claim(fact, 'flatArmValue')} against ${claim(fact, 'flatControlValue')}${flatLift}. The effect of ${arm} on ${measure} reverses with the ${words.singular(within.dimension)}.`;
    return {
      title,
      summary: `${s1} ${s2}`,
      lead: `${s1} ${s2}`,
      mention: `The ${arm} effect on ${measure} reverses with the ${words.singular(within.dimension)}: ${at} ${cell} ${claim(fact, 'armValue')} vs ${claim(fact, 'controlValue')} for ${control}, ${at} ${flat} ${claim(fact, 'flatArmValue')} vs ${claim(fact, 'flatControlValue')}.`,
    };
  }
  const title = `${capitalize(arm)} ${up ? 'raises' : 'lowers'} ${measure} ${at} ${cell} only: ${claim(fact, 'armValue')} vs ${claim(fact, 'controlValue')} for ${control}`;
  const s2 = `${capitalize(at)} ${flat} it is ${claim(fact, 'flatArmValue')} against ${claim(fact, 'flatControlValue')}${flatLift}: the effect of ${arm} on ${measure} depends on the ${words.singular(within.dimension)}.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `The ${arm} effect on ${measure} is ${at} ${cell} (${claim(fact, 'armValue')} vs ${claim(fact, 'controlValue')} for ${control}), not ${at} ${flat} (${claim(fact, 'flatArmValue')} vs ${claim(fact, 'flatControlValue')}).`,
  };
};

/** One cell of two breakdowns off what its row and column predict: Riverside's maths, not Riverside. */
const interaction: Describer = (fact, words) => {
  if (fact.data.lift) return liftInOneSegment(fact, words);
  const measure = words.measure(fact.measureId).label;
  const within = fact.data.within as { dimension: string; member: string };
  const member = words.member(fact.dimension, claim(fact, 'member'));
  const cell = words.member(within.dimension, claim(fact, 'within'));
  const lower = fact.data.direction === 'lower';
  const others = `the other ${words.plural(fact.dimension)}`;
  const title = `${capitalize(cell)} ${measure} is ${lower ? 'lowest' : 'highest'} for ${member}: ${claim(fact, 'value')} vs ${claim(fact, 'columnOthers')} for ${others}`;
  const s1 = `In ${cell}, ${member} ${agree(measure, 'averages', 'average')} ${claim(fact, 'value')} on ${measure}, against ${claim(fact, 'columnOthers')} for ${others}: ${claim(fact, 'gapAbs')} ${lower ? 'lower' : 'higher'}.`;
  const s2 = `Elsewhere it is close to them — ${claim(fact, 'rowOthers')} against ${claim(fact, 'restOthers')} in the other ${words.plural(within.dimension)} — so the gap is in ${cell} alone.`;
  return {
    title,
    summary: `${s1} ${s2}`,
    lead: `${s1} ${s2}`,
    mention: `In ${cell}, ${member} averages ${claim(fact, 'value')} against ${claim(fact, 'columnOthers')} for ${others}.`,
  };
};

const describers: Record<Fact['type'], Describer> = {
  trend,
  peak,
  share_shift: shareShift,
  change_point: changePoint,
  spike,
  seasonality,
  member_cycle: memberCycle,
  leader,
  laggard,
  concentration,
  segment_difference: segment,
  outlier,
  paired_difference: pairedDifference,
  correlation,
  simpson,
  pattern_exception: patternException,
  interaction,
  driver,
  mix_shift: mixShift,
  latest_change: latestChange,
  streak,
  distribution,
  overview,
};

export function describeFact(fact: Fact, words: Vocabulary): FactText {
  return describers[fact.type](fact, words);
}

/**
 * Who this member passed, or who passed it, for good (`crossings` of a member trend): "It overtook Hydro
 * in 2018 and Coal in 2022 and has stayed ahead since." Passed on yearly totals (months that still swap
 * places with the seasons): "every year since".
 */
function overtakings(fact: Fact, words: Vocabulary): string {
  const crossings = (fact.data.crossings ?? []) as { largest: boolean; by: boolean; yearly: boolean }[];
  const dimension = fact.subspace!.dimension;
  const told = (by: boolean) =>
    crossings.flatMap((crossing, i) =>
      crossing.by === by
        ? [
            {
              ...crossing,
              member: words.member(dimension, String(fact.claims[`overtook${i}Member`]!.value)),
              at: at(claim(fact, `overtook${i}Period`)),
            },
          ]
        : [],
    );
  const since = (list: { yearly: boolean }[]) => (list.some((c) => c.yearly) ? 'every year since' : 'since');
  // Members passed in the same period go together: "Diesel and Full hybrid in 2021".
  const byPeriod = (list: { member: string; at: string }[]) => {
    const groups: { members: string[]; at: string }[] = [];
    for (const c of list) {
      const last = groups.at(-1);
      if (last?.at === c.at) last.members.push(c.member);
      else groups.push({ members: [c.member], at: c.at });
    }
    return groups;
  };
  let text = '';
  const passed = told(false);
  if (passed.length > 0) {
    const asLargest = passed[0]!.largest ? ` as the largest ${words.singular(dimension)}` : '';
    const of = passed.length === 1 ? '' : passed.length === 2 ? ' of both' : ' of all three';
    const groups = byPeriod(passed).map((group) => `${listOf(group.members)}${asLargest} ${group.at}`);
    text += ` It overtook ${listOf(groups)} and has stayed ahead${of} ${since(passed)}.`;
  }
  const passing = told(true);
  if (passing.length > 0) {
    const [first, ...rest] = byPeriod(passing);
    const others = rest.map(
      (group, i) => `${i === rest.length - 1 ? ' and' : ','} ${listOf(group.members)} ${group.at}`,
    );
    const stayed = passing.length > 1 ? '; each has' : ' and has';
    text += ` ${capitalize(listOf(first!.members))} overtook it ${first!.at}${others.join('')}${stayed} stayed ahead ${since(passing)}.`;
  }
  return text;
}
