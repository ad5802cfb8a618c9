import { isSatisfactionName } from './semantics.ts';
import { addPeriods } from './time.ts';
import {
  type Angle,
  type Fact,
  type Granularity,
  isYesNoRateId,
  type Measure,
  nestedBreakdowns,
  ROWS_MEASURE_ID,
} from './types.ts';

/** The stretch of time a fact's moment covers: its period, or the periods of an episode ("for 7 days from …"). */
function momentSpan(fact: Fact): [number, number] | null {
  const length = Number((fact.data.episode as { length?: number } | undefined)?.length ?? 1);
  return periodSpan(fact.data.at, String(fact.data.granularity) as Granularity, length);
}

/** `length` periods from `at` (an ISO date or timestamp), as epoch milliseconds. */
function periodSpan(at: unknown, granularity: Granularity, length = 1): [number, number] | null {
  if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(at)) return null;
  const iso = at.length === 10 ? `${at}T00:00:00` : at;
  const start = Date.parse(`${iso.slice(0, 19)}Z`);
  const end = Date.parse(`${addPeriods(iso, granularity, length)}Z`);
  return Number.isFinite(start) && Number.isFinite(end) ? [start, end] : null;
}

/** One moment: the same period, or moments that overlap (smoke for a week at one site, from three days later at the next). */
const samePeriod = (a: Fact, b: Fact) => {
  if (a.data.at === undefined || b.data.at === undefined) return false;
  if (a.data.at === b.data.at) return true;
  const x = momentSpan(a);
  const y = momentSpan(b);
  return x !== null && y !== null && x[0] < y[1] && y[0] < x[1];
};

/**
 * The latest period's move and an event inside that period on the same columns (December's cancellation
 * rate, and Alaska's cancellations on December 30): one event, told once.
 */
const latestHolds = (latest: Fact, event: Fact) => {
  if (latest.type !== 'latest_change' || event.type === 'latest_change') return false;
  const within = periodSpan(latest.claims.period?.value, String(latest.data.granularity) as Granularity);
  const moment = momentSpan(event);
  const shared = latest.columns.slice(1).some((column) => event.columns.includes(column));
  return within !== null && moment !== null && shared && moment[0] >= within[0] && moment[0] < within[1];
};

/** Two whole-table facts of one type in different measures at the same moment (a spike, a step). */
const sameMomentElsewhere = (a: Fact, b: Fact, type: Fact['type']) =>
  a.type === type && b.type === type && !a.subspace && !b.subspace && a.measureId !== b.measureId && samePeriod(a, b);

/** Two peaks (or two lows) of the same measure, whole or member: one event, each at its own moment. */
const samePeakShape = (a: Fact, b: Fact) =>
  a.type === 'peak' && b.type === 'peak' && a.measureId === b.measureId && a.data.shape === b.data.shape;

/**
 * Two whole-table turns of the same shape in different measures, close in time: one event (a recession seen in
 * payrolls of goods and of services), each series at its own low.
 */
const sameEventTurn = (a: Fact, b: Fact) => {
  if (a.type !== 'peak' || b.type !== 'peak' || a.data.shape !== b.data.shape || a.measureId === b.measureId)
    return false;
  if (a.subspace || b.subspace || a.data.granularity !== b.data.granularity) return false;
  const length = (a.data.points as unknown[]).length;
  if ((b.data.points as unknown[]).length !== length) return false;
  return Math.abs(Number(a.data.peakIndex) - Number(b.data.peakIndex)) <= Math.max(3, length / 10);
};

/** The members a whole-dimension fact names: its leader, laggard or standout, or the top group of a concentration. */
function featured(fact: Fact): string[] {
  const named = [fact.data.leader, fact.data.laggard, fact.data.member].filter(
    (m): m is string => typeof m === 'string',
  );
  if (fact.type === 'concentration') {
    const members = (fact.data.members as { member: string }[] | undefined) ?? [];
    named.push(...members.slice(0, Number(fact.data.topK) || 1).map((m) => m.member));
  }
  return named;
}

/** A driver fact's measure (its columns between the time column and the breakdown) is also the fact's. */
const sharesMeasure = (driver: Fact, fact: Fact) =>
  driver.columns.slice(1, -1).some((column) => fact.columns.includes(column));

/**
 * The same event seen by the day beside a month's average (the three days a port stood still, inside May's
 * berth waits): the days say what happened, and lead when they score nearly as high.
 */
function sharperView(days: Fact, month: Fact): boolean {
  // A member's money out of proportion to its rows tells a split better than who leads it (Business's 36.6%
  // of the fee from 11.2% of the customers, against Residential's 63.4% from 88.8%).
  if (
    days.data.disproportion === true &&
    month.type === 'leader' &&
    !month.data.disproportion &&
    days.measureId === month.measureId &&
    days.dimension === month.dimension &&
    // …where the leader's lead is all size: as large a share of the rows as of the total, or larger.
    Number(month.claims.leaderRowShare?.value) >= Number(month.claims.leaderShare?.value)
  )
    return true;
  if (days.type !== 'spike' || month.type !== 'spike' || days.subspace || month.subspace) return false;
  const [fine, coarse] = [days.data.granularity, month.data.granularity];
  return (
    fine === 'day' &&
    (coarse === 'month' || coarse === 'quarter' || coarse === 'year') &&
    samePeriod(days, month) &&
    days.score >= 0.9 * month.score
  );
}

