import { describe, expect, it } from 'vitest';
import { overlap } from '../src/insights/angles.ts';
import { verifyNarrative } from '../src/insights/verify.ts';
import { mulberry32, normalGenerator } from '../src/stats/index.ts';
import { analyseLines } from './helpers/analyse.ts';

/** An ISO date `days` after 1 January of `year`. */
const dayOf = (year: number, days: number) => new Date(Date.UTC(year, 0, 1 + days)).toISOString().slice(0, 10);
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const average = (xs: number[]) => sum(xs) / xs.length;

describe('session 33: a shop’s week inside its year, and what its total is made of', () => {
  /**
   * Two years of order lines of a sports shop: a December peak, Saturdays 80% busier than weekdays and
   * Sundays near closed (web orders only); Footwear sells a third of the money across six categories.
   */
  const orders = () => {
    const random = mulberry32(3301);
    const normal = normalGenerator(random);
    const categories: [string, number][] = [
      ['Footwear', 0.34],
      ['Ski', 0.22],
      ['Apparel', 0.16],
      ['Camping', 0.12],
      ['Climbing', 0.09],
      ['Accessories', 0.07],
    ];
    const lines = ['order_date,store,product_category,net_amount_eur'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const weekday = weekdayOf(date);
      const month = Number(date.slice(5, 7));
      const season = month === 12 ? 1.6 : month === 11 ? 1.3 : 1;
      const day = weekday === 6 ? 1.8 : weekday === 0 ? 0.3 : 1;
      const count = Math.max(1, Math.round(40 * season * day * (1 + 0.08 * normal())));
      for (let i = 0; i < count; i++) {
        const pick = random();
        let cumulative = 0;
        const category =
          categories.find(([, share]) => {
            cumulative += share;
            return pick < cumulative;
          })?.[0] ?? 'Accessories';
        const store = ['Graz', 'Linz', 'Wien'][Math.floor(random() * 3)]!;
        lines.push(`${date},${store},${category},${(60 * Math.exp(0.3 * normal())).toFixed(2)}`);
      }
    }
    return lines;
  };

  it('tells the Saturday peak against the average weekday inside the yearly story, and the largest category', async () => {
    const lines = orders();
    const { found, stories, names } = await analyseLines('shop-week', lines);
    const season = found.angles.find((a) => a.lead.type === 'seasonality' && a.lead.data.cycle === 'month');
    expect(season).toBeDefined();
    expect(season!.support.some((f) => f.type === 'seasonality' && f.data.cycle === 'weekday')).toBe(true);
    const story = stories[found.angles.indexOf(season!)]!;
    // Saturday against the average Monday–Friday day, from the rows.
    const byDay = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const [date, , , amount] = line.split(',');
      byDay.set(date!, (byDay.get(date!) ?? 0) + Number(amount));
    }
    const days = [...byDay];
    const saturday = average(days.filter(([d]) => weekdayOf(d) === 6).map(([, v]) => v));
    const weekdays = average(
      [1, 2, 3, 4, 5].map((w) => average(days.filter(([d]) => weekdayOf(d) === w).map(([, v]) => v))),
    );
    const pct = ((saturday / weekdays - 1) * 100).toFixed(1);
    expect(story.narrative).toContain(`peaks on Saturdays, ${pct}% above the average weekday`);
    expect(story.narrative).not.toMatch(/higher on weekends than on weekdays/);
    // What the total is made of: Footwear's share of the money.
    const total = sum(lines.slice(1).map((l) => Number(l.split(',')[3])));
    const footwear = sum(
      lines
        .slice(1)
        .filter((l) => l.split(',')[2] === 'Footwear')
        .map((l) => Number(l.split(',')[3])),
    );
    expect(story.narrative).toContain(
      `The largest product category is Footwear (${((footwear / total) * 100).toFixed(1)}% of it)`,
    );
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 33: money set by a tariff, and states that leave nothing to measure', () => {
  /**
   * Rentals of three vehicle types, each priced €1 to unlock plus a rate per minute (cents of noise);
   * failed unlocks ride no minutes and cost nothing. One city's rentals run 30% higher in every hour.
   */
  const rentals = () => {
    const random = mulberry32(3302);
    const normal = normalGenerator(random);
    const types: [string, number][] = [
      ['e-scooter', 0.25],
      ['e-bike', 0.22],
      ['e-moped', 0.39],
    ];
    const lines = ['started_at,city,vehicle_type,status,duration_min,cost_eur'];
    for (let d = 0; d < 120; d++) {
      for (let h = 0; h < 24; h++) {
        const busy = h >= 7 && h <= 20 ? 6 : 1;
        for (const city of ['Lisbon', 'Milan', 'Vienna']) {
          const count = Math.round(busy * (city === 'Milan' ? 1.3 : 1) * (1 + 0.3 * random()));
          for (let i = 0; i < count; i++) {
            const [type, perMinute] = types[Math.floor(random() * 3)]!;
            const at = `${dayOf(2024, d)} ${String(h).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`;
            if (random() < 0.06) {
              lines.push(`${at},${city},${type},unlock_failed,0,0`);
              continue;
            }
            const minutes = Math.max(1, Math.round(12 * Math.exp(0.5 * normal())));
            const cost = 1 + perMinute * minutes + 0.05 * normal();
            lines.push(`${at},${city},${type},completed,${minutes},${cost.toFixed(2)}`);
          }
        }
      }
    }
    return lines;
  };

  it('weighs the tariff down as a finding and tells no duration gap by status', async () => {
    const { found } = await analyseLines('tariff', rentals());
    const link = found.facts.find(
      (f) => f.type === 'correlation' && f.columns.includes('cost_eur') && f.columns.includes('duration_min'),
    );
    expect(link?.data.priced).toBe(true);
    expect(link!.surprise).toBeLessThanOrEqual(0.4);
    expect(found.angles[0]!.lead.id).not.toBe(link!.id);
    expect(
      found.facts.some(
        (f) => f.type === 'segment_difference' && f.dimension === 'status' && f.measureId === 'duration_min',
      ),
    ).toBe(false);
  });
});

describe('session 33: rates the file holds only as two columns', () => {
  /** Card payments: a fee per payment, Commercial cards charged 2.7% of the amount and Debit 0.4%. */
  const payments = () => {
    const random = mulberry32(3303);
    const normal = normalGenerator(random);
    const cards: [string, number][] = [
      ['Debit', 0.004],
      ['Credit', 0.012],
      ['Commercial', 0.027],
      ['Prepaid', 0.009],
    ];
    const lines = ['txn_date,merchant_category,card_type,amount_eur,fee_eur'];
    for (let d = 0; d < 90; d++)
      for (let i = 0; i < 60; i++) {
        const [card, rate] = cards[Math.floor(random() * 4)]!;
        const amount = 40 * Math.exp(0.8 * normal());
        const category = ['Grocery', 'Travel', 'Fuel', 'Dining'][Math.floor(random() * 4)];
        lines.push(`${dayOf(2024, d)},${category},${card},${amount.toFixed(2)},${(amount * rate + 0.05).toFixed(2)}`);
      }
    return lines;
  };

  it('reads the fee as a share of the amount, a ratio of sums, and finds its gap by card type', async () => {
    const lines = payments();
    const { found } = await analyseLines('card-fees', lines);
    const rate = found.profile.measures.find((m) => m.id === 'fee_eur/amount_eur');
    expect(rate?.aggregation).toBe('rate');
    const gap = found.facts.find(
      (f) => f.type === 'segment_difference' && f.measureId === rate!.id && f.dimension === 'card_type',
    );
    expect(gap?.data.member).toBe('Commercial');
    const rows = lines.slice(1).map((l) => l.split(','));
    const commercial = rows.filter((r) => r[2] === 'Commercial');
    const expected = sum(commercial.map((r) => Number(r[4]))) / sum(commercial.map((r) => Number(r[3])));
    expect(Number(gap!.claims.memberValue?.value)).toBeCloseTo(expected, 6);
  });

  /**
   * Eight departments × 48 months: admissions, and readmissions within 30 days at each department's own rate
   * (Geriatrics 19%). Orthopaedics' admissions step up 50% from April 2023, its readmissions with them.
   */
  const hospital = () => {
    const random = mulberry32(3304);
    const normal = normalGenerator(random);
    const departments: [string, number, number][] = [
      ['Cardiology', 520, 0.1],
      ['Geriatrics', 300, 0.19],
      ['Orthopaedics', 310, 0.05],
      ['Paediatrics', 280, 0.035],
      ['Oncology', 240, 0.12],
      ['Surgery', 450, 0.08],
      ['Neurology', 200, 0.09],
      ['Internal Medicine', 900, 0.11],
    ];
    const lines = ['Month,Department,Admissions,Readmissions 30d'];
    for (let m = 0; m < 48; m++) {
      const month = `${2021 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (const [name, base, rate] of departments) {
        const stepped = name === 'Orthopaedics' && month >= '2023-04' ? 1.5 : 1;
        const admissions = Math.round(base * stepped * (1 + 0.04 * normal()));
        const readmissions = Math.round(admissions * rate * (1 + 0.08 * normal()));
        lines.push(`${month},${name},${admissions},${readmissions}`);
      }
    }
    return lines;
  };

  it('makes readmissions a rate of admissions and tells the step by the admissions, not the readmissions', async () => {
    const { found } = await analyseLines('readmissions', hospital());
    expect(found.profile.measures.some((m) => m.id === 'Readmissions 30d/Admissions' && m.aggregation === 'rate')).toBe(
      true,
    );
    const steps = found.facts.filter((f) => f.type === 'change_point' && f.subspace?.member === 'Orthopaedics');
    expect(steps.some((f) => f.measureId === 'Admissions')).toBe(true);
    expect(steps.some((f) => f.measureId === 'Readmissions 30d')).toBe(false);
    expect(
      found.facts.some(
        (f) =>
          f.type === 'segment_difference' &&
          f.measureId === 'Readmissions 30d/Admissions' &&
          f.data.member === 'Geriatrics',
      ),
    ).toBe(true);
  });

  /**
   * Twelve business units × 24 quarters in four segments: revenue, all their costs and their staff (FTE).
   * Technical units keep 19% of revenue, Cleaning 5%; revenue per FTE rises 28% over the six years.
   */
  const units = () => {
    const random = mulberry32(3305);
    const normal = normalGenerator(random);
    const segments: [string, number, number][] = [
      ['Technical', 0.19, 36],
      ['Cleaning', 0.05, 12],
      ['Security', 0.09, 18],
      ['Catering', 0.07, 19],
    ];
    const lines = ['quarter,business_unit,segment,revenue_keur,cost_keur,headcount_fte'];
    for (let q = 0; q < 24; q++) {
      const quarter = `${2019 + Math.floor(q / 4)}-Q${(q % 4) + 1}`;
      for (const [segment, margin, perHead] of segments)
        for (const unit of ['North', 'South', 'West']) {
          const fte = 300 * (1 + 0.05 * normal());
          const revenue = fte * perHead * (1 + (0.28 * q) / 23) * (1 + 0.02 * normal());
          const cost = revenue * (1 - margin - 0.01 * normal());
          lines.push(
            `${quarter},${segment} ${unit},${segment},${revenue.toFixed(1)},${cost.toFixed(1)},${fte.toFixed(1)}`,
          );
        }
    }
    return lines;
  };

  it('reads a margin from revenue and all costs, and revenue per FTE followed over time', async () => {
    const lines = units();
    const { found } = await analyseLines('units', lines);
    const margin = found.profile.measures.find((m) => m.label === 'margin');
    expect(margin?.aggregation).toBe('rate');
    const gap = found.facts.find(
      (f) => f.type === 'segment_difference' && f.measureId === margin!.id && f.dimension === 'segment',
    );
    expect(gap?.data.member).toBe('Technical');
    const rows = lines.slice(1).map((l) => l.split(','));
    const technical = rows.filter((r) => r[2] === 'Technical');
    const revenue = sum(technical.map((r) => Number(r[3])));
    expect(Number(gap!.claims.memberValue?.value)).toBeCloseTo(
      (revenue - sum(technical.map((r) => Number(r[4])))) / revenue,
      6,
    );
    const perFte = found.profile.measures.find((m) => m.label === 'revenue per FTE');
    expect(perFte).toBeDefined();
    expect(found.facts.some((f) => f.type === 'trend' && f.measureId === perFte!.id && !f.subspace)).toBe(true);
  });
});

describe('session 33: an inventory valued in euros', () => {
  /**
   * One row per SKU: stock units, unit cost, stock value (their product), a reorder level set from the
   * demand (× 12 days), and stock-outs at one supplier five times as often.
   */
  const inventory = () => {
    const random = mulberry32(3306);
    const normal = normalGenerator(random);
    const categories: [string, number, number][] = [
      ['Fasteners', 900, 0.4],
      ['Hydraulics', 40, 180],
      ['Filters', 120, 25],
      ['Seals', 300, 6],
      ['Bearings', 150, 30],
    ];
    const lines = [
      'SKU;Category;Supplier;Stock Units;Reorder Level;Unit Cost (EUR);Stock Value (EUR);Avg Daily Demand;Stockout',
    ];
    for (let i = 0; i < 1500; i++) {
      const [category, units, cost] = categories[i % 5]!;
      const supplier = ['Asia Parts', 'Kessler', 'Brixton', 'Nordic'][Math.floor(random() * 4)]!;
      const out = random() < (supplier === 'Asia Parts' ? 0.3 : 0.06);
      const stock = out ? 0 : Math.round(units * Math.exp(0.5 * normal()));
      const unitCost = cost * Math.exp(0.3 * normal());
      const demand = (units / 30) * Math.exp(0.4 * normal());
      const de = (x: number, digits: number) => x.toFixed(digits).replace('.', ',');
      lines.push(
        `SP-${100000 + i};${category};${supplier};${stock};${Math.round(demand * 12)};${de(unitCost, 2)};${de(stock * unitCost, 2)};${de(demand, 2)};${out ? 'Yes' : 'No'}`,
      );
    }
    return lines;
  };

  it('averages the unit cost, ranks the stock by value before pieces, and reads the reorder rule as no finding', async () => {
    const { found } = await analyseLines('inventory', inventory());
    expect(found.profile.measures.find((m) => m.id === 'Unit Cost (EUR)')?.aggregation).toBe('mean');
    const pieces = found.facts.find((f) => f.type === 'leader' && f.measureId === 'Stock Units');
    expect(pieces === undefined || pieces.surprise <= 0.6).toBe(true);
    const rule = found.facts.find(
      (f) => f.type === 'correlation' && f.columns.includes('Reorder Level') && f.columns.includes('Avg Daily Demand'),
    );
    expect(rule === undefined || rule.surprise <= 0.5).toBe(true);
    expect(found.angles.some((a) => a.lead.measureId === 'Stockout:rate' && a.lead.dimension === 'Supplier')).toBe(
      true,
    );
  });

  it('keeps two gaps in two measures by two breakdowns apart as two stories', async () => {
    const { found } = await analyseLines('inventory-gaps', inventory());
    const gaps = found.facts.filter((f) => f.type === 'segment_difference' && !f.data.experiment);
    const a = gaps.find((f) => f.dimension === 'Supplier');
    const b = gaps.find((f) => f.dimension === 'Category' && f.measureId !== a?.measureId);
    expect(a && b).toBeTruthy();
    const angle = (lead: NonNullable<typeof a>) => ({
      id: lead.id,
      lead,
      support: [],
      score: lead.score,
      strength: lead.strength,
    });
    expect(overlap(angle(a!), angle(b!), found.profile.hierarchy)).toBeLessThanOrEqual(0.2);
  });
});

describe('session 33: a log that nearly stopped for a day, and a week off its weekdays', () => {
  /**
   * Days of payments, ~160 a weekday and half that at weekends: 120 days where on day 60 the log nearly
   * stops (15), or 70 days with five busy ones (×1.7) from Saturday, February 3.
   */
  const payments = (episode: boolean) => {
    const random = mulberry32(3307);
    const normal = normalGenerator(random);
    const lines = ['txn_date,merchant_category,amount_eur'];
    for (let d = 0; d < (episode ? 70 : 120); d++) {
      const date = dayOf(2024, d);
      const weekend = [0, 6].includes(weekdayOf(date)) ? 0.5 : 1;
      const busy = episode && d >= 33 && d < 38 ? 1.7 : 1;
      const count = !episode && d === 60 ? 15 : Math.round(160 * weekend * busy * (1 + 0.05 * normal()));
      for (let i = 0; i < count; i++)
        lines.push(
          `${date},${['Grocery', 'Fuel', 'Travel'][Math.floor(random() * 3)]},${(30 * Math.exp(0.6 * normal())).toFixed(2)}`,
        );
    }
    return lines;
  };

  it('puts the day the whole log nearly stopped among its stories', async () => {
    const { found } = await analyseLines('outage-day', payments(false));
    const dip = found.facts.find((f) => f.type === 'spike' && !f.subspace && f.measureId === '__rows');
    expect(String(dip?.data.at).slice(0, 10)).toBe(dayOf(2024, 60));
    // Back on the Saturday after, at a Saturday's level.
    expect(dip!.data.recovered).toBe(true);
    expect(dip!.surprise).toBeGreaterThanOrEqual(1.25);
    expect(found.angles.some((a) => !a.lead.subspace && String(a.lead.data.at).slice(0, 10) === dayOf(2024, 60))).toBe(
      true,
    );
  });

  it('finds five busy days against their own weekdays, the expected level told with its weekends put back', async () => {
    const lines = payments(true);
    const { found } = await analyseLines('busy-week', lines);
    const episode = found.facts.find(
      (f) => f.type === 'spike' && !f.subspace && f.measureId === '__rows' && f.data.episode,
    );
    expect(String(episode?.data.at).slice(0, 10)).toBe(dayOf(2024, 33));
    const counts = new Map<string, number>();
    for (const line of lines.slice(1)) counts.set(line.slice(0, 10), (counts.get(line.slice(0, 10)) ?? 0) + 1);
    const inside = Array.from({ length: 5 }, (_, k) => counts.get(dayOf(2024, 33 + k))!);
    expect(Number(episode!.claims.value?.value)).toBeCloseTo(average(inside), 6);
    // Two weekend days among the five: the expectation sits below a weekday's level.
    const weekdayLevel = average([...counts].filter(([d]) => ![0, 6].includes(weekdayOf(d))).map(([, c]) => c));
    expect(Number(episode!.claims.expected?.value)).toBeLessThan(0.9 * weekdayLevel);
  });
});

describe('session 33: a subscription business by plan and channel', () => {
  /**
   * 47 months of three plans × four channels: new subscribers peak in January, cancellations run at 2% of
   * the active base a month (Telco Bundle from 2.5% up to 6.4%), Plus and Family raise prices 30% in April
   * 2023 while Basic keeps growing steadily; the last month is a partial export (a third of its flows).
   */
  const subscriptions = () => {
    const random = mulberry32(3308);
    const normal = normalGenerator(random);
    const lines = ['month,plan,channel,new_subscribers,cancellations,active_subscribers,mrr_eur'];
    const plans: [string, number][] = [
      ['Basic', 4.99],
      ['Plus', 9.99],
      ['Family', 14.99],
    ];
    const channels = ['App Store', 'Google Play', 'Web', 'Telco Bundle'];
    const active = new Map<string, number>();
    for (let m = 0; m < 47; m++) {
      const month = `${2021 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      const partial = m === 46 ? 0.33 : 1;
      for (const [plan, price] of plans)
        for (const channel of channels) {
          const key = `${plan}|${channel}`;
          const base = active.get(key) ?? 3000;
          const january = month.endsWith('-01') ? 2.2 : 1;
          const joined = Math.round(150 * january * (1 + 0.1 * normal()) * partial);
          const churn = channel === 'Telco Bundle' ? 0.025 + (0.039 * m) / 46 : 0.02;
          const left = Math.round(base * churn * (1 + 0.1 * normal()) * partial);
          const now = base + joined - left;
          active.set(key, now);
          const raised = plan !== 'Basic' && month >= '2023-04' ? 1.3 : 1;
          lines.push(`${month},${plan},${channel},${joined},${left},${now},${(now * price * raised).toFixed(2)}`);
        }
    }
    return lines;
  };

  it('reads new subscribers as a flow, the cut-short last month, and cancellations as a rate of the active base', async () => {
    const { found, stories } = await analyseLines('subscriptions', subscriptions());
    const measures = found.profile.measures;
    expect(measures.find((m) => m.id === 'new_subscribers')?.stockPer).toBeUndefined();
    expect(measures.find((m) => m.id === 'active_subscribers')?.stockPer).toBe('month');
    const rate = measures.find((m) => m.id === 'cancellations/active_subscribers');
    expect(rate?.label).toBe('cancellation rate');
    expect(stories.some((s) => /November 2024 is only partly (in the file|covered)/.test(s.narrative))).toBe(true);
    expect(stories.some((s) => /November 2024, the latest complete month/.test(s.narrative))).toBe(false);
    expect(
      found.facts.some((f) => f.type === 'trend' && f.measureId === rate!.id && f.subspace?.member === 'Telco Bundle'),
    ).toBe(true);
    // Basic never stepped: its ratio to the plans that raised prices fell while its own MRR kept growing.
    expect(found.facts.some((f) => f.type === 'change_point' && f.subspace?.member === 'Basic')).toBe(false);
    // The active base's yearly rhythm is what the January sign-ups put in: weighed below theirs.
    const stock = found.facts.find((f) => f.type === 'seasonality' && f.measureId === 'active_subscribers');
    expect(stock === undefined || stock.surprise <= 0.7).toBe(true);
  });
});

describe('session 33: a long table in one stated unit', () => {
  /** Employment by year × country × sector in "thousand persons" on every row. */
  const employment = () => {
    const random = mulberry32(3309);
    const normal = normalGenerator(random);
    const lines = ['year,country,sector,value,unit'];
    const countries: [string, number][] = [
      ['Germany', 40000],
      ['France', 27000],
      ['Poland', 16000],
      ['Austria', 4300],
      ['Ireland', 2400],
      ['Czechia', 5000],
    ];
    const sectors: [string, number, number][] = [
      ['Agriculture', 0.05, -0.01],
      ['Manufacturing', 0.2, -0.015],
      ['Construction', 0.07, 0.005],
      ['Trade', 0.25, 0.01],
      ['Services', 0.43, 0.02],
    ];
    for (let y = 2008; y <= 2023; y++)
      for (const [country, size] of countries)
        for (const [sector, share, growth] of sectors) {
          const value = size * share * (1 + growth) ** (y - 2008) * (1 + 0.01 * normal());
          lines.push(`${y},${country},${sector},${value.toFixed(1)},thousand persons`);
        }
    return lines;
  };

  it('adds the values up as a head count at each year, told in the stated unit', async () => {
    const lines = employment();
    const { found, stories } = await analyseLines('employment', lines);
    const value = found.profile.measures.find((m) => m.id === 'value');
    expect(value?.aggregation).toBe('sum');
    expect(value?.stockPer).toBe('year');
    expect(value?.unit).toBe('thousand persons');
    expect(stories.some((s) => /\d thousand persons/.test(s.narrative))).toBe(true);
  });
});

describe('session 33: a region that shrank while the others grew, under a Christmas peak', () => {
  /**
   * Three years of weekly sales of twelve stores in four regions, December 3× a usual week: the nine
   * stores outside Scotland grow ~20% over the span, the three Scottish stores shrink ~14%.
   */
  const shops = () => {
    const random = mulberry32(3310);
    const normal = normalGenerator(random);
    const regions: [string, string[], number][] = [
      ['Scotland', ['Edinburgh', 'Glasgow', 'Aberdeen'], -0.14],
      ['Midlands', ['Birmingham', 'Nottingham', 'Leicester'], 0.2],
      ['North England', ['Manchester', 'Leeds', 'Newcastle'], 0.19],
      ['South East', ['Brighton', 'Reading', 'Guildford'], 0.25],
    ];
    const lines = ['week_start,store,region,revenue_gbp'];
    for (let w = 0; w < 156; w++) {
      const date = dayOf(2022, 2 + 7 * w);
      const month = Number(date.slice(5, 7));
      const season = month === 12 ? 3 : month === 11 ? 1.6 : 1;
      for (const [region, stores, growth] of regions)
        for (const store of stores) {
          const trend = 1 + (growth * w) / 155;
          lines.push(`${date},${store},${region},${(8000 * season * trend * (1 + 0.12 * normal())).toFixed(2)}`);
        }
    }
    return lines;
  };

  it('finds Scotland the exception by region, not one of its stores, and tells no January-to-December value of it', async () => {
    const { found, stories } = await analyseLines('shops-exception', shops());
    const exceptions = found.facts.filter((f) => f.type === 'pattern_exception' && f.measureId === 'revenue_gbp');
    expect(exceptions.some((f) => f.dimension === 'region' && f.data.member === 'Scotland')).toBe(true);
    expect(exceptions.some((f) => f.dimension === 'store')).toBe(false);
    const share = found.facts.find((f) => f.type === 'share_shift' && f.subspace?.member === 'Scotland');
    if (share) expect(share.claims.firstValue).toBeUndefined();
    for (const s of stories) expect(s.narrative).not.toMatch(/although its own revenue grew/);
  });
});

describe('session 33: an experiment whose money few users bring', () => {
  /**
   * 30,000 users in two arms: the banner lifts conversion from 3.7% to 4.6% overall but lowers it on tablets;
   * a converted user pays €20–€60, and one in twenty-five of them buys a policy of €300–€1,700.
   */
  const experiment = () => {
    const random = mulberry32(3311);
    const lines = ['user_id,variant,device,converted,revenue_eur'];
    for (let i = 0; i < 30000; i++) {
      const variant = random() < 0.5 ? 'control' : 'upsell_banner';
      const r = random();
      const device = r < 0.6 ? 'mobile' : r < 0.85 ? 'desktop' : 'tablet';
      const rate = device === 'tablet' ? (variant === 'control' ? 0.047 : 0.03) : variant === 'control' ? 0.035 : 0.05;
      const converted = random() < rate;
      const revenue = !converted ? 0 : random() < 0.25 ? 300 + 1400 * random() : 20 + 40 * random();
      lines.push(`U${100000 + i},${variant},${device},${converted ? 'yes' : 'no'},${revenue.toFixed(2)}`);
    }
    return lines;
  };

  it('tells that the top hundredth of users hold most of the revenue, and no second story of the tablet reversal', async () => {
    const lines = experiment();
    const { found, stories, names } = await analyseLines('upsell', lines);
    const few = found.facts.find((f) => f.type === 'distribution' && f.measureId === 'revenue_eur');
    expect(few?.data.fewPayers).toBe(true);
    const revenue = lines
      .slice(1)
      .map((l) => Number(l.split(',')[4]))
      .sort((a, b) => b - a);
    const share = sum(revenue.slice(0, 300)) / sum(revenue);
    expect(Number(few!.claims.topShare?.value)).toBeCloseTo(share * 100, 6);
    expect(found.angles.some((a) => a.lead.id === few!.id)).toBe(true);
    const test = found.angles[0]!;
    expect(test.lead.data.experiment).toBe(true);
    const reversal = found.angles.find((a) => a.lead.type === 'interaction' && a.lead.data.reverses === true);
    expect(reversal === undefined || !test.support.some((f) => f.id === reversal.lead.id)).toBe(true);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 33: a staff survey of seven items', () => {
  /**
   * 1,650 answers on seven 1–5 items and a 0–10 recommendation: Ground Operations about 0.6 lower on every
   * item; scores fall with tenure band; age band follows tenure band (older staff have served longer) and
   * has no effect of its own.
   */
  const survey = () => {
    const random = mulberry32(3312);
    const normal = normalGenerator(random);
    const departments = [
      'Ground Operations',
      'Cabin Crew',
      'Flight Deck',
      'Head Office',
      'Customer Service',
      'Maintenance',
    ];
    const tenures = ['<1 yr', '1-3 yrs', '3-5 yrs', '5-10 yrs', '10+ yrs'];
    const ages = ['18-24', '25-34', '35-44', '45-54', '55+'];
    const items = ['q1_workload', 'q2_roster', 'q3_manager', 'q4_recognition', 'q5_career', 'q6_safety', 'q7_tools'];
    const lines = [`respondent_id,department,tenure_band,age_band,${items.join(',')},nps_0_10`];
    const clamp = (x: number) => Math.max(1, Math.min(5, Math.round(x)));
    for (let i = 0; i < 1650; i++) {
      const department = departments[Math.floor(random() * departments.length)]!;
      const t = Math.floor(random() * 5);
      const a = Math.max(0, Math.min(4, t + Math.round(normal() * 0.8)));
      const base = 3.3 - 0.17 * t - (department === 'Ground Operations' ? 0.6 : 0);
      const scores = items.map(() => clamp(base + normal() * 0.9));
      const nps = Math.max(0, Math.min(10, Math.round(2 * base + normal() * 1.5)));
      lines.push(`R-${10000 + i},${department},${tenures[t]},${ages[a]},${scores.join(',')},${nps}`);
    }
    return lines;
  };

  it('reads the items as one index, Ground Operations lowest on most of them, and age as tenure’s echo', async () => {
    const lines = survey();
    const { found } = await analyseLines('staff-survey', lines);
    const index = found.profile.measures.find((m) => m.id === 'survey-index');
    expect(index?.columns).toHaveLength(7);
    expect(index?.label).toBe('average item score');
    const ground = found.facts.find(
      (f) => f.type === 'segment_difference' && f.measureId === 'survey-index' && f.dimension === 'department',
    );
    expect(ground?.data.member).toBe('Ground Operations');
    expect(Number(ground!.claims.itemsAlike?.value)).toBeGreaterThanOrEqual(5);
    // Each respondent's mean of the items answered, Ground Operations' average of them.
    const rows = lines.slice(1).map((l) => l.split(','));
    const own = rows.filter((r) => r[1] === 'Ground Operations').map((r) => average(r.slice(4, 11).map(Number)));
    expect(Number(ground!.claims.memberValue?.value)).toBeCloseTo(average(own), 6);
    const byAge = found.facts.find(
      (f) => f.type === 'segment_difference' && f.measureId === 'survey-index' && f.dimension === 'age_band',
    );
    expect(byAge === undefined || byAge.data.echoOf === true).toBe(true);
  });
});

describe('session 33: the record cell of a panel', () => {
  /** Twelve teams × six seasons of player rows; one team's 2022 season brings twice its usual goals. */
  const league = () => {
    const random = mulberry32(3313);
    const normal = normalGenerator(random);
    const lines = ['season,team,player,goals'];
    for (let season = 2019; season <= 2024; season++)
      for (let team = 0; team < 12; team++) {
        const strength = 1 + 0.04 * team;
        const record = team === 5 && season === 2022 ? 2 : 1;
        for (let player = 0; player < 20; player++) {
          const goals = Math.max(0, Math.round(3 * strength * record * (1 + 0.3 * normal())));
          lines.push(`${season},Team ${String.fromCharCode(65 + team)},P${team}-${player},${goals}`);
        }
      }
    return lines;
  };

  it('names the one team-season above every other, with the next best anywhere', async () => {
    const lines = league();
    const { found, stories, names } = await analyseLines('league-record', lines);
    const record = found.facts.find((f) => f.data.recordCell === true);
    expect(record?.subspace?.member).toBe('Team F');
    expect(String(record!.data.at).slice(0, 4)).toBe('2022');
    const cells = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const [season, team, , goals] = line.split(',');
      cells.set(`${team}|${season}`, (cells.get(`${team}|${season}`) ?? 0) + Number(goals));
    }
    const [top, second] = [...cells.values()].sort((a, b) => b - a);
    expect(Number(record!.claims.value?.value)).toBe(top);
    expect(Number(record!.claims.secondValue?.value)).toBe(second);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 33: long tables whose parts behave apart', () => {
  /**
   * Employment by year × country × sector: Manufacturing falls ~30% in every country but Poland, where it
   * rises 50%; the other sectors grow everywhere.
   */
  const employment = () => {
    const random = mulberry32(3314);
    const normal = normalGenerator(random);
    const lines = ['year,country,sector,value'];
    const countries = [
      'Germany',
      'France',
      'Italy',
      'Spain',
      'Poland',
      'Austria',
      'Czechia',
      'Ireland',
      'Sweden',
      'Finland',
    ];
    const sectors = ['Agriculture', 'Manufacturing', 'Construction', 'Trade', 'Services'];
    for (let y = 0; y < 16; y++)
      for (const [c, country] of countries.entries())
        for (const sector of sectors) {
          const size = 1000 * (1 + c);
          const growth =
            sector !== 'Manufacturing'
              ? 1 + (0.2 * y) / 15
              : country === 'Poland'
                ? 1 + (0.5 * y) / 15
                : 1 - (0.3 * y) / 15;
          lines.push(`${2008 + y},${country},${sector},${(size * growth * (1 + 0.02 * normal())).toFixed(1)}`);
        }
    return lines;
  };

  it('finds the country that went against its sector, told inside the sector', async () => {
    const { found, stories, names } = await analyseLines('sector-exception', employment());
    const within = found.facts.find((f) => f.type === 'pattern_exception' && f.data.within !== undefined);
    expect(within?.data.member).toBe('Poland');
    expect(within?.data.within).toEqual({ dimension: 'sector', member: 'Manufacturing' });
    const story = stories.find((s) => s.narrative.includes('Poland went the other way'));
    expect(story?.narrative).toMatch(/Manufacturing value fell in 9 of 10 countries/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  /** Prices by month × city × item, each item in its own unit: eggs jump a third in February 2023 everywhere. */
  const prices = () => {
    const random = mulberry32(3315);
    const normal = normalGenerator(random);
    const lines = ['month,city,item,unit,price_eur'];
    const items: [string, string, number][] = [
      ['Cappuccino', 'cup', 3.2],
      ['Eggs', 'dozen', 3],
      ['Petrol 95', 'litre', 1.7],
      ['Cinema ticket', 'ticket', 11],
    ];
    const cities = ['Dublin', 'Paris', 'Madrid', 'Athens', 'Vienna', 'Lisbon'];
    for (let m = 0; m < 36; m++) {
      const month = `${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (const [c, city] of cities.entries())
        for (const [item, unit, price] of items) {
          const jump = item === 'Eggs' && month >= '2023-02' ? 1.34 : 1;
          const level = price * (1 + 0.05 * c) * (1 + (0.1 * m) / 35) * jump * (1 + 0.01 * normal());
          lines.push(`${month},${city},${item},${unit},${level.toFixed(2)}`);
        }
    }
    return lines;
  };

  it('reads each item in its own unit as a measure of its own, in euros, and finds the eggs’ jump', async () => {
    const { found } = await analyseLines('price-survey', prices());
    const eggs = found.profile.measures.find((m) => m.id === 'item=Eggs');
    expect(eggs?.aggregation).toBe('mean');
    expect(eggs?.format.kind).toBe('currency');
    expect(found.profile.measures.some((m) => m.id === 'price_eur')).toBe(false);
    const moved = found.facts.find(
      (f) => (f.type === 'spike' || f.type === 'change_point') && f.measureId === 'item=Eggs' && !f.subspace,
    );
    expect(String(moved?.data.at).slice(0, 7)).toBe('2023-02');
  });
});

describe('session 33: how often something befalls each unit, and who a total counts', () => {
  /** 15-minute readings of eight trucks for three weeks; a fault code on 0.5% of readings, HT-04's 4%. */
  const trucks = () => {
    const random = mulberry32(3316);
    const normal = normalGenerator(random);
    const lines = ['timestamp,truck_id,speed_kmh,engine_temp_c,fault_code'];
    const start = Date.UTC(2024, 2, 1);
    for (let q = 0; q < 21 * 96; q++) {
      const at = new Date(start + q * 15 * 60e3).toISOString().slice(0, 16).replace('T', ' ');
      for (let t = 1; t <= 8; t++) {
        const truck = `HT-0${t}`;
        const fault = random() < (t === 4 ? 0.04 : 0.005) ? 'E-TEMP' : '';
        lines.push(`${at},${truck},${(30 + 5 * normal()).toFixed(1)},${(86 + 2 * normal()).toFixed(1)},${fault}`);
      }
    }
    return lines;
  };

  it('tells the truck that faults most as news, not as a standing size', async () => {
    const { found } = await analyseLines('truck-faults', trucks());
    const gap = found.facts.find(
      (f) => f.type === 'segment_difference' && f.measureId === 'fault_code:present:rate' && f.dimension === 'truck_id',
    );
    expect(gap?.data.member).toBe('HT-04');
    expect(gap!.surprise).toBeGreaterThanOrEqual(1);
  });

  /** Staff of three levels; men hold most senior posts, so most of the bonus pool; revenue per staff hour. */
  const staff = () => {
    const random = mulberry32(3317);
    const lines = ['employee_id,gender,level,bonus_eur'];
    for (let i = 0; i < 900; i++) {
      const gender = random() < 0.5 ? 'Male' : 'Female';
      const senior = random() < (gender === 'Male' ? 0.3 : 0.1);
      const level = senior ? 'Director' : random() < 0.5 ? 'Manager' : 'Associate';
      const bonus = level === 'Director' ? 40000 : level === 'Manager' ? 8000 : 2000;
      lines.push(`E${1000 + i},${gender},${level},${(bonus * (0.8 + 0.4 * random())).toFixed(0)}`);
    }
    return lines;
  };

  it('weighs a gender "leading" the bonus pool down', async () => {
    const { found } = await analyseLines('bonus-pool', staff());
    const lead = found.facts.find(
      (f) => f.type === 'leader' && f.measureId === 'bonus_eur' && f.dimension === 'gender',
    );
    expect(lead === undefined || lead.surprise <= 0.5).toBe(true);
  });

  it('names revenue per staff hour as such', async () => {
    const random = mulberry32(3318);
    const lines = ['week_start,clinic,region,visits,revenue_gbp,staff_hours'];
    for (let w = 0; w < 30; w++)
      for (let c = 0; c < 8; c++) {
        const hours = 150 + 20 * random();
        const rate = c < 4 ? 80 : 60;
        lines.push(
          `${dayOf(2024, 7 * w)},Clinic ${c},${c < 4 ? 'London' : 'North'},${Math.round(hours * 1.4)},${(hours * rate).toFixed(2)},${hours.toFixed(1)}`,
        );
      }
    const { found } = await analyseLines('clinic-hours', lines);
    expect(found.profile.measures.find((m) => m.id === 'revenue_gbp per staff_hours')?.label).toBe(
      'revenue per staff hour',
    );
  });
});

describe('session 33: a small outlet shut for three weeks', () => {
  it('weighs the closure as a whole event, not by the outlet’s small share', async () => {
    const random = mulberry32(3319);
    const normal = normalGenerator(random);
    const lines = ['date,outlet,gross_sales_eur'];
    for (let d = 0; d < 300; d++) {
      const date = dayOf(2024, d);
      for (let o = 0; o < 7; o++) {
        if (o === 6 && d >= 100 && d < 121) continue;
        const size = o === 6 ? 300 : 900 + 100 * o;
        lines.push(`${date},Outlet ${o},${(size * (1 + 0.1 * normal())).toFixed(2)}`);
      }
    }
    const { found } = await analyseLines('outlet-closure', lines);
    const closure = found.facts.find((f) => f.data.closure && f.subspace?.member === 'Outlet 6');
    expect(String(closure?.data.at ?? '').slice(0, 10)).toBe(dayOf(2024, 100));
    expect(closure!.impact).toBeGreaterThanOrEqual(0.3);
  });
});

describe('session 33: an amount per customer of the base at each moment', () => {
  it('reads a district’s data volume per customer, a ratio of sums, and finds the district that uses most', async () => {
    const random = mulberry32(3320);
    const normal = normalGenerator(random);
    const lines = ['month,district,customers,data_volume_tb'];
    const districts = ['Old Town', 'Harbour', 'University Quarter', 'Westend', 'Northgate', 'Riverside'];
    for (let m = 0; m < 36; m++) {
      const month = `${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (const [d, district] of districts.entries()) {
        const customers = Math.round((5000 + 1500 * d) * (1 + 0.002 * m));
        const perCustomer =
          (district === 'University Quarter' ? 0.31 : 0.2) * (1 + (0.3 * m) / 35) * (1 + 0.03 * normal());
        lines.push(`${month},${district},${customers},${(customers * perCustomer).toFixed(2)}`);
      }
    }
    const { found } = await analyseLines('volume-per-customer', lines);
    const perCustomer = found.profile.measures.find((m) => m.id === 'data_volume_tb per customers');
    expect(perCustomer?.label).toBe('data volume per customer');
    expect(perCustomer?.unit).toBe('TB');
    const gap = found.facts.find((f) => f.type === 'segment_difference' && f.measureId === perCustomer!.id);
    expect(gap?.data.member).toBe('University Quarter');
    const rows = lines.slice(1).map((l) => l.split(','));
    const own = rows.filter((r) => r[1] === 'University Quarter');
    expect(Number(gap!.claims.memberValue?.value)).toBeCloseTo(
      sum(own.map((r) => Number(r[3]))) / sum(own.map((r) => Number(r[2]))),
      6,
    );
  });
});
