/**
 * A small scriptable Domo look-alike on loopback (node:http, port 0): a token endpoint with
 * Basic auth and chosen lifetimes, and an API that checks bearer tokens. Each next response can
 * be scripted (status, headers, body, latency, dropped connection). It counts requests and
 * records the bearer each call carried. Every secret and issued token is registered with the
 * leak scanner.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as LeakScanner from "./LeakScanner.js"

export interface Reply {
  readonly status: number
  readonly headers?: Record<string, string> | undefined
  /** a string is sent as is; anything else as JSON */
  readonly body?: unknown
  /** wait this long (real time) before answering */
  readonly delayMs?: number | undefined
  /** destroy the socket instead of answering */
  readonly drop?: boolean | undefined
}

export type Script = Reply | ((server: ServerState) => Reply)

export interface ApiCall {
  readonly method: string
  readonly path: string
  readonly query: string
  /** the raw Authorization header as received (the bearer token), if any */
  readonly authorization: string | undefined
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export interface TokenCall {
  readonly method: string
  readonly authorization: string | undefined
  readonly query: string
  readonly body: string
}

export interface ServerState {
  readonly url: string
  readonly clientId: string
  readonly clientSecret: string
  /** `expires_in` of the next issued tokens (seconds) */
  expiresIn: number
  /** latency of every token response (real milliseconds) */
  tokenLatencyMs: number
  /** scripted replies for the next token requests (served in order, then normal issuing) */
  readonly tokenScript: Array<Script>
  /** scripted replies for the next API requests to a path (served in order, then the default) */
  readonly apiScript: Map<string, Array<Script>>
  readonly tokenCalls: Array<TokenCall>
  readonly apiCalls: Array<ApiCall>
  /** every token issued, in order */
  readonly issued: Array<string>
  /** wall-clock time each token was issued */
  readonly issuedAt: Array<number>
  /** token -> wall-clock expiry (ms); a token not in here is rejected with 401 */
  readonly valid: Map<string, number>
  /** API calls answered 401 */
  unauthorized: number
  /** when true the token endpoint answers 503 */
  tokenOutage: boolean
  tokenInFlight: number
  tokenInFlightMax: number
  apiInFlight: number
  apiInFlightMax: number
}

export interface TestDomoServer {
  readonly state: ServerState
  readonly url: string
  /** make every issued token invalid (server-side revocation) */
  readonly revokeAll: () => void
  /** issue a token now (as the endpoint would) and return it */
  readonly issue: (expiresIn?: number) => string
  readonly script: (path: string, ...replies: ReadonlyArray<Script>) => void
  readonly scriptToken: (...replies: ReadonlyArray<Script>) => void
}

const domoError = (status: number, statusReason: string, message: string) => ({
  status,
  statusReason,
  message,
  toe: "ABCDEFGHIJ-KLMNO-PQRST"
})

const send = (res: Http.ServerResponse, reply: Reply) => {
  const respond = () => {
    if (reply.drop === true) {
      res.socket?.destroy()
      return
    }
    const isString = typeof reply.body === "string"
    const body = reply.body === undefined ? "" : isString ? String(reply.body) : JSON.stringify(reply.body)
    res.writeHead(reply.status, {
      ...(reply.body !== undefined && !isString ? { "content-type": "application/json;charset=UTF-8" } : {}),
      ...reply.headers
    })
    res.end(body)
  }
  if (reply.delayMs !== undefined && reply.delayMs > 0) setTimeout(respond, reply.delayMs)
  else respond()
}

const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (c: string) => (body += c))
    req.on("end", () => resolve(body))
    req.on("error", () => resolve(body))
  })

export interface Options {
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly expiresIn?: number | undefined
}

