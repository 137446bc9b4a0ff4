/**
 * From the TLS options to what the HTTPS listener serves: the user's certificate and key (checked:
 * readable, PEM, and a matching pair), or a CA and certificate made now, its CA written to
 * `--tls-ca-out`. Every problem is an OptionError naming the option and file, before anything listens.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { OptionError, type MockOptions } from '../config/options.ts'
import type { TlsMaterial } from '../core/certificates.ts'

type TlsOptions = Pick<MockOptions, 'tls' | 'tlsNames' | 'tlsCert' | 'tlsKey' | 'tlsCaOut' | 'host'>

function read(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new OptionError(`--${flag} ${path}: cannot read (${(e as NodeJS.ErrnoException).code})`)
  }
}

/** The user's certificate and key, checked to be usable together. */
export function loadTlsFiles(certPath: string, keyPath: string): TlsMaterial {
  const cert = read('tls-cert', certPath)
  const key = read('tls-key', keyPath)
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw new OptionError(`--tls-cert ${certPath}: not a PEM certificate`)
  }
  let privateKey
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw new OptionError(`--tls-key ${keyPath}: not a PEM private key (an encrypted key is not supported)`)
  }
  if (!x509.checkPrivateKey(privateKey)) throw new OptionError(`--tls-key ${keyPath}: is not the key of --tls-cert ${certPath}`)
  return { cert, key }
}

/**
 * What to serve: undefined for plain HTTP. `--tls-cert`/`--tls-key` (both, or neither) turn HTTPS on
 * by themselves; `--tls-name` and `--tls-ca-out` only shape a certificate the mock makes. `now` (the
 * real time) anchors a generated certificate's validity, as clients check it against their own clock.
 */
export async function prepareTls(options: TlsOptions, now: number): Promise<TlsMaterial | undefined> {
  const { tlsCert, tlsKey } = options
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new OptionError(tlsCert === undefined ? '--tls-key needs --tls-cert' : '--tls-cert needs --tls-key')
  }
  if (tlsCert !== undefined) return loadTlsFiles(tlsCert, tlsKey!)
  if (!options.tls) return undefined
  // Loaded only when needed: a plain HTTP mock starts without the certificate library.
  const { generateTlsMaterial } = await import('../core/certificates.ts')
  const material = await generateTlsMaterial([options.host, ...options.tlsNames], now)
  if (options.tlsCaOut !== undefined) {
    try {
      writeFileSync(options.tlsCaOut, material.ca!)
    } catch (e) {
      throw new OptionError(`--tls-ca-out ${options.tlsCaOut}: cannot write (${(e as NodeJS.ErrnoException).code})`)
    }
  }
  return material
}
