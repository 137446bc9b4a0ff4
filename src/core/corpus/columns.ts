/**
 * The compact columns of a corpus: what filters and sorts read of every session, one typed array
 * per value (strings dictionary-coded, flags as bits), filled once as sessions are loaded or planned.
 * A scan reads these in order; a session itself is materialized only for a page or a detail filter.
 */
import type { StoredSession } from '../../contract/schemas/sessions.ts'
import type { SessionPlan } from './generate.ts'

/** The string values filters test, by column name (`device_metadata.*` of both session types). */
export const STRING_COLUMNS = [
  'rev_org_id',
  'rev_user_id',
  'device_metadata.app_version',
  'device_metadata.model',
  'device_metadata.manufacturer',
  'device_metadata.network_type',
  'device_metadata.os_version',
  'device_metadata.browser',
  'device_metadata.browser_version',
  'device_metadata.type',
  'device_metadata.os',
] as const
export type StringColumn = (typeof STRING_COLUMNS)[number]

/** The boolean values filters test, one bit each. */
export const FLAG_COLUMNS = [
  'is_anonymous',
  'has_exception_occurred',
  'is_anr',
  'is_crash',
  'rage_tap',
  'has_dead_clicks',
  'has_rage_clicks',
  'has_console_errors',
  'has_network_errors',
] as const
export type FlagColumn = (typeof FLAG_COLUMNS)[number]

/** The numbers filters and sorts read (created_at as epoch ms). */
export const NUMBER_COLUMNS = ['created_at', 'session_duration_ms', 'dead_click_count', 'rage_click_count'] as const
export type NumberColumn = (typeof NUMBER_COLUMNS)[number]

/** One session's column values, filled in place (one object reused for every session). */
export interface Row {
  versionKey: string
  platform: string
  sessionId: string
  numbers: number[]
  strings: (string | undefined)[]
  flags: number
}

export function emptyRow(): Row {
  return { versionKey: '', platform: '', sessionId: '', numbers: [0, 0, 0, 0], strings: STRING_COLUMNS.map(() => undefined), flags: 0 }
}

const bit = (name: FlagColumn, on: boolean | undefined) => (on ? 1 << FLAG_COLUMNS.indexOf(name) : 0)
const S = Object.fromEntries(STRING_COLUMNS.map((c, i) => [c, i])) as Record<StringColumn, number>

/** The row of a session in the fixtures format (hand-written details may omit any key). */
export function rowOfSession(s: StoredSession, row: Row): Row {
  row.versionKey = s.version_key
  row.platform = s.platform
  row.sessionId = s.session_id
  row.strings.fill(undefined)
  row.strings[S.rev_org_id] = s.rev_org_id
  row.strings[S.rev_user_id] = s.rev_user_id
  const d = s.details ?? {}
  let flags = bit('is_anonymous', d.is_anonymous)
  if (s.type === 'mobile') {
    const m = s.device_metadata
    row.strings[S['device_metadata.app_version']] = m.app_version
    row.strings[S['device_metadata.model']] = m.model
    row.strings[S['device_metadata.manufacturer']] = m.manufacturer
    row.strings[S['device_metadata.network_type']] = m.network_type
    row.strings[S['device_metadata.os_version']] = m.os_version
    flags |= bit('has_exception_occurred', s.has_exception_occurred) | bit('is_anr', s.is_anr) | bit('is_crash', s.is_crash) | bit('rage_tap', s.rage_tap)
    row.numbers[2] = 0
    row.numbers[3] = 0
  } else {
    const m = s.device_metadata
    const wd = s.details ?? {}
    row.strings[S['device_metadata.model']] = m.model
    row.strings[S['device_metadata.network_type']] = m.network_type
    row.strings[S['device_metadata.browser']] = m.browser
    row.strings[S['device_metadata.browser_version']] = m.browser_version
    row.strings[S['device_metadata.type']] = m.type
    row.strings[S['device_metadata.os']] = m.os
    flags |=
      bit('has_dead_clicks', s.dead_click_count > 0) |
      bit('has_rage_clicks', s.rage_click_count > 0) |
      bit('has_console_errors', (wd.console_logs ?? []).some((l) => l.log_type === 'error')) |
      bit('has_network_errors', (wd.network_logs ?? []).some((l) => l.response_status >= 400))
    row.numbers[2] = s.dead_click_count
    row.numbers[3] = s.rage_click_count
  }
  row.numbers[0] = Date.parse(s.created_at)
  row.numbers[1] = s.session_duration_ms
  row.flags = flags
  return row
}