/** How strongly a fact supports a lead fact's story (0 = unrelated). */
/**
 * A member's trend that carried the whole table's: same measure and direction, at least twice the move,
 * and none of its siblings moved a third as much (`surprise` > 1, see `detectTrend`).
 */
function carries(member: Fact, whole: Fact): boolean {
  // A few days off their level in one member alone (four days of smoke in one city of five) are that
  // member's: the whole table only moved as far as its share of them.
  if (whole.type === 'spike' && member.type === 'spike' && whole.data.episode && member.data.episode)
    return (
      !whole.subspace &&
      member.subspace !== undefined &&
      member.measureId === whole.measureId &&
      member.data.at === whole.data.at &&
      member.surprise > 1
    );
  return (
    whole.type === 'trend' &&
    member.type === 'trend' &&
    !whole.subspace &&
    member.subspace !== undefined &&
    member.measureId === whole.measureId &&
    member.data.direction === whole.data.direction &&
    Math.abs(Number(member.data.relativeChange)) >= 2 * Math.abs(Number(whole.data.relativeChange)) &&
    member.surprise > 1
  );
}

/**
 * A gap of a group that one of its own members makes (a machine model's error rate, all of it from one
 * machine of that model): the member is the story, the group its context.
 */
function carriesGap(member: Fact, group: Fact): boolean {
  if (member.type !== 'segment_difference' || group.type !== 'segment_difference') return false;
  if (member.measureId !== group.measureId || !group.dimension || member.dimension === group.dimension) return false;
  const parents = member.data.parents as Record<string, string> | undefined;
  if (parents?.[group.dimension] !== String(group.data.member) || member.data.direction !== group.data.direction)
    return false;
  // Alone: twice as far from the rest as the next member (WX-07 at 8.6% against 1.5% at most elsewhere; not
  // Washington's wines at $55.82 beside Sonoma's at $55.15).
  const ranked = (member.data.members as { member: string; value: number }[] | undefined) ?? [];
  const rest = Number(member.data.rest);
  const told = ranked.find((m) => m.member === member.data.member);
  const next = ranked
    .filter((m) => m !== told)
    .map((m) => Math.abs(m.value - rest))
    .sort((a, b) => b - a)[0];
  return told !== undefined && next !== undefined && Math.abs(told.value - rest) >= 2 * next;
}

/** The money a fact is about: the average ticket (`revenue:per-row`) is a reading of its revenue. */
const moneyOf = (f: Fact) => f.measureId.replace(/:per-row$/, '');

