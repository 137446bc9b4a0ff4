/**
 * Certificates for HTTPS: a throw-away local CA made at start-up and a server certificate it signs,
 * or the user's own certificate and key read from files. Keys come from Node's native key generation
 * and every signature from Node's native `crypto.sign` (both fast); node-forge only lays out the X.509
 * structures, so no `openssl` binary is needed at run time.
 */
import { generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import { promisify } from 'node:util'
import forge from 'node-forge'

/** What an HTTPS listener needs, plus the CA a client should trust when the mock made it. */
export interface TlsMaterial {
  cert: string
  key: string
  /** PEM of the CA that signed `cert`; undefined for the user's own certificate. */
  ca?: string
}

/** The names every generated certificate covers, before the listening host and the extra names. */
export const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'] as const

const DAY_MS = 86_400_000
const ORGANIZATION = 'devrev-observability-mock'
const rsaKeyPair = promisify(generateKeyPair)

/** The names a generated certificate covers: the local ones, then `extra`, each once, lower-case. */
export function certificateNames(extra: readonly string[] = []): string[] {
  const names: string[] = []
  for (const n of [...LOCAL_NAMES, ...extra]) {
    const name = n.replace(/^\[(.*)\]$/, '$1').toLowerCase()
    // A wildcard listening address: no client connects to it by that name.
    if (name === '0.0.0.0' || name === '::' || names.includes(name)) continue
    names.push(name)
  }
  return names
}

function newKeys(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return rsaKeyPair('rsa', { modulusLength: 2048 })
}

/** A certificate skeleton: subject, validity from a day back (clients a little behind) to a year on. */
function skeleton(publicKey: KeyObject, commonName: string, now: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string)
  // Positive (high bit clear), 16 random bytes: a fresh serial every start.
  const serial = randomBytes(16)
  serial[0] = serial[0]! & 0x7f
  cert.serialNumber = serial.toString('hex')
  cert.validity.notBefore = new Date(now - DAY_MS)
  cert.validity.notAfter = new Date(now + 365 * DAY_MS)
  cert.setSubject([
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: ORGANIZATION },
  ])
  return cert
}

/** Signs `cert` (SHA-256 with RSA) with Node's crypto; returns its PEM. */
function signWith(cert: forge.pki.Certificate, key: KeyObject): string {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!
  const tbs = (forge.pki.certificateToAsn1(cert).value as forge.asn1.Asn1[])[0]!
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary')
  cert.signature = sign('sha256', der, key).toString('binary')
  return forge.pki.certificateToPem(cert)
}

/**
 * Makes a CA and a server certificate it signs, valid for `localhost`, `127.0.0.1`, `::1` and
 * `extraNames` (host names or IP addresses). `now` (epoch ms, the real time) anchors the validity.
 */
export async function generateTlsMaterial(extraNames: readonly string[], now: number): Promise<TlsMaterial> {
  const names = certificateNames(extraNames)
  const [caKeys, serverKeys] = await Promise.all([newKeys(), newKeys()])

  const ca = skeleton(caKeys.publicKey, `${ORGANIZATION} local CA`, now)
  ca.setIssuer(ca.subject.attributes)
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  const caPem = signWith(ca, caKeys.privateKey)

  const server = skeleton(serverKeys.publicKey, names[0]!, now)
  server.setIssuer(ca.subject.attributes)
  server.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    // Type 7 = IP address, type 2 = DNS name (RFC 5280 GeneralName).
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ])
  return {
    cert: signWith(server, caKeys.privateKey),
    key: serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ca: caPem,
  }
}