/** The row of a generated session from its plan alone (the same values its full session has). */
export function rowOfPlan(p: SessionPlan, row: Row): Row {
  row.versionKey = p.versionKey
  row.sessionId = p.sessionId
  row.strings.fill(undefined)
  row.strings[S.rev_org_id] = p.who?.org
  row.strings[S.rev_user_id] = p.who?.user
  row.strings[S['device_metadata.network_type']] = p.networkType
  let flags = bit('is_anonymous', p.who === undefined)
  if (p.kind === 'mobile') {
    row.platform = p.platform
    row.strings[S['device_metadata.app_version']] = p.appVersion
    row.strings[S['device_metadata.model']] = p.device.model
    row.strings[S['device_metadata.manufacturer']] = p.device.manufacturer
    row.strings[S['device_metadata.os_version']] = p.osVersion
    flags |= bit('has_exception_occurred', p.crash || p.exceptionEvent) | bit('is_anr', p.anr) | bit('is_crash', p.crash) | bit('rage_tap', p.rageTap)
    row.numbers[2] = 0
    row.numbers[3] = 0
  } else {
    row.platform = 'web'
    row.strings[S['device_metadata.model']] = p.model
    row.strings[S['device_metadata.browser']] = p.browser
    row.strings[S['device_metadata.browser_version']] = p.browserVersion
    row.strings[S['device_metadata.type']] = p.isMobile ? 'mobile' : 'desktop'
    row.strings[S['device_metadata.os']] = p.os
    flags |=
      bit('has_dead_clicks', p.dead > 0) |
      bit('has_rage_clicks', p.rage > 0) |
      bit('has_console_errors', p.consoleError) |
      bit('has_network_errors', p.networkError)
    row.numbers[2] = p.dead
    row.numbers[3] = p.rage
  }
  row.numbers[0] = p.createdAtMs
  row.numbers[1] = p.durationMs
  row.flags = flags
  return row
}

/** A string column: each session's value as a code into `values` (-1 for none). */
export interface CodeColumn {
  codes: Int32Array
  dict: Map<string, number>
}

/** Every session's column values, by position (the order sessions were added). */
export class Columns {
  size = 0
  numbers: Float64Array[]
  strings: CodeColumn[]
  flags: Uint16Array
  /** Partition of each position (an index into `partitions`). */
  partition: Uint16Array
  sessionIds: string[] = []

  constructor(capacity: number) {
    const n = Math.max(16, capacity)
    this.numbers = NUMBER_COLUMNS.map(() => new Float64Array(n))
    this.strings = STRING_COLUMNS.map(() => ({ codes: new Int32Array(n), dict: new Map() }))
    this.flags = new Uint16Array(n)
    this.partition = new Uint16Array(n)
  }

  /** Appends a row in the given partition; grows the arrays as needed. */
  push(row: Row, partition: number): number {
    const i = this.size++
    if (i >= this.flags.length) this.#grow(this.flags.length * 2)
    for (let k = 0; k < NUMBER_COLUMNS.length; k++) this.numbers[k]![i] = row.numbers[k]!
    for (let k = 0; k < STRING_COLUMNS.length; k++) {
      const v = row.strings[k]
      const col = this.strings[k]!
      if (v === undefined) col.codes[i] = -1
      else {
        let c = col.dict.get(v)
        if (c === undefined) col.dict.set(v, (c = col.dict.size))
        col.codes[i] = c
      }
    }
    this.flags[i] = row.flags
    this.partition[i] = partition
    this.sessionIds.push(row.sessionId)
    return i
  }

  #grow(n: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n)
      b.set(a)
      return b
    }
    this.numbers = this.numbers.map(grow)
    for (const c of this.strings) c.codes = grow(c.codes)
    this.flags = grow(this.flags)
    this.partition = grow(this.partition)
  }

  number(name: NumberColumn): Float64Array {
    return this.numbers[NUMBER_COLUMNS.indexOf(name)]!
  }

  string(name: StringColumn): CodeColumn {
    return this.strings[STRING_COLUMNS.indexOf(name)]!
  }

  flagBit(name: FlagColumn): number {
    return FLAG_COLUMNS.indexOf(name)
  }
}
