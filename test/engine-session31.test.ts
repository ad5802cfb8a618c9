import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/duckdb.ts';
import { readCsv } from '../src/ingest/index.ts';
import { overlap } from '../src/insights/angles.ts';
import { discover } from '../src/insights/engine.ts';
import { nameParts } from '../src/insights/semantics.ts';
import type { Fact } from '../src/insights/types.ts';
import { verifyNarrative } from '../src/insights/verify.ts';
import { mulberry32, normalGenerator } from '../src/stats/index.ts';
import { analyseLines } from './helpers/analyse.ts';

/** An ISO date `days` after 1 January of `year`. */
const dayOf = (year: number, days: number) => new Date(Date.UTC(year, 0, 1 + days)).toISOString().slice(0, 10);

describe('session 31: one member’s own yearly rhythm', () => {
  /**
   * Two years of daily prescriptions in five therapeutic areas; respiratory ones run three times as high in
   * winter as in summer (`winter`), or follow the same flat year as the others.
   */
  const fills = (winter: boolean) => {
    const random = mulberry32(3101);
    const normal = normalGenerator(random);
    const areas = ['Cardiovascular', 'Diabetes', 'Respiratory', 'Dermatology', 'Mental Health'];
    const lines = ['fill_date,therapeutic_area,units,amount_eur'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const month = Number(date.slice(5, 7)) - 1;
      for (const area of areas) {
        // cos peaks in January (month 0) and bottoms in July: 1 ± 0.5 gives three times as many in winter.
        const season = winter && area === 'Respiratory' ? 1 + 0.5 * Math.cos((2 * Math.PI * month) / 12) : 1;
        const count = Math.max(0, Math.round(8 * season + 2.5 * normal()));
        for (let i = 0; i < count; i++) {
          const units = 1 + Math.floor(random() * 3);
          lines.push(`${date},${area},${units},${(units * (12 + 4 * random())).toFixed(2)}`);
        }
      }
    }
    return lines;
  };

  it('tells the member’s winter peak against the other areas’ flat year, every number traced', async () => {
    const { found, stories, names } = await analyseLines('fills', fills(true));
    const cycle = found.facts.find((f) => f.type === 'member_cycle');
    expect(cycle?.subspace?.member).toBe('Respiratory');
    expect(['December', 'January', 'February']).toContain(cycle?.claims.peak?.value);
    expect(['June', 'July', 'August']).toContain(cycle?.claims.trough?.value);
    expect(Number(cycle?.claims.ratio?.value)).toBeGreaterThan(2);
    const angle = found.angles.find((a) => a.lead.type === 'member_cycle');
    expect(angle).toBeDefined();
    // One story of the rhythm, however many measures show it.
    expect(found.angles.filter((a) => a.lead.subspace?.member === 'Respiratory')).toHaveLength(1);
    const story = stories[found.angles.indexOf(angle!)]!;
    expect(story.narrative).toMatch(/yearly cycle of (its|their) own/);
    expect(story.narrative).toMatch(/other therapeutic areas together run only/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  it('finds no rhythm of its own where every area keeps the same flat year', async () => {
    const { found } = await analyseLines('fills-flat', fills(false));
    expect(found.facts.filter((f) => f.type === 'member_cycle')).toEqual([]);
  });
});

describe('session 31: a rate counted only where both of its parts are', () => {
  /**
   * Weekly footfall and transactions at six branches over two years; one branch's footfall counter fails
   * for a week in December 2023 (blank footfall, transactions recorded as usual).
   */
  const branches = (gap: boolean) => {
    const normal = normalGenerator(mulberry32(3102));
    const lines = ['week_start,branch,footfall,transactions'];
    for (let w = 0; w < 104; w++) {
      const week = dayOf(2023, 1 + 7 * w);
      for (const branch of ['Marktplatz', 'Harbour', 'Old Town', 'Station', 'Riverside', 'University']) {
        const footfall = Math.round(5000 * (1 + 0.05 * normal()));
        const transactions = Math.round(footfall * 0.22 * (1 + 0.04 * normal()));
        const blank = gap && branch === 'Marktplatz' && w === 50;
        lines.push(`${week},${branch},${blank ? '' : footfall},${transactions}`);
      }
    }
    return lines;
  };

  it('does not see a conversion spike in the month whose footfall is missing a week', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'branches-')), 'branches.csv');
    fs.writeFileSync(file, `${branches(true).join('\n')}\n`);
    const db = await openDatabase();
    try {
      const reading = await readCsv(db.connection, file, { tableName: 'data' });
      const found = await discover(db.connection, 'data', reading, { sampleRows: 500_000 });
      const rate = found.profile.measures.find((m) => m.aggregation === 'rate' && m.ratio);
      expect(rate?.columns).toEqual(['transactions', 'footfall']);
      // Unpaired, December's transactions over three weeks of footfall put Marktplatz's rate a third higher.
      const spikes = found.facts.filter(
        (f) => f.measureId === rate!.id && ['spike', 'change_point'].includes(f.type) && f.subspace,
      );
      expect(spikes).toEqual([]);
      const branch = found.profile.dimensions.find((d) => d.name === 'branch')!;
      const index = found.profile.measures.indexOf(rate!);
      const months = (await found.queries.memberSeries(branch, 'month')).filter((b) => b.member === 'Marktplatz');
      const december = months.find((b) => b.t.startsWith('2023-12'))!;
      expect(december.values[index]).toBeGreaterThan(0.2);
      expect(december.values[index]).toBeLessThan(0.24);
    } finally {
      db.close();
    }
  });
});

