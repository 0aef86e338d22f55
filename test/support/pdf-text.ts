/** The text of each page of a PDF, as a reader (pdf.js) extracts it. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // pdf.js 6 expects Promise.withResolvers (Node 22); Node 20 gets the three-line equivalent.
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const p = new Promise((yes, no) => ((resolve = yes), (reject = no)));
    return { promise: p, resolve, reject };
  };
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({ data: bytes, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await pdf.cleanup();
  return pages;
}
