import { barChart, MAX_BARS } from '../charts/specs/bar.ts';
import { cycleChart } from '../charts/specs/cycle.ts';
import { groupedBar } from '../charts/specs/grouped-bar.ts';
import { lineChart } from '../charts/specs/line.ts';
import { paretoChart } from '../charts/specs/pareto.ts';
import { scatterChart } from '../charts/specs/scatter.ts';
import { smallMultiples } from '../charts/specs/small-multiples.ts';
import { spellYearAxes } from '../charts/specs/x-values.ts';
import type { ChartSpec, ValueFormat } from '../charts/types.ts';
import { describeFact } from './narrative/facts.ts';
import { capitalize, claim, has, type Vocabulary } from './narrative/phrases.ts';
import { periodKey, spellYear } from './time.ts';
import { type Fact, type Granularity, ROWS_MEASURE_ID } from './types.ts';

interface Point {
  t: string;
  value: number;
}

const fraction: ValueFormat = { kind: 'percent', percentScale: 'fraction' };
// Years stay on a time axis too: a number axis would print 2,001.
const xOf = (t: string, _granularity: unknown) => t.slice(0, 19);
const xTypeOf = (_granularity: unknown) => 'temporal' as const;

/** Sibling series for context lines: the eight largest, plus the highlighted member. */
function siblingLines(fact: Fact, member: string, own: Point[]) {
  const siblings = (fact.data.siblings as { member: string; points: Point[] }[] | undefined) ?? [];
  const sized = siblings
    .map((s) => ({ ...s, size: s.points.reduce((sum, p) => sum + Math.abs(p.value), 0) }))
    .sort((a, b) => b.size - a.size || (a.member < b.member ? -1 : 1))
    .slice(0, 8);
  return [{ member, points: own }, ...sized];
}

