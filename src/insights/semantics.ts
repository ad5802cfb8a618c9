/**
 * Light semantic priors read from column headers. They only break ties the data cannot decide
 * (is `price` summed or averaged?); every rule here is generic vocabulary, never a dataset's column.
 */

export const tokensOf = (name: string): string[] =>
  name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9%]+/)
    .filter(Boolean);

export const hasToken = (name: string, words: readonly string[]): boolean => {
  const tokens = tokensOf(name);
  return tokens.some((token) => words.some((word) => token === word || (word.length >= 4 && token.startsWith(word))));
};

/** Measures whose total over rows means something (money, counts of things, volumes). */
const additiveWords = [
  'revenue',
  'sales',
  'amount',
  'refund',
  'refunds',
  'cost',
  'costs',
  'spend',
  'spending',
  'profit',
  'income',
  'expense',
  'expenses',
  'expenditure',
  'expenditures',
  'receipts',
  'outlays',
  'units',
  'quantity',
  'qty',
  'count',
  'orders',
  'order',
  'sessions',
  'session',
  'users',
  'visits',
  'visitors',
  'clicks',
  'impressions',
  'views',
  'conversions',
  'conversion',
  'signups',
  'purchases',
  'transactions',
  'tickets',
  'calls',
  'generation',
  'volume',
  // Water given or drawn, in litres: it adds up over the readings.
  'irrigation',
  'litres',
  'liters',
  'population',
  'pop',
  'gmv',
  'mrr',
  'arr',
  'seats',
  'licenses',
  'licences',
  'downloads',
  'installs',
  'leads',
  'deaths',
  'cases',
  'births',
  'total',
  'sum',
  'emissions',
  'consumption',
  'energy',
  'kwh',
  'mwh',
  'gwh',
  'trips',
  'passengers',
  'bookings',
  // Things that happened, counted (three late deliveries in an hour, most hours none): they add up.
  'deliveries',
  'shipments',
  'arrivals',
  'admissions',
  'rides',
  'complaints',
  'incidents',
  'accidents',
  'defects',
  'failures',
  'errors',
  'crashes',
  'reports',
  'offences',
  'offenses',
  'crimes',
  'fires',
  'collisions',
] as const;

/** Measures that are levels, ratios or per-unit values: averaged, never summed. */
const averagedWords = [
  'price',
  // What a student pays a year, a list price by another name: averaged across universities, never summed.
  'tuition',
  // Revenue per available room and the average daily rate of hotels: per room, never summed.
  'revpar',
  'adr',
  'rate',
  'ratio',
  'pct',
  'percent',
  'percentage',
  'share',
  'avg',
  'average',
  'mean',
  'median',
  // Annual average daily traffic: a station's typical day, never summed over stations.
  'aadt',
  'temperature',
  // Sunlight on a square metre is a level of the sky, the same over every panel under it.
  'irradiance',
  'irradiation',
  'insolation',
  'ghi',
  'temp',
  'humidity',
  'score',
  // A pain or symptom score on a numeric or visual analogue scale (NRS, VAS) is a patient's reading.
  'pain',
  'nrs',
  'vas',
  'severity',
  'nps',
  'csat',
  'satisfaction',
  'sentiment',
  'rating',
  // A player's or a team's strength rating (Elo) is a level of each, averaged.
  'elo',
  'quality',
  'age',
  'tenure',
  'days',
  'duration',
  'length',
  'depth',
  'mass',
  'weight',
  'height',
  'width',
  'size',
  // A car's odometer reading (and a fuel economy's miles per gallon) describes the car, never a sum.
  'mileage',
  'odometer',
  // A call centre's average handle time, speed of answer and waits are per call, never summed.
  'aht',
  'asa',
  'latency',
  'wait',
  // A machine's specification (an engine's cylinders, horsepower and displacement) describes it.
  'cylinders',
  'horsepower',
  'hp',
  'displacement',
  'torque',
  // A brew's gravity, strength, bitterness and colour are readings of each batch.
  'plato',
  'brix',
  'abv',
  'ibu',
  'ebc',
  'srm',
  'mpg',
  'acceleration',
  'latitude',
  'lat',
  'longitude',
  'lon',
  'lng',
  'index',
  'speed',
  'pressure',
  'vibration',
  'level',
  'concentration',
  'ppm',
  // Light on a surface (illuminance, irradiance) is a level read at each moment.
  'lux',
  'illuminance',
  'irradiance',
  // Air-quality indices and readings: an index summed over sites or days means nothing.
  'aqi',
  'pm25',
  'pm10',
  'acidity',
  'salinity',
  'turbidity',
  'expect',
  'expectancy',
  'fertility',
  'density',
  'margin',
  'bounce',
  'probability',
  'kw',
  'power',
  'voltage',
  'current',
  'frequency',
  'rpm',
  'torque',
  'flow',
  'flowrate',
  'co2',
  'salary',
  'wage',
  'per',
  'capita',
  'utilization',
  'load',
  'elapsed',
  'latency',
  'time',
  'months',
  'years',
  'hours',
  'minutes',
  'distance',
  'bmi',
  'gpa',
  'grade',
] as const;

/** Headers that name an identifier or a code, not a quantity. */
const identifierWords = [
  'id',
  'bib',
  'uuid',
  'guid',
  'key',
  'code',
  'zip',
  'postal',
  'postcode',
  'phone',
  'email',
  'sku',
  'isbn',
  'iban',
  'number',
  'no',
] as const;

/** Integer columns with few values that are labels of groups, not amounts. */
const groupCodeWords = [
  'cluster',
  'group',
  'segment',
  'class',
  'category',
  'type',
  'code',
  'region',
  'zone',
  'tier',
  'level',
  'cohort',
  'team',
  'store',
  'branch',
  'site',
  'line',
  'bucket',
  'sex',
  'gender',
  'party',
  'grade',
] as const;

/** Headers that name a time. */
const timeWords = [
  'date',
  'time',
  'timestamp',
  'datetime',
  'day',
  'month',
  'year',
  'period',
  'week',
  'quarter',
  'created',
  'updated',
  'at',
] as const;

/** Outcome-like headers: rates of these are what people usually want explained. */
const outcomeWords = [
  'churn',
  'churned',
  'converted',
  'conversion',
  'conversions',
  'retained',
  'active',
  'cancel',
  'cancelled',
  'canceled',
  'default',
  'defaulted',
  'fraud',
  'survived',
  'success',
  'won',
  'clicked',
  'purchased',
  'returned',
  'left',
  'approved',
  'accepted',
  'rejected',
  'admitted',
  'hired',
  'renewed',
  'attrition',
  'delinquent',
  'responded',
  'readmitted',
  'refunded',
  'escalated',
  'disputed',
] as const;

/** Primary business measures outrank auxiliary ones. */
const primaryWords = [
  'revenue',
  'sales',
  'profit',
  'amount',
  'gmv',
  'mrr',
  'arr',
  'churn',
  'conversions',
  'sessions',
  'orders',
  'generation',
  // What a plant or a line makes (a hydro plant's output_mwh). ("Production" names budgets and dates too.)
  'output',
  'users',
  'salary',
  'salaries',
  'wage',
  'wages',
  'earnings',
  'compensation',
] as const;

/** Numerator and denominator vocabulary for rates that are a ratio of two counts (conversions ÷ sessions). */
const rateNumeratorWords = [
  // Quality on a line: defects, rejects, scrap and faults of what was produced or inspected.
  'defect',
  'reject',
  'scrap',
  'fault',
  // A shop's funnel: checkouts and carts of its sessions.
  'checkout',
  'carts',
  // A queue's calls or chats that were given up, dropped or missed.
  'abandoned',
  'dropped',
  'missed',
  'conversions',
  'conversion',
  'converted',
  'orders',
  'purchases',
  'signups',
  'clicks',
  'sales',
  'transactions',
  'bookings',
  'leads',
  'churned',
  'cancellations',
  'returns',
  'errors',
  'failures',
  'bounces',
  'deaths',
  'cases',
  'goals',
  'completions',
  'admitted',
  'accepted',
  'approved',
  'hired',
  'passed',
  'graduated',
  'completed',
  'responded',
  'responses',
  'successes',
  // A fundraiser's donations or donors of its visits; sign-ups under other names.
  'donations',
  'donors',
  'pledges',
  'registrations',
  'enrolments',
  'enrollments',
  'installs',
  'activations',
  'redemptions',
  // An app's paying users of its active ones.
  'payers',
  'buyers',
  'purchasers',
  // An email's opens, clicks and unsubscribes of what was sent.
  'opened',
  'opens',
  'clicked',
  'unsubscribed',
  'unsubscribes',
] as const;
const rateDenominatorWords = [
  // Emails sent or delivered; a batch's size on a line.
  'sent',
  'sends',
  'flights',
  'shipments',
  'delivered',
  'recipients',
  'batch',
  'sessions',
  'visits',
  'visitors',
  'users',
  'dau',
  'mau',
  'impressions',
  'views',
  'clicks',
  'leads',
  'trials',
  'customers',
  'contacts',
  'requests',
  'calls',
  'attempts',
  'footfall',
  'traffic',
  'entries',
  'population',
  'pop',
  'applicants',
  'applications',
  'candidates',
  'participants',
  'enrolled',
  'started',
  'produced',
  'production',
  'inspected',
  'manufactured',
  'tested',
  'offered',
  'received',
  'incoming',
] as const;

/**
 * Levels that add up across things at one moment but not across time (a country's population in 1990 and
 * in 1995 are not 2 populations): summed within a period, averaged over periods.
 */
const stockWords = [
  'population',
  'pop',
  'inhabitants',
  'residents',
  'inventory',
  'headcount',
  'balance',
  'holdings',
  'stock',
  'employees',
  'workforce',
  'subscribers',
  'enrollment',
  'enrolment',
  'enrolled',
  // Who is in a school system in a year (students, teachers): a head count, never summed over years.
  'students',
  'pupils',
  'teachers',
  // Recurring revenue is a run rate at a moment: twelve months of MRR are no year's revenue.
  'mrr',
  'arr',
  // Daily, weekly or monthly active users are a head count of the period: thirty DAUs are no MAU.
  'dau',
  'wau',
  'mau',
  // What a place has to offer at a time (hotel beds, a fleet, a capacity): a level, never summed over years.
  'beds',
  'capacity',
  'fleet',
  // How many people are in a building or a room at a moment: a head count, never summed over the hours.
  'occupancy',
  'occupants',
] as const;

/** Things counted as active at a moment (active customers, active cases): a level, not what happened. */
const activeThings =
  /(^|[^a-z])active[\s_-]?(users?|customers?|accounts?|members?|clients?|subscriptions?|subscribers?|devices?|players?|listings?|patients?|cases?|sellers?|merchants?|drivers?|riders?|vehicles?|stores?|sites?|projects?|contracts?|policies|loans?)([^a-z]|$)/i;

/** Columns whose values are kinds of event or states (page_view / add_to_cart / purchase; active / churned). */
const eventKindWords = [
  'event',
  'action',
  'status',
  'state',
  'stage',
  'outcome',
  'result',
  'type',
  'activity',
] as const;

/** Quantities on an interval scale: a difference is meaningful, a ratio is not (20 °C is not twice 10 °C). */
const intervalWords = [
  'temperature',
  'temp',
  'tmax',
  'tmin',
  'tavg',
  'celsius',
  'fahrenheit',
  'anomaly',
  'anomalies',
  'deviation',
] as const;

export const isAdditiveName = (name: string) => hasToken(name, additiveWords);
export const isIntervalName = (name: string) => hasToken(name, intervalWords) || /°[CF]\b/.test(name);
/** A column of the states a row passes through (status, stage, outcome, result): how it ended, set late by nature. */
export const isLifecycleName = (name: string) => /(^|[\s_-])(status|state|stage|outcome|result)([\s_-]|$)/i.test(name);
/** A column of kinds, types or states (event type, status, vehicle type). */
export const isKindName = (name: string) => hasToken(name, eventKindWords);
/** A column of kinds of event or states, whose rarest kind is worth a rate (purchase, churned, crash). */
export const isEventKindName = (name: string) =>
  isKindName(name) &&
  // A type of a thing (vehicle type, room type, customer type) is what the thing is, not what happened.
  !(tokensOf(name).length > 1 && tokensOf(name).at(-1) === 'type' && !hasToken(name, eventTypeOwners));