function relatedness(
  lead: Fact,
  other: Fact,
  hierarchy: [string, string][] = [],
  bases = new Map<string, string>(),
): number {
  // One member's own yearly rhythm is that member's subject: no support for a story of another member.
  const rhythmOfAnother = (a: Fact, b: Fact) =>
    b.type === 'member_cycle' && a.subspace?.member !== b.subspace?.member && !featured(a).includes(b.subspace!.member);
  if (rhythmOfAnother(lead, other) || (lead.type === 'member_cycle' && rhythmOfAnother(other, lead))) return 0;
  // The largest part of a leading member, one level down (mains lead revenue; the Wagyu burger alone holds
  // over half of the mains'): what the lead is made of.
  if (
    (lead.type === 'leader' || lead.type === 'concentration') &&
    (other.type === 'leader' || other.type === 'concentration') &&
    lead.measureId === other.measureId &&
    hierarchy.some(([child, parent]) => child === other.dimension && parent === lead.dimension)
  )
    return 0.7;
  // The overall gap a mix fact explains is already its first sentence.
  if (lead.id === other.id || lead.data.explains === other.id) return 0;
  // The average ticket supports stories of its own money only (not a gap in unit price by category).
  if (other.measureId.endsWith(':per-row') && moneyOf(lead) !== moneyOf(other)) return 0;
  if (
    lead.subspace &&
    other.subspace?.member === lead.subspace.member &&
    other.subspace.dimension === lead.subspace.dimension
  )
    return other.type === lead.type && samePeriod(lead, other) ? 1 : 0.8;
  // Steps of one funnel split the same way: what a conversion costs by channel, and the click-through and
  // conversion rates behind it (measures that share a column).
  if (
    lead.type === 'segment_difference' &&
    other.type === 'segment_difference' &&
    lead.dimension &&
    other.dimension === lead.dimension &&
    lead.columns.some((c) => c !== lead.dimension && other.columns.includes(c))
  )
    return 0.5;
  // The arms of one experiment are one story: the test's result, its other outcomes, where each arm works.
  const arms = (fact: Fact) => fact.data.experiment === true || fact.data.lift === true;
  if (lead.dimension && other.dimension === lead.dimension && arms(lead) && arms(other)) {
    if (lead.measureId === other.measureId) return 0.8;
    // Where the arm works on another outcome belongs to that outcome's story.
    return other.type === 'interaction' ? 0.2 : 0.6;
  }
  if (lead.subspace && other.subspace && lead.subspace.member !== other.subspace.member) {
    // The same burst seen through another breakdown: page views, desktop and Poland all spiking on May 4.
    if (lead.subspace.dimension !== other.subspace.dimension && lead.type === other.type && samePeriod(lead, other))
      return lead.measureId === other.measureId ? 0.8 : 0.5;
    // Two members of one breakdown are two subjects (South Africa's reversal is not China's 1960 dip).
    return 0;
  }
  if (lead.measureId === other.measureId && lead.dimension && lead.dimension === other.dimension) {
    // A ranking is supported by what happened to the members it names, less by the others'.
    if (!lead.subspace && other.subspace && !featured(lead).includes(other.subspace.member)) return 0.3;
    return 0.7;
  }
  // The total's change that this member drove (line C's jump made most of the climb in all defects).
  if (
    lead.subspace &&
    other.type === 'driver' &&
    other.dimension === lead.subspace.dimension &&
    other.data.driver === lead.subspace.member &&
    sharesMeasure(other, lead)
  )
    return 0.85;
  if (lead.type === 'correlation' && other.type === 'simpson' && lead.columns.every((c) => other.columns.includes(c)))
    return 0.9;
  // What explains or extends a whole-table movement: the member that drove it, a record run, the latest step.
  const movement = ['trend', 'peak', 'change_point', 'spike', 'share_shift', 'overview'].includes(lead.type);
  if (!lead.subspace && movement && lead.measureId === other.measureId) {
    if (other.type === 'driver') return 0.75;
    // The member that did not follow: the trend's natural contrast.
    if (lead.type === 'trend' && other.type === 'pattern_exception') return 0.75;
    if (other.type === 'streak' || other.type === 'latest_change') return 0.45;
  }
  const describes = ['overview', 'correlation', 'segment_difference', 'leader', 'concentration'].includes(lead.type);
  if (other.type === 'distribution' && describes && other.measureId === lead.measureId) return 0.3;
  // The same reversal on another pair that shares a variable (beak depth against mass, and against length).
  if (
    lead.type === 'simpson' &&
    other.type === 'simpson' &&
    lead.dimension === other.dimension &&
    lead.columns.some((c) => c !== lead.dimension && other.columns.includes(c))
  )
    return 0.6;
  // The same rate split by a breakdown (fraud climbs with days to settle, and is highest in the South): what
  // else tells the rows apart, after the other drivers. Only this way round: the breakdown's own story
  // (South approves less at the same credit score) stays an angle of its own.
  if (
    lead.type === 'correlation' &&
    lead.data.outcome &&
    other.type === 'segment_difference' &&
    lead.measureId === other.measureId &&
    isYesNoRateId(lead.measureId)
  )
    return 0.4;
  // Other drivers of the same outcome (churn rises with tickets, falls with tenure).
  if (
    lead.type === 'correlation' &&
    other.type === 'correlation' &&
    lead.measureId === other.measureId &&
    lead.data.outcome
  )
    return 0.6;
  // The other rhythm of the same count: the hours of the day and the days of the week, or the days of the
  // week inside the year's (Saturdays busiest, Decembers too). Only the weaker supports the stronger, so that
  // each can still lead its own angle.
  if (
    byScore(lead, other) < 0 &&
    lead.type === 'seasonality' &&
    other.type === 'seasonality' &&
    lead.measureId === other.measureId &&
    lead.data.cycle !== other.data.cycle &&
    ['hour', 'weekday', 'month'].includes(String(lead.data.cycle)) &&
    ['hour', 'weekday', 'month'].includes(String(other.data.cycle)) &&
    !lead.subspace &&
    !other.subspace
  )
    return 0.5;
  // Two whole-table measures on the same cycle.
  const sameCycle =
    lead.type === 'seasonality' &&
    other.type === 'seasonality' &&
    lead.data.cycle === other.data.cycle &&
    !lead.subspace &&
    !other.subspace;
  // Another measure on the same calendar with its own timing: summer's heat and winter's rain are one
  // account of the seasons (the same peak and trough in units as in revenue would only repeat it). Only the
  // weaker cycle supports the stronger, so that each can still lead its own angle.
  if (
    sameCycle &&
    (lead.data.peak !== other.data.peak || lead.data.trough !== other.data.trough) &&
    byScore(lead, other) < 0
  )
    return 0.5;
  // A total's cycle and the same cycle in the number of rows it adds up (room-nights and bookings both peak in
  // August): how much of the rhythm is volume.
  if (
    sameCycle &&
    other.measureId === ROWS_MEASURE_ID &&
    lead.measureId !== ROWS_MEASURE_ID &&
    bases.get(lead.measureId) === undefined
  )
    return 0.5;
  // A rate's cycle and the cycle of what it is a rate of: abandonment is lowest at weekends, when calls are
  // fewest. The volume tells how much the rhythm matters, whichever of the two leads.
  if (sameCycle && (bases.get(lead.measureId) === other.measureId || bases.get(other.measureId) === lead.measureId))
    return 0.55;
  // Another measure of the whole table that stepped at the same moment (ELA fell with maths in 2021).
  if (sameMomentElsewhere(lead, other, 'change_point')) return 0.5;
  // A member's step and the whole table's step in another measure at the same moment: walk-outs jumped the
  // month waits did. Ahead of the member's own slower moves: the cause beside it is what a reader asks for.
  if (
    lead.type === 'change_point' &&
    other.type === 'change_point' &&
    lead.subspace &&
    !other.subspace &&
    lead.measureId !== other.measureId &&
    samePeriod(lead, other)
  )
    return 0.85;
  // Other measures moving over the same span: life expectancy rose while fertility fell.
  if (lead.type === 'trend' && other.type === 'trend' && !lead.subspace && !other.subspace) return 0.4;
  // The member that carried a whole-table trend: one sensor drifting 5 °C lifts the average of six by 0.9.
  if (carries(other, lead)) return 0.75;
  // The member that carried a whole-table spike or shift (Social drove the June 18 surge).
  // (Its own measure: Web's discount in November carried no surge of units.)
  if (
    !lead.subspace &&
    other.subspace &&
    other.type === lead.type &&
    other.measureId === lead.measureId &&
    samePeriod(lead, other)
  )
    return 0.9;
  // The same day in other measures of the whole table (Black Friday's orders, units and discounts).
  if (sameMomentElsewhere(lead, other, 'spike')) return 0.8;
  // The members' share of one rise and fall (or fall and recovery), each at its own moment.
  if (samePeakShape(lead, other) && !lead.subspace && other.subspace) return 0.8;
  if (sameEventTurn(lead, other)) return 0.5;
  // The same event seen in the whole table (the total dipped the month West collapsed).
  if (lead.measureId === other.measureId && !other.subspace && lead.subspace && samePeriod(lead, other)) return 0.6;
  if (
    lead.measureId === other.measureId &&
    lead.type === other.type &&
    lead.dimension &&
    other.dimension === lead.dimension
  )
    return 0.6;
  return 0;
}