function timeChart(fact: Fact, words: Vocabulary, text: { title: string; alt: string }): ChartSpec {
  const measure = words.measure(fact.measureId);
  const granularity = fact.data.granularity as Granularity;
  const points = fact.data.points as Point[];
  const member = fact.subspace?.member;
  const xType = xTypeOf(granularity);
  const lines = member ? siblingLines(fact, member, points) : [{ member: capitalize(measure.label), points }];
  const chartPoints = lines.flatMap((line) =>
    line.points.map((p) => ({ x: xOf(p.t, granularity), y: p.value, series: line.member })),
  );
  const common = {
    title: text.title,
    subtitle: `${capitalize(measure.label)} per ${granularity}${member ? `, ${words.member(fact.subspace?.dimension, member)} against the other ${words.plural(fact.subspace?.dimension)}` : ''}`,
    alt: text.alt,
    points: chartPoints,
    xType,
    highlightSeries: [member ?? capitalize(measure.label)],
    yTitle: capitalize(measure.label) + (measure.unit && measure.format.kind !== 'percent' ? ` (${measure.unit})` : ''),
    format: measure.format,
  };
  if (fact.type === 'trend') {
    const fit = fact.data.fit as Point[];
    return lineChart({
      ...common,
      fit: { points: fit.map((p) => ({ x: xOf(p.t, granularity), y: p.value })), label: 'Trend (Sen slope)' },
      // Told as one year against another, the claimed values belong to no single point of the line.
      marks: fact.data.yearOnYear
        ? []
        : [
            { x: xOf(points[0]!.t, granularity), y: points[0]!.value, label: claim(fact, 'firstValue') },
            {
              x: xOf(points[points.length - 1]!.t, granularity),
              y: points[points.length - 1]!.value,
              label: claim(fact, 'lastValue'),
            },
          ],
    });
  }
  if (fact.type === 'peak') {
    const top = points[Number(fact.data.peakIndex)]!;
    const end = points[points.length - 1]!;
    // A steady turn is told from the opposite extreme before it (the high before a low): marked too.
    const fromIndex = Number(fact.data.fromIndex ?? 0);
    const start = fromIndex > 0 ? points[fromIndex] : undefined;
    return lineChart({
      ...common,
      marks: [
        ...(start
          ? [
              {
                x: xOf(start.t, granularity),
                y: start.value,
                // A run-up starts where the seasonally adjusted series was lowest: a start, not the lowest value drawn.
                label: `${{ low: 'High', peak: 'Low' }[String(fact.data.shape)] ?? 'From'}: ${claim(fact, 'firstValue')}`,
              },
            ]
          : []),
        {
          x: xOf(top.t, granularity),
          y: top.value,
          label: `${{ low: 'Low', surge: 'Record', slump: 'Record low' }[String(fact.data.shape)] ?? 'Peak'}: ${claim(fact, 'peakValue')}`,
        },
        // A run-up may end on its record, or a step or two after it: one mark says it.
        ...(points.length - 1 - Number(fact.data.peakIndex) <= (fromIndex > 0 && fact.data.record !== undefined ? 2 : 0)
          ? []
          : [{ x: xOf(end.t, granularity), y: end.value, label: claim(fact, 'lastValue') }]),
      ],
    });
  }
  if (fact.type === 'change_point') {
    const at = String(fact.data.at);
    const first = points[0]!.t;
    const last = points[points.length - 1]!.t;
    const before = points.filter((p) => p.t < at);
    return lineChart({
      ...common,
      rules: [{ x: xOf(at, granularity), label: `Shift: ${claim(fact, 'changePeriod')}` }],
      segments: [
        {
          x1: xOf(first, granularity),
          x2: xOf(before[before.length - 1]?.t ?? first, granularity),
          y: Number(fact.data.meanBefore),
          label: `Before: ${claim(fact, 'meanBefore')}`,
        },
        {
          x1: xOf(at, granularity),
          x2: xOf(last, granularity),
          y: Number(fact.data.meanAfter),
          label: `After: ${claim(fact, 'meanAfter')}`,
        },
      ],
    });
  }
  // spike
  const expected = fact.data.expected as Point[];
  const index = Number(fact.data.index);
  const spikePoint = points[index]!;
  const episode = fact.data.episode as { from: number; length: number } | undefined;
  if (episode) {
    const end = points[episode.from + episode.length - 1]!;
    // A seasonal anomaly brings its own band: the months' usual values, two spreads either side.
    const band = fact.data.band as { t: string; lower: number; upper: number }[] | undefined;
    return lineChart({
      ...common,
      band: band
        ? band.map((p) => ({ x: xOf(p.t, granularity), lower: p.lower, upper: p.upper }))
        : expected.map((p) => ({ x: xOf(p.t, granularity), lower: p.value * 0.85, upper: p.value * 1.15 })),
      bandLabel: band ? 'Usual for the time of year (± two spreads)' : 'Usual level around it (median ±15%)',
      marks: [
        { x: xOf(spikePoint.t, granularity), y: spikePoint.value, label: claim(fact, 'period') },
        { x: xOf(end.t, granularity), y: end.value, label: claim(fact, 'endPeriod') },
      ],
      highlightSeries: [member ?? capitalize(measure.label)],
    });
  }
  // A shock is read against the level it left (a thin band at it), a spike against its neighbours.
  const shock = fact.data.shock === true;
  return lineChart({
    ...common,
    band: expected.map((p) => ({
      x: xOf(p.t, granularity),
      lower: p.value * (shock ? 0.97 : 0.85),
      upper: p.value * (shock ? 1.03 : 1.15),
    })),
    bandLabel: shock
      ? `Level before the move (${claim(fact, 'previousPeriod')}: ${claim(fact, 'previousValue')})`
      : fact.data.recordCell
        ? 'Expected from its own level and the period’s (±15%)'
        : 'Expected range (neighbouring median ±15%)',
    marks: [
      {
        x: xOf(spikePoint.t, granularity),
        y: spikePoint.value,
        label: `${claim(fact, 'period')}: ${claim(fact, 'value')}`,
      },
    ],
    highlightSeries: [member ?? capitalize(measure.label)],
  });
}

function siblingsChart(fact: Fact, words: Vocabulary): ChartSpec | null {
  const member = fact.subspace?.member;
  const siblings = fact.data.siblings as { member: string; points: Point[] }[] | undefined;
  if (!member || !siblings || siblings.length === 0) return null;
  const granularity = fact.data.granularity as Granularity;
  const measure = words.measure(fact.measureId);
  const panels = siblingLines(fact, member, fact.data.points as Point[]);
  const rules = fact.data.at
    ? [{ x: xOf(String(fact.data.at), granularity), label: periodKey(String(fact.data.at), granularity) }]
    : undefined;
  return smallMultiples({
    title: `${capitalize(words.member(fact.subspace?.dimension, member))} against the other ${words.plural(fact.subspace?.dimension)}`,
    subtitle: `${capitalize(measure.label)} per ${granularity}, one panel per ${words.singular(fact.subspace?.dimension)}`,
    alt: `${capitalize(measure.label)} for each ${words.singular(fact.subspace?.dimension)}; ${member} is highlighted.`,
    points: panels.flatMap((panel) =>
      panel.points.map((p) => ({ x: xOf(p.t, granularity), y: p.value, series: panel.member })),
    ),
    xType: xTypeOf(granularity),
    highlightSeries: [member],
    ...(rules ? { rules } : {}),
    format: measure.format,
  });
}