/** What a `…_type` column types when it is a kind of event: an event's, an action's, a transaction's. */
const eventTypeOwners = [
  'event',
  'action',
  'activity',
  'transaction',
  'interaction',
  'request',
  'log',
  'message',
] as const;
export const isStockName = (name: string) =>
  // What came in or went out over a period (new subscribers, students enrolled this year, lost customers) is a
  // flow of the stock, summed over periods.
  !isFlowOfStockName(name) &&
  (hasToken(name, stockWords) ||
    activeThings.test(name) ||
    /(^|[^a-z])on[\s_-]?hand([^a-z]|$)|(^|[^a-z])(backlog|outstanding|open[\s_-]tickets)([^a-z]|$)/i.test(name) ||
    /(^|[^a-z])out[\s_-]?of[\s_-]?school([^a-z]|$)/i.test(name) ||
    // Who is at work at each moment (drivers on shift, nurses on duty, agents logged in): a headcount, never
    // summed over hours.
    /[a-z][\s_-](on[\s_-]?(shift|duty)|logged[\s_-]?in)([^a-z]|$)/i.test(name));
const isFlowOfStockName = (name: string) =>
  hasToken(name, [
    'new',
    'added',
    'gained',
    'lost',
    'churned',
    'cancelled',
    'canceled',
    'joined',
    'left',
    'gross',
    'net',
  ]) && !hasToken(name, ['balance', 'mrr', 'arr', 'beds', 'capacity', 'fleet', 'inventory', 'stock']);
/** Words that say a column counts to date (`cumulative_revenue`, `sales_ytd`); `cumul` covers cumulative, cumulated. */
const cumulativeWords = ['cumul', 'cum', 'accumulated', 'ytd', 'mtd', 'running', 'todate', 'lifetime'] as const;
export const isCumulativeName = (name: string) => hasToken(name, cumulativeWords) || /\bto[\s_-]?date\b/i.test(name);
/** Units of a level or a rate (a reading, not an amount): a column in rpm, bar or amps is averaged, never summed. */
const intensiveUnits = new Set([
  'rpm',
  'Hz',
  'bar',
  'psi',
  'kPa',
  'hPa',
  'mbar',
  '°C',
  '°F',
  'ppm',
  'ppb',
  'lx',
  'L/min',
  'm³/h',
  'm/s',
  'mm/s',
  'km/h',
  'kW',
  'MW',
  'A',
  'V',
  // Per square metre: a level of what falls on each metre, whatever the number of panels or fields.
  'kWh/m²',
  'W/m²',
  'MJ/m²',
  'mol/m²',
  'K',
  'kg/m²',
  'g/m²',
  'L/m²',
  'kg/ha',
  't/ha',
]);
/** When an entity began: a customer's sign-up, a member's joining, an employee's hire. */
const entityStartWords = [
  'signup',
  'signed',
  'join',
  'joined',
  'joining',
  'registration',
  'registered',
  'enrolled',
  'enrollment',
  'enrolment',
  'activation',
  'activated',
  'since',
  'onboarded',
  'onboarding',
  'acquired',
  'acquisition',
  'hire',
  'hired',
  'subscribed',
] as const;
export const isEntityStartName = (name: string) =>
  hasToken(name, entityStartWords) || /(^|[^a-z])sign[\s_-]?up/i.test(name);
/**
 * The year a thing came to be (`year_opened`, `year_built`, `founded_year`): when each station or house
 * began, not when the rows happened. (A ticket's `opened_at` date is when its event happened.)
 */
export const isFoundingYearName = (name: string) =>
  isYearName(name) &&
  hasToken(name, ['opened', 'built', 'founded', 'established', 'commissioned', 'installed', 'constructed', 'launched']);
/** What a business gives back of a total: refunds and returns of gross sales, discounts of list value. */
export const isGivenBackName = (name: string) =>
  hasToken(name, [
    'refund',
    'refunds',
    'refunded',
    'returns',
    'returned',
    'chargebacks',
    'chargeback',
    'discount',
    'discounts',
    'rebate',
    'rebates',
    'writeoff',
    'writeoffs',
  ]);
/** A lever the business sets (a discount, a markdown): beside what it sold, the outcome is the story. */
export const isLeverName = (name: string) =>
  hasToken(name, ['discount', 'discounts', 'markdown', 'markdowns', 'coupon', 'rebate', 'promo']);
/** People on a payroll or a roster (sales_staff, agents, fte): a head count, never a count of what they do. */
export const isHeadcountName = (name: string) =>
  /(^|[_\s-])(staff|employees|agents|workers|headcount|fte|technicians|crew)([_\s-]|$)/i.test(name);
/** How many people live in a place (population, inhabitants): what its other counts grow with. */
export const isPopulationName = (name: string) =>
  /(^|[_\s-])(population|pop|inhabitants|residents)([_\s-]|$)/i.test(name);
/** How a survey was answered (response channel, interview mode): its fieldwork, not what was said. */
export const isFieldworkName = (name: string) =>
  /(^|[_\s-])(response|survey|interview|answer)[_\s-]?(channel|mode|method|device|language)$/i.test(name);
/** Money paid back after the fact (a refund, a chargeback): it follows what went wrong, never causes it. */
export const isRefundName = (name: string) =>
  hasToken(name, ['refund', 'refunds', 'refunded', 'chargeback', 'chargebacks', 'writeoff', 'writeoffs']);
/** What is offered beside what is taken up of it (seats beside passengers, capacity beside use). */
export const isOfferedName = (name: string) =>
  /^(seats|capacity|seats offered|available seats)$/i.test(nameParts(name).label);
/** Words of something gone wrong with a row (late, fraud, a default): an outcome whatever else it does. */
const mishapWords = ['late', 'overdue', 'defective', 'fraud', 'default'];
export const isMishapName = (name: string) => hasToken(name, mishapWords);
/** A name that says what happened to a row (delivered_late, defaulted, was_delayed): a yes/no when 0 or 1. */
export const isHappenedName = (name: string) =>
  tokensOf(name).some((token) => (/ed$/.test(token) && token.length > 4) || mishapWords.includes(token));
/** A score the rows are judged by: a rating, points, a grade, satisfaction. */
export const isScoreName = (name: string) =>
  isSatisfactionName(name) || hasToken(name, ['score', 'scores', 'points', 'grade', 'stars']);
/** A yes/no answer about what someone means to do (would return, would recommend, plans to renew). */
export const isIntentName = (name: string) =>
  /(^|[_\s-])(would|will|intends?|plans?|likely)([_\s-]|$)|recommend|return|renew|repeat/i.test(name);
/** Scores of how satisfied someone is (CSAT, NPS, a rating): two of them agree by construction. */
export const isSatisfactionName = (name: string) =>
  hasToken(name, ['csat', 'nps', 'satisfaction', 'satisfied', 'rating', 'ratings', 'recommend', 'happiness']);
/** How many die, and how early (deaths, mortality, years of life lost, life expectancy): one measure of health. */
export const isMortalityName = (name: string) =>
  hasToken(name, ['death', 'deaths', 'mortality', 'ypll', 'premature']) || /life[\s_-]?expectancy/i.test(name);
export const isAveragedName = (name: string) =>
  hasToken(name, averagedWords) ||
  // A unit cost, unit value or unit margin: money per unit, a price by another name.
  /(^|[^a-z])unit[\s_-]?(cost|costs|value|margin|revenue|price)([^a-z]|$)/i.test(name) ||
  // A handle time, exactly: parcels handled add up.
  tokensOf(name).includes('handle') ||
  // A dwelling's asking or monthly rent is its price (rents collected, rental income add up).
  /(^|[^a-z])(monthly|weekly|asking|advertised|listed|list|base|net|cold|warm)[\s_-]?rents?([^a-z]|$)/i.test(name) ||
  /(^|[^a-z])rents?[\s_-]?(per[\s_-]?month|pcm|pm|pw)([^a-z]|$)/i.test(name) ||
  intensiveUnits.has(nameParts(name).unit) ||
  /(^|[^A-Za-z])pH(?![a-z])/.test(name);
/** "Per capita" shortened after a unit (waste_kg_pc, cost_eur_pc); a bare `_pc` may be a percent. */
const perCapitaSuffix =
  /^(.+?[_\s](?:kg|g|t|tonnes|l|litres|liters|m3|kwh|mwh|eur|usd|gbp|chf|items|trips|visits))[_\s]pc$/i;

/**
 * A value per thing (revenue_per_trip_eur, spend_pp, CO2 per capita): already a ratio, averaged and never
 * summed, and never divided by its thing again. Per day or per hour in a table of days is the row's amount.
 */
export const isPerThingName = (name: string) => {
  const tokens = tokensOf(name);
  const per = tokens.indexOf('per');
  const after = tokens[per + 1] ?? '';
  return (
    tokens.some((token) => token === 'pp' || token === 'capita' || token === 'percapita') ||
    perCapitaSuffix.test(name) ||
    (per >= 0 &&
      after !== '' &&
      !/^(day|hour|hr|week|month|quarter|year|yr|annum|minute|min|second|sec|shift)s?$/.test(after))
  );
};
/**
 * What was put on to serve the work (lanes open, crews on duty, chargers available): the plan that meets
 * demand, read beside the waits and volumes it serves rather than as their story.
 */
export const isCapacityName = (name: string) =>
  /(^|[_\s-])(lanes?|staff|crews?|agents?|chargers?|beds?|desks?|counters?|tills?|registers?|checkouts?|servers?|booths?|gates?|windows?|tables?|rooms?)[_\s-]*(open|opened|available|on[_\s-]?duty|on[_\s-]?shift|staffed|scheduled|rostered|in[_\s-]?service)([_\s-]|$)/i.test(
    name,
  ) || /(^|[_\s-])(headcount|capacity)([_\s-]|$)/i.test(name);

/**
 * A level set by a rule from what it guards (a reorder point from demand, a safety stock, a credit limit from
 * income): the rule read back from the rows, never a finding about them.
 */
export const isPolicySettingName = (name: string) =>
  /(^|[_\s-])(reorder|re-order|safety[_\s-]?stock|par[_\s-]?level|min(imum)?[_\s-]?stock|max(imum)?[_\s-]?stock|credit[_\s-]?limit|quota|target)([_\s-]|$)/i.test(
    name,
  );

export const isIdentifierName = (name: string) => {
  const tokens = tokensOf(name);
  const last = tokens[tokens.length - 1] ?? '';
  return tokens.length > 0 && (identifierWords as readonly string[]).includes(last);
};
/**
 * A row's place inside its parent (an order's line 1, 2, 3; a sequence number): neither a quantity nor a
 * group to compare — line 7 of every order has nothing in common but its place.
 */
export const isPositionName = (name: string) =>
  /^(line|order line|line item|seq|sequence|position|pos)( (no|num|number|nr|idx|index))?$/.test(
    tokensOf(name).join(' '),
  );
/** Group words that also name a group at the end of a run-together header ("Pclass", "agegroup"). */
const groupSuffixes = ['class', 'group', 'cluster', 'segment', 'cohort', 'category'] as const;
export const isGroupCodeName = (name: string) =>
  hasToken(name, groupCodeWords) ||
  tokensOf(name).some((token) =>
    groupSuffixes.some((suffix) => token.length > suffix.length && token.endsWith(suffix)),
  );
export const isTimeName = (name: string) => hasToken(name, timeWords);
/** A column of years: `year`, `yr`, `model_year`, or a `season` of a harvest or a league (2022, 2023). */
export const isYearName = (name: string) =>
  tokensOf(name).some((token) => token === 'year' || token === 'yr' || token === 'yyyy' || token === 'season');
export const isOutcomeName = (name: string) =>
  hasToken(name, outcomeWords) || /(^|[_\s-])no[_\s-]?shows?($|[_\s-])/i.test(name);
/**
 * A header that is one thing that happened to a row or one state it is in (`crashed`, `escalated`,
 * `is_refunded`, `has_coupon`): a yes/no column when it holds two values.
 */
/** A yes/no column that judges a number against a bar (late, overdue, passed, over budget). */
export function isVerdictName(name: string): boolean {
  return VERDICT_NAME.test(name);
}