/**
 * A whole-table movement whose driver is the member another angle is about, in a measure of the same column:
 * one story (line C's defect rate jumped, and total defects climbed with it).
 */
function drivenBy(whole: Angle, member: Angle): boolean {
  const subspace = member.lead.subspace;
  if (!subspace || whole.lead.subspace) return false;
  return [whole.lead, ...whole.support].some(
    (fact) =>
      fact.type === 'driver' &&
      fact.dimension === subspace.dimension &&
      fact.data.driver === subspace.member &&
      sharesMeasure(fact, member.lead),
  );
}

/** Which way a member's lasting movement went: a trend's direction, a shift's before and after. */
function movement(fact: Fact): 'up' | 'down' | null {
  if (fact.type === 'trend')
    return fact.data.direction === 'up' ? 'up' : fact.data.direction === 'down' ? 'down' : null;
  if (fact.type !== 'change_point') return null;
  const [before, after] = [Number(fact.data.meanBefore), Number(fact.data.meanAfter)];
  return after > before ? 'up' : after < before ? 'down' : null;
}

/**
 * The driver's movement seen through another breakdown: when line C's defects jumped, every shift's defects
 * rose alike (no shift moved more than its siblings). Only the driver's own angle tells it. The same for
 * the shares the driver took from its siblings.
 */
function echoesDriver(driverAngle: Angle, other: Angle): boolean {
  const lead = other.lead;
  if (!lead.subspace || lead.surprise > 1) return false;
  const drivers = [driverAngle.lead, ...driverAngle.support].filter(
    (fact) => fact.type === 'driver' && sharesMeasure(fact, lead),
  );
  if (lead.type === 'share_shift') {
    // Line A's share of defects fell while its own count held: the share went to the member that drove the rise.
    const [first, last] = [Number(lead.claims.firstShare?.value), Number(lead.claims.lastShare?.value)];
    const own = Math.abs(Number(lead.claims.valueChangePct?.value));
    const shareMove = (Math.abs(last - first) / first) * 100;
    return (
      own < shareMove / 2 &&
      drivers.some(
        (fact) =>
          fact.dimension === lead.subspace!.dimension &&
          fact.data.driver !== lead.subspace!.member &&
          fact.data.direction !== lead.data.direction,
      )
    );
  }
  const direction = movement(lead);
  if (!direction) return false;
  if (drivers.some((fact) => fact.dimension !== lead.subspace!.dimension && fact.data.direction === direction))
    return true;
  // A rate or an average has no driver fact: a member's lasting shift that its siblings did not share
  // (Android's crash rate, iOS flat) drives it, and every country's crash rate rose with it.
  const shift = driverAngle.lead;
  return (
    shift.type === 'change_point' &&
    shift.surprise > 1 &&
    shift.subspace !== undefined &&
    shift.subspace.dimension !== lead.subspace.dimension &&
    shift.measureId === lead.measureId &&
    movement(shift) === direction
  );
}

/**
 * One odd cell of two breakdowns moves both breakdowns' averages: Riverside's weak maths makes Riverside
 * the weakest school and maths the weakest subject. Those gaps are mostly the cell's story.
 */
function explainsBreakdown(cell: Fact, segment: Fact): boolean {
  // (An arm's lift in one segment is a drill-down of the test's result, not the cause of the arm's gap.)
  if (cell.type !== 'interaction' || segment.type !== 'segment_difference' || cell.data.lift) return false;
  const within = cell.data.within as { dimension: string } | undefined;
  return (
    segment.measureId === cell.measureId &&
    (segment.dimension === cell.dimension || segment.dimension === within?.dimension)
  );
}

