// docs/benchmarks.md is written by several commands; each owns one "## " section and keeps the
// others when it rewrites the file.

/** The section under `heading` (a "## …" line) up to the next "## " heading, if there is one. */
export function sectionOf(markdown: string, heading: string): string | undefined {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) return undefined
  const next = markdown.indexOf('\n## ', start + heading.length + 1)
  return markdown.slice(start + 1, next < 0 ? undefined : next)
}

/** `markdown` with the section under `heading` replaced by `section` (appended when absent). */
export function withSection(markdown: string, heading: string, section: string): string {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`
  const next = markdown.indexOf('\n## ', start + heading.length + 1)
  const rest = next < 0 ? '' : markdown.slice(next)
  return `${markdown.slice(0, start).trimEnd()}\n\n${section.trimEnd()}\n${rest}`
}

/** Headings of the sections other commands own (`--load`, `--soak`, `--server`): a full rerun keeps them. */
export const KEPT_SECTIONS = ['## Load time', '## Soak', '## Server throughput'] as const