const VERDICT_NAME =
  /(^|[_\s-])(late|delayed|overdue|on[_\s-]?time|breach(ed)?|sla|exceeded|over[_\s-]?(limit|budget|target)|(above|below)[_\s-]?target|passed|pass|failed|fail|slow)([_\s-]|$)/i;

export function isFlagName(name: string): boolean {
  const tokens = tokensOf(name);
  const prefixed = tokens.length === 2 && ['is', 'has', 'was', 'did'].includes(tokens[0]!);
  const word = prefixed ? tokens[1]! : tokens.length === 1 ? tokens[0]! : '';
  return prefixed || (word.length > 5 && word.endsWith('ed'));
}

/** A column named only as what a model predicts (`target`, `Outcome`): a yes/no outcome when it holds 0 and 1. */
export const isLabelName = (name: string) => {
  const tokens = tokensOf(name);
  return tokens.length === 1 && ['target', 'outcome', 'label', 'diagnosis'].includes(tokens[0]!);
};

/** Parts of a calendar date written as their own whole-number column: their headers and the values they take. */
const CALENDAR_PARTS = [
  { part: 'month', names: ['month', 'mon', 'mo', 'mth', 'mnth', 'mm'], min: 1, max: 12 },
  { part: 'quarter', names: ['quarter', 'qtr', 'q'], min: 1, max: 4 },
  { part: 'week', names: ['week', 'wk'], min: 1, max: 53 },
  { part: 'day', names: ['day', 'dd'], min: 1, max: 31 },
  { part: 'weekday', names: ['weekday', 'dow'], min: 0, max: 7 },
  { part: 'hour', names: ['hour', 'hr'], min: 0, max: 23 },
] as const;
export type CalendarPart = (typeof CALENDAR_PARTS)[number]['part'];

/**
 * A whole-number column that is a part of a date (`month` 1–12, `quarter` 1–4, `hour` 0–23): a position in
 * the calendar, never a quantity to add up or average. Null when the name or the values say otherwise.
 */
export function calendarPartOf(name: string, stats: { min: number; max: number }): CalendarPart | null {
  const tokens = tokensOf(name);
  if (tokens.length !== 1) return null;
  const found = CALENDAR_PARTS.find((entry) => (entry.names as readonly string[]).includes(tokens[0]!));
  return found && stats.min >= found.min && stats.max <= found.max ? found.part : null;
}

/**
 * An hour of the day in a column of its own, however qualified (`hour`, `sched_dep_hour`, `pickup_hr`): the
 * last word says it; `hours` and `_hrs` are durations.
 */
export const isHourOfDayName = (name: string) => {
  const last = tokensOf(name).at(-1);
  return last === 'hour' || last === 'hr';
};

/** How the two sides of a condition that describes people read: "for smokers" and "for non-smokers". */
const peopleConditions: Record<string, readonly [string, string]> = {
  smoker: ['for smokers', 'for non-smokers'],
  smoking: ['for smokers', 'for non-smokers'],
  smokes: ['for smokers', 'for non-smokers'],
  senior: ['for seniors', 'for non-seniors'],
  married: ['for married people', 'for unmarried people'],
  partner: ['for people with a partner', 'for people without one'],
  dependents: ['for people with dependents', 'for people without dependents'],
  // Pupils' circumstances: eligible for free school meals, special educational needs, a disability.
  meals: ['for pupils on free meals', 'for pupils not on free meals'],
  fsm: ['for pupils on free meals', 'for pupils not on free meals'],
  lunch: ['for pupils on free lunch', 'for pupils not on free lunch'],
  disadvantaged: ['for disadvantaged pupils', 'for other pupils'],
  disability: ['for people with a disability', 'for people without one'],
  disabled: ['for people with a disability', 'for people without one'],
  veteran: ['for veterans', 'for non-veterans'],
  homeowner: ['for homeowners', 'for non-homeowners'],
  scholarship: ['for scholarship holders', 'for other students'],
  bursary: ['for bursary holders', 'for other students'],
};

/** Yes/no conditions that say what kind of row it is, as an adjective: remote employees, premium customers. */
const adjectiveConditions = [
  'remote',
  'hybrid',
  'onsite',
  'premium',
  'vip',
  'loyalty',
  'member',
  'international',
  'domestic',
  'urban',
  'rural',
] as const;
/**
 * What a product is made as (organic wine, a vegan dish, a refurbished laptop): a trait its score or price is
 * compared across, not an outcome; its other side is "non-organic".
 */
const productTraits = [
  'organic',
  'biodynamic',
  'vegan',
  'vegetarian',
  'refurbished',
  'handmade',
  'recycled',
  'certified',
  'fairtrade',
  // How a dwelling is let: its rent is compared across, never its "furnish rate" driven by the rent.
  'furnished',
  'renovated',
] as const;
export const isProductTrait = (label: string) => (productTraits as readonly string[]).includes(label.toLowerCase());
export const isAdjectiveCondition = (label: string) =>
  (adjectiveConditions as readonly string[]).includes(label.toLowerCase()) || isProductTrait(label);

const fittings = [
  'battery',
  'warranty',
  'garage',
  'pool',
  'balcony',
  'garden',
  'fireplace',
  'elevator',
  'aircon',
  'charger',
  'sunroof',
  'towbar',
  'parking',
] as const;

/**
 * Yes/no conditions a row was under (a promotion, a holiday, a discount), not results: the question about
 * them is how the other measures differ with and without, never how often they happen.
 */
const conditionWords = [
  'promo',
  'promotion',
  'promoted',
  'holiday',
  'discount',
  'discounted',
  'coupon',
  'campaign',
  'weekend',
  'workingday',
  'workday',
  'schoolday',
  // People's own yes/no attributes (smoker, married) are conditions too.
  ...Object.keys(peopleConditions),
  'offer',
  'featured',
  'advertised',
  'intervention',
  'treated',
  // What a row holds or is enrolled in (a wellness plan, a pay-as-you-throw scheme, insurance): it buys or
  // changes what the row spends and does, so it is compared across, never driven by them.
  'plan',
  'scheme',
  'insured',
  'insurance',
  // The weather of a day, yes or no: what the day's numbers are compared across.
  'rain',
  'snow',
  'storm',
  'sunny',
  'frost',
  // How or where a row works or buys: remote or not, a premium member or not.
  ...adjectiveConditions,
  ...productTraits,
  // What a thing comes fitted with (a battery with the solar panels, a garage with the house): bought or built
  // with it, so its price includes it; the question is the price with and without, not the battery "rate".
  ...fittings,
];
export const isConditionName = (name: string) => hasToken(name, conditionWords) && !isOutcomeName(name);

/** The kind of day a condition names (`workingday` → "working", `school day` → "school"), or null. */
export const dayKindOf = (label: string): string | null =>
  /^(.*?)\s*days?$/i.exec(label.replace(/^(is|on)\s+/i, ''))?.[1] ?? null;

export const peopleConditionSides = (name: string): readonly [string, string] | null => {
  const tokens = tokensOf(name).filter((token) => !['is', 'has', 'flag', 'free', 'reduced'].includes(token));
  return tokens.length === 1 ? (peopleConditions[tokens[0]!] ?? null) : null;
};
/** The headline measures of a table: money in, what is sold, churn — and, in health data, how long people live. */
/** Gross takings or turnover: in money, what a business took in (not a gross weight in kg). */
export const isGrossName = (name: string) =>
  hasToken(name, ['gross', 'turnover', 'takings']) ||
  // An order line's or an invoice's total is what the sale brought in (line_total_eur, order_total).
  /(^|[_\s-])(line|order|invoice|basket|sale|grand)[_\s-]?total([_\s-]|$)/i.test(name);
export const isPrimaryName = (name: string) => hasToken(name, primaryWords) || /life[\s_-]?expect/i.test(name);

/**
 * How long a row took to reach its end (days_to_adoption, hours_to_resolve, time_to_close): the process's
 * outcome, what it is run to shorten.
 */
export const isTimeToName = (name: string) =>
  /(^|[_\s-])(days?|hours?|hrs|minutes?|mins|weeks?|months?|time)[_\s-]+(to|until|till)[_\s-]+[a-z]/i.test(name);

/**
 * How long the row's own process took once it was in (processing_days, resolution_hours, turnaround_time):
 * known only at its end, so it follows what the row was at the start, never explains it.
 */
export const isProcessTimeName = (name: string) =>
  isTimeToName(name) ||
  /(^|[_\s-])(processing|resolution|turnaround|handling|fulfil+ment|repair)[_\s-]*(time|days?|hours?|hrs|minutes?|mins)([_\s-]|$)/i.test(
    name,
  );

/** The size of a row's thing (an animal's weight, a parcel's length): what it is, not what happened to it. */
export const isBodySizeName = (name: string) =>
  tokensOf(name).some((token) => ['weight', 'mass', 'height', 'length', 'width', 'girth', 'size'].includes(token));

/**
 * A breakdown named as a cut of a numeric column (age_band of age, size_class of size), or whose members
 * read as ranges of numbers ("18-34", "65+", "<20k", "20–40k").
 */
export const mayCut = (dimension: string, members: readonly string[], column: string) =>
  tokensOf(dimension).some((token) => tokensOf(column).includes(token)) ||
  // A band or a bracket is a cut of some number, whatever its members are called (Initial, Grade 1-2).
  tokensOf(dimension).some((token) =>
    ['band', 'bands', 'bin', 'bins', 'bracket', 'brackets', 'tier', 'tiers'].includes(token),
  ) ||
  (members.length > 0 &&
    members.every((member) =>
      /^\s*[<>≤≥]?\s*[\d.,]+\s*[a-z]*\s*([-–+]|to|and over|plus)?\s*[\d.,]*\s*[a-z]*\s*$/i.test(member),
    )) ||
  // Members named as levels of a score (promoters, passives and detractors of a 0–10 recommend score; low,
  // medium and high) are a cut of whichever number their ranges split.
  (members.length > 0 && members.every((member) => scoreLevelWords.has(member.trim().toLowerCase())));

const scoreLevelWords = new Set([
  'promoter',
  'promoters',
  'passive',
  'passives',
  'detractor',
  'detractors',
  'low',
  'medium',
  'mid',
  'moderate',
  'high',
  'very low',
  'very high',
]);

/** Who a person is by birth (gender, sex, ethnicity): a breakdown of people whose totals mostly count them. */
export const isPersonTraitName = (name: string) =>
  tokensOf(name).some((token) => ['gender', 'sex', 'ethnicity', 'race'].includes(token));

/** Who a respondent is (age, household size, children): what may explain their answers, not a finding. */
export const isDemographicName = (name: string) =>
  tokensOf(name).some((token) => ['age', 'household', 'children', 'kids', 'dependents'].includes(token));

/**
 * A reading of how reliably a service runs (punctuality, on-time share, cancellations, delays): two of them
 * are one reliability read twice, and move together by nature.
 */
export const isReliabilityName = (name: string) =>
  isDelayName(name) ||
  tokensOf(name).some((token) =>
    ['punctuality', 'punctual', 'ontime', 'cancelled', 'canceled', 'cancellations', 'cancellation'].includes(token),
  ) ||
  /on[\s_-]?time/i.test(name);

/** How late or delayed something was (days_late, arr_delay): the service's failure, what it is watched for. */
export const isDelayName = (name: string) =>
  tokensOf(name).some((token) => ['late', 'lateness', 'delay', 'delays', 'delayed', 'overdue'].includes(token));

/**
 * A term set in advance (promised_days, scheduled_minutes, target_units): it differs by service or route
 * because it was set so. Context for how the outcome kept it, rarely news of its own. (A budget alone is
 * the subject of its table, so it is not among these.)
 */
export const isPromiseName = (name: string) =>
  tokensOf(name).length > 1 &&
  hasToken(name, ['promised', 'scheduled', 'quoted', 'planned', 'committed', 'target', 'sla', 'forecast', 'setpoint']);