function shareChart(fact: Fact, words: Vocabulary, text: { title: string; alt: string }): ChartSpec[] {
  const granularity = fact.data.granularity as Granularity;
  const member = fact.subspace!.member;
  const siblings = (fact.data.siblings as { member: string; points: Point[] }[]) ?? [];
  const own = fact.data.points as Point[];
  const totals = new Map<string, number>();
  for (const line of [{ member, points: own }, ...siblings])
    for (const p of line.points) totals.set(p.t, (totals.get(p.t) ?? 0) + p.value);
  const lines = [{ member, points: own }, ...siblings];
  const measure = words.measure(fact.measureId);
  const share = lineChart({
    title: text.title,
    subtitle: `Share of all ${measure.label} per ${granularity}, by ${words.singular(fact.subspace?.dimension)}`,
    alt: text.alt,
    points: lines.flatMap((line) =>
      line.points.map((p) => ({
        x: xOf(p.t, granularity),
        y: (totals.get(p.t) ?? 0) > 0 ? p.value / totals.get(p.t)! : null,
        series: line.member,
      })),
    ),
    xType: xTypeOf(granularity),
    highlightSeries: [member],
    yTitle: `Share of ${measure.label}`,
    format: fraction,
    logY: false,
  });
  const first = own[0]?.t;
  const last = own[own.length - 1]?.t;
  if (!first || !last) return [share];
  const valueAt = (points: Point[], t: string) => points.find((p) => p.t === t)?.value ?? 0;
  const key = (t: string) => spellYear(periodKey(t, granularity), words.profile.time?.yearSpelling);
  const before = groupedBar({
    title: `${capitalize(measure.label)} by ${words.singular(fact.subspace?.dimension)}: ${key(first)} vs ${key(last)}`,
    alt: `${capitalize(measure.label)} of each ${words.singular(fact.subspace?.dimension)} in the first and the last period.`,
    data: lines.flatMap((line) => [
      { group: line.member, series: key(first), value: valueAt(line.points, first) },
      { group: line.member, series: key(last), value: valueAt(line.points, last) },
    ]),
    highlightSeries: key(last),
    valueTitle: capitalize(measure.label),
    format: measure.format,
  });
  return [share, before];
}

/** A member and the rest (a condition's two sides), as the story names them: "Male" and "Female", "with promo". */
export function sidesOf(words: Vocabulary, dimension: string | undefined, member: string) {
  const sides = words.sides(dimension, member);
  return {
    side: sides?.member,
    name: sides?.member ?? words.member(dimension, member),
    others: sides?.other ?? words.others(dimension, member),
  };
}

/** Both sides of a gap within each part of another breakdown ("within each department"), as bars in pairs. */
export function withinEachChart(
  text: { title: string; subtitle?: string; alt: string; valueTitle: string },
  sides: { name: string; others: string },
  stratifier: string,
  rows: readonly { group: string; inside: number; outside: number }[],
  measure: { format: ValueFormat },
  words: Vocabulary,
): ChartSpec {
  const [name, others] = [capitalize(sides.name), capitalize(sides.others)];
  return groupedBar({
    ...text,
    data: rows.flatMap((row) => [
      { group: row.group, series: name, value: row.inside },
      { group: row.group, series: others, value: row.outside },
    ]),
    highlightSeries: name,
    categoryTitle: capitalize(words.singular(stratifier)),
    format: measure.format,
  });
}

