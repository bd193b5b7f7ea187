// Turns per-file load events into one byte count for the progress bar. Files report separately
// (tokenizer, config, weights), so the bar shows their sum rather than jumping between files.

import type { ProgressEvent } from '../src/index'

export interface ProgressView {
  loaded: number
  total: number
  /** The file being loaded, or the final summary. */
  label: string
  ready: boolean
}

export class LoadProgress {
  private readonly files = new Map<string, { loaded: number; total: number }>()
  private label = 'Starting…'
  private ready = false

  update(event: ProgressEvent): ProgressView {
    switch (event.status) {
      case 'initiate':
      case 'download':
        this.label = event.file
        break
      case 'progress':
        this.files.set(event.file, { loaded: event.loaded, total: event.total })
        this.label = event.file
        break
      case 'done': {
        const file = this.files.get(event.file)
        if (file) file.loaded = file.total
        break
      }
      case 'ready':
        this.ready = true
        this.label = 'Loaded'
        break
    }
    return this.view()
  }

  view(): ProgressView {
    let loaded = 0
    let total = 0
    for (const f of this.files.values()) {
      loaded += f.loaded
      total += f.total
    }
    return { loaded, total, label: this.label, ready: this.ready }
  }
}

/** Decimal units (MB = 10^6 bytes), as the hub and the registry's `approxDownloadMB` count. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1000 ** 2) return `${(n / 1000).toFixed(1)} kB`
  return `${(n / 1000 ** 2).toFixed(1)} MB`
}
