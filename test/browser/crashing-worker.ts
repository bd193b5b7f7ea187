// webrerank's worker plus a way for a test to make it die: the message 'crash' throws an error
// that nothing catches, as an out-of-memory RangeError does.
import '../../src/worker'

self.addEventListener('message', (event: MessageEvent) => {
  if (event.data === 'crash') {
    setTimeout(() => {
      throw new RangeError('Array buffer allocation failed')
    })
  }
})
