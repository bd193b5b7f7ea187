// webrerank's worker in a browser whose storage is full: every Cache API write fails with a
// QuotaExceededError, as in a private window or a full disk. (The patch runs after the import
// but before any message arrives, which is when writes happen.)
import '../../src/worker'

Cache.prototype.put = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
