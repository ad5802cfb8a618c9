import { describe, expect, it } from 'vitest';
import { verifyNarrative } from '../src/insights/verify.ts';
import { mulberry32, normalGenerator } from '../src/stats/index.ts';
import { analyseLines } from './helpers/analyse.ts';

/** An ISO date `days` after 1 January of `year`. */
const dayOf = (year: number, days: number) => new Date(Date.UTC(year, 0, 1 + days)).toISOString().slice(0, 10);

describe('session 30: one member’s move and the same move of the member above it', () => {
  /**
   * Daily admissions at eight hospitals in four regions over two years: Riverside (in East) steps down by
   * half from March 2024; every hospital sees 35% fewer admissions at the weekend.
   */
  const admissions = () => {
    const normal = normalGenerator(mulberry32(3001));
    const hospitals = [
      ['Riverside', 'East'],
      ['Harbour', 'East'],
      ['City General', 'Central'],
      ['St Anne', 'Central'],
      ['Northgate', 'North'],
      ['Moorfield', 'North'],
      ['Southbank', 'South'],
      ['Westcliff', 'South'],
    ] as const;
    const lines = ['hospital,region,date,admissions,beds_occupied'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.65 : 1;
      for (const [name, region] of hospitals) {
        const step = name === 'Riverside' && date >= '2024-03-01' ? 0.5 : 1;
        const admitted = Math.max(0, Math.round(60 * weekend * step * (1 + 0.08 * normal())));
        lines.push(`${name},${region},${date},${admitted},${Math.round(admitted * 4.5 * (1 + 0.05 * normal()))}`);
      }
    }
    return lines;
  };

  it('tells the hospital’s step once, not again as its region’s fall, and makes room for the weekend', async () => {
    const { found, stories, names } = await analyseLines('admissions', admissions());
    const leads = found.angles.map((a) => a.lead);
    // The step is told by the hospital that makes it…
    expect(leads.filter((f) => f.subspace?.member === 'Riverside')).toHaveLength(1);
    // …not a second time by its region, which moves only because Riverside does.
    expect(leads.filter((f) => f.subspace?.member === 'East')).toEqual([]);
    expect(leads.some((f) => f.type === 'seasonality' && f.data.cycle === 'weekday')).toBe(true);
    // The region's own move was found: it is kept out of the angles, not missed.
    expect(found.facts.some((f) => f.subspace?.member === 'East' && f.measureId === 'admissions')).toBe(true);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: a year that turned a long panel’s usual way round', () => {
  /**
   * GDP per capita of 30 countries over 14 years, growing about 2% a year with noise of ±2.5%, and falling
   * about 7% in 2020 in all but three of them.
   */
  const countries = (shock: boolean) => {
    const normal = normalGenerator(mulberry32(3002));
    const lines = ['Country,Year,GDP per capita (USD),Life expectancy (years)'];
    for (let c = 0; c < 30; c++) {
      let gdp = 2000 + 40_000 * Math.abs(normal());
      let life = 70 + 5 * normal();
      for (let year = 2010; year <= 2023; year++) {
        if (year > 2010) gdp *= Math.exp(0.02 + 0.025 * normal() + (shock && year === 2020 && c % 10 > 0 ? -0.09 : 0));
        life += 0.15 + 0.1 * normal();
        lines.push(`Country ${c},${year},${Math.round(gdp)},${life.toFixed(1)}`);
      }
    }
    return lines;
  };

  it('tells 2020 as a fall in most countries, counting those that truly fell, without calling 7% a collapse', async () => {
    const { found, stories, names } = await analyseLines('countries', countries(true));
    const shock = found.facts.find((f) => f.type === 'spike' && f.data.shock && f.data.at === '2020-01-01T00:00:00');
    expect(shock?.measureId).toBe('GDP per capita (USD)');
    expect(shock?.data.direction).toBe('down');
    // The count told is of countries whose GDP fell, not of those that grew less than usual.
    const fell = Number(shock?.claims.sameWayEntities?.value);
    expect(fell).toBeGreaterThanOrEqual(24);
    expect(fell).toBeLessThan(30);
    const story = stories.find((s) => /2020/.test(s.title));
    expect(story?.title).toMatch(/^GDP per capita fell [\d.]+% in 2020/);
    expect(story?.narrative).toMatch(new RegExp(`${fell} of the 30 countries fell`));
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  it('finds no such year in the same panel without the shock', async () => {
    const { found } = await analyseLines('countries-calm', countries(false));
    expect(found.facts.filter((f) => f.type === 'spike' && f.data.shock)).toEqual([]);
  });
});

describe('session 30: a network’s week, told by the whole', () => {
  /** 16 clinics, 78 weeks: every clinic loses about half its consultations in one November week. */
  const clinics = () => {
    const normal = normalGenerator(mulberry32(3003));
    const lines = ['week_start,clinic,consultations,revenue_eur'];
    for (let w = 0; w < 78; w++) {
      const week = dayOf(2023, 1 + 7 * w);
      // Quieter holiday weeks at both ends of the year, half as deep as the outage.
      const holiday = week.slice(5, 7) === '12' && week.slice(8, 10) >= '24' ? 0.72 : week <= '2023-01-08' ? 0.75 : 1;
      for (let c = 0; c < 16; c++) {
        const outage = week === '2023-11-13' ? 0.45 : 1;
        const consultations = Math.round((150 + 10 * c) * holiday * outage * (1 + 0.05 * normal()));
        lines.push(`${week},Clinic ${c},${consultations},${(consultations * 65 * (1 + 0.03 * normal())).toFixed(2)}`);
      }
    }
    return lines;
  };

  it('finds the week every clinic fell, beside quieter holidays, and says how many clinics fell', async () => {
    const { found, stories, names } = await analyseLines('clinics', clinics());
    const week = found.facts.find((f) => f.type === 'spike' && !f.subspace && f.data.at === '2023-11-13T00:00:00');
    expect(week?.data.direction).toBe('down');
    expect(Number(week?.claims.sameWayEntities?.value)).toBeGreaterThanOrEqual(15);
    const story = stories.find((s) => /November 13, 2023/.test(s.title));
    expect(story?.narrative).toMatch(/(All 16|1\d of the 16) clinics fell by a quarter or more/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: a peak that comes back every year', () => {
  /** Order lines over 18 months: roses sell five times as much in both Februaries. */
  const flowers = () => {
    const random = mulberry32(3004);
    const lines = ['order_date,line_no,category,stems_qty,line_total_eur'];
    for (let d = 0; d < 540; d++) {
      const date = dayOf(2023, d);
      for (let o = 0; o < 12; o++) {
        const lineCount = 1 + Math.floor(3 * random());
        for (let line = 1; line <= lineCount; line++) {
          const category = ['Roses', 'Tulips', 'Lilies', 'Greenery'][Math.floor(4 * random())]!;
          const valentine = category === 'Roses' && date.slice(5, 7) === '02' ? 5 : 1;
          const stems = Math.round(valentine * (20 + 60 * random()));
          lines.push(`${date},${line},${category},${stems},${(stems * (0.5 + random())).toFixed(2)}`);
        }
      }
    }
    return lines;
  };

  it('tells the February peak with the year before, and never compares line numbers', async () => {
    const { found, stories, names } = await analyseLines('flowers', flowers());
    // An order's line 1, 2, 3 is a place in the order, not a group of lines.
    expect(found.profile.dimensions.map((d) => d.name)).not.toContain('line_no');
    expect(found.profile.measures.map((m) => m.id)).not.toContain('line_no');
    const peak = found.facts.find(
      (f) => f.type === 'spike' && f.data.at === '2024-02-01T00:00:00' && f.claims.twinPeriod,
    );
    expect(peak?.claims.twinPeriod?.text).toBe('February 2023');
    const story = stories.find((s) => s.narrative.includes('It comes back every year: in February 2023'));
    expect(story).toBeDefined();
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: one event, told once', () => {
  /** Readings every 15 minutes for six weeks: ammonia climbs for good over days 27–28; showers, and one storm on day 17. */
  const plant = () => {
    const normal = normalGenerator(mulberry32(3005));
    const lines = ['timestamp,inflow_m3_h,rainfall_mm,turbidity_ntu,ammonia_mg_l'];
    for (let i = 0; i < 42 * 96; i++) {
      const day = Math.floor(i / 96);
      const hour = (i % 96) / 4;
      const stamp = new Date(Date.UTC(2024, 1, 26) + i * 900_000).toISOString().slice(0, 16).replace('T', ' ');
      const storm = day === 17 && hour >= 6 && hour < 18;
      // Showers every fifth day, a storm on day 17; turbidity follows the rain.
      const rain = storm ? 3 + 2 * Math.abs(normal()) : day % 5 === 2 && hour < 6 ? 0.5 + Math.abs(normal()) : 0;
      const inflow =
        (800 + 400 * Math.sin(((hour - 3) / 24) * 2 * Math.PI)) * (1 + 0.25 * rain) * (1 + 0.05 * normal());
      const turbidity = (70 + 0.02 * inflow) * (1 + 0.3 * rain) * (1 + 0.05 * normal());
      // Ammonia climbs over two days to a new level and stays there.
      const ammonia = (day >= 28 ? 2.8 : day === 27 ? 1.6 : 0.55) * (1 + 0.1 * normal());
      lines.push(`${stamp},${inflow.toFixed(1)},${rain.toFixed(2)},${turbidity.toFixed(1)},${ammonia.toFixed(2)}`);
    }
    return lines;
  };

  it('tells the ammonia step once, and the storm day once, not again as a daily link', async () => {
    const { found, stories, names } = await analyseLines('plant', plant());
    const leads = found.angles.map((a) => a.lead);
    expect(leads.filter((f) => f.measureId === 'ammonia_mg_l')).toHaveLength(1);
    const link = found.facts.find((f) => f.type === 'correlation' && f.data.daily && f.columns.includes('rainfall_mm'));
    if (link) {
      // The link lives in the storm's day, which its own story tells.
      expect(String(link.data.dominantDay)).toBe('2024-03-14T00:00:00');
      expect(leads).not.toContain(link);
      // Dry days are most days: the high side is read from the days with rain, never "0.00 mm or more".
      expect(Number(link.claims.aHigh?.value)).toBeGreaterThan(0);
    }
    expect(leads.some((f) => f.type === 'spike' && String(f.data.at).startsWith('2024-03-14'))).toBe(true);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: a table of things, read as a senior analyst would', () => {
  /** 240 resorts: revenue spreads with size; a day pass costs €40–90 everywhere; skier days are visits. */
  const resorts = () => {
    const random = mulberry32(3006);
    const lines = ['resort,massif,skier_days,day_pass_eur,revenue_meur'];
    for (let i = 0; i < 240; i++) {
      const massif = i < 160 ? 'Alps' : ['Pyrenees', 'Vosges', 'Jura', 'Tatras'][i % 4]!;
      const size = Math.exp(11 + 1.5 * random() + (massif === 'Alps' ? 0.4 : 0));
      const pass = 40 + 50 * random();
      lines.push(
        `Resort ${i},${massif},"${Math.round(size).toLocaleString('en-US')}",${pass.toFixed(0)},${((size * pass * 0.9) / 1e6).toFixed(2)}`,
      );
    }
    return lines;
  };

  it('averages a price that barely varies, adds up skier days, and says how much of a lead is size', async () => {
    const { found, stories, names } = await analyseLines('resorts', resorts());
    const aggregation = (id: string) => found.profile.measures.find((m) => m.id === id)?.aggregation;
    expect(aggregation('day_pass_eur')).toBe('mean');
    expect(aggregation('skier_days')).toBe('sum');
    expect(aggregation('revenue_meur')).toBe('sum');
    const leader = found.facts.find((f) => f.id === 'leader:revenue-meur:massif');
    expect(leader?.claims.leaderRows?.value).toBe(160);
    const story = stories.find((s) => s.narrative.includes('It also holds 160 of the 240'));
    if (story) expect(story.narrative).toMatch(/\(66\.7%\), so much of its lead is its size\./);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: what a comparison is of', () => {
  /** Daily sales over 14 months, the last one partial; one product launched on the 4th of its first month. */
  const ledger = () => {
    const random = mulberry32(3007);
    const lines = ['posted_date,product,amount_usd'];
    for (let d = 0; d < 420; d++) {
      const date = dayOf(2024, d);
      for (const product of ['Compute', 'Storage', 'Support', 'GPU']) {
        if (product === 'GPU' && date < '2024-05-04') continue;
        const growth = product === 'GPU' ? 1 + (d - 124) / 8 : 1;
        lines.push(`${date},${product},${(100 * growth * (0.8 + 0.4 * random())).toFixed(2)}`);
      }
    }
    return lines;
  };

  it('calls a per-day comparison a daily rate, and a member’s late start its own', async () => {
    const { stories, names } = await analyseLines('ledger', ledger());
    const all = stories.map((s) => s.narrative).join('\n');
    // Months of daily totals are compared a day at a time, and the sentence says so.
    expect(all).toMatch(/\(\$[\d,.]+ a day\), a daily rate [\d.]+% (above|below)/);
    // February 2025 is the file's own partial month, not the product's.
    expect(all).toMatch(/February 2025 is only partly covered by the data/);
    expect(all).not.toMatch(/has rows for only part of February 2025/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: a member’s step beside a sibling’s steady climb', () => {
  /**
   * Five drinks over five years, every one peaking in summer: iced tea (the most seasonal) steps down 35%
   * from April 2023 while energy drinks grow 4× month after month.
   */
  const drinks = () => {
    const normal = normalGenerator(mulberry32(3008));
    const lines = ['month,product_line,volume_hl'];
    const lines_: [string, number, number][] = [
      ['Cola', 30_000, 0.3],
      ['Lemonade', 10_000, 0.35],
      ['Sparkling Water', 9_000, 0.3],
      ['Iced Tea', 15_000, 0.5],
      ['Energy Drink', 3_000, 0.3],
    ];
    for (let m = 0; m < 60; m++) {
      const month = `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (const [name, level, swing] of lines_) {
        const season = 1 + swing * Math.sin(((m % 12) - 3) * (Math.PI / 6));
        const step = name === 'Iced Tea' && m >= 39 ? 0.65 : 1;
        const growth = name === 'Energy Drink' ? 4 ** (m / 59) : 1;
        lines.push(`${month},${name},${Math.round(level * season * step * growth * (1 + 0.04 * normal()))}`);
      }
    }
    return lines;
  };

  it('finds the step down, though a sibling moved more across the date by its steady growth', async () => {
    const { found, stories, names } = await analyseLines('drinks', drinks());
    const step = found.facts.find((f) => f.type === 'change_point' && f.subspace?.member === 'Iced Tea');
    expect(step?.data.at).toBe('2023-04-01T00:00:00');
    expect(Number(step?.data.meanAfter)).toBeLessThan(Number(step?.data.meanBefore));
    expect(found.angles.some((a) => a.lead === step)).toBe(true);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: a last quarter cut short, where only a ratio backs the fall', () => {
  /** Eight units over 39 quarters; the last holds one month of three: revenue and cost a third, staff held. */
  const quarters = (cut: boolean) => {
    const normal = normalGenerator(mulberry32(3009));
    const lines = ['fiscal_quarter,business_unit,revenue_musd,operating_cost_musd,headcount_fte'];
    for (let q = 0; q < 39; q++) {
      const label = `${2015 + Math.floor(q / 4)}-Q${(q % 4) + 1}`;
      const share = cut && q === 38 ? 1 / 3 : 1;
      for (let u = 0; u < 8; u++) {
        const revenue = (40 + 10 * u) * (1 + 0.01 * q) * (q % 4 === 3 ? 1.2 : 1) * (1 + 0.05 * normal()) * share;
        const cost = revenue * (0.85 + 0.02 * normal());
        lines.push(
          `${label},Unit ${u},${revenue.toFixed(1)},${cost.toFixed(1)},${Math.round(300 + 40 * u + 5 * normal())}`,
        );
      }
    }
    return lines;
  };

  it('leaves the partial quarter out instead of telling a 67% collapse', async () => {
    const { found, stories } = await analyseLines('quarters', quarters(true));
    expect(found.facts.some((f) => f.type === 'spike' && String(f.data.at).startsWith('2024-07'))).toBe(false);
    expect(stories.map((s) => s.narrative).join('\n')).toMatch(
      /Q3 2024 is only partly (covered by the data|in the file)/,
    );
  });

  it('keeps the last quarter when it is whole', async () => {
    const { stories } = await analyseLines('quarters-whole', quarters(false));
    expect(stories.map((s) => s.narrative).join('\n')).not.toMatch(/Q3 2024 is only partly/);
  });
});

describe('session 30: census-style steps', () => {
  it('calls a five-year step a five-year move, never a year’s', async () => {
    const normal = normalGenerator(mulberry32(3010));
    const lines = ['Province,Year,GDP per capita (USD)'];
    for (let p = 0; p < 30; p++) {
      let gdp = 800 + 3000 * Math.abs(normal());
      for (let year = 1960; year <= 2020; year += 5) {
        if (year > 1960) gdp *= Math.exp(0.12 + 0.05 * normal() + (year === 1995 ? -0.35 : 0));
        lines.push(`Province ${p},${year},${Math.round(gdp)}`);
      }
    }
    const { found, stories, names } = await analyseLines('provinces', lines);
    const shock = found.facts.find((f) => f.type === 'spike' && f.data.shock);
    expect(shock?.data.at).toBe('1995-01-01T00:00:00');
    const story = stories.find((s) => /in 1995/.test(s.title));
    expect(story?.title).toMatch(/its largest 5-year move$/);
    expect(stories.map((s) => s.narrative).join('\n')).not.toMatch(/from one year to the next/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: siblings set against a move', () => {
  it('gives each sibling’s own step into the moment, not only its level', async () => {
    const { stories } = await analyseLines(
      'clinics-siblings',
      (() => {
        const normal = normalGenerator(mulberry32(3011));
        const lines = ['week_start,clinic,consultations'];
        for (let w = 0; w < 60; w++) {
          const week = dayOf(2023, 1 + 7 * w);
          for (let c = 0; c < 6; c++) {
            const step = c === 0 && w >= 30 ? 1.6 : 1;
            lines.push(`${week},Clinic ${c},${Math.round((200 + 20 * c) * step * (1 + 0.04 * normal()))}`);
          }
        }
        return lines;
      })(),
    );
    const sentence = stories
      .flatMap((s) => s.narrative.split('\n'))
      .find((line) => line.startsWith('Set against its siblings'));
    expect(sentence).toMatch(/stood at Clinic \d [\d,]+ \([+-][\d.]+%\).*, each against the week before\.$/);
  });
});

describe('session 30: what a won test brings per visitor', () => {
  it('says when a higher conversion rate brings less per visitor', async () => {
    const random = mulberry32(3012);
    const lines = ['visitor_id,visit_ts,variant,device,donated,donation_eur'];
    for (let i = 0; i < 20_000; i++) {
      const variant = random() < 0.5 ? 'control' : 'suggested_amounts';
      const donated = random() < (variant === 'control' ? 0.047 : 0.062);
      const amount = (variant === 'control' ? 45 : 32) * (0.6 + 0.8 * random());
      const at = new Date(Date.UTC(2024, 3, 1) + i * 60_000 + Math.floor(50_000 * random())).toISOString().slice(0, 19);
      lines.push(
        `V${i},${at},${variant},${random() < 0.6 ? 'mobile' : 'desktop'},${donated ? 1 : 0},${donated ? amount.toFixed(2) : ''}`,
      );
    }
    const { stories, names } = await analyseLines('donations', lines);
    const test = stories.find((s) => /suggested_amounts/.test(s.title) && /rate/i.test(s.title));
    expect(test?.narrative).toMatch(
      /Per visitor, donation averages €[\d.]+ for suggested_amounts against €[\d.]+ for control \(-[\d.]+%\), where visitors with no donation count as zero: the higher rate is more than offset by smaller amounts each\./,
    );
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });
});

describe('session 30: a change of pace must be more than noise', () => {
  it('tells no slowing of a steady warming whose noisy decades differ by chance', async () => {
    for (const seed of [3024, 3025, 3027]) {
      const normal = normalGenerator(mulberry32(seed));
      const lines = ['year,water_temp_c,flow_m3s'];
      for (let y = 1990; y <= 2023; y++)
        lines.push(`${y},${(9 + 0.05 * (y - 1990) + 0.25 * normal()).toFixed(2)},${(200 + 30 * normal()).toFixed(1)}`);
      const { found } = await analyseLines(`pace-${seed}`, lines);
      const trend = found.facts.find((f) => f.type === 'trend' && f.measureId === 'water_temp_c');
      expect(trend).toBeDefined();
      expect(trend?.claims.paceChange).toBeUndefined();
    }
  });
});