/** How much two angles tell the same story (0 = different, 1 = the same). */
/**
 * One relationship read both ways: attrition rate by overtime, and overtime rate by attrition; the
 * cancellation rate climbing with lead time, and lead time higher for cancelled bookings.
 */
function readBothWays(x: Fact, y: Fact): boolean {
  const bothWays = (a: Fact, b: Fact) => a.type === 'correlation' && b.type === 'segment_difference';
  return (
    (x.type === y.type || bothWays(x, y) || bothWays(y, x)) &&
    x.measureId !== y.measureId &&
    x.dimension !== y.dimension &&
    x.columns.length === 2 &&
    y.columns.length === 2 &&
    x.columns.every((column) => y.columns.includes(column))
  );
}

/**
 * A mix of a measure explained by a stratifier that cuts a numeric column into ranges (2× speed by platform,
 * explained by age group), beside that column driving the same measure (2× speed falls with age): one story.
 */
function mixByDriver(mix: Fact, driver: Fact): boolean {
  // (A yes/no outcome's driver is a correlation that names its outcome.)
  if (mix.type !== 'simpson' || driver.type !== 'correlation' || !driver.data.outcome) return false;
  if (mix.measureId !== driver.measureId) return false;
  const cut = [String(mix.data.stratifier), ...((mix.data.stratifierOf as string[] | undefined) ?? [])];
  return cut.includes(String(driver.data.predictor));
}

