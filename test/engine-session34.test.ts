import { describe, expect, it } from 'vitest';
import { mulberry32, normalGenerator } from '../src/stats/index.ts';
import { analyseLines } from './helpers/analyse.ts';

/** An ISO date `days` after 1 January of `year`. */
const dayOf = (year: number, days: number) => new Date(Date.UTC(year, 0, 1 + days)).toISOString().slice(0, 10);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const average = (xs: number[]) => sum(xs) / xs.length;

describe('session 34: games played at home or away, and their results', () => {
  /**
   * A season of player game logs: eight teams of five players, each game one row per player; the home team
   * wins 62% of games and its players score about 12% more; results are written W and L.
   */
  const games = () => {
    const random = mulberry32(3401);
    const normal = normalGenerator(random);
    const teams = ['Hawks', 'Owls', 'Stags', 'Lynx', 'Comets', 'Titans', 'Mariners', 'Bears'];
    const lines = ['game_date,game_id,player,team,opponent,home_away,minutes,points,team_result'];
    for (let g = 0; g < 160; g++) {
      const date = dayOf(2024, 270 + Math.floor(g / 2) * 2);
      const home = teams[Math.floor(random() * teams.length)]!;
      const others = teams.filter((t) => t !== home);
      const away = others[Math.floor(random() * others.length)]!;
      const homeWins = random() < 0.62;
      for (const [team, opponent, side] of [
        [home, away, 'Home'],
        [away, home, 'Away'],
      ] as const) {
        const won = (side === 'Home') === homeWins;
        for (let p = 0; p < 5; p++) {
          const minutes = Math.round(28 + 4 * normal());
          const points = Math.max(0, Math.round((side === 'Home' ? 13.4 : 12) * (1 + 0.3 * normal())));
          lines.push(
            `${date},G${1000 + g},${team} player ${p + 1},${team},${opponent},${side},${minutes},${points},${won ? 'W' : 'L'}`,
          );
        }
      }
    }
    return lines;
  };

  it('reads W and L under a result column as a win rate and compares it at home and away', async () => {
    const lines = games();
    const { found } = await analyseLines('game-logs', lines);
    const win = found.profile.measures.find((m) => m.columns[0] === 'team_result' && m.aggregation === 'rate');
    expect(win?.label).toBe('win rate');
    expect(found.profile.dimensions.find((d) => d.name === 'home_away')?.condition).toBe(true);
    // Home or away is no outcome with a rate of its own.
    expect(found.profile.measures.some((m) => m.columns[0] === 'home_away')).toBe(false);
    const gap = found.facts.find(
      (f) => f.type === 'segment_difference' && f.id === 'segment:team-result-rate:home-away',
    );
    expect(gap).toBeDefined();
    const rows = lines.slice(1).map((line) => line.split(','));
    const rate = (side: string) => {
      const own = rows.filter((r) => r[5] === side);
      return own.filter((r) => r[8] === 'W').length / own.length;
    };
    const members = gap!.data.members as { member: string; value: number }[];
    expect(members.find((m) => m.member === 'Home')?.value).toBeCloseTo(rate('Home'), 6);
    expect(members.find((m) => m.member === 'Away')?.value).toBeCloseTo(rate('Away'), 6);
    expect(rate('Home')).toBeGreaterThan(rate('Away'));
  });
});

