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