export function overlap(a: Angle, b: Angle, hierarchy: [string, string][]): number {
  // Two stories of one member that would each retell the same two facts of it (E-Bike leads revenue; E-Bike
  // rose while the other lines fell — both with its share and its climb) are one story told twice.
  const ownSupport = (x: Angle, y: Angle) => x.support.filter((f) => f.id !== y.lead.id).map((f) => f.id);
  const shared = ownSupport(a, b).filter((id) => ownSupport(b, a).includes(id)).length;
  const sameSubject = featured(a.lead).some((member) => featured(b.lead).includes(member));
  if (shared >= 2 && sameSubject && a.lead.dimension === b.lead.dimension) return 0.8;
  // Business's 36.6% of the fee from 11% of the customers, beside Residential's lead of the same fee: the
  // same split, told better by the member that carries more than its share.
  const weighed = (w: Fact, l: Fact) =>
    w.data.disproportion === true &&
    (l.type === 'leader' || l.type === 'concentration') &&
    l.measureId === w.measureId &&
    l.dimension === w.dimension;
  if (weighed(a.lead, b.lead) || weighed(b.lead, a.lead)) return 0.9;
  // Two outcomes of one experiment are two results (energy saved, and the tariff taken up), each told with
  // where its arm works, even where each story names the other in passing; not two columns of one
  // computation (pain at week 12 and its change from baseline).
  const test = (f: Fact) => f.data.experiment === true && f.type === 'segment_difference';
  const arithmetic = (f: Fact, g: Fact) => (f.data.computedWith as string[] | undefined)?.includes(g.measureId);
  if (
    test(a.lead) &&
    test(b.lead) &&
    a.lead.dimension === b.lead.dimension &&
    a.lead.measureId !== b.lead.measureId &&
    !arithmetic(a.lead, b.lead)
  )
    return 0.3;
  // Where the arm works the other way (the report halves renters' take-up) is a result of its own beside
  // the average lift: the risk the test found.
  const reversal = (f: Fact) => f.type === 'interaction' && f.data.reverses === true;
  // (Unless the test's story already tells it in its support: then it is that paragraph again.)
  const toldIn = (angle: Angle, f: Fact) => angle.support.some((s) => s.id === f.id);
  if (reversal(a.lead) && test(b.lead)) return toldIn(b, a.lead) ? 0.75 : 0.5;
  if (reversal(b.lead) && test(a.lead)) return toldIn(a, b.lead) ? 0.75 : 0.5;
  // A gap by tenure in an outcome whose arm works differently by tenure is the arms' doing: one story.
  if (byArmInteraction(a, b.lead) || byArmInteraction(b, a.lead)) return 0.9;
  const aFacts = new Set([a.lead.id, ...a.support.map((f) => f.id)]);
  if (aFacts.has(b.lead.id) && b.support.some((f) => f.id === a.lead.id)) return 1;
  if (drivenBy(a, b) || drivenBy(b, a)) return 0.9;
  if (explainsBreakdown(a.lead, b.lead) || explainsBreakdown(b.lead, a.lead)) return 0.7;
  if (mixByDriver(a.lead, b.lead) || mixByDriver(b.lead, a.lead)) return 0.8;
  if (echoesDriver(a, b) || echoesDriver(b, a)) return 0.8;
  const x = a.lead;
  const y = b.lead;
  // One cause of two scores of the same satisfaction (wait against CSAT, and against NPS) is one story.
  if (x.type === 'correlation' && y.type === 'correlation' && !x.data.outcome && !y.data.outcome) {
    const shared = x.columns.filter((column) => y.columns.includes(column));
    const others = [...x.columns, ...y.columns].filter((column) => !shared.includes(column));
    if (shared.length === 1 && others.length === 2 && others.every((column) => isSatisfactionName(column))) return 0.8;
    // Reading with writing, then math with reading: one cluster of scores that move together, told once.
    if (shared.length === 1) return 0.8;
  }
  if (readBothWays(x, y)) return 0.95;
  // Or the other story's support already reads it (churn by tenure backs the churn angle; tenure by churn
  // would tell it again).
  if (a.support.some((f) => readBothWays(f, y)) || b.support.some((f) => readBothWays(f, x))) return 0.9;
  if (
    x.subspace &&
    y.subspace &&
    x.subspace.member === y.subspace.member &&
    x.subspace.dimension === y.subspace.dimension
  )
    return x.type === y.type ? 0.95 : 0.7;
  if (latestHolds(x, y) || latestHolds(y, x)) return 0.8;
  if (moveOfTheMemberInside(a, b) || moveOfTheMemberInside(b, a)) return 0.9;
  if (dayOfTheLink(a, b) || dayOfTheLink(b, a)) return 0.8;
  // A member that stopped for a while, went silent for some hours or opened late is its own story: only the
  // same moment elsewhere retells it.
  const ownEvent = (f: Fact) => Boolean(f.data.closure || f.data.outage || f.data.launch);
  if (ownEvent(x) || ownEvent(y)) return samePeriod(x, y) ? 0.8 : 0.05;
  const sameDimension = (x.dimension ?? null) === (y.dimension ?? null);
  const related = sameDimension || nestedBreakdowns(hierarchy, x.dimension, y.dimension);
  // One rise and fall (or fall and recovery) of a measure, seen in the whole and in its members.
  if (samePeakShape(x, y) && (!x.subspace || !y.subspace || x.subspace.dimension === y.subspace.dimension)) return 0.9;
  // One member on top of one breakdown, in two measures or two detectors (California holds most colonies
  // added, and loses most): one story of its size.
  if (x.family === 'rank' && y.family === 'rank' && x.dimension && x.dimension === y.dimension) {
    const top = (f: Fact) =>
      f.data.leader ?? (f.data.members as { member: string }[] | undefined)?.[0]?.member ?? f.subspace?.member;
    if (top(x) !== undefined && top(x) === top(y) && x.type !== 'laggard' && y.type !== 'laggard') return 0.95;
  }
  if (sameEventTurn(x, y)) return 0.8;
  // "Vacancy fell in 35 of 36 municipalities; Kallbergen rose" already tells that vacancy fell overall.
  const patternAndTrend = (e: Fact, t: Fact) =>
    e.type === 'pattern_exception' && t.type === 'trend' && !t.subspace && e.measureId === t.measureId;
  if (patternAndTrend(x, y) || patternAndTrend(y, x)) return 0.8;
  // One member's own rhythm, in whichever measure, and its moves over the months that make it: one story;
  // beside a story of other members of the same breakdown (oncology's share of the money), another one.
  const sameMember = x.subspace !== undefined && x.subspace.member === y.subspace?.member;
  if ((x.type === 'member_cycle' || y.type === 'member_cycle') && x.family === y.family && sameMember) return 0.9;
  // Two members' own rhythms (rosé in summer, sparkling at Christmas) are one kind of story: told once.
  if (x.type === 'member_cycle' && y.type === 'member_cycle') return 0.7;
  const cycleOf = x.type === 'member_cycle' ? x : y.type === 'member_cycle' ? y : null;
  const beside = cycleOf === x ? y : x;
  if (cycleOf && !sameMember && !featured(beside).includes(cycleOf.subspace!.member)) return 0.1;
  if (x.type === y.type) {
    // One cycle measured on revenue, units and orders is one story; so is one moment seen in several measures.
    // Unless they peak at different times: waits that peak at 06:00 beside passengers that peak at 17:00.
    if (x.type === 'seasonality' && x.data.cycle === y.data.cycle) return peaksApart(x, y) ? 0.3 : 0.9;
    // Two rhythms of one measure are two stories: the hours of a day and the days of a week.
    if (x.type === 'seasonality' && x.measureId === y.measureId) return 0.3;
    // One moment of one measure, whether told by the day, the week or the month, in the whole or in its
    // members (a week of smoke, and September's average at each monitor): one story.
    if (samePeriod(x, y) && x.measureId === y.measureId) return 0.95;
    if (samePeriod(x, y) && !x.subspace && !y.subspace) return 0.9;
    // A member of the level below that is not inside the other's member (a brand of Electronics beside
    // Apparel's gap) is a second story, not the same one told by brand.
    if (x.measureId === y.measureId && related && !sameDimension && elsewhereInHierarchy(x, y)) return 0.3;
    if (x.measureId === y.measureId && related) return 0.9;
    // One event at several members (a week of wildfire smoke at each monitor), in whichever measure.
    if (samePeriod(x, y) && x.subspace && x.subspace.dimension === y.subspace?.dimension) return 0.9;
    // The number of rows and a total over those rows, split the same way, are one story (customers who
    // order most also spend most).
    if (sameDimension && x.dimension && (x.measureId === ROWS_MEASURE_ID || y.measureId === ROWS_MEASURE_ID))
      return 0.95;
    // The test's result and who converts anyway (activated accounts, large companies) are two questions.
    if (x.measureId === y.measureId && !sameDimension && (x.data.experiment === true) !== (y.data.experiment === true))
      return 0.35;
    // A yes/no outcome (a no-show, a churn) is the file's question: where it runs high by clinic and whether
    // a reminder was sent are two answers to it, not one story told twice; so is a rate of two columns
    // (defects per unit by supplier, and by shift).
    if (
      x.measureId === y.measureId &&
      !related &&
      (isYesNoRateId(x.measureId) || x.measureId.includes('/')) &&
      x.type === 'segment_difference'
    )
      return 0.35;
    if (x.measureId === y.measureId || (related && x.dimension)) return 0.6;
    if (samePeriod(x, y)) return 0.8;
    // Two gaps in two measures by two breakdowns (stock-outs by supplier, days of cover by category) are two
    // findings about the rows, not one told twice.
    if (x.type === 'segment_difference' && x.dimension && y.dimension) return 0.2;
    return 0.35;
  }
  // The average ticket by member beside the money's own leader or gap in the same breakdown.
  // (A category's move over time beside the leading seller, a level below, is a second story.)
  const overTime = x.family === 'temporal' || y.family === 'temporal';
  if (moneyOf(x) === moneyOf(y) && related && x.dimension && (sameDimension || !overTime)) return 0.6;
  // One moment seen through two measures or detectors (a burst of page views and the purchase rate it diluted).
  if (samePeriod(x, y)) return 0.8;
  // A trend and a jump in the same whole-table series are one story told twice ("net generation went up").
  const movement = (f: Fact) =>
    ['trend', 'peak', 'change_point', 'streak', 'latest_change'].includes(f.type) && !f.subspace;
  // So are a trend in one measure and a jump in another that moved with it (sessions and the revenue they
  // bring, when one angle's support already moves the other's measure).
  const moves = (angle: Angle, measureId: string) =>
    [angle.lead, ...angle.support].some((f) => movement(f) && f.measureId === measureId);
  if (movement(x) && movement(y) && (x.measureId === y.measureId || moves(a, y.measureId) || moves(b, x.measureId)))
    return 0.8;
  // A lasting jump inside a trend of the same series the same way is the trend's steepest stretch, told again
  // (a membership share climbing all year, "jumped 6.7 points from July").
  const shockInTrend = (shock: Fact, trend: Fact) =>
    shock.type === 'spike' &&
    shock.data.shock === true &&
    trend.type === 'trend' &&
    !shock.subspace &&
    !trend.subspace &&
    shock.measureId === trend.measureId &&
    shock.data.direction === trend.data.direction;
  if (shockInTrend(x, y) || shockInTrend(y, x)) return 0.8;
  if (x.measureId === y.measureId || x.family === y.family) return 0.05;
  return 0;
}