/** The weather a row happened in: context for what was counted or sold then, not the subject itself. */
const weatherTokens = new Set([
  'temp',
  'temperature',
  'tmax',
  'tmin',
  'tavg',
  'atemp',
  'humidity',
  'hum',
  'wind',
  'windspeed',
  'precipitation',
  'precip',
  'rain',
  'rainfall',
  'snow',
  'snowfall',
  'dewpoint',
  'visibility',
  'cloud',
  'clouds',
  'cloudcover',
  // Sunlight on the ground: the sky's, not the panel's.
  'irradiance',
  'irradiation',
  'insolation',
  'ghi',
  'sunshine',
]);
/** Where a temperature is taken on a machine or a network (supply_temp_c, oil_temp): the plant's, not the sky's. */
const equipmentTokens = new Set([
  'supply',
  'return',
  'inlet',
  'outlet',
  'oil',
  'engine',
  'motor',
  'coolant',
  'cpu',
  'core',
  'tank',
  'furnace',
  'kiln',
  'oven',
  'boiler',
  'bearing',
  'battery',
  'cabinet',
  'indoor',
  'room',
  'process',
  'exhaust',
  'module',
  'panel',
]);
export const isWeatherName = (name: string) => {
  const tokens = tokensOf(name);
  return tokens.some((token) => weatherTokens.has(token)) && !tokens.some((token) => equipmentTokens.has(token));
};
/**
 * Which base a rate is usually taken over, best first: the step just before it in a funnel (conversions
 * per click), then visits before people (per session, as web analytics counts it), then exposure.
 */
const denominatorPreference = [
  ['clicks'],
  ['sessions', 'visits'],
  ['leads', 'trials', 'calls', 'attempts', 'requests', 'contacts'],
  ['customers', 'users', 'visitors'],
  ['views', 'impressions'],
  ['population', 'pop'],
] as const;

/** Rank of a rate's denominator by `denominatorPreference` (lower is more usual). */
export function denominatorRank(name: string): number {
  const rank = denominatorPreference.findIndex((words) => hasToken(name, words));
  return rank < 0 ? denominatorPreference.length : rank;
}

/**
 * Rating scales written as words (survey answers), lowest first. A column whose answers all come from one
 * scale is a score, 1 for the first step, not a category of five unrelated answers.
 */
export const RATING_SCALES: readonly (readonly (readonly string[])[])[] = [
  [
    ['strongly disagree'],
    ['disagree', 'somewhat disagree'],
    ['neutral', 'neither agree nor disagree'],
    ['agree', 'somewhat agree'],
    ['strongly agree'],
  ],
  [
    ['very dissatisfied'],
    ['dissatisfied', 'somewhat dissatisfied'],
    ['neutral', 'neither satisfied nor dissatisfied'],
    ['satisfied', 'somewhat satisfied'],
    ['very satisfied'],
  ],
  [
    ['very unlikely'],
    ['unlikely', 'somewhat unlikely'],
    ['neutral', 'neither likely nor unlikely'],
    ['likely', 'somewhat likely'],
    ['very likely'],
  ],
  [['never'], ['rarely', 'seldom'], ['sometimes', 'occasionally'], ['often', 'usually'], ['always']],
  [['very poor'], ['poor'], ['fair', 'average'], ['good'], ['very good', 'excellent']],
];

/** The rating scale every value belongs to (lower-cased, trimmed), or null; at least three steps used. */
export function ratingScaleOf(values: readonly string[]): readonly (readonly string[])[] | null {
  const answers = [...new Set(values.map((value) => value.trim().toLowerCase()))];
  if (answers.length < 3) return null;
  return RATING_SCALES.find((scale) => answers.every((answer) => scale.some((step) => step.includes(answer)))) ?? null;
}

/** The arm an experiment compares against: control, baseline, holdout, placebo. */
export const isControlMember = (member: string) =>
  /^(?:(?:[a-z]|\d{1,2})[ _-]+)?(control|baseline|holdout|placebo)(\b|[ _-]|$)/i.test(member.trim());

/**
 * A column named after two others (`pm25_pm10_ratio` after `pm25_annual_ugm3` and `pm10_annual_ugm3`): the
 * first word of each of them is among its words, and the two differ.
 */
export function namesBoth(name: string, a: string, b: string): boolean {
  const own = tokensOf(name);
  const [x, y] = [tokensOf(a)[0], tokensOf(b)[0]];
  return x !== undefined && y !== undefined && x !== y && own.includes(x) && own.includes(y);
}

/** An experiment's one control among its arms' names, or null when there is none or more than one. */
export function controlOf(arms: readonly string[]): string | null {
  const controls = arms.filter(isControlMember);
  return controls.length === 1 ? controls[0]! : null;
}

/**
 * The arms of an experiment (an A/B test): a column named for it (`variant`, `arm`, `experiment`,
 * `treatment`, `ab_group`) or one with a `control` (`baseline`, `holdout`, `placebo`) member. Comparing its members is
 * what the file was made for, so a small but real lift is the finding, not a negligible difference.
 */
export function isExperimentArm(dimension: { name: string; members: readonly string[] }): boolean {
  const tokens = tokensOf(dimension.name);
  const control = dimension.members.some(isControlMember);
  // A treatment is an arm beside a control (drug or placebo); a dentist's treatments (filling, crown) are kinds.
  const named =
    tokens.some((token) => ['variant', 'variants', 'arm', 'experiment', 'ab'].includes(token)) ||
    (tokens.includes('treatment') &&
      (control || dimension.members.some((m) => /\b(drug|dose|arm|[a-c])\b/i.test(m)))) ||
    /^a\/?b[ _-]?(test|group|variant)?$/i.test(dimension.name.trim());
  return dimension.members.length >= 2 && dimension.members.length <= 6 && (named || control);
}

/** Headers of a column that names the quantity in each row (`metric`, `kpi`, `indicator`). */
export const isMetricNameColumn = (name: string) =>
  tokensOf(name).some((token) => ['metric', 'metrics', 'kpi', 'indicator', 'measure', 'variable'].includes(token));

/** Headers that name a share of a whole (`pct`, `share_of_total`, `proportion`). */
export const isShareName = (name: string) =>
  tokensOf(name).some((token) => ['pct', 'percent', 'percentage', 'share', 'proportion', 'fraction'].includes(token)) ||
  // The rate of an outcome among rows or visits is a share of them (conversion_rate 0.044 is 4.4%); a heart
  // rate or an exchange rate is not.
  /(conversion|bounce|churn|click|open|retention|return|win|error|defect|attrition|response|completion|occupancy|fill|approval|acceptance|success|failure|cancellation|unemployment|vacancy|participation|employment|utili[sz]ation|dropout|delivery|redemption)[_\s-]?rate/i.test(
    name,
  );

/** Money spent to get something: a cost per conversion, per click. */
const costWords = ['cost', 'costs', 'spend', 'spent', 'spending', 'budget', 'expense', 'expenses', 'cpc'] as const;
/** Money taken in: revenue per order, per customer. */
const takingsWords = ['revenue', 'sales', 'gmv', 'amount', 'income', 'turnover', 'takings', 'gross'] as const;
/**
 * What money is counted per, most telling first: a cost per conversion says more than a cost per click,
 * revenue per order more than per session. Units and quantities are left out: money per unit is a price.
 */
const costBases = [
  'conversions',
  'acquisitions',
  'signups',
  'installs',
  'leads',
  'orders',
  'purchases',
  'bookings',
  'transactions',
  'shipments',
  'deliveries',
  'parcels',
  'packages',
  'trips',
  'tickets',
  'claims',
  'hires',
  'patients',
  'clicks',
  'customers',
  'users',
  'visitors',
  'sessions',
  'visits',
] as const;
const takingsBases = [
  'orders',
  'purchases',
  'transactions',
  'bookings',
  'shipments',
  'deliveries',
  'trips',
  'tickets',
  'guests',
  'conversions',
  'customers',
  'users',
  'visitors',
  'sessions',
  'visits',
] as const;

/** For a money column, how telling `base` is as what it is counted per (lower first), or null when it is not one. */
/**
 * Whether a count belongs to another money column of the row rather than to `money`: a petrol station's
 * shop transactions are the shop sales' (both say "shop"), not the fuel revenue's.
 */
export function countsForOther(money: string, base: string, others: readonly string[]): boolean {
  const own = (name: string) => tokensOf(nameParts(name).label).filter((word) => word.length > 2);
  const [baseOwn, moneyOwn] = [own(base), own(money)];
  const shares = (name: string) => own(name).some((word) => baseOwn.includes(word) && !isTakingsOrCostWord(word));
  return !shares(money) && others.some((other) => other !== money && shares(other)) && moneyOwn.length > 0;
}

const isTakingsOrCostWord = (word: string) =>
  (takingsWords as readonly string[]).includes(word) || (costWords as readonly string[]).includes(word);

export function perUnitRank(money: string, base: string): number | null {
  // What the things were worth (booking value, order value) is taken in, as revenue is.
  const takings = hasToken(money, takingsWords) || isValueName(money);
  const bases = hasToken(money, costWords) ? costBases : takings ? takingsBases : null;
  if (!bases || hasToken(base, costWords) || hasToken(base, takingsWords)) return null;
  // Tickets raised with support are complaints, not tickets sold: spend per support ticket means nothing.
  if (/(^|[\s_-])(support|help|service|complaint|incident|issue|it)[\s_-]*(desk[\s_-]*)?tickets?/i.test(base))
    return null;
  const tokens = tokensOf(base);
  const rank = bases.findIndex((word) => tokens.includes(word));
  return rank < 0 ? null : rank;
}

export const isCostName = (name: string) =>
  hasToken(name, costWords) &&
  // Time spent (nights_spent, minutes_spent, time_spent_sec) is no money.
  !/(nights?|days?|hours?|hrs|minutes?|mins|seconds?|secs|time|weeks?|years?)[\s_-]*spent/i.test(name);
/** What things were worth (booking value, order value): money taken in when it is money. */
export const isValueName = (name: string) => hasToken(name, ['value']);
/** A cost of what is sold (food cost, COGS, expenses), not spend or a budget. */
export const isCostOfSalesName = (name: string) => hasToken(name, ['cost', 'costs', 'cogs', 'expense', 'expenses']);
/**
 * What money is spent to get (visits, sign-ups, sales): spend against it is a marketing table's news. A cost
 * against the work it pays for (shipping cost and shipments), or what it buys by the thousand (impressions,
 * clicks: CPM and CPC), only rises with it.
 */
export const isSpendOutcomeName = (name: string) =>
  hasToken(name, [
    'conversions',
    'acquisitions',
    'signups',
    'installs',
    'leads',
    'visits',
    'sessions',
    'users',
    'visitors',
    'purchases',
    'revenue',
    'sales',
    'bookings',
    'applications',
    // A film's box office against its production budget.
    'gross',
    'box',
  ]);
export const isTakingsName = (name: string) => hasToken(name, takingsWords);
export const isBudgetName = (name: string) => hasToken(name, ['budget', 'budgets']);
/** What is charged on an amount (a card fee, a commission, a surcharge): a rate of it, not money of its own. */
export const isFeeName = (name: string) =>
  hasToken(name, ['fee', 'fees', 'commission', 'commissions', 'surcharge', 'surcharges', 'interchange', 'mdr']);
/** Money by its name alone; `sales` and `amount` may count units, so they need a currency or cents to be money. */
export const isMoneyByName = (name: string) =>
  isCostName(name) || (isTakingsName(name) && !hasToken(name, ['sales', 'amount']));

export const isRateNumeratorName = (name: string) => hasToken(name, rateNumeratorWords);

/** Words that make a column a different quantity of the same things, not a subset of them. */
const notASubsetWords = ['total', 'all', 'sum', 'avg', 'average', 'mean', 'per', 'rate', 'pct', 'share', 'cum'];

/**
 * A count of some of the things another column counts, named after it with a qualifier: delayed_flights of
 * flights, late_orders of orders, defective_units of units. Vocabulary-free: the names say it.
 */
export function isSubsetCountName(numerator: string, denominator: string): boolean {
  const [n, d] = [tokensOf(numerator), tokensOf(denominator)];
  if (d.length === 0 || n.length <= d.length) return false;
  const endsWith = d.every((token, i) => n[n.length - d.length + i] === token);
  const startsWith = d.every((token, i) => n[i] === token);
  const rest = endsWith ? n.slice(0, n.length - d.length) : startsWith ? n.slice(d.length) : null;
  return (
    rest !== null && rest.length > 0 && rest.every((token) => !notASubsetWords.includes(token) && !/\d/.test(token))
  );
}
export const isRateDenominatorName = (name: string) => hasToken(name, rateDenominatorWords);

/**
 * A count of the things that met or missed a bar of time (collected within 24 h, waited over 18 weeks,
 * answered within 20 s): a part of another count of the same rows, its share the rate that is watched.
 */
