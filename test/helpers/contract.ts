/**
 * Contract conformance of every response the suite receives from the emulated endpoints.
 *
 * The truth is DevRev's own OpenAPI document, kept in the repo as `contract/devrev-openapi-beta.yaml`
 * (resolved from this file, so it works from any working directory), read at test time with `yaml` and
 * validated with Ajv (+ ajv-formats). No schema is copied by hand: the schema of a response is found
 * by path + method + status in the document's `paths` (`$ref` → `components.responses` →
 * `content.application/json.schema` → `components.schemas`).
 *
 * Two things the document needs before a JSON-Schema validator can read it as OpenAPI means it:
 * - `discriminator` + `oneOf` (OpenAPI's tagged union) becomes one `if {prop: const k} then <mapped
 *   schema>` per `mapping` entry plus `prop ∈ mapping keys`. Ajv's own `discriminator` option needs
 *   every branch to declare the property and does not read `mapping`, which this document relies on.
 * - DevRev's unions are FLATTENED: the variant's fields sit beside the parent's (`type`, `message`,
 *   `detail`, `retry_after`, ...). A variant with `additionalProperties: false` (e.g.
 *   `error-unauthorized-unauthenticated`) means "adds no fields of its own"; read literally it would
 *   reject every body, so the variant is checked with the parent's property names allowed.
 * Everything else (required fields, types, enums, formats, nested objects) is checked as written.
 * DevRev's own formats (`text`, `id`, `sort-by`) are free text (no-op formats); `int32`, `int64`,
 * `double` and `date-time` are checked by ajv-formats.
 *
 * Outside the contract, by decision:
 * - A route-level 404 `{"message":"route not found"}` (no `type`) is DevRev's documented answer for an
 *   unknown route (as DevRev answers one), not an operation's response: accepted as is.
 * - 404 `not_found` from `observability.sessions.get` and `.data.get` (unknown session; for `.data.get`
 *   also an unknown recording or tab) is not listed for these operations; it is checked against the
 *   document's shared `not-found` response instead.
 * - 429: the contract declares a `Retry-After` header (a number); when headers are given it must be
 *   present and equal to the body's `retry_after` (what every 429 carries).
 *
 * Parsing the 1.8 MB YAML costs ~0.8 s, in every test process. The subset that the observability
 * paths reach (plus every shared error response), already rewritten as above, is cached as JSON in the
 * OS temp dir under a key made of the YAML's sha256 and this file's own sha256; the YAML is still read
 * and hashed on every run, so an edited contract (or checker) is never served stale.
 */
import { createHash } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

export interface Exchange {
  method: string
  /** Path without the query string, e.g. /observability.sessions.list */
  path: string
  status: number
  body: unknown
  /** Response headers (lower-case names), when the caller has them. */
  headers?: Record<string, unknown>
}

/** DevRev's contract, kept in the repo with its provenance (contract/README.md). */
export const CONTRACT_URL = new URL('../../contract/devrev-openapi-beta.yaml', import.meta.url)

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Obj = { [k: string]: Json }

interface ResponseObject {
  $ref?: string
  description?: string
  content?: { 'application/json'?: { schema?: Obj } }
  headers?: Record<string, { schema?: Obj; required?: boolean }>
}

/** What the checker keeps of the document: the observability paths and the components they reach. */
export interface ContractSubset {
  sha256: string
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, ResponseObject> }>>
  components: { responses: Record<string, ResponseObject>; schemas: Record<string, Obj> }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const clone = <T>(v: T): T => structuredClone(v)
