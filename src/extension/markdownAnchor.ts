/** Where a Markdown heading is, by its anchor. Pure, so it is tested under plain node. */

/** The line of `markdown` whose heading's anchor is `id` (GitHub's rule: lower case, spaces to dashes, punctuation dropped); 0 when none. */
export function headingLine(markdown: string, id: string): number {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    return !!m && m[1].toLowerCase().replace(/`/g, '').replace(/[^\w\- ]/g, '').replace(/ /g, '-') === id;
  });
  return Math.max(0, at);
}