/** A plain gap of `gap`'s measure by a breakdown whose arms' effect `angle` shows differing along it. */
function byArmInteraction(angle: Angle, gap: Fact): boolean {
  if (gap.type !== 'segment_difference' || gap.data.experiment === true || !gap.dimension) return false;
  return [angle.lead, ...angle.support].some(
    (f) =>
      f.type === 'interaction' &&
      f.data.lift === true &&
      f.measureId === gap.measureId &&
      (f.data.within as { dimension?: string } | undefined)?.dimension === gap.dimension,
  );
}

/** A daily link that one day carries (rain and turbidity, through one storm), beside a story of that day. */
function dayOfTheLink(linked: Angle, other: Angle): boolean {
  const day = linked.lead.type === 'correlation' ? linked.lead.data.dominantDay : undefined;
  if (!day) return false;
  return [other.lead, ...other.support].some(
    (f) => f.type === 'spike' && !f.subspace && String(f.data.at).slice(0, 10) === String(day).slice(0, 10),
  );
}

const MOVES: readonly string[] = ['trend', 'peak', 'change_point', 'spike', 'streak', 'latest_change'];

/** Which way a move goes: its direction, or a step's means before and after. */
function wayOf(fact: Fact): 'up' | 'down' | undefined {
  if (fact.data.direction === 'up' || fact.data.direction === 'down') return fact.data.direction;
  const [before, after] = [Number(fact.data.meanBefore), Number(fact.data.meanAfter)];
  return after > before ? 'up' : after < before ? 'down' : undefined;
}

/**
 * A member's move and the same move of the member above it (Riverside Hospital's step down, and East's fall
 * that it makes): one story, told by whichever scores higher. Same way, and in a measure the member's own
 * angle moves.
 */
function moveOfTheMemberInside(inner: Angle, outer: Angle): boolean {
  const [x, y] = [inner.lead, outer.lead];
  if (!MOVES.includes(x.type) || !MOVES.includes(y.type) || !x.subspace || !y.subspace) return false;
  const above = (x.data.parents as Record<string, string> | undefined)?.[y.subspace.dimension];
  if (above === undefined || above !== y.subspace.member) return false;
  if (wayOf(x) !== undefined && wayOf(y) !== undefined && wayOf(x) !== wayOf(y)) return false;
  return [x, ...inner.support].some((f) => f.subspace?.member === x.subspace?.member && f.measureId === y.measureId);
}