/** A gap that mix explains: both sides within each stratum, where it shrinks or turns round. */
function mixGapChart(fact: Fact, words: Vocabulary, described: { title: string; summary: string }): ChartSpec {
  const measure = words.measure(fact.measureId);
  const strata = String(fact.data.stratifier);
  const sides = sidesOf(words, fact.dimension, String(fact.data.member));
  return withinEachChart(
    {
      title: described.title,
      subtitle: `${capitalize(measure.label)} of ${capitalize(sides.name)} and ${capitalize(sides.others)} within each ${words.singular(strata)}`,
      alt: described.summary,
      valueTitle: capitalize(measure.label),
    },
    sides,
    strata,
    fact.data.stratified as { group: string; inside: number; outside: number }[],
    measure,
    words,
  );
}

/** The top members plus one "Other" bar, so every share is a share of the real total. */
function withOther(members: { member: string; value: number }[], total: number, plural: string) {
  const top = members.slice(0, 20).map((m) => ({ label: m.member, value: m.value }));
  const shown = top.reduce((sum, m) => sum + m.value, 0);
  const rest = Number.isFinite(total) ? total - shown : members.slice(20).reduce((sum, m) => sum + m.value, 0);
  if (rest > 0) top.push({ label: `Other ${plural}`, value: rest });
  return top;
}

/** The chart that shows a fact's claim, annotated (AVA's augmented marks): highlight, rule, fit, band. */
/** ", in 2005" for a comparison made at one moment of a panel. */
const inMoment = (fact: Fact) => (fact.claims.moment ? `, in ${fact.claims.moment.text}` : '');

/** Members by value, largest first, one highlighted, with a reference line (the median, the rest). */
function rankingChart(
  fact: Fact,
  words: Vocabulary,
  described: { title: string; summary: string },
  options: {
    members: { member: string; value: number }[];
    highlight: string;
    line: { value: number; label: string };
    lineMeans: string;
    showValues: boolean;
  },
): ChartSpec {
  const measure = words.measure(fact.measureId);
  return barChart({
    title: described.title,
    subtitle: `${capitalize(measure.label)} by ${words.singular(fact.dimension)}${inMoment(fact)}; the line is ${options.lineMeans}`,
    alt: described.summary,
    data: options.members.map((m) => ({ label: m.member, value: m.value })),
    highlight: [options.highlight],
    order: 'value-desc',
    referenceLine: options.line,
    valueTitle: capitalize(measure.label),
    categoryTitle: capitalize(words.singular(fact.dimension)),
    format: measure.format,
    showValues: options.showValues,
  });
}

/** The charts that show a fact's claim, their yearly axes labelled as the file spells its years. */
export function chartsForFact(fact: Fact, words: Vocabulary): ChartSpec[] {
  return chartsOfFact(fact, words).map((chart) => spellYearAxes(chart, words.profile.time?.yearSpelling));
}