describe('session 34: a heat wave of a quarter more, clear of quiet days', () => {
  /** Daily cooling load of six zones over 110 days with 4% noise; a five-day heat wave adds 28% to every zone. */
  const cooling = (wave: boolean) => {
    const random = mulberry32(3402);
    const normal = normalGenerator(random);
    const zones = ['North', 'Central', 'East', 'Hospital', 'Mall', 'Campus'];
    const lines = ['date,zone,cooling_load_mw'];
    for (let d = 0; d < 110; d++) {
      const hot = wave && d >= 58 && d < 63 ? 1.28 : 1;
      for (const [z, zone] of zones.entries())
        lines.push(`${dayOf(2024, 151 + d)},${zone},${((20 + 3 * z) * hot * (1 + 0.04 * normal())).toFixed(2)}`);
    }
    return lines;
  };

  it('finds the five hot days as one stretch, with the level around them', async () => {
    const lines = cooling(true);
    const { found } = await analyseLines('cooling-wave', lines);
    const wave = found.facts.find((f) => f.type === 'spike' && f.data.episode && !f.subspace);
    expect(wave).toBeDefined();
    expect(wave!.data.at).toMatch(/^2024-07-2[89]|^2024-07-30/);
    const { length } = wave!.data.episode as { length: number };
    expect(length).toBeGreaterThanOrEqual(4);
    expect(length).toBeLessThanOrEqual(6);
    const daily = new Map<string, number[]>();
    for (const [date, , value] of lines.slice(1).map((line) => line.split(','))) {
      daily.set(date!, [...(daily.get(date!) ?? []), Number(value)]);
    }
    const hot = [...daily].slice(58, 63).map(([, values]) => average(values));
    expect(Number(wave!.claims.changePct?.value)).toBeGreaterThan(15);
    expect(Number(wave!.claims.value?.value)).toBeGreaterThan(0.9 * average(hot));
  });

  it('finds no stretch in the same days without the wave', async () => {
    const { found } = await analyseLines('cooling-calm', cooling(false));
    expect(found.facts.some((f) => f.type === 'spike' && f.data.episode && !f.subspace)).toBe(false);
  });
});

