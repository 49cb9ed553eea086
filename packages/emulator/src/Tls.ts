/**
 * TLS on demand: a self-signed certificate for `localhost`, `127.0.0.1` and `::1`, made at
 * start-up, acting as its own CA. Its PEM is written to a file a client can trust
 * (`NODE_EXTRA_CA_CERTS=<file>`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Selfsigned from "selfsigned"

/**
 * A generated certificate.
 *
 * @since 0.1.0
 * @category models
 */
export interface Certificate {
  readonly key: string
  readonly cert: string
  readonly caFile: string
}

/**
 * Make a certificate and write its CA PEM to `caFile` (default: a new temp file).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (caFile?: string | undefined): Effect.Effect<Certificate, Error> =>
  Effect.tryPromise({
    try: async () => {
      const now = new Date()
      const pems = await Selfsigned.generate([{ name: "commonName", value: "localhost" }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate: new Date(now.getTime() - 60_000),
        notAfterDate: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
        extensions: [
          { name: "basicConstraints", cA: true },
          { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
          { name: "extKeyUsage", serverAuth: true },
          {
            name: "subjectAltName",
            altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }]
          }
        ]
      })
      const file = caFile ?? Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "domo-emulator-tls-")), "ca.pem")
      Fs.writeFileSync(file, pems.cert)
      return { key: pems.private, cert: pems.cert, caFile: file }
    },
    catch: (cause) => new Error(`Could not make a TLS certificate: ${String(cause)}`)
  })
