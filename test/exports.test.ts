import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer, uploadFile } from './helpers/server.ts';

/** Three regions over three years; the one named with HTML collapses in one month. Notes carry spreadsheet formulas. */
function hostileCsv(): string {
  const lines = ['month,region,sales,note'];
  const regions = ['North', 'South', '<img src=x onerror=alert(1)>'];
  for (let m = 0; m < 36; m++) {
    const month = `${2021 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
    regions.forEach((region, r) => {
      const base = 1000 + r * 150 + ((m * 37 + r * 11) % 60);
      const sales = r === 2 && m === 20 ? Math.round(base * 0.3) : base;
      lines.push(`${month},"${region}",${sales},"=HYPERLINK(""http://evil.example/?${m}-${r}"",""click"")"`);
    });
  }
  return `${lines.join('\n')}\n`;
}

describe('untrusted CSV content stays inert in everything we export', () => {
  let server: TestServer;
  let containerId: string;
  let refined: any;
  beforeAll(async () => {
    server = await startTestServer();
    const { body } = await uploadFile(server.baseUrl, { name: 'hostile.csv', content: hostileCsv() });
    containerId = body.containerId;
    const stories = (await postJson(server.baseUrl, '/api/analyze', { containerId })).body;
    const subset = stories.find((s: { title: string }) => s.title.includes('img src')) ?? stories[0];
    refined = (await postJson(server.baseUrl, '/api/refine', { containerId, selectedStoryTitle: subset.title })).body;
  });
  afterAll(() => server.stop());

  it('writes the story about the HTML-named region: plain text in the title, escaped in the Markdown narrative', () => {
    // The title is data (shown as text); the narrative is Markdown, where the name must not become a tag.
    expect(refined.title).toContain('<img src=x onerror=alert(1)>');
    expect(refined.narrative).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(refined.narrative).not.toMatch(/(?<!\\)<img/);
    // Charts show text too: no Markdown escapes in their titles.
    for (const chart of refined.charts) expect(chart.title).not.toContain('\\<');
    expect(refined.resultDataset).toBeDefined();
  });

  it('never lets a text cell become a spreadsheet formula in the exported dataset', async () => {
    const csv = await (await fetch(`${server.baseUrl}${refined.resultDataset.url}`)).text();
    const cells = csv.split('\n').flatMap((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(cells.some((cell) => cell.includes('HYPERLINK'))).toBe(true);
    for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@]/);
  });

  it('escapes the HTML in the report and serves generated files with a locked-down policy', async () => {
    const response = await fetch(`${server.baseUrl}/api/files/${containerId}/${refined.report.htmlFileId}`);
    const html = await response.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x onerror');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await (await fetch(`${server.baseUrl}/api/files/${containerId}/${refined.charts[0].svgFileId}`)).text();
    expect(svg).not.toContain('<img src=x');
  });
});