export const isTimedSubsetName = (name: string) =>
  /(^|[_\s-])(within|over|under|more[_\s-]?than|less[_\s-]?than)[_\s-]?\d+[_\s-]?(s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)([_\s-]|$)/i.test(
    name,
  ) || /(^|[_\s-])(on[_\s-]?time|within[_\s-]?sla)([_\s-]|$)/i.test(name);

/** What can befall things after they go out (returned, cancelled), and how they went out (sold, shipped). */
const fateWords = ['returned', 'refunded', 'cancelled', 'canceled', 'rejected', 'defective', 'damaged', 'failed'];
const outWords = ['sold', 'shipped', 'delivered', 'produced', 'ordered', 'received', 'issued', 'dispatched', 'booked'];

/**
 * Two counts of the same things that differ only in what happened to them: units_returned of units_sold,
 * orders_cancelled of orders_booked. The first is a share of the second (a return rate).
 */
export function isFateOfCount(numerator: string, denominator: string): boolean {
  const [n, d] = [tokensOf(numerator), tokensOf(denominator)];
  if (n.length !== d.length || n.length < 2) return false;
  const differ = n.flatMap((token, i) => (token === d[i] ? [] : [i]));
  return differ.length === 1 && fateWords.includes(n[differ[0]!]!) && outWords.includes(d[differ[0]!]!);
}

/**
 * A count of the things that went wrong in another count's work, by its own word (bags mishandled of bags
 * handled, calls misrouted of calls routed): "mis" and the other count's word, the rest alike; the word, or null.
 */
export function mishapOfCount(numerator: string, denominator: string): string | null {
  const [n, d] = [tokensOf(numerator), tokensOf(denominator)];
  if (n.length !== d.length) return null;
  const differ = n.flatMap((token, i) => (token === d[i] ? [] : [i]));
  return differ.length === 1 && n[differ[0]!] === `mis${d[differ[0]!]}` ? n[differ[0]!]! : null;
}

/**
 * A count of the same things happening again (readmissions of admissions, rebookings of bookings): "re" and
 * the other count's one word, with at most a window beside it (readmissions_30d). A rate of the second.
 */
export function isRepeatOfCount(numerator: string, denominator: string): boolean {
  const [n, d] = [tokensOf(numerator), tokensOf(denominator)];
  if (d.length !== 1 || d[0]!.length < 4) return false;
  const repeat = n.findIndex((token) => token === `re${d[0]}`);
  return (
    repeat >= 0 &&
    n.every((token, i) => i === repeat || /^\d+[a-z]{0,5}$/.test(token) || token === 'day' || token === 'days')
  );
}

/** Two counts of the same things (active subscribers, new subscribers): their names end alike. */
export const countsTheSameThings = (a: string, b: string) => {
  const [x, y] = [tokensOf(a).at(-1), tokensOf(b).at(-1)];
  return x !== undefined && x === y && !/^\d/.test(x);
};

/**
 * What left a stock of people or contracts over a period (cancellations of subscribers, churned customers,
 * leavers of employees): a rate of the stock, the churn a subscription business runs on.
 */
export function isLossOfStock(numerator: string, denominator: string): boolean {
  const lost = hasToken(numerator, [
    'cancellations',
    'cancellation',
    'cancelled',
    'canceled',
    'churned',
    'churn',
    'leavers',
    'terminations',
    'lapsed',
    'lost',
  ]);
  const people = hasToken(denominator, [
    'subscribers',
    'customers',
    'members',
    'employees',
    'accounts',
    'clients',
    'policies',
    'contracts',
    'users',
  ]);
  return lost && people && !hasToken(numerator, ['rate', 'pct', 'share']);
}

/** Prefixes that name a channel of a thing beside the thing itself: e_loans beside loans, online_sales beside sales. */
const channelPrefixes = ['e', 'online', 'digital', 'web', 'mobile', 'app', 'virtual', 'remote', 'self'];
/**
 * Whether `channel` is `other` through a channel of its own (e_loans of loans, online_orders of orders): the
 * same thing counted another way, whose share of the two together is how far the channel has taken over.
 */
export const isChannelOf = (channel: string, other: string) => {
  const [c, o] = [tokensOf(channel), tokensOf(other)];
  return c.length === o.length + 1 && channelPrefixes.includes(c[0]!) && o.every((token, i) => c[i + 1] === token);
};

/**
 * A mistake counted against the work it was made in (pick errors of lines picked, damaged parcels of parcels
 * handled, defects of units): a quality rate, where the work's own word ("lines") would make no rate of a
 * conversion or an order.
 */
const mistakeWords = ['error', 'errors', 'mistakes', 'mispicks', 'defect', 'defects', 'damaged', 'damages', 'rejects'];
const workVolumeWords = ['lines', 'picked', 'picks', 'items', 'units', 'parcels', 'packages', 'pieces', 'pallets'];
export const isMistakeOfWork = (numerator: string, denominator: string) =>
  hasToken(numerator, mistakeWords) && hasToken(denominator, workVolumeWords) && !hasToken(denominator, mistakeWords);

/**
 * A percentage that reads how full or busy something is (cpu_pct, memory utilisation, battery, humidity):
 * a state measured at each row, not a share of the rows' requests or visits, so never weighted by them.
 */
export const isStateReadingName = (name: string) =>
  tokensOf(name).some((token) =>
    /^(cpu|gpu|mem|memory|ram|swap|disk|storage|util|utilization|utilisation|load|battery|humidity|moisture|saturation|fill|occupancy)$/.test(
      token,
    ),
  );

const acronyms = new Set([
  'rpm',
  'mrr',
  'bp',
  'bmi',
  'ldl',
  'hdl',
  'arr',
  'nps',
  'kpi',
  'roi',
  'ctr',
  'cpc',
  'cpa',
  'aov',
  'ltv',
  'cac',
  'arpu',
  'cpm',
  'adr',
  'sla',
  'csat',
  'eps',
  'co2',
  'ch4',
  'n2o',
  'nox',
  'no2',
  'so2',
  'pm10',
  'aqi',
  'gdp',
  'id',
  'usd',
  'eur',
  'gbp',
  'sku',
  'url',
  'ip',
  'kw',
  'kwh',
  'mwh',
  'gmv',
  'bmi',
  'uk',
  'us',
  'eu',
  'na',
  'apac',
  'emea',
  'latam',
  'dau',
  'wau',
  'mau',
  'roas',
  'cpl',
  'mql',
  'sql',
  'ebitda',
  'cogs',
  'dti',
  'teu',
  'feu',
  'hvac',
  'cpu',
  'gpu',
  'icu',
  'sms',
]);

/** Short forms in headers, spelled out for prose (only unambiguous ones). */
const abbreviations: Record<string, string> = {
  pm25: 'PM2.5',
  nox: 'NOx',
  ph: 'pH',
  pop: 'population',
  qty: 'quantity',
  amt: 'amount',
  amnt: 'amount',
  rev: 'revenue',
  temp: 'temperature',
  avg: 'average',
  num: 'number',
  cnt: 'count',
  expect: 'expectancy',
  yr: 'year',
  mo: 'month',
  pct: 'percent',
  // Weather stations' columns as NOAA's daily and monthly summaries name them.
  tavg: 'average temperature',
  tmax: 'maximum temperature',
  tmin: 'minimum temperature',
  prcp: 'precipitation',
  snwd: 'snow depth',
  awnd: 'average wind speed',
};

/** Units written in headers: `_pct`, `(g)`, `_mm_s`, `_kw`, `_eur`… → the unit and the name without it. */
const unitSuffixes: [RegExp, string][] = [
  // Concentrations first: `_g_l` is grams per litre, not a variant `l` of something in grams.
  [/[_\s](ug|µg|mcg)[_/]?m3$/i, 'µg/m³'],
  [/[_\s]mg[_/]?m3$/i, 'mg/m³'],
  [/[_\s]mg[_/]l$/i, 'mg/L'],
  // Tonnes of CO2 equivalent (scope1_tco2e): emissions, in tonnes.
  [/[_\s]t[_\s]?co2e?$/i, 't CO2e'],
  [/[_\s]g[_/]l$/i, 'g/L'],
  [/[_\s]g[_/]ml$/i, 'g/mL'],
  [/[_\s]mg[_/]dl$/i, 'mg/dL'],
  [/[_\s]mmol[_/]l$/i, 'mmol/L'],
  // Yields per area (yield_t_ha, fertilizer_kg_ha), then areas.
  [/[_\s]t[_/]ha$/i, 't/ha'],
  [/[_\s]kg[_/]ha$/i, 'kg/ha'],
  [/[_\s](ha|hectares)$/i, 'ha'],
  [/[_\s](pct|percent)[_\s](vol|abv)$/i, '%'],
  [/[_\s]pct$/i, '%'],
  [/[_\s]percent$/i, '%'],
  [/[_\s]mm[_/]s$/i, 'mm/s'],
  [/[_\s]m[_/]s$/i, 'm/s'],
  [/[_\s]km[_/]?h$/i, 'km/h'],
  // Per area before the area alone: irradiance_kwh_m2 is kWh per square metre.
  [/[_\s]kwh[_/](m2|sqm)$/i, 'kWh/m²'],
  [/[_\s]w[_/](m2|sqm)$/i, 'W/m²'],
  [/[_\s]mj[_/](m2|sqm)$/i, 'MJ/m²'],
  // A daily light integral (dli_mol_m2) is moles of light per square metre.
  [/[_\s]mol[_/](m2|sqm)$/i, 'mol/m²'],
  [/[_\s]kwh$/i, 'kWh'],
  [/[_\s]kw$/i, 'kW'],
  [/[_\s]mwh$/i, 'MWh'],
  [/[_\s]mw$/i, 'MW'],
  [/[_\s]gwh$/i, 'GWh'],
  [/[_\s]twh$/i, 'TWh'],
  [/[_\s]m3[_/]?s$/i, 'm³/s'],
  [/[_\s]kg$/i, 'kg'],
  // Megatonnes and kilotonnes of an emission or a harvest (co2_mt, ghg_kt): amounts that add up.
  [/(?<=(co2|ghg|emissions|methane|ch4|n2o|production|output|harvest|exports?|imports?|waste|catch))[_\s]mt$/i, 'Mt'],
  [/(?<=(co2|ghg|emissions|methane|ch4|n2o|production|output|harvest|exports?|imports?|waste|catch))[_\s]kt$/i, 'kt'],
  // A lone `_t` is tonnes after an amount of stuff (production_t, exports_t), else a variant or a time.
  [
    /(?<=(production|output|harvest|weight|mass|exports?|imports?|emissions|catch|tonnage|cargo|waste|freight))[_\s]t$/i,
    't',
  ],
  [/[_\s]g$/i, 'g'],
  // `_ms` is milliseconds (latency_ms) unless a speed comes before it (wind_speed_ms is metres per second).
  [/(?<=(speed|wind|velocity|gust))[_\s]ms$/i, 'm/s'],
  [/[_\s]ms$/i, 'ms'],
  [/[_\s]c$/i, '°C'],
  // Kelvin after a temperature or its difference (delta_t_k): a lone `_k` is thousands.
  [/(?<=(delta[_\s]t|dt|temp|temperature|delta))[_\s]k$/i, 'K'],
  [/[_\s]f$/i, '°F'],
  [/[_\s]ppm$/i, 'ppm'],
  [/[_\s]ppb$/i, 'ppb'],
  [/[_\s]lux$/i, 'lx'],
  // Litres after what is poured or drawn (irrigation_l, fuel_l): a lone `_l` may be a level or a label.
  [/(?<=(irrigation|water|fuel|milk|oil|diesel|petrol|rain|waste|juice|wine|beer))[_\s]l$/i, 'L'],
  // Litres an hour (fuel_rate_l_per_h, fuel_l_h).
  [/[_\s]l[_\s]per[_\s]h$/i, 'L/h'],
  [/[_\s]l[_/]h$/i, 'L/h'],
  // Data in terabytes or gigabytes, after what is moved or stored (data_volume_tb, storage_gb; never sales_gb).
  [/(?<=(data|volume|traffic|usage|download|upload|storage|bandwidth|memory|disk))[_\s]tb$/i, 'TB'],
  [/(?<=(data|volume|traffic|usage|download|upload|storage|bandwidth|memory|disk))[_\s]gb$/i, 'GB'],
  [/[_\s]lpm$/i, 'L/min'],
  [/[_\s]l[_/]min$/i, 'L/min'],
  [/[_\s]bar$/i, 'bar'],
  [/[_\s]psi$/i, 'psi'],
  [/[_\s]kpa$/i, 'kPa'],
  [/[_\s]hpa$/i, 'hPa'],
  [/[_\s]mbar$/i, 'mbar'],
  [/[_\s]rpm$/i, 'rpm'],
  [/[_\s]m3[_/]?h$/i, 'm³/h'],
  [/[_\s]m3$/i, 'm³'],
  // Amps and volts only after the quantity they measure (current_a, supply_v): a lone `_a` is a variant.
  [/(?<=(current|curr|amperage|load))[_\s](a|amps?)$/i, 'A'],
  [/(?<=(voltage|volt|supply))[_\s]v$/i, 'V'],
  [/[_\s]hz$/i, 'Hz'],
  [/[_\s]km$/i, 'km'],
  [/[_\s]cm$/i, 'cm'],
  [/[_\s]mm$/i, 'mm'],
  [/[_\s](sec|secs|seconds)$/i, 's'],
  // A lone `_s` is seconds after a time (handle_time_s, avg_speed_answer_s, wait_s), else a plural or a variant.
  [/(?<=(time|duration|wait|answer|delay|latency|handle|hold|talk))[_\s]s$/i, 's'],
  [/[_\s](mins|minutes)$/i, 'min'],
  // Days after a length or an age (length_of_stay_days, tenure_days), not after a count of days' things.
  [/(?<=(stay|tenure|age|duration|length|lead|delay|overdue|wait|time))[_\s]days$/i, 'days'],
  [/(?<=(tenure|age|experience|service|duration|employment|expectancy|lifespan))[_\s](years|yrs)$/i, 'years'],
  // "min" is a minimum (temp_min) unless what comes before it is a time (dep_delay_min, wait_time_min).
  [/(?<=(delay|time|duration|wait))[_\s]min$/i, 'min'],
  // Hours after a time (avg_berth_wait_h, downtime_h, repair_time_hrs); a lone `_h` elsewhere is a variant.
  [/(?<=(delay|time|duration|wait|downtime|uptime|stay|outage|lead))[_\s](h|hrs?|hours)$/i, 'h'],
  // An amount per area (yield_kg_m2, wheat_t_ha): the amount's unit over the area's.
  [/[_\s]kg[_\s](m2|sqm)$/i, 'kg/m²'],
  [/[_\s]g[_\s](m2|sqm)$/i, 'g/m²'],
  [/[_\s]l[_\s](m2|sqm)$/i, 'L/m²'],
  [/[_\s]kg[_\s]ha$/i, 'kg/ha'],
  [/[_\s]t[_\s]ha$/i, 't/ha'],
  [/[_\s](m2|sqm|sq[_\s]?m)$/i, 'm²'],
  [/[_\s](sqft|sq[_\s]?ft|square[_\s]feet)$/i, 'sq ft'],
];