function chartsOfFact(fact: Fact, words: Vocabulary): ChartSpec[] {
  const described = describeFact(fact, words);
  const text = { title: described.title, alt: described.summary };
  const measure = words.measure(fact.measureId);
  switch (fact.type) {
    case 'trend':
    case 'peak':
    case 'change_point':
    case 'spike': {
      const main = timeChart(fact, words, text);
      const siblings = siblingsChart(fact, words);
      return siblings ? [main, siblings] : [main];
    }
    case 'share_shift':
      return shareChart(fact, words, text);
    case 'seasonality': {
      const profile = fact.data.profile as { label: string; value: number }[];
      return [
        cycleChart({
          title: described.title,
          subtitle:
            fact.data.cycle === 'month' || fact.data.cycle === 'quarter'
              ? `${capitalize(measure.label)} above or below its trend, average by ${fact.data.cycle} of year`
              : `Average ${measure.label} per ${fact.data.cycle === 'hour' ? 'hour of day' : 'day of week'}`,
          alt: described.summary,
          data: profile.map((p) => ({ label: p.label, value: p.value })),
          highlight: { peak: claim(fact, 'peak'), trough: claim(fact, 'trough') },
          valueTitle: capitalize(measure.label),
          format: measure.format,
        }),
      ];
    }
    case 'member_cycle': {
      // Each side against its own average month (100%): the member's swing beside the others' flat year.
      const profile = fact.data.profile as { label: string; value: number; rest: number }[];
      const ownMean = profile.reduce((sum, p) => sum + p.value, 0) / profile.length;
      const restMean = profile.reduce((sum, p) => sum + p.rest, 0) / profile.length;
      const member = capitalize(words.member(fact.dimension, String(fact.data.member)));
      const others = `Other ${words.plural(fact.dimension)}`;
      return [
        lineChart({
          title: described.title,
          subtitle: `${capitalize(measure.label)} by month of year, as a share of each side's average month`,
          alt: described.summary,
          points: profile.flatMap((p) => [
            { x: p.label.slice(0, 3), y: p.value / ownMean, series: member },
            { x: p.label.slice(0, 3), y: p.rest / restMean, series: others },
          ]),
          xType: 'ordinal',
          highlightSeries: [member, others],
          logY: false,
          yTitle: 'Share of the average month',
          format: { kind: 'percent', percentScale: 'fraction' },
        }),
      ];
    }
    case 'leader':
    case 'concentration': {
      if (fact.data.disproportion) {
        // Each member's share of the rows beside its share of the total: the one whose bars part is the story.
        const weighed = fact.data.members as { member: string; share: number; rowShare: number }[];
        const rowsLabel = `Share of ${words.measure(ROWS_MEASURE_ID).label}`;
        const totalLabel = `Share of ${measure.label}`;
        return [
          groupedBar({
            title: described.title,
            subtitle: `By ${words.singular(fact.dimension)}: share of the ${words.measure(ROWS_MEASURE_ID).label} and of ${measure.label}`,
            alt: described.summary,
            data: weighed.slice(0, 12).flatMap((m) => [
              { group: m.member, series: rowsLabel, value: m.rowShare },
              { group: m.member, series: totalLabel, value: m.share },
            ]),
            highlightSeries: totalLabel,
            order: 'value-desc',
            format: { kind: 'percent', percentScale: 'fraction' },
          }),
        ];
      }
      const members = fact.data.members as { member: string; value: number; share: number }[];
      if (fact.type === 'concentration' && fact.data.many) {
        // Hundreds of members: the running share the largest hold, against an even spread.
        const curve = fact.data.cumulative as { members: number; share: number }[];
        const fraction = { kind: 'percent', percentScale: 'fraction' } as const;
        const topFraction = Number(fact.data.topK) / Number(fact.data.memberCount);
        return [
          lineChart({
            title: described.title,
            subtitle: `Running share of ${measure.label}, ${words.plural(fact.dimension)} from the largest down; dashed: an even spread`,
            alt: described.summary,
            points: curve.map((point) => ({ x: point.members, y: point.share })),
            xType: 'quantitative',
            xFormat: fraction,
            format: fraction,
            logY: false,
            xTitle: `Share of ${words.plural(fact.dimension)}, largest first`,
            yTitle: `Share of ${measure.label}`,
            fit: {
              points: [
                { x: 0, y: 0 },
                { x: 1, y: 1 },
              ],
              label: 'Even spread',
            },
            marks: [
              {
                x: topFraction,
                y: Number(fact.data.topShare),
                label: `Top ${claim(fact, 'topKPctOfMembers')}: ${claim(fact, 'topShare')}`,
                below: true,
              },
            ],
          }),
        ];
      }
      if (fact.type === 'concentration') {
        return [
          paretoChart({
            title: described.title,
            subtitle: `Share of ${measure.label} by ${words.singular(fact.dimension)}${inMoment(fact)}, largest first, with the running total`,
            alt: described.summary,
            data: withOther(members, Number(fact.data.total), words.plural(fact.dimension)),
            topK: Number(fact.data.topK),
            categoryTitle: capitalize(words.singular(fact.dimension)),
          }),
        ];
      }
      return [
        barChart({
          title: described.title,
          subtitle: `${capitalize(measure.label)} by ${words.singular(fact.dimension)}${inMoment(fact)}`,
          alt: described.summary,
          data: members.slice(0, 25).map((m) => ({ label: m.member, value: m.value })),
          highlight: [String(fact.data.leader)],
          order: 'value-desc',
          valueTitle: capitalize(measure.label),
          categoryTitle: capitalize(words.singular(fact.dimension)),
          format: measure.format,
        }),
      ];
    }
    case 'laggard': {
      const members = fact.data.members as { member: string; value: number }[];
      return [
        rankingChart(fact, words, described, {
          members: members.slice(0, 25),
          highlight: String(fact.data.laggard),
          line: { value: Number(fact.data.median), label: `Median: ${claim(fact, 'median')}` },
          lineMeans: 'the median of the others',
          showValues: members.length <= 12,
        }),
      ];
    }
    case 'outlier': {
      // The thing and those nearest to it in rank, with the median thing's value as the line.
      const members = fact.data.members as { member: string; value: number }[];
      return [
        barChart({
          title: described.title,
          subtitle: `${capitalize(measure.label)} of the ${fact.data.direction === 'higher' ? 'highest' : 'lowest'} ${words.rows()}; the line is the median ${words.row()}`,
          alt: described.summary,
          data: members.map((m) => ({ label: m.member, value: m.value })),
          highlight: [String(fact.data.member)],
          order: 'as-given',
          referenceLine: { value: Number(fact.data.median), label: `Median: ${claim(fact, 'median')}` },
          valueTitle: capitalize(measure.label),
          // (The names say what they are; a title beside long names only crowds them.)
          format: measure.format,
          showValues: true,
        }),
      ];
    }
    case 'segment_difference': {
      const members = fact.data.members as { member: string; value: number }[];
      // Ordered members (grades, levels, age bands) keep their order: the climb is the claim.
      const steps = (fact.data.ordered as { members: { member: string; value: number }[] } | undefined)?.members;
      // (Thirty-five sub-grades are too many bars to read in order: ranked, the top ones show the climb.)
      if (steps && steps.length <= MAX_BARS) {
        return [
          barChart({
            title: described.title,
            subtitle: `${capitalize(measure.label)} by ${words.singular(fact.dimension)}${inMoment(fact)}`,
            alt: described.summary,
            data: steps.map((m) => ({ label: words.member(fact.dimension, m.member), value: m.value })),
            order: 'as-given',
            valueTitle: capitalize(measure.label),
            categoryTitle: capitalize(words.singular(fact.dimension)),
            format: measure.format,
            showValues: steps.length <= 12,
          }),
        ];
      }
      // Two sides (with and without a promo, or two groups): the other bar is the comparison, no line needed.
      if (members.length === 2) {
        const sideOf = (member: string) => words.sides(fact.dimension, member)?.member;
        const perRow = fact.data.condition && measure.aggregation === 'sum';
        const valueTitle = capitalize(perRow ? `${measure.label} per ${words.row()}` : measure.label);
        return [
          barChart({
            title: described.title,
            subtitle: fact.data.condition
              ? `${perRow ? 'Average ' : ''}${valueTitle.toLowerCase()}, with and without ${words.dimension(fact.dimension)?.label ?? ''}${inMoment(fact)}`
              : `${capitalize(measure.label)} by ${words.singular(fact.dimension)}${inMoment(fact)}`,
            alt: described.summary,
            data: members.map((m) => ({ label: capitalize(sideOf(m.member) ?? m.member), value: m.value })),
            highlight: [capitalize(sideOf(String(fact.data.member)) ?? String(fact.data.member))],
            order: 'value-desc',
            valueTitle,
            categoryTitle: capitalize(words.singular(fact.dimension)),
            format: measure.format,
            showValues: true,
          }),
        ];
      }
      return [
        rankingChart(fact, words, described, {
          members: fact.data.members as { member: string; value: number }[],
          highlight: String(fact.data.member),
          line: { value: Number(fact.data.rest), label: `Rest: ${claim(fact, 'restValue')}` },
          lineMeans: `all other ${words.plural(fact.dimension)} combined`,
          showValues: true,
        }),
      ];
    }
    case 'correlation': {
      if (fact.data.outcome) {
        const bars = predictorBars(fact, (level) => level.rate);
        const predictor = words.measure(String(fact.data.predictor));
        return [
          barChart({
            title: described.title,
            subtitle: `${capitalize(measure.label)} ${bars.by} ${predictor.label}`,
            alt: described.summary,
            data: bars.data,
            order: 'as-given',
            orientation: 'vertical',
            valueTitle: capitalize(measure.label),
            categoryTitle: capitalize(predictor.label),
            format: fraction,
            showValues: bars.levels.length <= 12,
          }),
        ];
      }
      return [scatterFor(fact, words, described, null)];
    }
    case 'simpson':
      return fact.data.kind === 'gap'
        ? [mixGapChart(fact, words, described)]
        : [scatterFor(fact, words, described, String(fact.data.dimension))];
    case 'pattern_exception':
    case 'latest_change':
    case 'streak':
      return [seriesChart(fact, words, described)];
    case 'driver': {
      const contributions = fact.data.contributions as { member: string; delta: number }[];
      return [
        barChart({
          title: described.title,
          subtitle: `Change in ${measure.label} by ${words.singular(fact.dimension)}, ${String(fact.data.from)} to ${String(fact.data.to)}`,
          alt: described.summary,
          data: contributions.map((c) => ({ label: c.member, value: c.delta })),
          highlight: [claim(fact, 'driver')],
          order: 'value-desc',
          valueTitle: `Change in ${measure.label}`,
          categoryTitle: capitalize(words.singular(fact.dimension)),
          format: measure.format,
        }),
      ];
    }
    case 'interaction': {
      // Every cell, grouped by the column breakdown: the member's bars stand out in one group only.
      const within = fact.data.within as { dimension: string; member: string };
      const all = fact.data.cells as { a: string; b: string; value: number }[];
      // At most four series (a chart of more is unreadable): the member and the first three others.
      const member = String(fact.data.member);
      // An arm's lift by segment: the arm and its control side by side in each segment.
      if (fact.data.lift)
        return [
          groupedBar({
            title: described.title,
            subtitle: `${capitalize(measure.label)} by ${words.singular(within.dimension)}, ${member} against ${String(fact.data.control)}`,
            alt: described.summary,
            data: all.map((c) => ({ group: c.b, series: c.a, value: c.value })),
            order: 'as-given',
            highlightSeries: member,
            valueTitle: capitalize(measure.label),
            format: measure.format,
          }),
        ];
      const shown = [member, ...[...new Set(all.map((c) => c.a))].filter((a) => a !== member).slice(0, 3)];
      const cells = all.filter((c) => shown.includes(c.a));
      return [
        groupedBar({
          title: described.title,
          subtitle: `${capitalize(measure.label)} by ${words.singular(within.dimension)} and ${words.singular(fact.dimension)}; ${String(fact.data.member)} highlighted`,
          alt: described.summary,
          data: cells.map((c) => ({ group: c.b, series: c.a, value: c.value })),
          order: 'as-given',
          highlightSeries: String(fact.data.member),
          valueTitle: capitalize(measure.label),
          format: measure.format,
        }),
      ];
    }
    case 'mix_shift': {
      const members = fact.data.members as { member: string; before: number; after: number }[];
      return [
        groupedBar({
          title: described.title,
          subtitle: `${capitalize(measure.label)} by ${words.singular(fact.dimension)}, first and second half of the period`,
          alt: described.summary,
          data: members.flatMap((m) => [
            { group: m.member, series: 'first half', value: m.before },
            { group: m.member, series: 'second half', value: m.after },
          ]),
          highlightSeries: 'second half',
          valueTitle: capitalize(measure.label),
          format: fraction,
        }),
      ];
    }
    case 'paired_difference': {
      // The two sides' averages, the higher one highlighted.
      const high = words.measure(String(fact.data.highMeasure));
      const low = words.measure(String(fact.data.lowMeasure));
      return [
        barChart({
          title: described.title,
          subtitle: `Average per ${words.row()}`,
          alt: described.summary,
          data: [
            { label: capitalize(high.label), value: Number(fact.claims.highValue?.value ?? 0) },
            { label: capitalize(low.label), value: Number(fact.claims.lowValue?.value ?? 0) },
          ],
          highlight: [capitalize(high.label)],
          order: 'value-desc',
          valueTitle: capitalize(String(fact.data.stem)),
          categoryTitle: '',
          format: high.format,
          showValues: true,
        }),
      ];
    }
    case 'distribution':
      return [];
    default:
      return overviewCharts(fact, words, described);
  }
}

