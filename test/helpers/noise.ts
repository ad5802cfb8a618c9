/**
 * Seeded CSVs of pure noise in four shapes: an order log, a customer table, hourly sensor readings, and a
 * monthly KPI table of two years (one row a month: a short series is where chance looks most like a trend).
 */

import { mulberry32, normalGenerator } from '../../src/stats/index.ts';

export type NoiseShape = 'orders' | 'customers' | 'sensors' | 'monthly';

export function noiseCsv(shape: NoiseShape, seed: number): string {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const normal = normalGenerator(random);
  const lines: string[] = [];
  if (shape === 'orders') {
    lines.push('order_id,date,region,product,channel,units,price,revenue');
    const products = Array.from({ length: 20 }, (_, i) => `Product ${i + 1}`);
    for (let i = 0; i < 20_000; i++) {
      const date = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 730) * 86_400_000).toISOString().slice(0, 10);
      const units = 1 + Math.floor(random() * 3);
      const price = 20 + Math.round(random() * 80);
      lines.push(
        `O${i},${date},${pick(['North', 'South', 'East', 'West', 'Central'])},${pick(products)},${pick(['Online', 'Retail'])},${units},${price},${units * price}`,
      );
    }
  } else if (shape === 'customers') {
    lines.push('customer_id,plan,region,tenure_months,tickets,nps,churned');
    for (let i = 0; i < 4000; i++) {
      lines.push(
        `C${i},${pick(['Basic', 'Pro', 'Enterprise'])},${pick(['EMEA', 'NA', 'APAC'])},${1 + Math.floor(random() * 48)},${Math.floor(random() * 5)},${Math.floor(random() * 11)},${random() < 0.12 ? 'Yes' : 'No'}`,
      );
    }
  } else if (shape === 'monthly') {
    lines.push('month,revenue,visits,conversion_rate');
    for (let month = 0; month < 24; month++) {
      lines.push(
        `${new Date(Date.UTC(2023, month, 1)).toISOString().slice(0, 7)},${(50_000 + 5000 * normal()).toFixed(2)},${Math.round(20_000 + 1500 * normal())},${(3 + 0.3 * normal()).toFixed(2)}%`,
      );
    }
  } else {
    lines.push('timestamp,sensor,temperature,pressure,humidity');
    for (let hour = 0; hour < 24 * 60; hour++) {
      const time = new Date(Date.UTC(2024, 0, 1) + hour * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      for (const sensor of ['S1', 'S2', 'S3', 'S4']) {
        lines.push(
          `${time},${sensor},${(20 + normal()).toFixed(2)},${(1000 + 5 * normal()).toFixed(1)},${(50 + 3 * normal()).toFixed(1)}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
