/**
 * The diagram as one standalone SVG file: the lane header stacked on the body. Colours are presentation
 * attributes in the markup, so the file looks like the screen without the page's stylesheet.
 */
export function diagramSvg(head: SVGSVGElement, body: SVGSVGElement): string {
  const ns = 'http://www.w3.org/2000/svg';
  const [, , width = 0, headHeight = 0] = (head.getAttribute('viewBox') ?? '').split(' ').map(Number);
  const [, , , bodyHeight = 0] = (body.getAttribute('viewBox') ?? '').split(' ').map(Number);
  const out = document.createElementNS(ns, 'svg');
  out.setAttribute('xmlns', ns);
  out.setAttribute('viewBox', `0 0 ${width} ${headHeight + bodyHeight}`);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(headHeight + bodyHeight));
  out.setAttribute('font-family', 'system-ui, sans-serif');
  const top = document.createElementNS(ns, 'g');
  top.append(...Array.from(head.cloneNode(true).childNodes));
  const rows = document.createElementNS(ns, 'g');
  rows.setAttribute('transform', `translate(0 ${headHeight})`);
  rows.append(...Array.from(body.cloneNode(true).childNodes));
  // The pulse is an animation cue; in a still file it is just a stray ring.
  rows.querySelectorAll('.pulse').forEach((el) => el.remove());
  out.append(rows, top);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
}

export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoke on the next turn, after the browser has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