/** A measure over time with the fact's member highlighted (exceptions) or its moments marked (records, latest change). */
function seriesChart(fact: Fact, words: Vocabulary, described: { title: string; summary: string }): ChartSpec {
  const measure = words.measure(fact.measureId);
  const granularity = fact.data.granularity as Granularity;
  const points = fact.data.points as Point[];
  const member = fact.type === 'pattern_exception' ? String(fact.data.member) : null;
  const lines = member ? siblingLines(fact, member, points) : [{ member: capitalize(measure.label), points }];
  const marks: { x: string; y: number; label: string }[] = [];
  if (fact.type === 'latest_change' && points.length > 0) {
    const last = points[points.length - 1]!;
    marks.push({
      x: xOf(last.t, granularity),
      y: last.value,
      label: `${claim(fact, 'period')}: ${claim(fact, 'value')}`,
    });
  }
  if (fact.type === 'streak') {
    const start = points[Number(fact.data.start)];
    const end = points[Number(fact.data.end)];
    if (start) marks.push({ x: xOf(start.t, granularity), y: start.value, label: claim(fact, 'startValue') });
    if (end) marks.push({ x: xOf(end.t, granularity), y: end.value, label: claim(fact, 'endValue') });
  }
  return lineChart({
    title: described.title,
    subtitle: `${capitalize(measure.label)} per ${granularity}${member ? `, by ${words.singular(fact.dimension)}` : ''}`,
    alt: described.summary,
    points: lines.flatMap((line) =>
      line.points.map((p) => ({ x: xOf(p.t, granularity), y: p.value, series: line.member })),
    ),
    xType: xTypeOf(granularity),
    highlightSeries: [member ?? capitalize(measure.label)],
    marks,
    yTitle: capitalize(measure.label),
    format: measure.format,
  });
}