const refName = (ref: string, kind: 'schemas' | 'responses') => {
  const prefix = `#/components/${kind}/`
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`)
  return ref.slice(prefix.length)
}

/** Property names a schema declares, through `$ref` and `allOf`. */
function declaredProps(node: Json, schemas: Record<string, Obj>, seen = new Set<string>()): string[] {
  if (!isObj(node)) return []
  if (typeof node.$ref === 'string') {
    const name = refName(node.$ref, 'schemas')
    if (seen.has(name)) return []
    seen.add(name)
    return declaredProps(schemas[name] ?? null, schemas, seen)
  }
  const own = isObj(node.properties) ? Object.keys(node.properties) : []
  const fromAll = Array.isArray(node.allOf) ? node.allOf.flatMap((m) => declaredProps(m, schemas, seen)) : []
  return [...own, ...fromAll]
}

/** Rewrites OpenAPI's discriminated, flattened unions into plain JSON Schema (see the header). */
function rewrite(node: Json, schemas: Record<string, Obj>, inherited: readonly string[] = []): Json {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, schemas))
  if (!isObj(node)) return node
  const out: Obj = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && isObj(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, rewrite(s, schemas)]))
    } else if (k === 'allOf' && Array.isArray(v)) {
      const siblings = [...inherited, ...v.flatMap((m) => declaredProps(m, schemas))]
      out[k] = v.map((m) => rewrite(m, schemas, siblings))
    } else if (k === 'discriminator' || (k === 'oneOf' && isObj(node.discriminator))) {
      continue
    } else {
      out[k] = rewrite(v, schemas)
    }
  }
  const d = node.discriminator
  if (isObj(d) && Array.isArray(node.oneOf)) {
    const prop = String(d.propertyName)
    if (!isObj(d.mapping)) throw new Error(`discriminator on ${prop} without a mapping`)
    const parentProps = [...inherited, ...declaredProps({ ...node, allOf: null }, schemas)]
    const branches: Json[] = Object.entries(d.mapping).map(([value, ref]) => {
      // The variant's fields sit beside the parent's: a union nested in the variant (e.g.
      // customization_validation_error's `subtype`) must know the parent's names too.
      const variant = rewrite(clone(schemas[refName(String(ref), 'schemas')]!), schemas, parentProps) as Obj
      if (variant.additionalProperties === false) {
        const allowed = Object.fromEntries(parentProps.map((p) => [p, {}]))
        variant.properties = { ...allowed, ...(isObj(variant.properties) ? variant.properties : {}) }
      }
      return { if: { properties: { [prop]: { const: value } }, required: [prop] }, then: variant }
    })
    const tag: Json = { properties: { [prop]: { enum: Object.keys(d.mapping) } } }
    out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), tag, ...branches]
  }
  return out
}

/** Collects every `#/components/schemas/*` name reachable from a node. */
function collectRefs(node: Json, doc: { components: { schemas: Record<string, Obj> } }, into: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectRefs(n, doc, into))
  if (!isObj(node)) return
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
      const name = refName(v, 'schemas')
      if (!into.has(name)) {
        into.add(name)
        collectRefs(doc.components.schemas[name] ?? null, doc, into)
      }
    } else collectRefs(v, doc, into)
  }
}

/** The subset of the parsed document the checker needs, rewritten (exported for the proof test). */
export function extractContract(doc: Obj, sha256: string): ContractSubset {
  const all = doc as unknown as { paths: Record<string, Json>; components: { responses: Record<string, Obj>; schemas: Record<string, Obj> } }
  const paths = Object.fromEntries(Object.entries(all.paths).filter(([p]) => p.startsWith('/observability.')))
  const names = new Set<string>()
  collectRefs(paths as Json, all, names)
  collectRefs(all.components.responses as Json, all, names)
  const schemas = Object.fromEntries([...names].sort().map((n) => [n, rewrite(all.components.schemas[n]!, all.components.schemas) as Obj]))
  return {
    sha256,
    paths: clone(paths) as unknown as ContractSubset['paths'],
    components: { responses: clone(all.components.responses) as unknown as ContractSubset['components']['responses'], schemas },
  }
}

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex')

