import MarkdownIt from 'markdown-it';

export interface ReportChart {
  title: string;
  caption: string;
  /** Where the PNG is, relative to the report (CLI) or as an API URL (server). */
  href: string;
}

export interface ReportSection {
  narrative: string;
  charts: ReportChart[];
  dataset?: { fileName: string; href: string; rows: number } | undefined;
}

// Raw HTML in Markdown stays text and unsafe link schemes are refused: narratives carry CSV content.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

const escapeMarkdownText = (text: string) => text.replace(/([\\`*_[\]<>])/g, '\\$1');

export function reportMarkdown(sections: ReportSection[]): string {
  return sections
    .map((section) => {
      const charts = section.charts.map(
        (chart) =>
          `![${escapeMarkdownText(chart.title)}](${encodeURI(chart.href)})\n\n*${escapeMarkdownText(chart.caption)}*`,
      );
      const dataset = section.dataset
        ? [
            `Data behind this story: [${escapeMarkdownText(section.dataset.fileName)}](${encodeURI(section.dataset.href)}) (${section.dataset.rows.toLocaleString('en-US')} rows).`,
          ]
        : [];
      return [section.narrative.trim(), ...charts, ...dataset].join('\n\n');
    })
    .join('\n\n---\n\n')
    .concat('\n');
}

export function reportHtml(title: string, sections: ReportSection[]): string {
  const body = markdown.render(reportMarkdown(sections));
  const safeTitle = markdown.utils.escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data: blob: *; style-src 'unsafe-inline'">
<title>${safeTitle}</title>
<style>
  body { background: #141414; color: #eaeaea; font: 17px/1.6 "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 860px; padding: 32px 20px; }
  h1 { font-size: 1.6em; line-height: 1.25; color: #fff; }
  a { color: #7fbfff; }
  img { max-width: 100%; height: auto; border-radius: 6px; display: block; }
  em { color: #bdbdbd; }
  hr { border: 0; border-top: 1px solid #333; margin: 48px 0; }
</style>
</head>
<body>
${body}</body>
</html>
`;
}
