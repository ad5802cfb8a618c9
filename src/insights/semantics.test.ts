import { describe, expect, it } from 'vitest';
import {
  controlOf,
  countsForOther,
  explainingRank,
  isAdditiveName,
  isAveragedName,
  isBoundPair,
  isChannelOf,
  isConditionName,
  isControlMember,
  isDelayName,
  isEngineSpecName,
  isEntityStartName,
  isEventKindName,
  isLifecycleStatus,
  isNumberedPair,
  isOutcomeName,
  isPerThingName,
  isPromiseName,
  isRateDenominatorName,
  isRateNumeratorName,
  isReliabilityName,
  isStockName,
  isSubsetCountName,
  isVerdictName,
  isWeatherName,
  isYearName,
  mayCut,
  nameParts,
  ordinalOrder,
  perUnitRank,
  rateLabel,
  ratioLabel,
  singularOf,
} from './semantics.ts';

describe('rateLabel', () => {
  it('names the rate of a yes/no outcome with its noun, not a clipped verb', () => {
    const labels = Object.fromEntries(
      [
        'approved',
        'is_churned',
        'converted',
        'purchased',
        'stopped',
        'verified',
        'passed',
        'placed',
        'won',
        'ordered',
        'left_company',
        'Left',
      ].map((header) => [header, rateLabel(header)]),
    );
    expect(labels).toEqual({
      approved: 'approval rate',
      is_churned: 'churn rate',
      converted: 'conversion rate',
      purchased: 'purchase rate',
      stopped: 'stop rate',
      verified: 'verify rate',
      passed: 'pass rate',
      placed: 'place rate',
      won: 'win rate',
      ordered: 'order rate',
      left_company: 'attrition rate',
      Left: 'attrition rate',
    });
  });
});

describe('isBoundPair', () => {
  it('pairs the bounds of one quantity, and nothing else', () => {
    expect(isBoundPair('temp_max', 'temp_min')).toBe(true);
    expect(isBoundPair('tmax', 'tmin')).toBe(true);
    expect(isBoundPair('High', 'Low')).toBe(true);
    expect(isBoundPair('open', 'close')).toBe(true);
    expect(isBoundPair('temp_max', 'wind_max')).toBe(false);
    expect(isBoundPair('temp_max', 'temp_max')).toBe(false);
    expect(isBoundPair('revenue', 'units')).toBe(false);
    expect(isBoundPair('no2_annual_ugm3', 'no2_max_hourly_ugm3')).toBe(true);
    expect(isBoundPair('no2_annual_ugm3', 'o3_annual_ugm3')).toBe(false);
  });
});

describe('a score named with its scale', () => {
  it('drops the scale from the name (satisfaction_1_10 is satisfaction), never a window or an age band', () => {
    expect(nameParts('satisfaction_1_10').label).toBe('satisfaction');
    expect(nameParts('nps_0_10').label).toBe('NPS');
    expect(nameParts('age_18_24').label).toBe('age 18 24');
  });
});