/** Two cycles of one rhythm whose peaks lie a sixth of the cycle apart or more (two days of a week at least). */
function peaksApart(x: Fact, y: Fact): boolean {
  const period = (x.data.profile as unknown[] | undefined)?.length ?? 0;
  const [a, b] = [Number(x.data.peak), Number(y.data.peak)];
  if (period < 4 || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  const distance = Math.min(Math.abs(a - b), period - Math.abs(a - b));
  return distance >= Math.max(2, Math.round(period / 6));
}

/** Two member gaps of nested breakdowns where the lower one's member lies outside the upper one's member. */
function elsewhereInHierarchy(x: Fact, y: Fact): boolean {
  if (x.type !== 'segment_difference' || y.type !== 'segment_difference') return false;
  const outside = (child: Fact, parent: Fact) => {
    const above = (child.data.parents as Record<string, string> | undefined)?.[parent.dimension ?? ''];
    return above !== undefined && above !== String(parent.data.member);
  };
  return outside(x, y) || outside(y, x);
}

const byScore = (a: { score: number; id: string }, b: { score: number; id: string }) =>
  b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What each rate is a rate of: its denominator's measure (calls offered), or the rows for a yes/no column's rate. */
export function rateBases(measures: readonly Measure[]): Map<string, string> {
  const ids = new Set(measures.map((m) => m.id));
  const bases = new Map<string, string>();
  for (const m of measures) {
    if (m.aggregation !== 'rate') continue;
    const base = m.ratio ? m.columns[1] : ROWS_MEASURE_ID;
    if (base && ids.has(base)) bases.set(m.id, base);
  }
  return bases;
}

/** An angle per lead candidate: the fact plus up to three facts on the same subject. */
export function buildAngles(
  leads: Fact[],
  pool: Fact[] = leads,
  hierarchy: [string, string][] = [],
  bases = new Map<string, string>(),
): Angle[] {
  const ranked = [...leads].sort(byScore);
  const supporters = [...pool].sort(byScore);
  const angles = ranked.map((lead) => {
    const support = supporters
      .map((fact) => ({ fact, relation: relatedness(lead, fact, hierarchy, bases) }))
      .filter((entry) => entry.relation > 0 && entry.fact.score > 0)
      .sort((a, b) => b.relation - a.relation || byScore(a.fact, b.fact))
      .slice(0, 3)
      .map((entry) => entry.fact);
    const supportScore = support
      .map((f) => f.score)
      .sort((a, b) => b - a)
      .slice(0, 2)
      .reduce((sum, s) => sum + s, 0);
    // A whole-table trend that one member carried alone is that member's story, the whole its context.
    const carrier =
      support.find((fact) => carries(fact, lead)) ??
      supporters.find((fact) => carriesGap(fact, lead)) ??
      support.find((fact) => sharperView(fact, lead));
    const told = carrier ?? lead;
    // A member that carries a whole-table movement, leading on its own, keeps that movement as its context.
    const carried = carrier ? undefined : supporters.find((fact) => carries(lead, fact));
    const context = carried && !support.includes(carried) ? [carried, ...support.slice(0, 2)] : support;
    return {
      id: told.id,
      lead: told,
      support: carrier ? [lead, ...support.filter((fact) => fact !== carrier)] : context,
      score: Number((lead.score + 0.15 * supportScore).toFixed(6)),
      strength: told.strength,
    };
  });
  // The carrier's own candidate is the same story once more.
  const told = new Set<string>();
  return angles.filter((angle) => {
    if (told.has(angle.id)) return false;
    told.add(angle.id);
    return true;
  });
}

/**
 * A rhythm that a chosen story already tells as support (the daily cycle beside the weekly one), or the same
 * cycle in another measure (the daily cycle of requests): 0.5, told in a sentence there. (A member's gap in
 * a driver's support stays a story of its own: the support names it, the story shows it.)
 */
function tellsAlready(chosen: Angle, lead: Fact): number {
  if (lead.type !== 'seasonality') return 0;
  const told = (f: Fact) => f.type === 'seasonality' && (f.id === lead.id || f.data.cycle === lead.data.cycle);
  return chosen.support.some(told) ? 0.5 : 0;
}

/** The best `count` angles, diversified greedily (MMR): each pick is discounted by its overlap with those already chosen. */
export function selectAngles(angles: Angle[], hierarchy: [string, string][], count = 3): Angle[] {
  const chosen: Angle[] = [];
  const pool = [...angles].sort(byScore);
  // A file that holds an experiment is read for its result first: the arms' clear difference leads, ahead
  // of links between the outcomes the arms produced (recipes saved and day-7 activity), which are no test.
  const test = pool.findIndex((angle) => angle.lead.data.experiment === true && angle.strength === 'strong');
  if (test >= 0 && count > 0) chosen.push(...pool.splice(test, 1));
  while (chosen.length < count && pool.length > 0) {
    let bestIndex = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    pool.forEach((angle, index) => {
      const maxOverlap = chosen.reduce(
        (m, c) => Math.max(m, overlap(angle, c, hierarchy), overlap(c, angle, hierarchy), tellsAlready(c, angle.lead)),
        0,
      );
      const value = angle.score * (1 - 0.85 * maxOverlap);
      if (value > bestValue + 1e-12) {
        bestValue = value;
        bestIndex = index;
      }
    });
    const [picked] = pool.splice(bestIndex, 1);
    if (!picked) break;
    if (chosen.some((c) => overlap(picked, c, hierarchy) >= 0.95)) continue;
    chosen.push(picked);
  }
  return chosen;
}