/** Energy and power units inside a name are spelled as units (kWh generated, not KWH generated). */
const UNIT_WORDS = new Set(['kwh', 'mwh', 'gwh', 'kw', 'mw']);

/** A header that is a unit alone (`kwh`): the unit is its label, spelled as usual. */
const unitNames: Record<string, string> = {
  kwh: 'kWh',
  mwh: 'MWh',
  gwh: 'GWh',
  kw: 'kW',
  mw: 'MW',
  sqft: 'sq ft',
  m2: 'm²',
  sqm: 'm²',
};

const currencySuffixes: [RegExp, string][] = [
  [/[_\s]eur$/i, '€'],
  [/[_\s]usd$/i, '$'],
  [/[_\s]gbp$/i, '£'],
  [/[_\s]jpy$/i, '¥'],
];

const currencySymbols: Record<string, string> = { usd: '$', eur: '€', gbp: '£', jpy: '¥' };

/** "(USD millions)", "($m)", "(€ bn)", "(million EUR)" after a header: the symbol and the multiplier. */
function scaledInner(inner: string): [string, number] | null {
  const symbol = '(us\\$|\\$|€|£|¥|usd|eur|gbp|jpy)';
  const size = '(m|mn|mln|mio|millions?|b|bn|billions?)';
  const match =
    new RegExp(`^${symbol}\\s*${size}$`, 'i').exec(inner) ??
    new RegExp(`^${size}\\s*(?:of\\s+)?${symbol}$`, 'i').exec(inner);
  if (!match) return null;
  const [a, b] = [match[1]!.toLowerCase(), match[2]!.toLowerCase()];
  const [code, word] = /^(m|mn|mln|mio|millions?|b|bn|billions?)$/.test(a) ? [b, a] : [a, b];
  const sign = currencySymbols[code] ?? (code === 'us$' ? '$' : code);
  return [sign, word.startsWith('b') ? 1e9 : 1e6];
}

/**
 * Money in thousands, millions or billions, said in the header's suffix (revenue_musd, income_usd_m, sales_eur_bn,
 * capex_mn_usd): the symbol, the multiplier and the header without it.
 */
function scaledMoneySuffix(base: string): { base: string; currency: string; scale: number } | null {
  const match =
    /^(.+?)[_\s]+(?:(m|mn|mln|mio|b|bn|k|thousands?)[_\s]?(usd|eur|gbp|jpy)|(usd|eur|gbp|jpy)[_\s]?(m|mn|mln|mio|b|bn|k|thousands?))$/i.exec(
      base,
    );
  if (!match) return null;
  const code = (match[3] ?? match[4])!.toLowerCase();
  const size = match[2] ?? match[5] ?? '';
  const scale = /^b/i.test(size) ? 1e9 : /^(k|t)/i.test(size) ? 1e3 : 1e6;
  return { base: match[1]!, currency: currencySymbols[code]!, scale };
}

/** A count's scale as a suffix: `_mn`, `_mln`, `_bn`, `_millions`, `_thousands` (never `_m` or `_k`: metres, kelvin). */
const scaledCountSuffix = /^(.+?)[_\s]+(mn|mln|bn|millions?|billions?|thousands?)$/i;

export interface NameParts {
  /** Readable label: words separated by spaces, acronyms upper-cased, unit removed. */
  label: string;
  unit: string;
  currency: string | null;
  /** What one unit of the values is worth (1e6 for `_musd` or `_mn`), when not 1. */
  scale?: number;
}

/** Splits a header into a readable label and a unit ("Body Mass (g)" → "body mass" + "g"). */
export function nameParts(header: string): NameParts {
  let base = header.trim();
  const unitName = unitNames[base.toLowerCase()];
  if (unitName) return { label: unitName, unit: '', currency: null };
  let unit = '';
  let currency: string | null = null;
  let scale: number | undefined;
  // Short units, and the longer ones statistics offices write: "(% of population)", "(metric tons per capita)".
  const parenthesized =
    base.match(/^(.*?)\s*[([]\s*([^)\]]{1,12})\s*[)\]]\s*$/) ??
    base.match(
      /^(.*?)\s*[([]\s*(%\s+of\s+[^)\]]{1,30}|[^)\]]{1,30}\s+per\s+(?:capita|person|head|inhabitant)|per\s+[\d,.]+\s+[^)\]]{1,30}|(?:current|constant)\s+(?:\d{4}\s+)?(?:us\$|\$|€|£|¥|usd|eur|gbp))\s*[)\]]\s*$/i,
    );
  if (parenthesized?.[1] && parenthesized[2]) {
    base = parenthesized[1];
    const inner = parenthesized[2].trim();
    // "current US$", "constant 2015 US$" (World Bank): dollars.
    const currencyInner = /^((current|constant)\s+(\d{4}\s+)?)?(\$|€|£|¥|usd|eur|gbp|us\$)$/i.test(inner);
    // A window the count is taken over ("Tickets (90 days)") belongs to the name, not to the values.
    const window = /^(last\s+)?\d+\s*(d|days?|h|hours?|w|weeks?|mo|months?|y|yrs?|years?)$/i.test(inner);
    // The scale a score is given on ("Satisfaction (1-5)", "NPS (0–10)") is no unit of its values.
    const scoreScale = /^\d+\s*(-|–|to)\s*\d+$/i.test(inner);
    const scaledMoney = scaledInner(inner);
    if (scoreScale) base = parenthesized[1];
    else if (window) base = `${parenthesized[1]} in ${inner.replace(/^last\s+/i, '')}`;
    else if (scaledMoney) [currency, scale] = scaledMoney;
    else if (currencyInner) {
      const symbol = inner.split(/\s+/).at(-1)!;
      currency = ({ usd: '$', eur: '€', gbp: '£', us$: '$' } as Record<string, string>)[symbol.toLowerCase()] ?? symbol;
    } else unit = inner.startsWith('%') ? '%' : inner;
  }
  // The scale as a suffix (satisfaction_1_10, rating_1_5, nps_0_10) is no part of the name either.
  if (!parenthesized) base = base.replace(/[_\s-](0|1)[_\s-](5|7|10|100)$/, '');
  // The same window as a suffix (tickets_12m, visits_last_30d): months only in their usual counts, since
  // `_100m` is more likely metres.
  const suffixWindow = parenthesized
    ? null
    : base.match(/^(.+?)[_\s](?:last[_\s]?)?(\d{1,3})[_\s]?(d|days|w|wk|weeks|mo|months|m)$/i);
  if (
    suffixWindow &&
    (suffixWindow[3]!.toLowerCase() !== 'm' || [1, 3, 6, 12, 18, 24, 36].includes(Number(suffixWindow[2])))
  ) {
    const count = Number(suffixWindow[2]);
    const noun = /^d/i.test(suffixWindow[3]!) ? 'day' : /^w/i.test(suffixWindow[3]!) ? 'week' : 'month';
    const within = /[_\s]within$/i.exec(suffixWindow[1]!);
    // A bar, not a window: waited_over_18_weeks is "waited over 18 weeks".
    const bar = /[_\s](over|under|more[_\s]than|less[_\s]than|above|below)$/i.exec(suffixWindow[1]!);
    base = within
      ? `${suffixWindow[1]!.slice(0, within.index)} within ${count === 1 ? `a ${noun}` : `${count} ${noun}s`}`
      : bar
        ? `${suffixWindow[1]!.slice(0, bar.index)} ${bar[1]!.replace(/_/g, ' ')} ${count} ${noun}s`
        : `${suffixWindow[1]} in the last ${count === 1 ? noun : `${count} ${noun}s`}`;
  }
  // Money per unit of what is bought (price_eur_mwh, cost_usd_per_kg): the currency is the value's, the unit
  // its denominator, part of the name ("price per MWh"), never an amount of MWh to add up.
  const moneyPerUnit = parenthesized
    ? null
    : /^(.+?)[_\s](usd|eur|gbp|jpy)[_\s](?:per[_\s])?(mwh|kwh|gwh|kg|t|tonne|l|litre|liter|m3|km|m2|sqm|sqft)$/i.exec(
        base,
      );
  if (moneyPerUnit) {
    currency = currencySymbols[moneyPerUnit[2]!.toLowerCase()]!;
    const areas: Record<string, string> = { m2: 'square metre', sqm: 'square metre', sqft: 'square foot' };
    const key = moneyPerUnit[3]!.toLowerCase();
    const per = areas[key] ?? unitNames[key] ?? moneyPerUnit[3]!;
    base = `${moneyPerUnit[1]} per ${per}`;
  }
  // An amount per unit of money (carbon_intensity_t_per_musd: tonnes per $M of revenue) is no money: the
  // currency is the unit's denominator.
  const perMoney = parenthesized
    ? null
    : /^(.+?)[_\s]([a-z0-9]+)[_\s]per[_\s](k|m|mn|mln|b|bn)?(usd|eur|gbp|jpy)$/i.exec(base);
  if (perMoney) {
    const size = ({ k: 'k', m: 'M', mn: 'M', mln: 'M', b: 'B', bn: 'B' } as Record<string, string>)[
      (perMoney[3] ?? '').toLowerCase()
    ];
    const amount = unitNames[perMoney[2]!.toLowerCase()] ?? perMoney[2]!;
    unit = `${amount} per ${currencySymbols[perMoney[4]!.toLowerCase()]}${size ?? ''}`;
    base = perMoney[1]!;
  }
  // Per capita shortened after the unit (waste_kg_pc): the unit is read, then the words put back.
  const perCapita = parenthesized ? null : perCapitaSuffix.exec(base);
  if (perCapita) base = perCapita[1]!;
  const scaled = parenthesized || perMoney ? null : scaledMoneySuffix(base);
  if (scaled) [base, currency, scale] = [scaled.base, scaled.currency, scaled.scale];
  // A count written in millions (passenger_km_mn, population_thousands) is the amount it is: 547.4B.
  // (Researchers per million people is a rate with its base in the name, never a count in millions.)
  const perBase = /[_\s]per[_\s]+(mn|mln|bn|millions?|billions?|thousands?)$/i.test(base);
  const scaledCount = parenthesized || perMoney || scaled || perBase ? null : scaledCountSuffix.exec(base);
  if (scaledCount) {
    base = scaledCount[1]!;
    scale = /^b/i.test(scaledCount[2]!) ? 1e9 : /^t/i.test(scaledCount[2]!) ? 1e3 : 1e6;
  }
  for (const [pattern, symbol] of currencySuffixes) {
    if (!scaled && !perMoney && pattern.test(base)) {
      currency = symbol;
      base = base.replace(pattern, '');
    }
  }
  for (const [pattern, symbol] of unitSuffixes) {
    // A unit after "per" is part of the name (sales_per_sqft): the value is not in square feet. So is one
    // before a scale (passenger_km_mn counts passenger-kilometres).
    if (
      !unit &&
      !scaledCount &&
      pattern.test(base) &&
      base.replace(pattern, '').length >= 2 &&
      !/per$/i.test(base.replace(pattern, ''))
    ) {
      unit = symbol;
      base = base.replace(pattern, '');
      break;
    }
  }
  if (perCapita) base = `${base} per capita`;
  // The pronoun stays a capital ("I feel valued", a survey question as a header).
  const pronoun = /(^|\s)I(\s|$)/.test(base);
  // Fine particles are one word however written (PM2.5, pm2_5, PM 2,5).
  // So is pH, which camel case would split into "p h".
  const tokens = tokensOf(
    base
      .replace(/%/g, ' percent ')
      .replace(/pm\s*2[._,\s]?5/gi, 'pm25')
      .replace(/(^|[^A-Za-z])pH(?![a-z])/g, '$1ph'),
  );
  // Beside a delay or a time, arr and dep are a flight's arrival and departure (elsewhere ARR is revenue).
  const travel = tokens.some((word) => ['delay', 'time'].includes(word));
  // Before a rate, int is interest (a loan's int_rate); after annual, inc is income.
  const words = tokens
    .map((word, i) => (word === 'int' && tokens[i + 1] === 'rate' ? 'interest' : word))
    .map((word, i) => (word === 'inc' && tokens[i - 1] === 'annual' ? 'income' : word))
    .map((word) => (travel && word === 'arr' ? 'arrival' : travel && word === 'dep' ? 'departure' : word))
    .map((word) => abbreviations[word] ?? word)
    .map((word) =>
      unitNames[word] && UNIT_WORDS.has(word)
        ? unitNames[word]
        : acronyms.has(word) || (pronoun && word === 'i')
          ? word.toUpperCase()
          : word,
    );
  const label = words.join(' ') || header.trim();
  return scale ? { label, unit, currency, scale } : { label, unit, currency };
}