describe('nameParts and ratioLabel', () => {
  it('keeps a window in the name instead of reading it as a unit, spells pollutants, and names rates of counts by their outcome', () => {
    expect(nameParts('Tickets (90 days)')).toEqual({ label: 'tickets in 90 days', unit: '', currency: null });
    expect(nameParts('Logins (last 30d)').label).toBe('logins in 30d');
    expect(nameParts('Body Mass (g)')).toEqual({ label: 'body mass', unit: 'g', currency: null });
    expect(nameParts('co2_mt')).toEqual({ label: 'CO2', unit: 'Mt', currency: null });
    expect(nameParts('format_mt').unit).toBe('');
    // Concentrations written in snake case: grams per litre, not a variant `l` of something in grams.
    expect(nameParts('residual_sugar_g_l')).toEqual({ label: 'residual sugar', unit: 'g/L', currency: null });
    expect(nameParts('density_g_ml')).toEqual({ label: 'density', unit: 'g/mL', currency: null });
    // Tonnes after an amount of stuff, yields per hectare; a lone `_t` elsewhere is no unit.
    expect(nameParts('production_t')).toEqual({ label: 'production', unit: 't', currency: null });
    expect(nameParts('yield_t_ha')).toEqual({ label: 'yield', unit: 't/ha', currency: null });
    expect(nameParts('area_ha').unit).toBe('ha');
    expect(nameParts('start_t').unit).toBe('');
    expect(nameParts('free_so2_mg_l').unit).toBe('mg/L');
    expect(nameParts('pm25_ug_m3').unit).toBe('µg/m³');
    // Written as one word (no2_annual_ugm3, co_annual_mgm3).
    expect(nameParts('no2_annual_ugm3').unit).toBe('µg/m³');
    expect(nameParts('co_annual_mgm3').unit).toBe('mg/m³');
    // Tonnes per $M of revenue is an intensity, not money; tonnes of CO2e are emissions.
    expect(nameParts('carbon_intensity_t_per_musd')).toEqual({
      label: 'carbon intensity',
      unit: 't per $M',
      currency: null,
    });
    expect(nameParts('scope1_tco2e').unit).toBe('t CO2e');
    expect(nameParts('alcohol_pct_vol')).toEqual({ label: 'alcohol', unit: '%', currency: null });
    // Pollutants read as they are written in the field.
    expect(['PM2.5', 'pm2_5', 'no2', 'nox'].map((header) => nameParts(header).label)).toEqual([
      'PM2.5',
      'PM2.5',
      'NO2',
      'NOx',
    ]);
    expect(ratioLabel('admitted', 'applicants')).toBe('admission rate');
    expect(ratioLabel('Goals', 'Visits')).toBe('goal conversion rate');
    expect(ratioLabel('orders', 'visits')).toBe('order rate per visit');
  });
});

describe('nameParts and ratioLabel on units and quality counts', () => {
  it('reads a unit alone as the label, areas as units, and keeps a unit after "per" in the name', () => {
    expect(nameParts('kwh')).toMatchObject({ label: 'kWh', unit: '' });
    expect(nameParts('floor_area_m2')).toMatchObject({ label: 'floor area', unit: 'm²' });
    expect(nameParts('store_size_sqft')).toMatchObject({ label: 'store size', unit: 'sq ft' });
    expect(nameParts('sales_per_sqft')).toMatchObject({ label: 'sales per sqft', unit: '' });
  });

  it('calls defects of what was produced the defect rate', () => {
    expect(ratioLabel('defects', 'units_produced')).toBe('defect rate');
    expect(ratioLabel('rejects', 'inspected')).toBe('reject rate');
    expect(ratioLabel('signups', 'clicks')).toBe('signup rate per click');
  });
});

describe('labels of a queue and of a flight', () => {
  it('says what both counts count once, reads time units, and a flight’s arr and dep', () => {
    expect(ratioLabel('calls_abandoned', 'calls_offered')).toBe('abandonment rate');
    expect(ratioLabel('payers', 'dau')).toBe('payer rate');
    expect(ratioLabel('transactions', 'dau')).toBe('transaction rate per DAU');
    expect(nameParts('int_rate')).toMatchObject({ label: 'interest rate' });
    expect(nameParts('annual_inc')).toMatchObject({ label: 'annual income' });
    expect(nameParts('loan_amnt')).toMatchObject({ label: 'loan amount' });
    expect(ratioLabel('email_clicks', 'email_opens')).toBe('click rate per open');
    expect(nameParts('avg_handle_time_sec')).toMatchObject({ label: 'average handle time', unit: 's' });
    expect(nameParts('dep_delay_min')).toMatchObject({ label: 'departure delay', unit: 'min' });
    expect(nameParts('avg_speed_answer_s')).toMatchObject({ label: 'average speed answer', unit: 's' });
    expect(nameParts('units_s')).toMatchObject({ unit: '' });
    expect(nameParts('Individuals using the Internet (% of population)')).toMatchObject({
      label: 'individuals using the internet',
      unit: '%',
    });
    expect(nameParts('GDP per capita (current US$)')).toMatchObject({ label: 'GDP per capita', currency: '$' });
    expect(nameParts('CO2 emissions (metric tons per capita)')).toMatchObject({ unit: 'metric tons per capita' });
    expect(nameParts('temp_min')).toMatchObject({ unit: '' });
    expect(nameParts('arr')).toMatchObject({ label: 'ARR' });
  });
});

