/**
 * A TCP proxy that gives every connection through it the shape of a wide-area link: a bandwidth
 * per direction and a round-trip time, with TCP-like flow control (the sender is paused while
 * about one bandwidth-delay product, at least 256 KiB, is in flight). Loopback has neither, which
 * hides what gzip and parallel parts are for: real uploads to Domo cross the internet.
 *
 * Model, per connection and direction: a chunk read at `now` starts on the wire when the link is
 * free (`max(now, free)`), holds it for `size / bandwidth`, and is delivered half a round trip
 * after it left. Chunks are delivered in order.
 */
import * as Net from "node:net"

/** Bandwidth (bytes per second, each direction of each connection) and round-trip time. */
export interface LinkShape {
  readonly bytesPerSecond: number
  readonly rttMs: number
}

/** `"12.5,30"` → 12.5 MB/s, 30 ms (MB = 10^6 bytes). */
export const parseShape = (text: string): LinkShape => {
  const [mb, rtt] = text.split(",").map(Number)
  if (!(mb > 0) || !(rtt >= 0)) throw new Error(`a link shape is "MB/s,RTT ms", got "${text}"`)
  return { bytesPerSecond: mb * 1e6, rttMs: rtt }
}

export const describe = (shape: LinkShape): string =>
  `${shape.bytesPerSecond / 1e6} MB/s each way per connection, ${shape.rttMs} ms round trip`

const shapedPipe = (from: Net.Socket, to: Net.Socket, shape: LinkShape): void => {
  const window = Math.max(256 * 1024, (shape.bytesPerSecond * shape.rttMs) / 1000)
  const queue: Array<{ readonly chunk: Buffer; readonly deliverAt: number }> = []
  let inFlight = 0
  let free = 0
  let ended = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const deliver = (): void => {
    timer = undefined
    const now = performance.now()
    while (queue.length > 0 && queue[0].deliverAt <= now) {
      const { chunk } = queue.shift()!
      inFlight -= chunk.length
      to.write(chunk)
    }
    if (inFlight < window && from.isPaused()) from.resume()
    if (queue.length > 0) timer = setTimeout(deliver, Math.max(0, queue[0].deliverAt - now))
    else if (ended) to.end()
  }
  from.on("data", (chunk: Buffer) => {
    const now = performance.now()
    const start = Math.max(now, free)
    free = start + (chunk.length / shape.bytesPerSecond) * 1000
    queue.push({ chunk, deliverAt: free + shape.rttMs / 2 })
    inFlight += chunk.length
    if (inFlight >= window) from.pause()
    if (timer === undefined) timer = setTimeout(deliver, Math.max(0, queue[0].deliverAt - now))
  })
  from.on("end", () => {
    ended = true
    if (timer === undefined && queue.length === 0) to.end()
  })
}

/** A running proxy: connect to `port` to reach the target through the shaped link. */
export interface ShapedLink {
  readonly port: number
  readonly close: () => Promise<void>
}

/** Starts a proxy on loopback to `targetPort` on loopback. */
export const start = (targetPort: number, shape: LinkShape): Promise<ShapedLink> =>
  new Promise((resolve, reject) => {
    const sockets = new Set<Net.Socket>()
    const server = Net.createServer((client) => {
      const upstream = Net.connect(targetPort, "127.0.0.1")
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.setNoDelay(true)
        socket.on("error", () => {
          client.destroy()
          upstream.destroy()
        })
        // an orderly end travels through the link (after the data before it); see shapedPipe
        socket.on("close", () => sockets.delete(socket))
      }
      shapedPipe(client, upstream, shape)
      shapedPipe(upstream, client, shape)
    })
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as Net.AddressInfo).port,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      }))
  })
