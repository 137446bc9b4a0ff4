/**
 * What bench/run.js, bench/instructions.js and bench/engine.js share, so that their numbers describe
 * the same request answered by the same corpus.
 */
export const SEED = 42
export const NOW = '2026-01-15T12:00:00Z'
export const TOKEN = 'bench-token'
export const LIMIT = 50
export const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }

/** The list request of (b): a partition, two filters, a page of LIMIT. */
export const REALISTIC = {
  type: 'mobile',
  platform: 'android',
  version_key: 'com.example.shop',
  app_version: ['3.3.0', '3.2.1'],
  created_at: { type: 'preset', preset_type: 'last_n_days', days: 14 },
  limit: LIMIT,
}

export const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