describe('isNumberedPair', () => {
  it('pairs one quantity read at numbered places, nothing else', () => {
    expect(isNumberedPair('temp_1', 'temp_3')).toBe(true);
    expect(isNumberedPair('Sensor 2', 'sensor 4')).toBe(true);
    expect(isNumberedPair('temp_1', 'temp_1')).toBe(false);
    expect(isNumberedPair('temp_1', 'pressure_1')).toBe(false);
    expect(isNumberedPair('revenue', 'units')).toBe(false);
  });
});

describe('readings, windows and the side that explains', () => {
  it('averages readings in rpm, bar, amps and m³/h, reads their units, and keeps a count window in the name', () => {
    expect(nameParts('fan_rpm')).toMatchObject({ label: 'fan', unit: 'rpm' });
    expect(nameParts('current_a')).toMatchObject({ label: 'current', unit: 'A' });
    expect(nameParts('variant_a').label).toBe('variant a');
    expect(nameParts('gas_flow_m3h')).toMatchObject({ label: 'gas flow', unit: 'm³/h' });
    expect(nameParts('dissolved_o2_ppb')).toMatchObject({ label: 'dissolved o2', unit: 'ppb' });
    expect(nameParts('dli_mol_m2')).toMatchObject({ label: 'dli', unit: 'mol/m²' });
    for (const name of ['dissolved_o2_ppb', 'dli_mol_m2', 'ibu', 'og_plato', 'color_ebc'])
      expect(isAveragedName(name), name).toBe(true);
    // `_ms` is milliseconds, but metres per second after a speed.
    expect(nameParts('latency_ms')).toMatchObject({ label: 'latency', unit: 'ms' });
    expect(nameParts('wind_speed_ms')).toMatchObject({ label: 'wind speed', unit: 'm/s' });
    expect(nameParts('generation_twh')).toMatchObject({ label: 'generation', unit: 'TWh' });
    expect(nameParts('pH').label).toBe('pH');
    expect(nameParts('tickets_12m').label).toBe('tickets in the last 12 months');
    expect(nameParts('visits_last_30d').label).toBe('visits in the last 30 days');
    expect(nameParts('sprint_100m').label).toBe('sprint 100m');
    for (const name of ['fan_rpm', 'rpm', 'pressure_bar', 'current_a', 'gas_flow_m3h', 'quality', 'pH'])
      expect(isAveragedName(name), name).toBe(true);
    expect(isAveragedName('units_sold')).toBe(false);
  });

  it('reads a value per thing as a ratio, but a day’s amount per day as the row’s own', () => {
    for (const name of [
      'revenue_per_trip_eur',
      'total_spend_gbp_pp',
      'CO2 emissions (metric tons per capita)',
      'cost per lead',
    ])
      expect(isPerThingName(name), name).toBe(true);
    for (const name of ['kwh_per_day', 'calls per hour', 'revenue_eur', 'percent_done', 'performance'])
      expect(isPerThingName(name), name).toBe(false);
  });

  it('knows a sign-up or hire date from an event’s date, and which side of a relation explains', () => {
    for (const name of ['signup_date', 'sign_up', 'join_date', 'hire_date', 'member_since', 'registration_date'])
      expect(isEntityStartName(name), name).toBe(true);
    for (const name of ['order_date', 'date', 'created_at', 'start_time'])
      expect(isEntityStartName(name), name).toBe(false);
    expect(explainingRank('length_cm')).toBeGreaterThan(explainingRank('weight_g'));
    expect(explainingRank('log_gdp_per_capita')).toBeGreaterThan(explainingRank('happiness_score'));
    expect(explainingRank('rainfall_mm')).toBeGreaterThan(explainingRank('mean_flow'));
  });
});

