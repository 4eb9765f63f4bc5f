/** Capture-derived text made inert in Markdown (CommonMark and GitHub's dialect): it reads the same,
 * but cannot become markup, links, HTML, issue references or mentions. */

/** Characters that start inline markup anywhere in a line. */
const INLINE = /[\\`*_[\]<>&|~#@]/g;
/** What a line may not start with: headings, quotes, list items, setext and thematic breaks. */
const LINE_START = /^(\s*)([-+=>]|\d+[.)])/;

/** Text inside a line (line breaks become spaces). */
export function mdText(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(INLINE, (c) => `\\${c}`);
}

/** Text that starts a line: a paragraph, or a list item's continuation. */
export function mdParagraph(text: string): string {
  return mdText(text).replace(LINE_START, (_, space: string, mark: string) => `${space}${mark.replace(/[-+=>.)]/, (c) => `\\${c}`)}`);
}

/** A code span that holds any text: the fence is longer than any run of backticks inside. */
export function mdCode(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
