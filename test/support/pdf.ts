// The text of a PDF, page by page, read with pdf.js (a devDependency, for tests only): what a
// reader's copy-and-paste or a screen reader would get. Runs of text on a page are joined with a
// space and white space collapsed, so a label and its value read "label value".
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; text: string; title: string | undefined }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((it) => ('str' in it ? it.str : ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  const meta = await doc.getMetadata();
  const title = (meta.info as { Title?: string }).Title;
  await doc.destroy();
  return { pages, text: pages.join(' '), title };
}