describe('ordinalOrder', () => {
  it('orders grades, numbered levels, ranges and word scales, and leaves names alone', () => {
    expect(ordinalOrder(['C', 'A', 'B', 'D'])).toEqual(['A', 'B', 'C', 'D']);
    expect(ordinalOrder(['A', 'C', 'D'])).toBeNull();
    expect(ordinalOrder(['B2', 'A1', 'A2'])).toEqual(['A1', 'A2', 'B2']);
    expect(ordinalOrder(['High', 'Low', 'Medium'])).toEqual(['Low', 'Medium', 'High']);
    expect(ordinalOrder(['2 - Emergent', '1 - Resuscitation', '3 - Urgent'])).toEqual([
      '1 - Resuscitation',
      '2 - Emergent',
      '3 - Urgent',
    ]);
    expect(ordinalOrder(['25-34', '18-24', '65+', '<18'])).toEqual(['<18', '18-24', '25-34', '65+']);
    expect(ordinalOrder(['North', 'South', 'East'])).toBeNull();
    expect(ordinalOrder(['Level 2', 'Tier 1', 'Level 3'])).toBeNull();
  });
});

describe('session 16 vocabulary', () => {
  it('knows outcomes, verdicts, email counts, run rates and kinds of event from a thing’s type', () => {
    expect(isOutcomeName('no_show')).toBe(true);
    expect(isOutcomeName('showroom')).toBe(false);
    expect(isVerdictName('late')).toBe(true);
    expect(isVerdictName('is_late_delivery')).toBe(true);
    expect(isVerdictName('latency_ms')).toBe(false);
    expect(isRateNumeratorName('opened') && isRateNumeratorName('clicked')).toBe(true);
    expect(isRateDenominatorName('sent')).toBe(true);
    expect(ratioLabel('unsubscribed', 'sent')).toBe('unsubscribe rate');
    expect(ratioLabel('clicked', 'sent')).toBe('click rate');
    expect(isStockName('mrr_usd')).toBe(true);
    expect(isAveragedName('aht_sec')).toBe(true);
    expect(isAveragedName('avg_wait_minutes')).toBe(true);
    expect(isYearName('season')).toBe(true);
    expect(isYearName('model_year')).toBe(true);
    expect(isEngineSpecName('displacement_cu_in')).toBe(true);
    expect(isEngineSpecName('weight_lbs')).toBe(false);
    expect(isDelayName('days_late')).toBe(true);
    expect(isDelayName('ArrDelay')).toBe(true);
    expect(isDelayName('latest_price')).toBe(false);
    expect(isDelayName('arr_delay')).toBe(true);
    expect(isPromiseName('promised_days')).toBe(true);
    expect(isPromiseName('target')).toBe(false);
    expect(isStockName('active_customers')).toBe(true);
    expect(isStockName('agents_logged_in')).toBe(true);
    expect(isStockName('drivers_on_shift')).toBe(true);
    expect(isStockName('Active Users')).toBe(true);
    expect(isStockName('dau')).toBe(true);
    expect(isStockName('active_minutes')).toBe(false);
    expect(isStockName('inactive_days')).toBe(false);
    expect(isEventKindName('event_type')).toBe(true);
    expect(isEventKindName('status')).toBe(true);
    expect(isEventKindName('vehicle_type')).toBe(false);
    expect(rateLabel('readmitted_30d')).toBe('30-day readmission rate');
    expect(rateLabel('churned_within_90_days')).toBe('90-day churn rate');
    expect(rateLabel('no_show')).toBe('no-show rate');
    expect(rateLabel('damaged')).toBe('damage rate');
    expect(rateLabel('churned_12m')).toBe('12-month churn rate');
    expect(rateLabel('defaulted_2y')).toBe('2-year default rate');
    expect(rateLabel('run_100m')).toBe('run 100m rate');
    expect(nameParts('churned_within_90_days').label).toBe('churned within 90 days');
    expect(nameParts('kwh_generated')).toEqual({ label: 'kWh generated', unit: '', currency: null });
    expect(nameParts('irradiance_kwh_m2')).toEqual({ label: 'irradiance', unit: 'kWh/m²', currency: null });
    expect(isAveragedName('irradiance_kwh_m2')).toBe(true);
    expect(nameParts('Satisfaction (1-5)')).toEqual({ label: 'satisfaction', unit: '', currency: null });
    expect(nameParts('NPS (0–10)').unit).toBe('');
    expect(nameParts('age_years')).toEqual({ label: 'age', unit: 'years', currency: null });
    expect(nameParts('CH4 (ppb)')).toEqual({ label: 'CH4', unit: 'ppb', currency: null });
    expect(nameParts('GDP per capita (constant 2015 US$)')).toEqual({
      label: 'GDP per capita',
      unit: '',
      currency: '$',
    });
    expect(isAveragedName('solar_w_m2')).toBe(true);
    expect(isAveragedName('kwh_generated')).toBe(false);
    expect(rateLabel('plan_changed')).toBe('plan change rate');
    expect(rateLabel('flagged')).toBe('flag rate');
    expect(nameParts('length_of_stay_days')).toEqual({ label: 'length of stay', unit: 'days', currency: null });
    expect(nameParts('days_in_session').unit).toBe('');
  });
});