describe('session 31: where a column’s blanks gather', () => {
  /** Twenty provinces every five years; literacy is blank for the same six provinces in 1960 and in 1965. */
  const provinces = () => {
    const normal = normalGenerator(mulberry32(3103));
    const lines = ['province,year,population,literacy_rate'];
    for (let p = 0; p < 20; p++) {
      let population = 200_000 + 50_000 * p;
      for (let year = 1960; year <= 2020; year += 5) {
        population *= 1.05 + 0.02 * normal();
        const literacy = Math.min(99, 40 + (year - 1960) * 0.8 + 3 * normal());
        const blank = p < 6 && year <= 1965;
        lines.push(`Province ${p},${year},${Math.round(population)},${blank ? '' : literacy.toFixed(1)}`);
      }
    }
    return lines;
  };

  it('names no single year when two hold as many blanks each', async () => {
    const { stories } = await analyseLines('provinces', provinces());
    const notes = stories.map((s) => s.narrative.match(/literacy rate in \d+ rows \([^)]*\)/)?.[0]).filter(Boolean);
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).not.toMatch(/of them from/);
  });
});

describe('session 31: few rows, much of the money', () => {
  /** Two years of garden-centre order lines; furniture is 3% of the lines and about 40% of the revenue. */
  const lines = () => {
    const random = mulberry32(3104);
    const categories: [string, number, number][] = [
      ['Plants', 0.4, 9],
      ['Seeds', 0.2, 3],
      ['Tools', 0.15, 25],
      ['Soil', 0.12, 8],
      ['Pots', 0.1, 14],
      ['Garden Furniture', 0.03, 380],
    ];
    const out = ['order_id,order_date,category,quantity,line_total_eur'];
    for (let i = 0; i < 12_000; i++) {
      // The category whose stretch of the cumulative shares the draw falls in.
      const u = random();
      let below = 0;
      const [category, , price] =
        categories.find(([, share]) => {
          below += share;
          return u < below;
        }) ?? categories[0]!;
      const quantity = 1 + Math.floor(random() * 3);
      const total = quantity * price * (0.8 + 0.4 * random());
      out.push(
        `SO-${100_000 + i},${dayOf(2023, Math.floor(random() * 730))},${category},${quantity},${total.toFixed(2)}`,
      );
    }
    return out;
  };

  it('tells the member’s share of the money beside its share of the lines', async () => {
    const { found, stories, names } = await analyseLines('garden', lines());
    const weight = found.facts.find((f) => f.data.disproportion === true);
    expect(weight?.claims.member?.value).toBe('Garden Furniture');
    expect(Number(weight?.claims.rowShare?.value)).toBeLessThan(4);
    expect(Number(weight?.claims.share?.value)).toBeGreaterThan(30);
    const angle = found.angles.find((a) => a.lead === weight || a.lead.id === weight?.id);
    expect(angle).toBeDefined();
    const story = stories[found.angles.indexOf(angle!)]!;
    expect(story.narrative).toMatch(/Garden Furniture brings [\d.]+% of line total from only [\d.]+% of the orders/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 31: an experiment’s results, not its enrolment', () => {
  /**
   * A randomised trial of 1,200 patients at six sites: digital physio against usual care; pain scores on a
   * 0–10 scale; Faro loses far more patients before week 12; sessions attended add up by enrolment week.
   */
  const trial = () => {
    const random = mulberry32(3105);
    const normal = normalGenerator(random);
    const sites = ['Lisboa', 'Porto', 'Faro', 'Braga', 'Coimbra', 'Aveiro'];
    const out = [
      'patient_id,site,randomisation_date,arm,baseline_pain_nrs,week12_pain_nrs,sessions_completed,completed_week12',
    ];
    for (let i = 0; i < 1200; i++) {
      const site = sites[i % 6]!;
      const arm = random() < 0.5 ? 'Digital physio' : 'Usual care';
      const baseline = Math.min(10, Math.max(3, Math.round(6.5 + 1.2 * normal())));
      const week12 = Math.min(
        10,
        Math.max(0, Math.round(baseline - (arm === 'Digital physio' ? 2.7 : 1.5) + normal())),
      );
      const completed = random() > (site === 'Faro' ? 0.31 : 0.07);
      // A burst of enrolment in one week: more patients, so more sessions that week, and nothing more.
      const day = i < 60 ? 170 : Math.floor(random() * 365);
      const sessions = Math.round((arm === 'Digital physio' ? 18 : 8) * (completed ? 1 : 0.4) + 2 * normal());
      out.push(
        `P-${1000 + i},${site},${dayOf(2023, day)},${arm},${baseline},${completed ? week12 : ''},${Math.max(0, sessions)},${completed ? 'Yes' : 'No'}`,
      );
    }
    return out;
  };

  it('reads pain scores as averages, keeps enrolment out, and finds the site that loses patients', async () => {
    const { found, stories, names } = await analyseLines('trial', trial());
    const pain = found.profile.measures.find((m) => m.id === 'baseline_pain_nrs');
    expect(pain?.aggregation).toBe('mean');
    // Sessions summed by enrolment week or by site are the trial's design: no fact tells them.
    expect(found.facts.filter((f) => f.measureId === 'sessions_completed' && f.family !== 'segment')).toEqual([]);
    const leads = found.angles.map((a) => a.lead.id);
    expect(leads).toContain('segment:completed-week12-rate:site');
    const faro = found.facts.find((f) => f.id === 'segment:completed-week12-rate:site');
    expect(faro?.claims.member?.value).toBe('Faro');
    expect(faro?.strength).toBe('strong');
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  /**
   * An energy-report test on 6,000 households: the report saves energy (a change in kWh below zero in both
   * arms) and raises take-up of a smart tariff among owners while halving it among renters.
   */
  const report = () => {
    const random = mulberry32(3106);
    const normal = normalGenerator(random);
    const out = ['household_id,arm,tenure,kwh_change_pct,enrolled_smart_tariff'];
    for (let i = 0; i < 6000; i++) {
      const arm = i % 2 === 0 ? 'energy_report' : 'control';
      const tenure = random() < 0.65 ? 'owner' : 'renter';
      const change = (arm === 'energy_report' ? -2.6 : -0.6) + 6 * normal();
      const chance = arm === 'control' ? 0.1 : tenure === 'owner' ? 0.16 : 0.05;
      out.push(`H${10_000 + i},${arm},${tenure},${change.toFixed(2)},${random() < chance ? 1 : 0}`);
    }
    return out;
  };

  it('tells a gap below zero in points, and the arm that works one way for owners and the other for renters', async () => {
    const { found, stories, names } = await analyseLines('report', report());
    const saving = found.facts.find((f) => f.id === 'segment:kwh-change-pct:arm');
    expect(saving?.claims.diffPct).toBeUndefined();
    const texts = stories.map((s) => s.narrative).join('\n');
    expect(texts).toMatch(/kWh change is [\d.]+ points lower for energy_report/);
    expect(texts).not.toMatch(/kWh change is [\d.]+% lower/);
    const reversal = found.facts.find((f) => f.type === 'interaction' && f.data.reverses === true);
    expect(reversal?.claims.within?.value).toBe('owner');
    expect(reversal?.claims.flatWithin?.value).toBe('renter');
    expect(texts).toMatch(/In renter it works the other way/);
    // The two outcomes are two results, and the reversal a third.
    expect(found.angles.map((a) => a.lead.id)).toEqual(
      expect.arrayContaining(['segment:kwh-change-pct:arm', 'segment:enrolled-smart-tariff-rate:arm', reversal!.id]),
    );
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 31: a survey’s numbered questions', () => {
  it('reads q05_team_cooperation as an answer on the scale, not as a team code', async () => {
    const random = mulberry32(3107);
    const out = ['respondent_id,department,q01_workload,q05_team_cooperation,overall_satisfaction'];
    const answer = () => 1 + Math.floor(random() * 5);
    for (let i = 0; i < 600; i++)
      out.push(`R${i},${['Sales', 'Fleet', 'Depot', 'Office'][i % 4]},${answer()},${answer()},${answer()}`);
    const { found } = await analyseLines('survey', out);
    expect(found.profile.measures.map((m) => m.id)).toContain('q05_team_cooperation');
    expect(found.profile.dimensions.map((d) => d.name)).not.toContain('q05_team_cooperation');
  });
});

describe('session 31: a year nearly every entity of a panel went through', () => {
  /**
   * Building permits in 36 municipalities, 2005–2023, growing about 3% a year with ±8% noise; in 2009 all but
   * two fall by about a third, each by its own amount.
   */
  const permits = () => {
    const random = mulberry32(3108);
    const normal = normalGenerator(random);
    const out = ['municipality,year,building_permits,population'];
    for (let m = 0; m < 36; m++) {
      const base = 80 + 400 * random();
      for (let year = 2005; year <= 2023; year++) {
        const fall = year === 2009 && m >= 2 ? 0.67 + 0.1 * normal() : 1;
        const value = base * 1.03 ** (year - 2005) * fall * (1 + 0.08 * normal());
        out.push(`Town ${m},${year},${Math.round(value)},${Math.round(20_000 + 1000 * m + 300 * (year - 2005))}`);
      }
    }
    return out;
  };

  it('finds the year by the breadth of the fall, told with how many fell', async () => {
    const { found, stories, names } = await analyseLines('permits', permits());
    const dip = found.facts.find((f) => f.id === 'spike:building-permits:all:2009-01-01');
    expect(dip?.strength).toBe('strong');
    expect(Number(dip?.claims.entitiesSeen?.value)).toBe(36);
    expect(Number(dip?.claims.sameWayEntities?.value)).toBeGreaterThanOrEqual(20);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 31: returns of what was sold', () => {
  it('reads units_returned over units_sold as a return rate, and finds the region that returns three times as many', async () => {
    const random = mulberry32(3109);
    const out = ['month,region,product_line,units_sold,units_returned'];
    for (let m = 0; m < 36; m++) {
      const month = `${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (const region of ['North', 'South', 'East', 'West', 'Central'])
        for (const line of ['City', 'Road', 'E-Bike', 'Kids']) {
          const sold = Math.round(60 + 40 * random());
          const rate = region === 'East' ? 0.09 : 0.03;
          let returned = 0;
          for (let u = 0; u < sold; u++) if (random() < rate) returned++;
          out.push(`${month},${region},${line},${sold},${returned}`);
        }
    }
    const { found, stories, names } = await analyseLines('returns', out);
    const rate = found.profile.measures.find((m) => m.id === 'units_returned/units_sold');
    expect(rate?.aggregation).toBe('rate');
    const gap = found.facts.find((f) => f.id === 'segment:units-returned-units-sold:region');
    expect(gap?.claims.member?.value).toBe('East');
    expect(found.angles.map((a) => a.lead.id)).toContain(gap!.id);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 31: two stories of one member that would retell the same facts', () => {
  it('overlaps a leader and an exception of one member when both lean on the same two facts of it', () => {
    const fact = (id: string, type: Fact['type'], family: Fact['family'], data: Fact['data']): Fact => ({
      id,
      type,
      family,
      measureId: 'revenue',
      dimension: 'product_line',
      columns: ['month', 'revenue', 'product_line'],
      claims: {},
      data,
      p: 0.001,
      q: 0.001,
      effect: 0.9,
      impact: 1,
      surprise: 1,
      score: 1,
      strength: 'strong',
    });
    const share = fact('share:revenue:product-line-e-bike', 'share_shift', 'temporal', {});
    const climb = fact('trend:revenue:product-line-e-bike', 'trend', 'temporal', {});
    const other = fact('trend:revenue:product-line-kids', 'trend', 'temporal', {});
    const leader = fact('leader:revenue:product-line', 'leader', 'rank', { leader: 'E-Bike' });
    const exception = fact('exception:units:product-line', 'pattern_exception', 'segment', { member: 'E-Bike' });
    const angle = (lead: Fact, support: Fact[]) => ({
      id: lead.id,
      lead,
      support,
      score: 1,
      strength: 'strong' as const,
    });
    expect(overlap(angle(leader, [share, climb]), angle(exception, [share, climb]), [])).toBe(0.8);
    // One shared fact is not a retelling.
    expect(overlap(angle(leader, [share, climb]), angle(exception, [share, other]), [])).toBeLessThan(0.8);
  });
});

describe('session 31: how late against the date it was due', () => {
  /**
   * Two years of supplier invoices with 30-day terms, paid around the due date (early as often as late)
   * until September 2023, then about 16 days late.
   */
  const invoices = () => {
    const random = mulberry32(3110);
    const normal = normalGenerator(random);
    const out = ['invoice_no,supplier_country,invoice_date,due_date,payment_date,net_amount_eur'];
    for (let i = 0; i < 3000; i++) {
      const day = Math.floor(random() * 730);
      const issued = dayOf(2022, day);
      const due = dayOf(2022, day + 30);
      const late = Math.round((issued >= '2023-09-01' ? 16 : 0) + 4 * normal());
      const country = ['AT', 'DE', 'PL', 'CZ'][i % 4];
      out.push(
        `INV-${i},${country},${issued},${due},${dayOf(2022, day + 30 + late)},${(500 + 4000 * random()).toFixed(2)}`,
      );
    }
    return out;
  };

  it('measures days late below zero when early, finds the shift, and tells members’ moves in days', async () => {
    const { found, stories, names } = await analyseLines('invoices', invoices());
    const late = found.profile.measures.find((m) => m.id === 'days late');
    expect(late).toMatchObject({ aggregation: 'mean', interval: true, columns: ['due_date', 'payment_date'] });
    const shift = found.facts.find((f) => f.type === 'change_point' && f.measureId === 'days late' && !f.subspace);
    expect(
      shift?.data.direction ?? (Number(shift?.data.meanAfter) > Number(shift?.data.meanBefore) ? 'up' : 'down'),
    ).toBe('up');
    const texts = stories.map((s) => s.narrative).join('\n');
    expect(texts).toMatch(/days late (rose|jumped) [\d.]+ days from/i);
    expect(texts).not.toMatch(/days late[^.]*\(\+?[\d.]+%\)/i);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 31, second round: what s46 found', () => {
  it('names money per square metre and a rate per million as what they are', () => {
    expect(nameParts('median_rent_eur_m2')).toMatchObject({ label: 'median rent per square metre', currency: '€' });
    expect(nameParts('researchers_per_million').scale).toBeUndefined();
    expect(nameParts('population_millions').scale).toBe(1e6);
  });

  /** Two years of daily wine sales by category; rosé sells little in winter, some of its December days none. */
  const wine = () => {
    const random = mulberry32(3111);
    const out = ['order_date,category,net_amount_eur'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const month = Number(date.slice(5, 7)) - 1;
      for (const category of ['Red', 'White', 'Rosé', 'Sparkling', 'Dessert']) {
        const summer = Math.cos((2 * Math.PI * (month - 6)) / 12);
        const level = category === 'Rosé' ? 300 * Math.max(0.05, 1 + summer) : category === 'Red' ? 900 : 400;
        // Rosé has no sale at all on two days in three in winter: its months hold few days, not a partial month.
        if (category === 'Rosé' && summer < -0.5 && random() < 0.67) continue;
        out.push(`${date},${category},${(level * (0.7 + 0.6 * random())).toFixed(2)}`);
      }
    }
    return out;
  };

  it('reads a member’s thin winter months as its low season, not as missing months', async () => {
    const { found, stories, names } = await analyseLines('wine', wine());
    const rose = found.facts.find((f) => f.type === 'member_cycle' && f.subspace?.member === 'Rosé');
    expect(rose).toBeDefined();
    // January a day: a third of its days sell about 300 × 0.05 = 15, so about 5 — where dropping one of the
    // two Januaries as partial had halved it (2.6).
    expect(Number(rose?.claims.troughValue?.value)).toBeGreaterThan(4);
    expect(Number(rose?.claims.troughValue?.value)).toBeLessThan(6);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  /** 4,000 customers: Residential is 89% of them and 63% of the fee; Business the rest of both. */
  const customers = () => {
    const random = mulberry32(3112);
    const out = ['customer_id,segment,plan,monthly_fee_eur,churned'];
    for (let i = 0; i < 4000; i++) {
      const business = random() < 0.11;
      const fee = business ? 200 + 150 * random() : 40 + 20 * random();
      out.push(
        `C${i},${business ? 'Business' : 'Residential'},${business ? 'Pro' : 'Home'},${fee.toFixed(2)},${random() < 0.2 ? 'yes' : 'no'}`,
      );
    }
    return out;
  };

  it('tells the member that carries more than its share of the money, not the one whose lead is its size', async () => {
    const { found } = await analyseLines('customers', customers());
    const leads = found.angles.map((a) => a.lead);
    expect(leads.some((f) => f.data.disproportion === true && f.claims.member?.value === 'Business')).toBe(true);
    expect(leads.some((f) => f.type === 'leader' && f.data.leader === 'Residential')).toBe(false);
  });
});

describe('session 31: weekly totals told by the month', () => {
  /** Sales of 12 branches by week over four years, the last week holding two days. */
  const weeks = () => {
    const random = mulberry32(3113);
    const out = ['week_start,branch,footfall,sales_eur'];
    for (let w = 0; w < 209; w++) {
      const week = dayOf(2023, 1 + 7 * w);
      const part = w === 208 ? 2 / 7 : 1;
      for (let b = 0; b < 12; b++) {
        const footfall = Math.round(5000 * part * (0.9 + 0.2 * random()));
        out.push(`${week},Branch ${b},${footfall},${(footfall * 6 * (0.9 + 0.2 * random())).toFixed(2)}`);
      }
    }
    return out;
  };

  it('compares months a week at a time, over whole weeks', async () => {
    const { stories } = await analyseLines('weeks', weeks());
    const watch = stories
      .map((s) => /What to watch: [^\n]*/.exec(s.narrative)?.[0] ?? '')
      .find((w) => /sales/i.test(w));
    expect(watch).toMatch(/sales averaged €[\d,.]+K? a week/i);
  });
});
