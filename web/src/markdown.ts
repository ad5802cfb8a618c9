// Narratives are Markdown written from the CSV's contents (and, later, by a model): untrusted text.
// markdown-it with html: false escapes every tag, and its link check refuses javascript:, vbscript:,
// file: and data: URLs. Images are switched off so a narrative cannot make the browser fetch anything.
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
markdown.disable(['image']);

// The page has its own h1; the narrative's headings sit one level below it.
markdown.core.ruler.push('shift_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close')
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
  }
});

markdown.renderer.rules['link_open'] = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  token.attrSet('rel', 'noopener noreferrer nofollow');
  token.attrSet('target', '_blank');
  return self.renderToken(tokens, index, options);
};

/** Safe HTML for untrusted Markdown. */
export const renderMarkdown = (text: string): string => markdown.render(text);