describe('isLifecycleStatus', () => {
  it('knows states a record waits in and states that settle it', () => {
    expect(isLifecycleStatus(['Open', 'Closed', 'Denied'])).toBe(true);
    expect(isLifecycleStatus(['active', 'churned', 'paused'])).toBe(true);
    expect(isLifecycleStatus(['In_Progress', 'Resolved'])).toBe(true);
    expect(isLifecycleStatus(['Listed', 'Sold', 'Withdrawn'])).toBe(true);
    // Faults of a machine, or kinds of event, are no lifecycle.
    expect(isLifecycleStatus(['OK', 'FAULT', 'OFFLINE'])).toBe(false);
    expect(isLifecycleStatus(['view', 'cart', 'purchase'])).toBe(false);
    expect(isLifecycleStatus(['Open', 'Pending'])).toBe(false);
  });
});

describe('isSubsetCountName', () => {
  it('reads a count named after another with a qualifier as some of its things', () => {
    expect(isSubsetCountName('delayed_flights', 'flights')).toBe(true);
    expect(isSubsetCountName('LateOrders', 'orders')).toBe(true);
    expect(isSubsetCountName('units_defective', 'units')).toBe(true);
    expect(isSubsetCountName('total_flights', 'flights')).toBe(false);
    expect(isSubsetCountName('avg_orders', 'orders')).toBe(false);
    expect(isSubsetCountName('flights', 'flights')).toBe(false);
    expect(isSubsetCountName('flights_2023', 'flights')).toBe(false);
    expect(isSubsetCountName('delayed_flights', 'passengers')).toBe(false);
  });
});

describe('money written in millions or billions', () => {
  it('reads the multiplier from a suffix or a bracket, and keeps the label clean', () => {
    expect(nameParts('operating_income_musd')).toEqual({
      label: 'operating income',
      unit: '',
      currency: '$',
      scale: 1e6,
    });
    expect(nameParts('sales_eur_bn')).toEqual({ label: 'sales', unit: '', currency: '€', scale: 1e9 });
    expect(nameParts('Revenue (USD millions)')).toMatchObject({ label: 'revenue', currency: '$', scale: 1e6 });
    expect(nameParts('Capex ($m)')).toMatchObject({ label: 'capex', currency: '$', scale: 1e6 });
    expect(nameParts('Net sales (million EUR)')).toMatchObject({ currency: '€', scale: 1e6 });
    expect(nameParts('amount_usd')).toEqual({ label: 'amount', unit: '', currency: '$' });
    expect(nameParts('GDP (current US$)').scale).toBeUndefined();
  });
});

