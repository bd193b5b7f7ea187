// Prints one plain closing line, "vitest: N passed, N failed, N skipped", after the default
// reporter, so CI logs can be read for counts without parsing Vitest's own summary.

import type { Reporter, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      let failedTests = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') failedTests++
        else counts.skipped++
      }
      // A file that failed to load (or failed in a hook) has no failed test: count it as one, so
      // this line never says "0 failed" for a red run.
      counts.failed += module.state() === 'failed' ? Math.max(failedTests, 1) : failedTests
    }
    console.log(`vitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
  }
}