/** Starts a server in the current scope; closed (all sockets) when the scope closes. */
export const make = (options: Options = {}): Effect.Effect<TestDomoServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const clientId = options.clientId ?? Crypto.randomUUID()
    const clientSecret = options.clientSecret ?? Crypto.randomBytes(24).toString("hex")
    LeakScanner.registerSecret(clientSecret)
    const state: ServerState = {
      url: "",
      clientId,
      clientSecret,
      expiresIn: options.expiresIn ?? 3600,
      tokenLatencyMs: 0,
      tokenScript: [],
      apiScript: new Map(),
      tokenCalls: [],
      apiCalls: [],
      issued: [],
      issuedAt: [],
      valid: new Map(),
      unauthorized: 0,
      tokenOutage: false,
      tokenInFlight: 0,
      tokenInFlightMax: 0,
      apiInFlight: 0,
      apiInFlightMax: 0
    }
    const issue = (expiresIn = state.expiresIn): string => {
      const token = `tok${state.issued.length + 1}.${Crypto.randomBytes(20).toString("base64url")}`
      state.issued.push(token)
      state.issuedAt.push(Date.now())
      state.valid.set(token, Date.now() + expiresIn * 1000)
      LeakScanner.registerSecret(token)
      return token
    }
    const expectedBasic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`, "utf8").toString("base64")}`

    const handler = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://localhost")
      const isToken = url.pathname === "/oauth/token"
      if (isToken) {
        state.tokenInFlight++
        state.tokenInFlightMax = Math.max(state.tokenInFlightMax, state.tokenInFlight)
      } else {
        state.apiInFlight++
        state.apiInFlightMax = Math.max(state.apiInFlightMax, state.apiInFlight)
      }
      res.on("close", () => {
        if (isToken) state.tokenInFlight--
        else state.apiInFlight--
      })
      const body = await readBody(req)
      if (isToken) {
        state.tokenCalls.push({
          method: req.method ?? "",
          authorization: req.headers.authorization,
          query: url.search,
          body
        })
        if (state.tokenOutage) {
          return send(res, {
            ...errorReply(503, "Service Unavailable", "token service down"),
            delayMs: state.tokenLatencyMs
          })
        }
        const scripted = state.tokenScript.shift()
        if (scripted !== undefined) {
          return send(res, typeof scripted === "function" ? scripted(state) : scripted)
        }
        if (req.headers.authorization !== expectedBasic) {
          return send(res, {
            status: 401,
            body: domoError(401, "Unauthorized", "Bad credentials"),
            delayMs: state.tokenLatencyMs
          })
        }
        const token = issue()
        const scope = url.searchParams.get("scope") ?? "data user"
        return send(res, {
          status: 200,
          delayMs: state.tokenLatencyMs,
          headers: { "cache-control": "no-store" },
          body: {
            access_token: token,
            customer: "acmecompany",
            expires_in: state.expiresIn,
            jti: Crypto.randomUUID(),
            role: "Admin",
            scope,
            token_type: "bearer",
            userId: 964382593
          }
        })
      }
      state.apiCalls.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.search,
        authorization: req.headers.authorization,
        headers: req.headers,
        body
      })
      const queue = state.apiScript.get(url.pathname)
      const scripted = queue?.shift()
      if (scripted !== undefined) {
        return send(res, typeof scripted === "function" ? scripted(state) : scripted)
      }
      const bearer = /^bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1]
      const expiry = bearer === undefined ? undefined : state.valid.get(bearer)
      if (expiry === undefined || expiry <= Date.now()) {
        state.unauthorized++
        return send(res, {
          status: 401,
          body: {
            ...domoError(401, "Internal Server Error", "Full authentication is required to access this resource"),
            path: url.pathname
          }
        })
      }
      return send(res, { status: 200, body: { ok: true, path: url.pathname, method: req.method } })
    }

    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer((req, res) => void handler(req, res))
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const { port } = server.address() as AddressInfo
    const url = `http://127.0.0.1:${port}`
    Object.assign(state, { url })
    return {
      state,
      url,
      revokeAll: () => state.valid.clear(),
      issue,
      script: (path, ...replies) => {
        const queue = state.apiScript.get(path) ?? []
        state.apiScript.set(path, [...queue, ...replies])
      },
      scriptToken: (...replies) => {
        for (const reply of replies) state.tokenScript.push(reply)
      }
    }
  })

/** A Domo-shaped error reply. */
export const errorReply = (
  status: number,
  statusReason: string,
  message: string,
  headers?: Record<string, string>
): Reply => ({
  status,
  headers,
  body: domoError(status, statusReason, message)
})