describe('session 25: units of plants and fields', () => {
  it('reads amounts per area, kelvin and megawatts as units, and a plant temperature as no weather', () => {
    expect(nameParts('yield_kg_m2')).toMatchObject({ label: 'yield', unit: 'kg/m²' });
    expect(nameParts('wheat_t_ha')).toMatchObject({ label: 'wheat', unit: 't/ha' });
    expect(nameParts('floor_area_m2').unit).toBe('m²');
    expect(nameParts('delta_t_k')).toMatchObject({ label: 'delta t', unit: 'K' });
    expect(nameParts('revenue_k').unit).toBe('');
    expect(nameParts('heat_load_mw')).toMatchObject({ label: 'heat load', unit: 'MW' });
    expect(isAveragedName('heat_load_mw')).toBe(true);
    expect(isWeatherName('outdoor_temp_c')).toBe(true);
    expect(isWeatherName('supply_temp_c')).toBe(false);
    expect(isWeatherName('module_temp_c')).toBe(false);
  });
});

describe('session 25: who is in a school system in a year', () => {
  it('reads enrolment, students, teachers and children out of school as head counts', () => {
    for (const name of ['primary_enrolment', 'tertiary_students', 'primary_teachers', 'out_of_school_children'])
      expect(isStockName(name), name).toBe(true);
    expect(isStockName('children')).toBe(false);
  });
});

describe('a kind of what its base counts, plural nouns, and freight units', () => {
  it('calls membership washes of washes their share, makes washes one wash, and writes TEU', () => {
    expect(ratioLabel('membership_washes', 'washes')).toBe('membership share of washes');
    expect(ratioLabel('returned_orders', 'orders')).not.toMatch(/share/);
    expect(['washes', 'boxes', 'categories', 'statuses', 'glasses', 'orders', 'bus'].map(singularOf)).toEqual([
      'wash',
      'box',
      'category',
      'status',
      'glass',
      'order',
      'bus',
    ]);
    expect(nameParts('teu_handled').label).toBe('TEU handled');
  });
});

describe('per capita after a unit, counts of reports, and what a row is enrolled in', () => {
  it('reads kg_pc and eur_pc as per capita, keeps a bare _pc, adds up reports, and holds plans as conditions', () => {
    expect(nameParts('residual_waste_kg_pc')).toMatchObject({ label: 'residual waste per capita', unit: 'kg' });
    expect(nameParts('collection_cost_eur_pc')).toMatchObject({ label: 'collection cost per capita', currency: '€' });
    expect(isPerThingName('collection_cost_eur_pc')).toBe(true);
    expect(isPerThingName('growth_pc')).toBe(false);
    expect(isAdditiveName('illegal_dumping_reports')).toBe(true);
    expect(isConditionName('wellness_plan')).toBe(true);
    expect(isConditionName('payt_scheme')).toBe(true);
    expect(mayCut('nps_group', ['Promoter', 'Passive', 'Detractor'], 'likely_to_recommend_0_10')).toBe(true);
    expect(mayCut('region', ['North', 'South', 'East'], 'likely_to_recommend_0_10')).toBe(false);
  });
});

describe('readings of one reliability', () => {
  it('knows punctuality, on-time shares, cancellations and delays as one family', () => {
    expect(
      ['punctuality_5min_pct', 'cancelled_trains_pct', 'on_time_rate', 'avg_delay_min'].map(isReliabilityName),
    ).toEqual([true, true, true, true]);
    expect(isReliabilityName('avg_fleet_age_yrs')).toBe(false);
    // An oven's setpoint is the plan the temperature follows, like a target.
    expect(isPromiseName('setpoint_c')).toBe(true);
  });
});

