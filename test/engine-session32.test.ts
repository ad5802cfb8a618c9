import { describe, expect, it } from 'vitest';
import { verifyNarrative } from '../src/insights/verify.ts';
import { mulberry32, normalGenerator } from '../src/stats/index.ts';
import { analyseLines } from './helpers/analyse.ts';

/** An ISO date `days` after 1 January of `year`. */
const dayOf = (year: number, days: number) => new Date(Date.UTC(year, 0, 1 + days)).toISOString().slice(0, 10);

describe('session 32: a rate that fell in every channel at once', () => {
  /**
   * Six months of daily sessions and orders by channel; each channel converts at its own rate (Email at
   * 6%, the rest at 2–3%). From day 110 the rate falls by 40% in every channel (`everywhere`), or in Email
   * alone.
   */
  const traffic = (everywhere: boolean) => {
    const random = mulberry32(3201);
    const normal = normalGenerator(random);
    const channels: [string, number, number][] = [
      ['Email', 400, 0.06],
      ['Organic Search', 2000, 0.022],
      ['Paid Search', 1200, 0.027],
      ['Direct', 900, 0.03],
      ['Referral', 500, 0.021],
    ];
    const lines = ['date,channel,sessions,orders'];
    for (let d = 0; d < 182; d++) {
      const weekday = new Date(`${dayOf(2024, d)}T00:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.8 : 1;
      for (const [channel, base, rate] of channels) {
        const sessions = Math.round(base * weekend * (1 + 0.06 * normal()));
        const fell = d >= 110 && (everywhere || channel === 'Email') ? 0.6 : 1;
        const expected = sessions * rate * fell;
        const orders = Math.max(0, Math.round(expected + Math.sqrt(expected) * normal()));
        lines.push(`${dayOf(2024, d)},${channel},${sessions},${orders}`);
      }
    }
    return lines;
  };

  it('leads with the whole rate’s step, tells that every channel fell with it, and no spike before it', async () => {
    const { found, stories, names } = await analyseLines('traffic-all', traffic(true));
    const lead = found.angles[0]!.lead;
    expect(lead.type).toBe('change_point');
    expect(lead.subspace).toBeUndefined();
    expect(lead.measureId).toMatch(/orders/);
    // Email's larger fall in points is its higher rate, not news of its own.
    const email = found.facts.find((f) => f.type === 'change_point' && f.subspace?.member === 'Email');
    expect(email === undefined || email.surprise <= 1).toBe(true);
    expect(found.angles.some((a) => a.lead.subspace?.member === 'Email' && a.lead.type === 'change_point')).toBe(false);
    expect(stories[0]!.narrative).toMatch(/Every channel fell across the same date, by [\d.]+% to [\d.]+%/);
    expect(stories[0]!.narrative).toMatch(/points lower, [\d.]+% below the old level/);
    // The last weeks at the old level read high only against neighbours after the fall: no spike there.
    const at = String(lead.data.at);
    const spikesBefore = found.facts.filter(
      (f) => f.type === 'spike' && !f.subspace && String(f.data.at) < at && String(f.data.at) >= dayOf(2024, 95),
    );
    expect(spikesBefore).toEqual([]);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  it('tells the averages on each side of the day it dated the step to, not of its month', async () => {
    const lines = traffic(true);
    const { found } = await analyseLines('traffic-dated', lines);
    const lead = found.angles[0]!.lead;
    const day = String(lead.data.day ?? lead.data.at).slice(0, 10);
    expect(day).toBe('2024-04-20');
    const byDay = new Map<string, [number, number]>();
    for (const line of lines.slice(1)) {
      const [date, , sessions, orders] = line.split(',');
      const [o, n] = byDay.get(date!) ?? [0, 0];
      byDay.set(date!, [o + Number(orders), n + Number(sessions)]);
    }
    const rates = [...byDay].map(([date, [o, n]]) => ({ date, rate: o / n }));
    const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const before = average(rates.filter((r) => r.date < day).map((r) => r.rate));
    const after = average(rates.filter((r) => r.date >= day).map((r) => r.rate));
    expect(Number(lead.claims.meanBefore?.value)).toBeCloseTo(before, 6);
    expect(Number(lead.claims.meanAfter?.value)).toBeCloseTo(after, 6);
  });

  it('still tells Email’s own fall when the other channels held', async () => {
    const { found, stories } = await analyseLines('traffic-email', traffic(false));
    const email = found.angles.find((a) => a.lead.type === 'change_point' && a.lead.subspace?.member === 'Email');
    expect(email).toBeDefined();
    expect(email!.lead.surprise).toBeGreaterThan(1);
    for (const s of stories) expect(s.narrative).not.toMatch(/Every channel fell/);
  });
});

describe('session 32: a leader over the years whose share moved', () => {
  /** Yearly generation by source and state, 2006–2023: coal leads the sum throughout while wind grows. */
  const generation = (windGrowth: number) => {
    const normal = normalGenerator(mulberry32(3202));
    const lines = ['year,state,fuel_source,generation_gwh'];
    for (let year = 2006; year <= 2023; year++) {
      const k = year - 2006;
      for (const [state, size] of [
        ['NSW', 1.2],
        ['VIC', 1],
        ['QLD', 1.1],
        ['SA', 0.4],
      ] as const) {
        const sources: [string, number][] = [
          ['Coal', 60000 * (1 - 0.025 * k)],
          ['Gas', 9000],
          ['Hydro', 4000],
          ['Wind', 500 * windGrowth ** k],
          ['Solar', 50 * 1.45 ** k],
        ];
        for (const [source, level] of sources)
          lines.push(`${year},${state},${source},${(size * level * (1 + 0.03 * normal())).toFixed(1)}`);
      }
    }
    return lines;
  };

  it('tells the first and last year’s share beside the whole span’s, traced', async () => {
    const { found, stories, names } = await analyseLines('generation', generation(1.18));
    const leader = found.facts.find((f) => f.type === 'leader' && f.claims.leader?.value === 'Coal');
    expect(leader).toBeDefined();
    expect(Number(leader!.claims.leaderFirstShare?.value)).toBeGreaterThan(
      Number(leader!.claims.leaderLastShare?.value) + 10,
    );
    expect(leader!.claims.lastLeader).toBeUndefined();
    const story = stories.find((s) => /Coal leads/.test(s.narrative));
    expect(story?.narrative).toMatch(/Year by year its share went from [\d.]+% in 2006 to [\d.]+% in 2023\./);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  it('names who led the last year when the lead changed hands, and weighs the span’s leader down', async () => {
    const { found } = await analyseLines('generation-overtaken', generation(1.3));
    const leader = found.facts.find((f) => f.type === 'leader' && f.claims.leader?.value === 'Coal');
    expect(leader?.claims.lastLeader?.value).toBe('Wind');
    expect(leader!.surprise).toBeLessThan(1);
  });
});

describe('session 32: how a long table’s metrics and a row’s percentages add up', () => {
  it('averages a metric whose stated unit is per household, never sums it across counties', async () => {
    const normal = normalGenerator(mulberry32(3203));
    const lines = ['year,county,indicator,value,unit'];
    for (let year = 2010; year <= 2023; year++)
      for (const county of ['Carlow', 'Cavan', 'Clare', 'Cork', 'Donegal', 'Galway', 'Kerry', 'Louth']) {
        lines.push(
          `${year},${county},household_energy_cost,${Math.round(1600 + 60 * (year - 2010) + 80 * normal())},EUR per household`,
        );
        lines.push(
          `${year},${county},electricity_generated,${Math.round(900 + 20 * (year - 2010) + 40 * normal())},GWh`,
        );
      }
    const { found } = await analyseLines('county-indicators', lines);
    const cost = found.profile.measures.find((m) => m.id === 'indicator=household_energy_cost');
    const generated = found.profile.measures.find((m) => m.id === 'indicator=electricity_generated');
    expect(cost?.aggregation).toBe('mean');
    expect(cost?.metricUnit).toBe('EUR per household');
    expect(generated?.aggregation).toBe('sum');
    // The unit column is how each metric is read, not a breakdown.
    expect(found.profile.dimensions.map((d) => d.name)).not.toContain('unit');
  });

  it('reads a margin each row works out from its totals as the ratio of their sums', async () => {
    const random = mulberry32(3204);
    const lines = ['quarter,business_unit,revenue_keur,operating_profit_keur,operating_margin_pct'];
    const units: [string, number, number][] = [
      ['Marine', 150000, 0.04],
      ['Rail', 40000, 0.15],
      ['Software', 20000, 0.25],
      ['Service', 30000, 0.12],
    ];
    for (let q = 0; q < 24; q++)
      for (const [unit, size, margin] of units) {
        const revenue = Math.round(size * (1 + 0.1 * random()));
        const profit = Math.round(revenue * margin * (1 + 0.2 * (random() - 0.5)));
        lines.push(
          `${2018 + Math.floor(q / 4)}-Q${(q % 4) + 1},${unit},${revenue},${profit},${((100 * profit) / revenue).toFixed(1)}`,
        );
      }
    const { found } = await analyseLines('unit-margins', lines);
    const margin = found.profile.measures.find((m) => m.id === 'operating_margin_pct');
    expect(margin?.weightedBy).toBe('revenue_keur');
  });

  it('tells a value most rows lack as how rare it is, not as the top twentieth holding it all', async () => {
    const random = mulberry32(3205);
    const lines = ['user_id,arm,device,converted,booking_value_eur'];
    for (let i = 0; i < 6000; i++) {
      const converted = random() < 0.08;
      const value = converted ? (120 + 400 * random() ** 2).toFixed(2) : '0.00';
      lines.push(
        `u${100000 + i},${random() < 0.5 ? 'control' : 'variant'},${random() < 0.6 ? 'mobile' : 'desktop'},${converted ? 'yes' : 'no'},${value}`,
      );
    }
    const { found } = await analyseLines('bookings', lines);
    const shape = found.facts.find((f) => f.type === 'distribution' && f.measureId === 'booking_value_eur');
    expect(shape?.data.heldByFew).toBeUndefined();
    expect(Number(shape?.claims.nonzeroShare?.value)).toBeLessThan(10);
    expect(found.angles.some((a) => a.lead.id === shape?.id)).toBe(false);
  });
});

describe('session 32: which last period is complete', () => {
  it('takes a last week that starts on December 30 of a calendar-year export as partial', async () => {
    const normal = normalGenerator(mulberry32(3206));
    const lines = ['week_start,region,product_line,units_sold,revenue_eur'];
    for (let w = 0; w < 105; w++) {
      const week = dayOf(2023, 1 + 7 * w); // Mondays from 2023-01-02 to 2024-12-30
      const part = w === 104 ? 2 / 7 : 1;
      for (const region of ['DACH', 'Benelux', 'Nordics', 'Iberia'])
        for (const line of ['Interior', 'Exterior', 'Primer']) {
          const units = Math.round(200 * part * (1 + 0.08 * normal()));
          lines.push(`${week},${region},${line},${units},${(units * 38 * (1 + 0.03 * normal())).toFixed(2)}`);
        }
    }
    const { stories } = await analyseLines('paint-weekly', lines);
    for (const s of stories) {
      expect(s.narrative).not.toMatch(/December 30, 2024, the latest complete/);
      expect(s.narrative).toMatch(/the week of December 30, 2024 is only partly in the file/);
    }
  });

  it('watches a sparse member of an event log over the file’s own complete months', async () => {
    const random = mulberry32(3207);
    const status = (declined: number) => {
      const r = random();
      return r < declined ? 'Declined' : r < declined + 0.02 ? 'Reversed' : r < declined + 0.06 ? 'Pending' : 'Settled';
    };
    const lines = ['transaction_date,merchant_category,amount_eur,status'];
    for (let d = 0; d < 366; d++) {
      const date = dayOf(2024, d);
      for (const [category, n] of [
        ['Travel', 12],
        ['Meals', 10],
        ['Fuel', 8],
      ] as const)
        for (let i = 0; i < n; i++)
          lines.push(`${date},${category},${(50 + 300 * random()).toFixed(2)},${status(0.02)}`);
      // Software shows up on about one day in three, with its own high decline rate.
      if (random() < 0.35 || d === 365)
        lines.push(`${date},Software & SaaS,${(100 + 900 * random()).toFixed(2)},${status(0.3)}`);
    }
    const { found, stories } = await analyseLines('card-ledger', lines);
    const software = found.angles.findIndex((a) => a.lead.id.startsWith('segment:status-declined'));
    expect(stories[software]?.narrative).toMatch(
      /What to watch: in December 2024, the latest complete month, Software/,
    );
    for (const s of stories) expect(s.narrative).not.toMatch(/December 2024 is only partly in the file/);
  });
});

describe('session 32: one member silent for some hours', () => {
  /**
   * Four months of hourly bike counts at six sites with a commuter day; Riverside reads zero from 06:00 to
   * 16:00 on May 14 (`outage`), or counts as usual.
   */
  const counters = (outage: boolean) => {
    const random = mulberry32(3208);
    const lines = ['timestamp,site_name,bike_count'];
    const sites: [string, number][] = [
      ['Central Station', 120],
      ['Riverside', 90],
      ['Harbour Path', 40],
      ['Ring Road', 70],
      ['Canal Towpath', 50],
      ['Old Town', 60],
    ];
    for (let d = 0; d < 122; d++) {
      const day = dayOf(2024, 60 + d);
      for (let h = 0; h < 24; h++) {
        const shape = h < 6 ? 0.05 : h === 8 || h === 17 ? 1.6 : h > 21 ? 0.2 : 0.8;
        for (const [site, level] of sites) {
          const expected = level * shape;
          let count = Math.max(0, Math.round(expected + Math.sqrt(expected) * (random() * 2 - 1) * 1.7));
          if (outage && site === 'Riverside' && day === '2024-05-14' && h >= 6 && h < 16) count = 0;
          lines.push(`${day} ${String(h).padStart(2, '0')}:00,${site},${count}`);
        }
      }
    }
    return lines;
  };

  it('tells the silent hours, the usual volume they lost and the dented day, traced', async () => {
    const { found, stories, names } = await analyseLines('counters', counters(true));
    const outage = found.facts.find((f) => f.data.outage !== undefined);
    expect(outage?.subspace?.member).toBe('Riverside');
    expect(outage?.claims.startHour?.text).toBe('06:00');
    expect(outage?.claims.endHour?.text).toBe('16:00');
    expect(outage?.claims.length?.value).toBe(10);
    const story = stories[found.angles.findIndex((a) => a.lead.id === outage!.id)];
    expect(story?.narrative).toMatch(
      /Riverside recorded no bike count from 06:00 to 16:00: a gap of 10 hours in a row/,
    );
    expect(story?.narrative).toMatch(/below its usual Tuesday/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  it('finds no outage where every site counted as usual, nights and all', async () => {
    const { found } = await analyseLines('counters-steady', counters(false));
    expect(found.facts.filter((f) => f.data.outage !== undefined)).toEqual([]);
  });
});

describe('session 32: wording that says what the numbers say', () => {
  it('sizes a step across zero in its units, never as a percentage past 100', async () => {
    const normal = normalGenerator(mulberry32(3209));
    const lines = ['fiscal_quarter,business_unit,revenue_keur,operating_profit_keur'];
    for (let q = 0; q < 32; q++)
      for (const [unit, profit] of [
        ['Marine', 18000],
        ['Rail', 7000],
        ['Software', 5000],
        ['Service', 4000],
        ['Energy', 9000],
        ['Mining', 6000],
        ['Water', 5500],
        ['Grid', 8000],
        ['Ports', 6500],
        ['Aero', 12000],
      ] as const) {
        const level = unit === 'Rail' && q >= 22 ? -2500 : profit;
        lines.push(
          `${2016 + Math.floor(q / 4)}-Q${(q % 4) + 1},${unit},${Math.round(6 * Math.abs(profit) * (1 + 0.04 * normal()))},${Math.round(level + 600 * normal())}`,
        );
      }
    const { found } = await analyseLines('units-profit', lines);
    const step = found.facts.find(
      (f) => f.type === 'change_point' && f.subspace?.member === 'Rail' && f.measureId === 'operating_profit_keur',
    );
    expect(step).toBeDefined();
    expect(step!.claims.changePct?.text).not.toMatch(/%/);
  });

  it('says a pay gap by sex shrinks within grades without calling it gone, men and women by name', async () => {
    const random = mulberry32(3210);
    const lines = ['employee_id,grade,gender,salary_eur'];
    const grades: [string, number, number][] = [
      ['Associate', 45000, 0.25],
      ['Consultant', 60000, 0.4],
      ['Manager', 85000, 0.6],
      ['Director', 140000, 1.01],
    ];
    for (let i = 0; i < 1500; i++) {
      const gender = random() < 0.02 ? 'X' : random() < 0.55 ? 'M' : 'F';
      // Men are more often in the upper grades; within a grade they earn 2% more.
      const pick = random() * (gender === 'M' ? 1 : 0.7) + (gender === 'M' ? 0 : 0.3 * random() ** 4);
      const [grade, base] = grades.find(([, , cut]) => pick < cut) ?? grades[3]!;
      lines.push(
        `E${10000 + i},${grade},${gender},${Math.round(base * (gender === 'M' ? 1.02 : 1) * (1 + 0.05 * (random() - 0.5)))}`,
      );
    }
    const { found, stories } = await analyseLines('pay', lines);
    const mix = found.angles.findIndex((a) => a.lead.type === 'simpson' && a.lead.dimension === 'gender');
    expect(mix).toBeGreaterThanOrEqual(0);
    expect(stories[mix]!.narrative).toMatch(
      /^# Salary is higher for men overall .*, but (barely|only .*) within each grade$/m,
    );
    expect(stories[mix]!.narrative).not.toMatch(/men employees|gender M/);
  });
});

describe('session 32: a branch that opened late, and a season that is no run-up', () => {
  /**
   * Two years of daily sales at five branches with a summer low and a Christmas high; Harrogate opens on
   * 15 April of the second year (`opens`), or is there from the start.
   */
  const branches = (opens: boolean) => {
    const normal = normalGenerator(mulberry32(3211));
    const lines = ['date,branch,units_sold,revenue_gbp'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const month = Number(date.slice(5, 7)) - 1;
      const season = 1 + 0.35 * Math.cos((2 * Math.PI * (month - 11)) / 12);
      for (const [branch, level] of [
        ['Leeds', 60],
        ['York', 40],
        ['Hull', 35],
        ['Sheffield', 45],
        ['Harrogate', 30],
      ] as const) {
        if (opens && branch === 'Harrogate' && date < '2024-04-15') continue;
        const units = Math.max(0, Math.round(level * season * (1 + 0.12 * normal())));
        lines.push(`${date},${branch},${units},${(units * 12.5).toFixed(2)}`);
      }
    }
    return lines;
  };

  it('tells the opening day and the share it reached, never the ramp-up as growth, traced', async () => {
    const { found, stories, names } = await analyseLines('branches-open', branches(true));
    const opening = found.facts.find((f) => f.data.launch === true);
    expect(opening?.subspace?.member).toBe('Harrogate');
    expect(opening?.claims.firstDay?.text).toBe('April 15, 2024');
    const story = stories[found.angles.findIndex((a) => a.lead.id === opening!.id)];
    expect(story?.narrative).toMatch(/Harrogate first appears on April 15, 2024, well after the file begins/);
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
    // A climb from June's low to December's high is the season, not a run-up.
    expect(found.facts.filter((f) => f.id.startsWith('surge:'))).toEqual([]);
  });

  it('finds no opening where every branch was there all along', async () => {
    const { found } = await analyseLines('branches-all', branches(false));
    expect(found.facts.filter((f) => f.data.launch === true)).toEqual([]);
  });
});

describe('session 32: measures that mean something', () => {
  it('reads hotel beds as a level over the years, and no spend per support ticket', async () => {
    const random = mulberry32(3212);
    const beds = ['country,year,hotel_beds_thousand,receipts_usd_m'];
    for (const country of ['France', 'Spain', 'Italy', 'Greece', 'Portugal'])
      for (let year = 2010; year <= 2023; year++)
        beds.push(
          `${country},${year},${(3000 * (1 + 0.02 * (year - 2010)) * (0.5 + random())).toFixed(1)},${(20000 * (0.5 + random())).toFixed(1)}`,
        );
    const { found } = await analyseLines('beds', beds);
    expect(found.profile.measures.find((m) => m.id === 'hotel_beds_thousand')?.stockPer).toBe('year');

    const members = ['member_id,segment,monthly_spend_eur,support_tickets_12m,churned'];
    for (let i = 0; i < 800; i++)
      members.push(
        `M${i},${random() < 0.5 ? 'Freelancer' : 'Startup'},${(100 + 900 * random()).toFixed(2)},${Math.floor(4 * random())},${random() < 0.2 ? 'yes' : 'no'}`,
      );
    const coworking = await analyseLines('members', members);
    expect(coworking.found.profile.measures.map((m) => m.id).filter((id) => /per support/.test(id))).toEqual([]);
  });

  it('never drives how a rental ended by how long it lasted or what it cost', async () => {
    const random = mulberry32(3213);
    const lines = ['rental_id,started_at,city,vehicle_type,duration_min,cost_eur,status'];
    for (let i = 0; i < 12000; i++) {
      const at = new Date(Date.UTC(2024, 0, 1) + i * 600_000).toISOString().slice(0, 16).replace('T', ' ');
      const r = random();
      const status = r < 0.05 ? 'cancelled' : r < 0.09 ? 'unlock_failed' : 'completed';
      // A rental that never started lasts a minute or two and costs the unlock fee.
      const duration = status === 'completed' ? 3 + Math.floor(40 * random()) : Math.floor(3 * random());
      const type = random() < 0.6 ? 'e-scooter' : 'e-bike';
      lines.push(
        `R${i},${at},${random() < 0.5 ? 'Milan' : 'Lisbon'},${type},${duration},${(1 + 0.25 * duration).toFixed(2)},${status}`,
      );
    }
    const { found } = await analyseLines('rentals', lines);
    expect(found.facts.filter((f) => f.id.startsWith('driver:status'))).toEqual([]);
  });

  it('says a machine sent no readings when its rows stop, not that it made nothing', async () => {
    const random = mulberry32(3214);
    const lines = ['timestamp,machine_id,parts_count,spindle_temp_c'];
    for (let q = 0; q < 35 * 96; q++) {
      const at = new Date(Date.UTC(2024, 2, 1) + q * 900_000);
      const stamp = at.toISOString().slice(0, 16).replace('T', ' ');
      const hour = at.getUTCHours();
      for (let m = 1; m <= 6; m++) {
        const machine = `MC-0${m}`;
        // MC-05's logger is down from 08:00 to 16:00 on March 26.
        if (machine === 'MC-05' && stamp >= '2024-03-26 08:00' && stamp < '2024-03-26 16:00') continue;
        const parts = Math.round((hour < 6 || hour >= 22 ? 6 : 10) + 3 * (random() - 0.5));
        lines.push(`${stamp},${machine},${parts},${(40 + 2 * random()).toFixed(1)}`);
      }
    }
    const { found } = await analyseLines('cnc', lines);
    const gap = found.facts.find((f) => f.data.outage !== undefined);
    expect(gap?.subspace?.member).toBe('MC-05');
    expect((gap!.data.outage as { noReadings: boolean }).noReadings).toBe(true);
  });
});

describe('session 32: one store’s month far off its share of the others, under a shared season', () => {
  /** Two years of daily orders at six stores with a Christmas peak; Linz sells a quarter of its usual in June 2024. */
  const stores = (collapse: boolean) => {
    const random = mulberry32(3215);
    const lines = ['order_date,store,net_amount_eur'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const month = Number(date.slice(5, 7));
      const season = month >= 11 ? 1.6 : month <= 2 ? 1.2 : 1;
      for (const [store, orders] of [
        ['Wien', 12],
        ['Graz', 8],
        ['Linz', 7],
        ['Salzburg', 9],
        ['Innsbruck', 6],
        ['Klagenfurt', 5],
      ] as const) {
        const cut = collapse && store === 'Linz' && date.startsWith('2024-06') ? 0.25 : 1;
        const n = Math.round(orders * season * cut * (0.7 + 0.6 * random()));
        for (let i = 0; i < n; i++) lines.push(`${date},${store},${(40 + 160 * random()).toFixed(2)}`);
      }
    }
    return lines;
  };

  it('tells the month against its usual share of the other stores, traced', async () => {
    const { found, stories, names } = await analyseLines('stores-collapse', stores(true));
    const off = found.facts.find((f) => f.data.offShare === true && f.measureId === 'net_amount_eur');
    expect(off?.subspace?.member).toBe('Linz');
    expect(off?.claims.period?.text).toBe('June 2024');
    const story = stories[found.angles.findIndex((a) => a.lead.id === off!.id)];
    expect(story?.narrative).toMatch(
      /Linz net amount came to €[\d,]+, [\d.]+% below the €[\d,]+ its usual share of the other stores points to/,
    );
    for (const s of stories) expect(verifyNarrative(s.narrative, s.claims, names).untraced).toEqual([]);
  });

  it('finds no month off its share where every store followed the season', async () => {
    const { found } = await analyseLines('stores-steady', stores(false));
    expect(found.facts.filter((f) => f.data.offShare === true)).toEqual([]);
  });
});

describe('session 32: a last year the file marks as provisional', () => {
  it('reads the marked year as partial, never as the latest complete one nor as a collapse', async () => {
    const normal = normalGenerator(mulberry32(3216));
    const lines = ['year,state,source,final_energy_gwh,coverage'];
    for (let year = 2005; year <= 2024; year++)
      for (const state of ['Wien', 'Tirol', 'Steiermark', 'Salzburg'])
        for (const [source, level] of [
          ['Gas', 900],
          ['Oil', 600],
          ['Heat pumps', 100],
          ['Biomass', 400],
        ] as const) {
          const k = year - 2005;
          const trend = source === 'Oil' ? 1 - 0.04 * k : source === 'Heat pumps' ? 1 + 0.12 * k : 1;
          const half = year === 2024 ? 0.5 : 1;
          lines.push(
            `${year},${state},${source},${(level * trend * half * (1 + 0.03 * normal())).toFixed(1)},${year === 2024 ? 'Jan-Jun (provisional)' : 'full year'}`,
          );
        }
    const { found, stories } = await analyseLines('heating', lines);
    expect(found.profile.time?.partialLast).toBe('Jan-Jun (provisional)');
    expect(found.profile.dimensions.map((d) => d.name)).not.toContain('coverage');
    for (const s of stories) {
      expect(s.narrative).not.toMatch(/2024, the latest complete year/);
      expect(s.title).not.toMatch(/in 2024/);
    }
  });
});

describe('session 32: one machine drifting among ten', () => {
  /** Five weeks of hourly readings from ten machines; MC-07's spindle warms by 8 °C (`drift`), or holds. */
  const machines = (drift: boolean) => {
    const normal = normalGenerator(mulberry32(3217));
    const lines = ['timestamp,machine_id,spindle_temp_c,parts_count'];
    for (let h = 0; h < 35 * 24; h++) {
      const stamp = new Date(Date.UTC(2024, 2, 1) + h * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      const hour = h % 24;
      for (let m = 1; m <= 10; m++) {
        const machine = `MC-${String(m).padStart(2, '0')}`;
        const warm = drift && machine === 'MC-07' ? (8 * h) / (35 * 24) : 0;
        const daily = 2 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
        const temp = 40 + daily + warm + 0.8 * normal();
        const parts = Math.max(0, Math.round((hour >= 6 && hour < 22 ? 40 : 25) + 4 * normal()));
        lines.push(`${stamp},${machine},${temp.toFixed(2)},${parts}`);
      }
    }
    return lines;
  };

  it('tells the one machine whose reading drifted as a story of the panel', async () => {
    const { found } = await analyseLines('machines-drift', machines(true));
    const drift = found.angles.find((a) => a.lead.type === 'trend' && a.lead.subspace?.member === 'MC-07');
    expect(drift).toBeDefined();
    expect(drift!.lead.impact).toBe(1);
  });

  it('finds no machine of its own where all ten held', async () => {
    const { found } = await analyseLines('machines-steady', machines(false));
    expect(found.angles.filter((a) => a.lead.type === 'trend' && a.lead.subspace !== undefined)).toEqual([]);
  });
});

describe('session 32: a year of hours at sixteen sites', () => {
  it('reads 140,000 site-hours without overflowing a call’s arguments', async () => {
    const random = mulberry32(3218);
    const lines = ['timestamp,site,count'];
    for (let h = 0; h < 365 * 24; h++) {
      const stamp = new Date(Date.UTC(2024, 0, 1) + h * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      for (let s = 1; s <= 16; s++) lines.push(`${stamp},S${s},${Math.round(20 + 10 * random())}`);
    }
    const { found } = await analyseLines('big-hourly', lines);
    expect(found.angles).toHaveLength(3);
    expect(found.facts.filter((f) => f.data.outage !== undefined)).toEqual([]);
  });
});