/** Reads the contract (from the temp-dir cache when the YAML and this checker are unchanged). */
export function loadContract(url: URL = CONTRACT_URL): ContractSubset {
  const text = readFileSync(url, 'utf8')
  const key = `${sha(text)}-${sha(readFileSync(fileURLToPath(import.meta.url)))}`.slice(0, 80)
  const cacheFile = join(tmpdir(), `devrev-mock-contract-${key}.json`)
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as ContractSubset
    if (cached.sha256 === sha(text)) return cached
  } catch {
    // no cache yet (or a torn one): build it below
  }
  const subset = extractContract(parse(text, { maxAliasCount: -1 }) as Obj, sha(text))
  // Written whole and renamed into place, so parallel test processes never read half a file.
  const tmp = `${cacheFile}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(subset))
  renameSync(tmp, cacheFile)
  return subset
}

/** DevRev's formats that carry no constraint beyond `type: string`. */
const FREE_TEXT_FORMATS = ['text', 'id', 'sort-by']

export class ContractChecker {
  readonly contract: ContractSubset
  readonly #ajv: Ajv
  readonly #validators = new Map<string, ValidateFunction>()

  constructor(contract: ContractSubset) {
    this.contract = contract
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true })
    addFormatsModule.default(this.#ajv)
    for (const f of FREE_TEXT_FORMATS) this.#ajv.addFormat(f, true)
    // Any other format the document uses and ajv-formats lacks would fail compilation loudly.
    this.#ajv.addSchema({ $id: 'contract', components: contract.components } as object)
  }

  /** The response object for an operation and status (listed, or by decision; see the header). */
  responseFor(method: string, path: string, status: number): { name: string; response: ResponseObject } | undefined {
    const op = this.contract.paths[path]?.[method === 'HEAD' ? 'get' : method.toLowerCase()]
    let r: ResponseObject | undefined = op?.responses[String(status)]
    let name = `${method} ${path} ${status}`
    if (r === undefined && status === 404) {
      r = { $ref: '#/components/responses/not-found' }
      name += ' (not listed; checked as the shared not-found response)'
    }
    if (r?.$ref !== undefined) r = this.contract.components.responses[refName(r.$ref, 'responses')]
    return r === undefined ? undefined : { name, response: r }
  }

  #validator(pointer: string): ValidateFunction {
    let v = this.#validators.get(pointer)
    if (!v) {
      v = this.#ajv.compile({ $ref: `contract${pointer}` })
      this.#validators.set(pointer, v)
    }
    return v
  }

  /** Validates a body against a schema of the document: `{$ref}` into components, or inline. */
  validate(schema: Obj, body: unknown): string | undefined {
    const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined
    const v = ref ? this.#validator(ref) : this.#ajv.compile(schema)
    if (v(body)) return undefined
    const shown = (v.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    return `${ref ?? 'schema'}: ${shown.join('; ')}`
  }

  check(x: Exchange): string | undefined {
    const b = x.body as Record<string, unknown> | undefined
    if (x.status === 404 && isObj(b) && b.message === 'route not found' && !('type' in b)) return undefined
    // The project's own rule on top of the contract: never Fastify's default error body.
    if (x.status >= 400 && isObj(b) && ('statusCode' in b || 'error' in b)) {
      return `Fastify's default error body leaked: ${JSON.stringify(b)}`
    }
    const found = this.responseFor(x.method, x.path, x.status)
    if (!found) return `status ${x.status} is not in the contract for ${x.method} ${x.path}`
    const schema = found.response.content?.['application/json']?.schema
    if (!schema) return `the contract has no JSON body for ${found.name}`
    const problem = this.validate(schema, x.body)
    if (problem) return `${found.name}: body does not match ${problem}; body=${JSON.stringify(x.body).slice(0, 400)}`
    if (x.headers) {
      for (const [header, spec] of Object.entries(found.response.headers ?? {})) {
        const raw = x.headers[header.toLowerCase()]
        if (raw === undefined) {
          if (x.status === 429) return `${found.name}: no ${header} header`
          continue
        }
        const value = spec.schema?.type === 'number' || spec.schema?.type === 'integer' ? Number(raw) : raw
        const bad = spec.schema ? this.validate(spec.schema, value) : undefined
        if (bad) return `${found.name}: header ${header}=${String(raw)} does not match ${bad}`
      }
      if (x.status === 429 && isObj(b) && Number(x.headers['retry-after']) !== b.retry_after) {
        return `${found.name}: Retry-After ${String(x.headers['retry-after'])} differs from retry_after ${String(b.retry_after)}`
      }
    }
    return undefined
  }
}

let shared: ContractChecker | undefined
/** The checker of this process, built on first use. */
export function contractChecker(): ContractChecker {
  return (shared ??= new ContractChecker(loadContract()))
}

/** Every exchange checked in this process, by `METHOD path status` (the conformance test reads it). */
export const checked = new Map<string, number>()

/** Returns undefined when the response conforms, else a message saying what is wrong. */
export function checkResponse(x: Exchange): string | undefined {
  const key = `${x.method} ${x.path} ${x.status}`
  checked.set(key, (checked.get(key) ?? 0) + 1)
  return contractChecker().check(x)
}
