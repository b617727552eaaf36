import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'preact/hooks';

/**
 * A challenge statement: Markdown (CommonMark + GFM, by marked) turned into HTML and sanitised by DOMPurify
 * (no script, event handler, `javascript:` URL, style or form element survives) before it reaches the page.
 */
export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => {
    const raw = marked.parse(source, { async: false, gfm: true });
    return DOMPurify.sanitize(raw, { FORBID_TAGS: ['style', 'form', 'input'], FORBID_ATTR: ['style'] });
  }, [source]);
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