describe('session 34: margins, loss ratios and rents as a controller reads them', () => {
  /** Five years of monthly P&L by unit: cost of goods and operating expenses; Devices' goods cost creeps up. */
  const pnl = () => {
    const normal = normalGenerator(mulberry32(3403));
    const lines = ['Month;Business Unit;Revenue EUR;Cost of Goods EUR;Operating Expenses EUR'];
    const units: [string, number, number][] = [
      ['Industrial', 8_000_000, 0.6],
      ['Devices', 2_700_000, 0.58],
      ['Digital', 1_500_000, 0.3],
      ['Energy', 2_000_000, 0.55],
      ['Health', 1_800_000, 0.5],
    ];
    for (let m = 0; m < 60; m++)
      for (const [unit, revenue, goods] of units) {
        const r = revenue * (1 + 0.05 * normal());
        const share = unit === 'Devices' ? goods + 0.0028 * m : goods;
        const opex = 0.28 * r * (1 + 0.03 * normal());
        const month = `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        lines.push(
          `${month};${unit};${r.toFixed(2).replace('.', ',')};${(share * r).toFixed(2).replace('.', ',')};${opex.toFixed(2).replace('.', ',')}`,
        );
      }
    return lines;
  };

  it('takes every cost line off the operating margin and the goods alone off the gross margin', async () => {
    const lines = pnl();
    const { found, stories } = await analyseLines('unit-pnl', lines);
    const operating = found.profile.measures.find((m) => m.label === 'operating margin');
    const gross = found.profile.measures.find((m) => m.label === 'gross margin');
    expect(operating?.columns.sort()).toEqual(['Cost of Goods EUR', 'Operating Expenses EUR', 'Revenue EUR']);
    expect(gross?.columns.sort()).toEqual(['Cost of Goods EUR', 'Revenue EUR']);
    const rows = lines.slice(1).map((line) => line.split(';').map((cell) => Number(cell.replace(',', '.'))));
    const [revenue, goods, opex] = [2, 3, 4].map((i) => sum(rows.map((r) => r[i]!)));
    // The margin a story tells of the whole file is the file's own: (revenue − goods − opex) ÷ revenue,
    // a tenth or so, never the three quarters that forgetting the goods would give.
    const told = stories.map((story) => /the operating margin is (-?[\d.]+)%/.exec(story.narrative)?.[1]).find(Boolean);
    expect(told).toBeDefined();
    expect(Number(told)).toBeCloseTo(((revenue! - goods! - opex!) / revenue!) * 100, 1);
    const erosion = found.facts.find(
      (f) => f.measureId === gross!.id && f.subspace?.member === 'Devices' && f.family === 'temporal',
    );
    expect(erosion?.data.direction ?? erosion?.claims.changePct?.value).toBeDefined();
  });

  /** Policies of a motor book: vans claim dearly for their premium, young drivers claim more often. */
  const policies = () => {
    const random = mulberry32(3404);
    const normal = normalGenerator(random);
    const lines = ['policy_id,policy_start,age_band,vehicle_type,annual_premium_gbp,claims_count,claims_paid_gbp'];
    const ages = ['17-24', '25-34', '35-49', '50-64', '65+'];
    const vehicles = ['Hatchback', 'Saloon', 'SUV', 'Van', 'Estate'];
    for (let i = 0; i < 9000; i++) {
      const age = ages[i % 5 === 0 ? 0 : 1 + Math.floor(random() * 4)]!;
      const vehicle = vehicles[Math.floor(random() * 5)]!;
      const premium = 600 * (age === '17-24' ? 2.2 : 1) * (1 + 0.15 * normal());
      const chance = (age === '17-24' ? 0.22 : 0.09) * (vehicle === 'Van' ? 1.1 : 1);
      const claims = random() < chance ? 1 + (random() < 0.2 ? 1 : 0) : 0;
      let paid = 0;
      for (let c = 0; c < claims; c++) paid += 2200 * Math.exp(0.6 * normal()) * (vehicle === 'Van' ? 2.6 : 1);
      lines.push(
        `P${100000 + i},${dayOf(2023, Math.floor(random() * 360))},${age},${vehicle},${premium.toFixed(2)},${claims},${paid.toFixed(2)}`,
      );
    }
    return lines;
  };

  it('reads claims paid over premium as a loss ratio of sums and finds the vans, and how often each age claims', async () => {
    const lines = policies();
    const { found } = await analyseLines('motor-book', lines);
    const loss = found.profile.measures.find((m) => m.label === 'loss ratio');
    expect(loss?.ratio?.amounts).toBe(true);
    const rows = lines.slice(1).map((line) => line.split(','));
    const ratioOf = (keep: (r: string[]) => boolean) =>
      sum(rows.filter(keep).map((r) => Number(r[6]))) / sum(rows.filter(keep).map((r) => Number(r[4])));
    const vans = found.facts.find((f) => f.measureId === loss!.id && f.type === 'segment_difference');
    expect(vans?.data.member).toBe('Van');
    expect(vans?.claims.memberValue?.value).toBeCloseTo(
      ratioOf((r) => r[3] === 'Van'),
      6,
    );
    expect(Number(vans?.claims.memberValue?.value)).toBeGreaterThan(1);
    const claimed = found.profile.measures.find((m) => m.id === 'claims_count:any:rate');
    expect(claimed?.label).toBe('share of policies with a claim');
    const young = found.facts.find((f) => f.measureId === claimed!.id && f.type === 'segment_difference');
    expect(young?.data.member).toBe('17-24');
    const share = (age: string) => {
      const own = rows.filter((r) => r[2] === age);
      return own.filter((r) => Number(r[5]) > 0).length / own.length;
    };
    expect(young?.claims.memberValue?.value).toBeCloseTo(share('17-24'), 6);
  });

  it('averages asking rents and follows rent per m² over the listing months', async () => {
    const random = mulberry32(3405);
    const normal = normalGenerator(random);
    const lines = ['listing_id,listed_date,neighbourhood,size_m2,monthly_rent_eur,furnished'];
    const levels: Record<string, number> = { Centre: 24, Docks: 20, Oldtown: 16, North: 12 };
    for (let i = 0; i < 4000; i++) {
      const place = Object.keys(levels)[i % 4]!;
      const day = Math.floor(random() * 365);
      const size = Math.round(45 + 40 * random());
      const rent = size * levels[place]! * (1 + 0.15 * (day / 365)) * (1 + 0.06 * normal());
      lines.push(`L${i},${dayOf(2024, day)},${place},${size},${Math.round(rent)},${random() < 0.3 ? 'yes' : 'no'}`);
    }
    const { found } = await analyseLines('rent-listings', lines);
    const rent = found.profile.measures.find((m) => m.id === 'monthly_rent_eur');
    expect(rent?.aggregation).toBe('mean');
    expect(found.profile.dimensions.find((d) => d.name === 'furnished')?.condition).toBe(true);
    expect(found.profile.measures.some((m) => m.columns[0] === 'furnished')).toBe(false);
    const perM2 = found.profile.measures.find((m) => m.id === 'monthly_rent_eur per size_m2');
    const rising = found.facts.find((f) => f.measureId === perM2?.id && f.type === 'trend' && !f.subspace);
    expect(rising?.data.direction).toBe('up');
  });

  it('reads net income over revenue as a net margin, and no smooth grower as a step when its siblings lose money', async () => {
    const normal = normalGenerator(mulberry32(3406));
    const lines = ['quarter,company,sector,revenue_musd,net_income_musd'];
    const companies: [string, string, number, number][] = [
      ['Aerolis', 'Airlines', 6000, 0.08],
      ['Skyvale', 'Airlines', 4000, 0.07],
      ['Condor', 'Airlines', 5000, 0.06],
      ['Petrel', 'Chips', 3000, 0.14],
      ['Halden', 'Chips', 2500, 0.2],
      ['Vantive', 'Software', 2000, 0.25],
      ['Arcadia', 'Retail', 30000, 0.02],
      ['Mercado', 'Retail', 20000, 0.025],
    ];
    for (let q = 0; q < 32; q++)
      for (const [company, sector, revenue, margin] of companies) {
        const shock = sector === 'Airlines' && (q === 13 || q === 14);
        const r = revenue * 1.01 ** q * (shock ? 0.3 : 1) * (1 + 0.03 * normal());
        const income =
          company === 'Petrel'
            ? 400 * 1.045 ** q * (1 + 0.04 * normal())
            : shock
              ? -0.4 * r
              : margin * r * (1 + 0.1 * normal());
        lines.push(
          `${2017 + Math.floor(q / 4)}-Q${(q % 4) + 1},${company},${sector},${r.toFixed(1)},${income.toFixed(1)}`,
        );
      }
    const { found } = await analyseLines('listed-companies', lines);
    const net = found.profile.measures.find((m) => m.label === 'net margin');
    expect(net?.columns).toEqual(['net_income_musd', 'revenue_musd']);
    expect(
      found.facts.some((f) => f.measureId === net!.id && f.type === 'segment_difference' && f.dimension === 'sector'),
    ).toBe(true);
    expect(
      found.facts.filter(
        (f) => f.type === 'change_point' && f.subspace?.member === 'Petrel' && f.measureId === 'net_income_musd',
      ),
    ).toEqual([]);
  });
});

describe('session 34: what a calendar and a blank counter say', () => {
  it('tells a counter with blank hours as sending no readings, never as counting zero', async () => {
    const random = mulberry32(3407);
    const lines = ['timestamp,sensor_id,vehicles'];
    const start = Date.UTC(2024, 8, 2);
    for (let h = 0; h < 24 * 42; h++) {
      const at = new Date(start + h * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      const hour = h % 24;
      const level = hour >= 7 && hour <= 19 ? 300 : 40;
      for (let s = 1; s <= 6; s++) {
        const blank = s === 4 && h >= 24 * 20 && h < 24 * 22;
        lines.push(`${at},TC-10${s},${blank ? '' : Math.round(level * (0.8 + 0.4 * random()))}`);
      }
    }
    const { found, stories } = await analyseLines('blank-counter', lines);
    const outage = found.facts.find((f) => f.data.outage !== undefined && f.subspace?.member === 'TC-104');
    expect(outage).toBeDefined();
    expect((outage!.data.outage as { noReadings: boolean }).noReadings).toBe(true);
    expect(outage!.claims.dayValue).toBeUndefined();
    const text = stories.map((story) => story.narrative).join('\n');
    expect(text).not.toMatch(/TC-104 recorded no vehicles/);
  });

  /** Two years of weekly sales by category: ice cream alone swings with summer; Christmas week jumps each year. */
  const weekly = () => {
    const normal = normalGenerator(mulberry32(3408));
    const lines = ['week_start,category,sales_eur'];
    const categories: [string, number][] = [
      ['Ice Cream', 700],
      ['Dairy', 3000],
      ['Produce', 2500],
      ['Bakery', 1800],
      ['Pantry', 2200],
    ];
    for (let w = 0; w < 104; w++) {
      const date = dayOf(2023, 1 + 7 * w);
      const month = Number(date.slice(5, 7));
      const christmas = date.slice(5, 7) === '12' && Number(date.slice(8, 10)) >= 18 && Number(date.slice(8, 10)) <= 24;
      for (const [category, level] of categories) {
        const summer = category === 'Ice Cream' ? 1 + 0.8 * Math.cos((2 * Math.PI * (month - 7)) / 12) : 1;
        lines.push(
          `${date},${category},${(level * summer * (christmas ? 1.45 : 1) * (1 + 0.03 * normal())).toFixed(2)}`,
        );
      }
    }
    return lines;
  };

  it('leaves the summer to ice cream, whose cycle it is, and the last Christmas week to the calendar', async () => {
    const { found } = await analyseLines('ice-cream-weeks', weekly());
    const own = found.facts.find((f) => f.type === 'member_cycle' && f.subspace?.member === 'Ice Cream');
    expect(own).toBeDefined();
    const whole = found.facts.filter((f) => f.type === 'seasonality' && !f.subspace && f.data.cycle === 'month');
    expect(whole.length).toBeGreaterThan(0);
    for (const season of whole) expect(season.data.explainedBy).toBe('Ice Cream');
    expect(
      found.angles.some((a) => a.lead.type === 'seasonality' && !a.lead.subspace && a.lead.data.cycle === 'month'),
    ).toBe(false);
    expect(found.facts.some((f) => f.type === 'latest_change')).toBe(false);
  });
});

describe('session 34: a charity’s gifts, a matched-giving day and the few who give most', () => {
  /**
   * Two years of gifts by 3,000 donors (two or three gifts each, a few major donors giving thousands), with a
   * matched-giving day on 3 December 2024 that brings 30× a usual day, and one gift of £40,000 one April.
   */
  const gifts = () => {
    const random = mulberry32(3409);
    const normal = normalGenerator(random);
    const lines = ['donation_id,donation_date,donor_id,campaign,amount_gbp'];
    let id = 0;
    const campaigns = ['Winter Appeal', 'Clean Water', 'Education', 'Emergency', 'General'];
    for (let d = 0; d < 731; d++) {
      const date = dayOf(2023, d);
      const matchDay = date === '2024-12-03';
      const count = matchDay ? 600 : 6 + Math.floor(random() * 5);
      for (let g = 0; g < count; g++) {
        const major = random() < 0.01;
        const donor = major ? `D${Math.floor(random() * 30)}` : `D${30 + Math.floor(random() * 2970)}`;
        const amount = major ? 4000 * Math.exp(0.5 * normal()) : 30 * Math.exp(0.6 * normal());
        lines.push(`G${++id},${date},${donor},${campaigns[Math.floor(random() * 5)]},${amount.toFixed(2)}`);
      }
      if (date === '2024-04-16') lines.push(`G${++id},${date},D9999,General,40000.00`);
    }
    return lines;
  };

  it('reads donors who give twice as people, not a panel, finds the matched day first and the few who give most', async () => {
    const lines = gifts();
    const { found } = await analyseLines('charity-gifts', lines);
    expect(found.profile.entity).toBeNull();
    const day = found.facts.find((f) => f.type === 'spike' && !f.subspace && String(f.data.at).startsWith('2024-12-0'));
    expect(day).toBeDefined();
    expect(day!.surprise).toBeGreaterThanOrEqual(1.3);
    expect(found.angles[0]?.lead.id).toBe(day!.id);
    // No stretch of days "running far above its level" that is the one gift of £40,000.
    expect(
      found.facts.some((f) => f.type === 'spike' && f.data.episode && String(f.data.at).startsWith('2024-04-1')),
    ).toBe(false);
    const few = found.facts.find((f) => f.type === 'concentration' && f.dimension === 'donor_id');
    expect(few).toBeDefined();
    const totals = new Map<string, number>();
    for (const [, , donor, , amount] of lines.slice(1).map((line) => line.split(',')))
      totals.set(donor!, (totals.get(donor!) ?? 0) + Number(amount));
    const sorted = [...totals.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Number(few!.claims.topK?.value)).reduce((a, b) => a + b, 0);
    expect(Number(few!.claims.topShare?.value)).toBeCloseTo((top / sum(sorted)) * 100, 6);
  });
});

describe('session 34: what a click costs, and a day of one sale', () => {
  /** A year of paid media by channel and campaign; Meta's clicks cost 70% more from July; one campaign sells once on 29 April. */
  const media = () => {
    const random = mulberry32(3410);
    const normal = normalGenerator(random);
    const lines = ['date,channel,campaign,spend_eur,impressions,clicks,conversions,revenue_eur'];
    const campaigns: [string, string, number][] = [
      ['Google Search', 'GS_Brand', 0.6],
      ['Google Search', 'GS_Generic', 0.9],
      ['Meta', 'META_Prospecting', 0.55],
      ['Meta', 'META_Retarget', 0.5],
      ['TikTok', 'TT_Spark', 0.4],
      ['Display', 'GDN_Awareness', 0.3],
    ];
    for (let d = 0; d < 366; d++) {
      const date = dayOf(2024, d);
      for (const [channel, campaign, cpc] of campaigns) {
        const spend = 400 * (1 + 0.1 * normal());
        const price = cpc * (channel === 'Meta' && d >= 182 ? 1.7 : 1) * (1 + 0.05 * normal());
        const clicks = Math.round(spend / price);
        const lonely = campaign === 'TT_Spark' && date === '2024-04-29';
        const conversions = lonely ? 1 : Math.max(1, Math.round(clicks * 0.02 * (1 + 0.15 * normal())));
        lines.push(
          `${date},${channel},${campaign},${spend.toFixed(2)},${clicks * 40},${clicks},${conversions},${(conversions * 60).toFixed(2)}`,
        );
      }
    }
    return lines;
  };

  it('follows the cost per click, and tells no spike of cost per conversion on a day of one conversion', async () => {
    const lines = media();
    const { found } = await analyseLines('paid-media', lines);
    const cpc = found.profile.measures.find((m) => m.label === 'cost per click');
    expect(cpc?.perUnit).toEqual({ money: 'spend_eur', base: 'clicks' });
    const step = found.facts.find(
      (f) => f.type === 'change_point' && f.measureId === cpc!.id && f.subspace?.member === 'Meta',
    );
    expect(step).toBeDefined();
    expect(String(step!.data.at)).toMatch(/^2024-0[67]/);
    expect(
      found.facts.some(
        (f) =>
          f.type === 'spike' && String(f.data.at).startsWith('2024-04-29') && f.measureId.includes('per conversion'),
      ),
    ).toBe(false);
  });
});

describe('session 34: four weeks of roadworks at one counter', () => {
  /** Twelve weeks of daily counts at 14 counters; TC-105 runs at 42% of its traffic for 28 days (when `works`). */
  const counters = (works: boolean) => {
    const random = mulberry32(3411);
    const normal = normalGenerator(random);
    const lines = ['date,sensor_id,vehicles'];
    for (let d = 0; d < 84; d++) {
      const date = dayOf(2024, 245 + d);
      const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
      for (let s = 1; s <= 14; s++) {
        const id = `TC-${100 + s}`;
        const closed = works && id === 'TC-105' && d >= 35 && d < 63;
        const level = (3000 + 400 * s) * (weekend ? 0.65 : 1) * (closed ? 0.42 : 1);
        lines.push(`${date},${id},${Math.round(level * (1 + 0.06 * normal()))}`);
      }
    }
    return lines;
  };

  it('tells the counter’s four weeks below its level, and nothing in the same counts without them', async () => {
    const { found } = await analyseLines('roadworks', counters(true));
    const stretch = found.facts.find((f) => f.type === 'spike' && f.data.episode && f.subspace?.member === 'TC-105');
    expect(stretch).toBeDefined();
    const { length } = stretch!.data.episode as { length: number };
    expect(length).toBeGreaterThanOrEqual(26);
    expect(length).toBeLessThanOrEqual(30);
    expect(Number(stretch!.claims.changePct?.value)).toBeLessThan(-45);
    const calm = await analyseLines('no-roadworks', counters(false));
    expect(calm.found.facts.filter((f) => f.type === 'spike' && f.data.episode && f.subspace)).toEqual([]);
  });
});

describe('session 34: counts past a bar of time are a share of their base', () => {
  it('reads parcels collected within 24h as a share of those delivered, and waited over 18 weeks as a bar', async () => {
    const random = mulberry32(3412);
    const lines = ['date,site_id,city,parcels_delivered,collected_within_24h'];
    const cities: [string, number][] = [
      ['Warsaw', 0.84],
      ['Krakow', 0.83],
      ['Gdansk', 0.68],
      ['Poznan', 0.85],
    ];
    for (let d = 0; d < 200; d++)
      for (const [c, [city, share]] of cities.entries())
        for (let s = 0; s < 3; s++) {
          const delivered = 60 + Math.floor(40 * random());
          const collected = Math.round(delivered * share * (0.95 + 0.1 * random()));
          lines.push(
            `${dayOf(2024, d)},${city.slice(0, 3).toUpperCase()}-${c}${s},${city},${delivered},${Math.min(delivered, collected)}`,
          );
        }
    const { found } = await analyseLines('lockers', lines);
    const share = found.profile.measures.find((m) => m.id === 'collected_within_24h/parcels_delivered');
    expect(share?.label).toBe('share collected within 24h');
    const gap = found.facts.find(
      (f) => f.measureId === share!.id && f.type === 'segment_difference' && f.dimension === 'city',
    );
    expect(gap?.data.member).toBe('Gdansk');
    const rows = lines.slice(1).map((line) => line.split(','));
    const gdansk = rows.filter((r) => r[2] === 'Gdansk');
    expect(gap?.claims.memberValue?.value).toBeCloseTo(
      sum(gdansk.map((r) => Number(r[4]))) / sum(gdansk.map((r) => Number(r[3]))),
      6,
    );
    const { nameParts } = await import('../src/insights/semantics.ts');
    expect(nameParts('waited_over_18_weeks').label).toBe('waited over 18 weeks');
  });
});

describe('session 34: what a row is dated by, and what went wrong in it', () => {
  it('dates reservations by the day of the meal, and returns by the day they came back', async () => {
    const random = mulberry32(3413);
    const lines = ['booking_id,booked_at,reservation_date,restaurant,party_size,no_show'];
    for (let i = 0; i < 4000; i++) {
      const day = Math.floor(random() * 360);
      const valentine = random() < 0.04;
      const reserved = valentine ? dayOf(2024, 44) : dayOf(2024, day);
      const ahead = Math.floor(random() * 14);
      const booked = new Date(
        Date.parse(`${reserved}T00:00:00Z`) - ahead * 86_400_000 + Math.floor(random() * 20) * 3_600_000,
      );
      lines.push(
        `B${i},${booked.toISOString().slice(0, 16).replace('T', ' ')},${reserved},${['Lupa', 'Kaiyo', 'Verte'][i % 3]},${2 + (i % 4)},${random() < 0.08 ? 'yes' : 'no'}`,
      );
    }
    const { found } = await analyseLines('reservations', lines);
    expect(found.profile.time?.name).toBe('reservation_date');
    const returns = ['return_id,order_date,return_date,category,item_price_gbp'];
    for (let i = 0; i < 1500; i++) {
      const ordered = Math.floor(random() * 330);
      returns.push(
        `R${i},${dayOf(2023, ordered)},${dayOf(2023, ordered + 3 + Math.floor(random() * 30))},Toys,${(20 + 30 * random()).toFixed(2)}`,
      );
    }
    const back = await analyseLines('returns', returns);
    expect(back.found.profile.time?.name).toBe('return_date');
  });

  it('reads bags mishandled over bags handled as the mishandling rate', async () => {
    const random = mulberry32(3414);
    const lines = ['date,airport,bags_handled,bags_mishandled'];
    for (let d = 0; d < 200; d++)
      for (const [airport, rate] of [
        ['BER', 0.011],
        ['FRA', 0.006],
        ['MUC', 0.0055],
        ['HAM', 0.006],
      ] as const) {
        const handled = 8000 + Math.floor(2000 * random());
        lines.push(`${dayOf(2024, d)},${airport},${handled},${Math.round(handled * rate * (0.8 + 0.4 * random()))}`);
      }
    const { found } = await analyseLines('baggage', lines);
    const rate = found.profile.measures.find((m) => m.id === 'bags_mishandled/bags_handled');
    expect(rate?.label).toBe('mishandling rate');
    const worst = found.facts.find((f) => f.measureId === rate!.id && f.type === 'segment_difference');
    expect(worst?.data.member).toBe('BER');
  });
});