/** Label of a binary column's rate: `churned` → "churn rate", `is_active` → "active rate". */
export function rateLabel(header: string): string {
  // People who left, quit or resigned: what HR calls attrition ("left_company" is no "left company rate").
  if (
    /^(has_|is_)?(left|quit|resigned|departed)(_(the_)?(company|firm|organi[sz]ation|job|employer))?$/i.test(
      header.trim(),
    )
  )
    return 'attrition rate';
  if (/^(is_|was_)?no[_\s-]?shows?$/i.test(header.trim())) return 'no-show rate';
  // An outcome within a window (readmitted_30d, churned_within_90_days, churned_12m): "30-day readmission rate".
  const windowed = outcomeWindow(header);
  if (windowed) return `${windowed.count}-${windowed.unit} ${rateLabel(windowed.outcome)}`;
  const words = tokensOf(header).filter((word) => !['is', 'has', 'was', 'did', 'flag'].includes(word));
  const last = words.pop() ?? header;
  const noun = outcomeNouns[last] ?? (last.endsWith('ed') && last.length > 5 ? pastToStem(last) : last);
  return [...words, noun, 'rate'].join(' ');
}

/**
 * An outcome name that ends with the window it was counted over (readmitted_30d, churned_within_90_days,
 * churned_12m): the outcome and the window. Months only in their usual counts (`_100m` is more likely metres).
 */
export function outcomeWindow(header: string): { outcome: string; count: number; unit: string } | null {
  const match =
    /^(.+?)[_\s-]+(within[_\s-]+)?(\d+)[_\s-]?(d|days?|w|wks?|weeks?|m|mo|mos|months?|y|yrs?|years?)$/i.exec(
      header.trim(),
    );
  if (!match) return null;
  const count = Number(match[3]);
  const unit = /^d/i.test(match[4]!)
    ? 'day'
    : /^w/i.test(match[4]!)
      ? 'week'
      : /^y/i.test(match[4]!)
        ? 'year'
        : 'month';
  if (count <= 1 || (match[4]!.toLowerCase() === 'm' && ![3, 6, 12, 18, 24, 36].includes(count))) return null;
  return { outcome: match[1]!, count, unit };
}

/** The noun of an outcome verb, where dropping "-ed" does not give it ("approved" → "approval rate"). */
const outcomeNouns: Record<string, string> = {
  approved: 'approval',
  irrigated: 'irrigation',
  won: 'win',
  lost: 'loss',
  hired: 'hire',
  converted: 'conversion',
  canceled: 'cancellation',
  cancelled: 'cancellation',
  renewed: 'renewal',
  retained: 'retention',
  survived: 'survival',
  admitted: 'admission',
  abandoned: 'abandonment',
  answered: 'answer',
  readmitted: 'readmission',
  accepted: 'acceptance',
  rejected: 'rejection',
  completed: 'completion',
  resolved: 'resolution',
  escalated: 'escalation',
  promoted: 'promotion',
  attended: 'attendance',
  delivered: 'delivery',
  subscribed: 'subscription',
  unsubscribed: 'unsubscribe',
  clicked: 'click',
  opened: 'open',
  enrolled: 'enrollment',
  failed: 'failure',
  responded: 'response',
  graduated: 'graduation',
  passed: 'pass',
};

/** "churned" → "churn", "stopped" → "stop", "verified" → "verify", "purchased" → "purchase", "damaged" → "damage". */
function pastToStem(word: string): string {
  if (word.endsWith('ied')) return `${word.slice(0, -3)}y`;
  const stem = word.slice(0, -2);
  // A doubled consonant went with the -ed (stopp-ed), but pass, call and fill are words.
  if (/([^aeiouls])\1$/.test(stem)) return stem.slice(0, -1);
  // A silent e went with the -d: arriv(e)d, purchas(e)d, plac(e)d, scor(e)d, siz(e)d, continu(e)d.
  if (/(v|[^s]s|[^ck]c|[aiou]r|[aeiou]z|u|[aeiounr]g|[^e]at)$/.test(stem)) return `${stem}e`;
  return stem;
}

/** One of a plural noun: washes → wash, categories → category, statuses → status, glasses → glass. */
export const singularOf = (noun: string) =>
  noun
    .replace(/ies$/, 'y')
    .replace(/(x|ch|sh|ss|us)es$/, '$1')
    .replace(/([^su])s$/, '$1');

/** Label of a ratio measure: conversions ÷ sessions → "conversion rate". */
export function ratioLabel(numerator: string, denominator: string): string {
  // What both count is said once: calls_abandoned of calls_offered is the abandonment rate.
  const shared = tokensOf(numerator).filter((token) => tokensOf(denominator).includes(token));
  const num = tokensOf(numerator)
    .filter((token) => !shared.includes(token) || tokensOf(numerator).length === shared.length)
    .join(' ');
  if (/^conversions?$/.test(num) || num === 'converted') return 'conversion rate';
  if (/^(goals?|goal completions?|completions)$/.test(num)) return 'goal conversion rate';
  if (/^clicks?$/.test(num) && /^impressions?$/.test(tokensOf(denominator).join(' '))) return 'click-through rate';
  // An outcome written as what happened to each (admitted of applicants) is that outcome's rate.
  if (/ed$/.test(num) && !num.includes(' ')) return rateLabel(num);
  const singular = singularOf;
  // Of what a line made or checked, a defect's share is the defect rate (and a reject's the reject rate).
  if (
    /\b(produced|production|inspected|manufactured|tested|batch size|lot size)$/.test(
      tokensOf(denominator).join(' '),
    ) ||
    isMistakeOfWork(numerator, denominator)
  )
    return `${singular(num)} rate`;
  // Of an app's active users, paying ones are its payer rate (of daily users when that is the base).
  if (
    /^(payers|buyers|purchasers)$/.test(num) &&
    /^(dau|mau|users|active users)$/.test(tokensOf(denominator).join(' '))
  )
    return `${singular(num)} rate`;
  // Readmissions of admissions, cancellations of subscribers: the readmission rate, the cancellation rate.
  if (isRepeatOfCount(numerator, denominator))
    return `${singular(tokensOf(numerator).find((token) => token.startsWith('re'))!)} rate`;
  if (isLossOfStock(numerator, denominator)) return `${singular(num)} rate`;
  const base = tokensOf(denominator).filter((token) => !shared.includes(token));
  // A kind of what the base counts (membership washes of all washes) is that kind's share of them.
  if (base.length === 0 && shared.length > 0 && !/ed$/.test(num))
    return `${num} share of ${tokensOf(denominator).join(' ')}`;
  const per = singular((base.length > 0 ? base : tokensOf(denominator)).join(' '))
    .split(' ')
    .map((word) =>
      unitNames[word] && UNIT_WORDS.has(word) ? unitNames[word] : acronyms.has(word) ? word.toUpperCase() : word,
    )
    .join(' ');
  return `${singular(num)} rate per ${per}`;
}

/** Binary spellings whose first element is the "positive" outcome. */
/** What a decision or a result says happened: the side a rate counts. */
const outcomeHappened = [
  'admitted',
  'accepted',
  'approved',
  'won',
  'win',
  'victory',
  'pass',
  'passed',
  'hired',
  'converted',
  'success',
  'successful',
  'survived',
  'completed',
  'renewed',
  'defaulted',
  'cancelled',
  'canceled',
  'returned',
  'churned',
];
/** Its other side. */
const outcomeOther = [
  'rejected',
  'denied',
  'declined',
  'refused',
  'lost',
  'loss',
  'defeat',
  'fail',
  'failed',
  'failure',
  'unsuccessful',
  'died',
  'deceased',
  'dropped',
  'incomplete',
  'expired',
  'kept',
  'retained',
  'active',
];

/**
 * Two values that are a decision's or a result's two sides (Admitted and Rejected, Won and Lost, Pass and
 * Fail), whatever the column is called (`decision`, `result`): the side a rate counts, or null.
 */
export function outcomePairOf(values: string[]): string | null {
  if (values.length !== 2) return null;
  const [a, b] = values.map((value) => value.trim().toLowerCase());
  if (outcomeHappened.includes(a!) && outcomeOther.includes(b!)) return values[0]!;
  if (outcomeHappened.includes(b!) && outcomeOther.includes(a!)) return values[1]!;
  return null;
}

/**
 * A match result written as letters (W and L) under a name that says it is a result (`team_result`,
 * `wl`): the win, which a rate counts. A draw (D) makes three values, a category.
 */
export function winLetterOf(name: string, values: string[]): string | null {
  if (values.length !== 2 || !/(^|[_\s-])(result|outcome|wl|w\/l|win|won)([_\s-]|$)/i.test(name)) return null;
  const letters = values.map((value) => value.trim().toUpperCase()).sort();
  return letters[0] === 'L' && letters[1] === 'W' ? values.find((value) => value.trim().toUpperCase() === 'W')! : null;
}

export function positiveOf(values: string[]): string | null {
  const positives = ['yes', 'y', 'true', 't', '1', 'churned', 'active', 'converted', 'success', 'won', 'positive'];
  return values.find((value) => positives.includes(value.toLowerCase())) ?? null;
}