function scatterFor(
  fact: Fact,
  words: Vocabulary,
  described: { title: string; summary: string },
  colorBy: string | null,
): ChartSpec {
  const a = words.measure(String(fact.data.a));
  const b = words.measure(String(fact.data.b));
  const points = ((fact.data.points as { x: number; y: number; group?: string }[] | undefined) ?? []).map((p) => ({
    ...p,
  }));
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.x, 0) / Math.max(1, n);
  const meanY = points.reduce((s, p) => s + p.y, 0) / Math.max(1, n);
  const sxx = points.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
  const slope = sxx > 0 ? points.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0) / sxx : 0;
  const xs = points.map((p) => p.x);
  const x1 = Math.min(...xs);
  const x2 = Math.max(...xs);
  return scatterChart({
    title: described.title,
    subtitle: `${capitalize(a.label)} against ${b.label}, one point per ${fact.data.daily ? 'day' : 'row'}${colorBy ? `, coloured by ${words.singular(colorBy)}` : ''}`,
    alt: described.summary,
    points,
    ...(n >= 2 && !colorBy
      ? {
          fit: {
            x1,
            y1: meanY + slope * (x1 - meanX),
            x2,
            y2: meanY + slope * (x2 - meanX),
            label: `r = ${has(fact, 'r') ? claim(fact, 'r') : ''}`,
          },
        }
      : {}),
    xTitle: capitalize(a.label) + (a.unit ? ` (${a.unit})` : ''),
    yTitle: capitalize(b.label) + (b.unit ? ` (${b.unit})` : ''),
    xFormat: a.format,
    format: b.format,
  });
}