describe('session 28: scales written after the name', () => {
  it('reads thousands of money and millions of a count as the amounts they are', () => {
    expect(nameParts('research_income_k_gbp')).toEqual({
      label: 'research income',
      unit: '',
      currency: '£',
      scale: 1e3,
    });
    expect(nameParts('budget_eur_k')).toMatchObject({ label: 'budget', currency: '€', scale: 1e3 });
    expect(nameParts('passenger_km_mn')).toEqual({ label: 'passenger km', unit: '', currency: null, scale: 1e6 });
    expect(nameParts('population_thousands')).toMatchObject({ label: 'population', scale: 1e3 });
    // Kelvin stays a unit; a bare `_m` stays metres.
    expect(nameParts('temp_k')).toMatchObject({ label: 'temperature', unit: 'K' });
    expect(nameParts('depth_m').scale).toBeUndefined();
  });

  it('gives a count to the money of the business it names', () => {
    const money = ['fuel_revenue_eur', 'shop_sales_eur'];
    expect(countsForOther('fuel_revenue_eur', 'shop_transactions', money)).toBe(true);
    expect(countsForOther('shop_sales_eur', 'shop_transactions', money)).toBe(false);
    expect(countsForOther('fare_revenue_usd', 'scheduled_trips', ['fare_revenue_usd'])).toBe(false);
    expect(countsForOther('revenue', 'orders', ['revenue', 'shipping_cost'])).toBe(false);
  });
});

describe('session 28: a control arm with its letter', () => {
  it('reads A_control as the control, not a "no control" group', () => {
    expect(controlOf(['A_control', 'B_question'])).toBe('A_control');
    expect(controlOf(['1 - Control', '2 - New flow'])).toBe('1 - Control');
    expect(isControlMember('no control')).toBe(false);
    expect(isControlMember('Controlled')).toBe(false);
  });
});

describe('session 29: rates of what was done to a row', () => {
  it('names them after the deed', () => {
    expect(rateLabel('irrigated')).toBe('irrigation rate');
    expect(rateLabel('activated')).toBe('activate rate');
    expect(ratioLabel('pick_errors', 'lines_picked')).toBe('pick error rate');
  });

  it('reads light as a level and irrigation in litres as an amount', () => {
    expect(isAveragedName('light_lux')).toBe(true);
    expect(nameParts('light_lux').unit).toBe('lx');
    expect(nameParts('irrigation_l').unit).toBe('L');
    expect(isAdditiveName('irrigation_l')).toBe(true);
  });

  it('averages a tuition fee, a price by another name, and reads money per unit as a price', () => {
    expect(isAveragedName('Tuition Fee (USD)')).toBe(true);
    expect(nameParts('price_eur_mwh')).toEqual({ label: 'price per MWh', unit: '', currency: '€' });
    expect(nameParts('cost_usd_per_kg')).toEqual({ label: 'cost per kg', unit: '', currency: '$' });
  });

  it('reads a channel of a thing beside the thing', () => {
    expect(isChannelOf('e_loans', 'loans')).toBe(true);
    expect(isChannelOf('online_orders', 'orders')).toBe(true);
    expect(isChannelOf('loans', 'e_loans')).toBe(false);
    expect(isChannelOf('late_orders', 'orders')).toBe(false);
  });
});

describe('money per ticket', () => {
  it('reads tickets sold as a base of money, tickets raised with support never', () => {
    expect(perUnitRank('revenue_eur', 'transit_tickets')).not.toBeNull();
    expect(perUnitRank('revenue_eur', 'tickets')).not.toBeNull();
    expect(perUnitRank('monthly_spend_eur', 'support_tickets_12m')).toBeNull();
    expect(perUnitRank('revenue_eur', 'service_desk_tickets')).toBeNull();
  });
});
