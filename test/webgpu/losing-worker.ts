// webrerank's worker plus a way for a test to lose the GPU: the message 'lose-device' destroys
// the GPUDevice onnxruntime runs on, as a driver reset or a GPU removed from the machine does.
import { env } from '@huggingface/transformers'
import '../../src/worker'

self.addEventListener('message', (event: MessageEvent) => {
  if (event.data !== 'lose-device') return
  interface Gpu {
    destroy(): void
  }
  const webgpu = (env.backends.onnx as { webgpu?: { device: Gpu | Promise<Gpu> } }).webgpu
  void Promise.resolve(webgpu?.device).then((device) => {
    device?.destroy()
  })
})