function overviewCharts(fact: Fact, words: Vocabulary, described: { title: string; summary: string }): ChartSpec[] {
  const measure = words.measure(fact.measureId);
  if (fact.data.kind === 'breakdown') {
    const members = fact.data.members as { member: string; value: number }[];
    return [
      barChart({
        title: described.title,
        alt: described.summary,
        data: members.map((m) => ({ label: m.member, value: m.value })),
        order: 'value-desc',
        valueTitle: capitalize(measure.label),
        format: measure.format,
      }),
    ];
  }
  if (fact.data.kind === 'timeline') {
    const points = fact.data.points as Point[];
    const granularity = fact.data.granularity;
    return [
      lineChart({
        title: described.title,
        alt: described.summary,
        points: points.map((p) => ({ x: xOf(p.t, granularity), y: p.value })),
        xType: xTypeOf(granularity),
        yTitle: capitalize(measure.label),
        format: measure.format,
      }),
    ];
  }
  return [];
}

/** A predictor level of an outcome driver: a value (tickets = 2), or a range of values when binned. */
export interface PredictorLevel {
  x: number;
  n: number;
  rate: number;
  label?: string;
}

/** An outcome driver's levels as bars (25 at most), and how a title names them: by value or by range. */
export function predictorBars(fact: Fact, value: (level: PredictorLevel) => number) {
  const levels = fact.data.levels as PredictorLevel[];
  return {
    levels,
    by: levels.some((level) => level.label) ? 'by ranges of' : 'at each value of',
    data: levels
      .slice(0, 25)
      .map((level) => ({ label: level.label ?? String(Number(level.x.toFixed(2))), value: value(level) })),
  };
}