/** Two sides of one row whose values are compared (home_score and away_score): first − second. */
export const sidePairs: readonly (readonly [string, string])[] = [
  ['home', 'away'],
  ['women', 'men'],
  ['female', 'male'],
  ['girls', 'boys'],
];
/**
 * The date a thing began: an entity's start (a sign-up, a hire: `isEntityStartName`, whose periods are never
 * followed) or a policy's start, a listing's date, an account's opening — in a register of things its
 * periods are cohorts of them, not moments when something happened.
 */
export const isStartDateName = (name: string) =>
  isEntityStartName(name) ||
  /(^|[_\s-])(start(ed)?|listed|listing|opened|open(ing)?[_\s-]?date|inception|issued?|effective|created|enrol(l)?|hire[_\s-]?date)([_\s-]|$)/i.test(
    name,
  );

/** A priority the rows were sorted by (triage level, ticket priority, severity): it sets how they are served. */
export const isUrgencyName = (name: string) =>
  /(^|[_\s-])(priority|triage|severity|urgency|acuity|esi)([_\s-]|$)/i.test(name);

/** A row's two sides of play (Home and Away, H and A): where it happened, a condition of the row. */
export const isSidePair = (members: readonly string[]) =>
  members.length === 2 &&
  [...members]
    .map((member) => member.trim().toLowerCase())
    .sort()
    .join('/') === 'away/home';
/** The side words that name people: "women's wages", and "women are ahead". */
export const isPeopleSide = (side: string) => ['women', 'men', 'girls', 'boys'].includes(side);

const boundWords = ['min', 'max', 'minimum', 'maximum', 'low', 'high', 'lowest', 'highest', 'open', 'close'] as const;
/** A size of the rows' things (floor area, store size in sq ft, acres): an amount per unit of it compares them. */
/**
 * Which way a relation between two measures is told (each extra unit of X goes with … more Y): causes and
 * sizes explain, results and responses are explained. +1 for what usually explains (GDP, length, rainfall,
 * ad spend, temperature, speed), −1 for what usually responds (happiness, life expectancy, weight, flow,
 * consumption, sales), 0 when the name does not say.
 */
const explainingWords = [
  'gdp',
  'income',
  'capita',
  'spend',
  'spending',
  'budget',
  'ad',
  'ads',
  'marketing',
  'length',
  'length1',
  'length2',
  'length3',
  'height',
  'width',
  'size',
  'area',
  'sqft',
  'age',
  'tenure',
  'rain',
  'rainfall',
  'precipitation',
  'temperature',
  'temp',
  'rpm',
  'speed',
  'hours',
  'dose',
  'education',
  'schooling',
  'experience',
  'population',
  'horsepower',
  'alcohol',
  'wait',
  'waiting',
  'delay',
  'latency',
  'college',
  'degree',
  // What a student puts in: attendance, study time, absences.
  'attendance',
  'absences',
  'study',
  'studied',
] as const;
const respondingWords = [
  // What a student gets out: the grade, the marks, the exam.
  'grade',
  'grades',
  'gpa',
  'marks',
  'exam',
  'happiness',
  'satisfaction',
  'csat',
  'nps',
  'wellbeing',
  'score',
  'rating',
  'quality',
  'expectancy',
  'mortality',
  'survival',
  'yield',
  'weight',
  'mass',
  'flow',
  'discharge',
  'consumption',
  'demand',
  'sales',
  'revenue',
  'conversions',
  'mpg',
  'density',
  'current',
  'price',
  'cost',
  'costs',
  'fee',
  'fees',
  'charge',
  'charges',
] as const;
export function explainingRank(name: string): number {
  return (hasToken(name, explainingWords) ? 1 : 0) - (hasToken(name, respondingWords) ? 1 : 0);
}

/** A size or a room count: what a property or a unit is, not something it produces. */
export const isAttributeOfThing = (name: string) =>
  isAreaName(name) ||
  /^(bed|bath)(room)?s?$|^(rooms|floors|storeys|stories)$/i.test(nameParts(name).label) ||
  // The party a booking is for (2 adults, 1 child): its total over a month only echoes the bookings.
  /^(adults|children|kids|babies|infants|pax|party size|number of (adults|children|guests))$/i.test(
    nameParts(name).label,
  );

/** An engine's size (cylinders, displacement, horsepower, torque): specifications that grow together by design. */
export const isEngineSpecName = (name: string) =>
  tokensOf(name).some((token) => ['cylinders', 'horsepower', 'hp', 'displacement', 'torque', 'engine'].includes(token));

export const isAreaName = (name: string) =>
  /(^|[\s_-])(area|sqft|sq[\s_-]?ft|square[\s_-]?(feet|foot|meters?|metres?)|m2|sqm|acres?|hectares?)([\s_-]|$)/i.test(
    name,
  );

/**
 * One quantity read at several places, numbered (`temp_1` and `temp_3`, `sensor 2` and `sensor 4`): the
 * names differ only in their number. They rise and fall together with what they all measure.
 */
export function isNumberedPair(a: string, b: string): boolean {
  const split = (name: string) => /^(.*?)[\s_-]*(\d+)$/.exec(tokensOf(name).join(' '));
  const [x, y] = [split(a), split(b)];
  return Boolean(x && y && x[1] && x[1] === y[1] && x[2] !== y[2]);
}

/** A name with a bound word (`record_high`, `min_stock`, `close`; never `opened` or `closed`): a level. */
export const hasBoundWord = (name: string) =>
  tokensOf(name).some((token) => (boundWords as readonly string[]).includes(token));

/**
 * Two readings of one quantity at its bounds (`temp_max` and `temp_min`, a price's open, high, low and
 * close) or two summaries of it (NO2's annual mean and its hourly peak): the names differ only in those
 * words. They go together by construction.
 */
export function isBoundPair(a: string, b: string): boolean {
  const split = (name: string) => {
    // Weather stations write the day's bounds as one word: tmax and tmin.
    const tokens = tokensOf(name).flatMap((token) =>
      /^t(max|min)$/.test(token) ? ['temperature', token.slice(1)] : [token],
    );
    const summary = (token: string) => (summaryWords as readonly string[]).includes(token);
    return {
      bound: tokens.filter(summary).sort().join(' '),
      rest: tokens.filter((token) => !summary(token)).join(' '),
    };
  };
  const [x, y] = [split(a), split(b)];
  return x.bound !== '' && y.bound !== '' && x.bound !== y.bound && x.rest === y.rest;
}
/** Words for a summary of one quantity (its year's mean, its worst hour): NO2's annual mean and hourly peak. */
const summaryWords = [...boundWords, 'mean', 'avg', 'average', 'median', 'annual', 'hourly', 'daily', 'peak'] as const;

/** Word scales whose steps are ordered, lowest first (every member must come from one of them). */
const ORDERED_SCALES: readonly (readonly string[])[] = [
  ['very low', 'low', 'medium', 'high', 'very high'],
  ['low', 'moderate', 'high', 'very high'],
  ['xs', 's', 'm', 'l', 'xl', 'xxl'],
  ['small', 'medium', 'large', 'extra large'],
  ['very poor', 'poor', 'fair', 'good', 'very good', 'excellent'],
  ['none', 'mild', 'moderate', 'severe', 'critical'],
  ['never', 'rarely', 'sometimes', 'often', 'always'],
  ['bronze', 'silver', 'gold', 'platinum', 'diamond'],
  ['intern', 'junior', 'mid', 'senior', 'lead', 'principal'],
];

/**
 * The members of a category in their natural order, lowest first, when they have one: grades (A … G,
 * A1 … G5), levels and ranges named by numbers ("1 - Resuscitation" … "5 - Non-urgent", "18-24" … "65+",
 * "<25"), or the steps of a word scale (low, medium, high). Null for names (regions, products).
 */
export function ordinalOrder(members: readonly string[]): string[] | null {
  if (members.length < 3) return null;
  const trimmed = members.map((member) => member.trim());
  const sortedBy = (key: (member: string) => number) => {
    const keys = trimmed.map(key);
    if (keys.some((k) => !Number.isFinite(k)) || new Set(keys).size !== keys.length) return null;
    return [...members.keys()].sort((a, b) => keys[a]! - keys[b]!).map((i) => members[i]!);
  };
  // Letters in a run (grades A–G), or a letter and a digit (sub-grades A1–G5).
  if (trimmed.every((m) => /^[A-Z]$/.test(m))) {
    const codes = trimmed.map((m) => m.charCodeAt(0)).sort((a, b) => a - b);
    return codes.at(-1)! - codes[0]! === codes.length - 1 ? sortedBy((m) => m.charCodeAt(0)) : null;
  }
  if (trimmed.every((m) => /^[A-Z][1-9]$/.test(m))) return sortedBy((m) => m.charCodeAt(0) * 10 + Number(m[1]));
  const scale = ORDERED_SCALES.find((steps) => trimmed.every((m) => steps.includes(m.toLowerCase())));
  if (scale) return sortedBy((m) => scale.indexOf(m.toLowerCase()));
  // Every member named by its first number, the rest of the words alike or absent: "Level 3", "18-24",
  // "65+", "<25", "$50k-$75k". "Under" or "<" puts a bound below everything that starts at it.
  const numbered = trimmed.map((m) => /^(\D{0,12}?)(\d+(?:[.,]\d+)?)/.exec(m));
  if (!numbered.every((match) => match !== null)) return null;
  const bound = /^(<|under|less than|below)\s*/i;
  const prefixes = new Set(numbered.map((match) => match![1]!.trim().replace(bound, '').trim()));
  if (prefixes.size > 1) return null;
  const keys = new Map(
    trimmed.map((m, i) => {
      const [, prefix, number] = numbered[i]!;
      return [m, Number(number!.replace(',', '.')) + (bound.test(prefix!.trim()) ? -0.5 : 0)];
    }),
  );
  return sortedBy((m) => keys.get(m)!);
}

/** Something a row may or may not have (a discount code, a referrer, a campaign): left empty when it has none. */
export const isOptionalAttributeName = (name: string) =>
  hasToken(name, [
    'discount',
    'coupon',
    'promo',
    'promotion',
    'voucher',
    'referral',
    'referrer',
    'offer',
    'campaign',
  ]) ||
  // An error, fault or alarm code left empty is a cycle without one: "no error code", not a value lost.
  errorCodeWord(name) !== undefined;

/** The kind of trouble a code column names (`error_code`, `fault_type`, `alarm class`): "error", "fault"… */
export const errorCodeWord = (name: string) =>
  /(^|[_\s-])(error|fault|alarm|failure|defect)s?[_\s-]?(code|codes|type|kind|class)([_\s-]|$)/i
    .exec(name)?.[2]
    ?.toLowerCase();

/** What a row came to in money: its total, amount or value (total_eur, amount_paid, order_value). */
export const isTotalAmountName = (name: string) =>
  /(^|[_\s-])(total|amount|value|gross|net|charged|paid)([_\s-]|$)/i.test(name);

/** States a record waits in until it is settled, and the states that settle it. */
const OPEN_STATES = [
  'open',
  'pending',
  'active',
  'in progress',
  'processing',
  'awaiting',
  'unresolved',
  'ongoing',
  'outstanding',
  'listed',
  'submitted',
  'under review',
  'in review',
];
const SETTLED_STATES = [
  'closed',
  'resolved',
  'settled',
  'completed',
  'complete',
  'done',
  'sold',
  'paid',
  'cancelled',
  'canceled',
  'rejected',
  'denied',
  'approved',
  'shipped',
  'delivered',
  'expired',
  'churned',
  'withdrawn',
];

/**
 * Members of a lifecycle status (Open and Closed, Active and Churned, Listed and Sold): every record starts
 * open and ends settled, so the latest records are open more often whatever happened (right-censoring).
 */
export function isLifecycleStatus(members: readonly string[]): boolean {
  const normal = members.map((member) => member.trim().toLowerCase().replace(/[_-]+/g, ' '));
  return normal.some((m) => OPEN_STATES.includes(m)) && normal.some((m) => SETTLED_STATES.includes(m));
}

/** A price or a closing price: of one thing each, so two things' prices are on no common scale. */
export const isPriceName = (name: string) => hasToken(name, ['price', 'prices', 'close']);
