// The dashboard: the admin API of this mock, read and steered from one page. No framework: a few
// DOM helpers, the journal's live feed (GET /__admin/events read with fetch, so it can carry the
// admin token), and the SVG timeline of ./timeline.js.
import { esc, renderTimeline, statusClass } from './timeline.js'

const ADMIN = '/__admin'
const TOKEN_KEY = 'devrev-observability-mock.admin-token'
const $ = (sel, root = document) => root.querySelector(sel)
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)]

// ---- the admin API, with the token when there is one -------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`)
    this.status = status
    this.body = body ?? {}
  }
}

function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY)
  return token ? { authorization: `Bearer ${token}` } : {}
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = authHeaders()
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(ADMIN + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  const json = text ? JSON.parse(text) : null
  if (res.status === 401) showLogin('the admin token was refused')
  if (!res.ok) throw new ApiError(res.status, json)
  return json
}

/** Shows an API error next to the field it names (`field_name`), else next to the form's catch-all. */
function showError(form, err) {
  const field = err.body?.field_name ?? ''
  const spans = $$('.field-error', form)
  const named = spans.find((s) => s.dataset.field.split(' ').includes(field)) ??
    spans.find((s) => s.dataset.field.split(' ').some((f) => field.startsWith(`${f}.`) || f.startsWith(`${field}.`))) ??
    spans.at(-1)
  named.textContent = err.message
}
const clearErrors = (form) => $$('.field-error', form).forEach((s) => { s.textContent = '' })

// ---- sign in ----------------------------------------------------------------------------------

function showLogin(message) {
  $('#main').hidden = true
  $('#clock').hidden = true
  $('#login').hidden = false
  $('#login-error').textContent = sessionStorage.getItem(TOKEN_KEY) ? message : ''
}

$('#login').addEventListener('submit', (ev) => {
  ev.preventDefault()
  sessionStorage.setItem(TOKEN_KEY, $('#login-token').value)
  start()
})

// ---- the clock --------------------------------------------------------------------------------

let clock = { now_ms: 0, frozen: true, at: performance.now() }
const virtualNow = () => clock.now_ms + (clock.frozen ? 0 : performance.now() - clock.at)

function setClock(state) {
  clock = { ...state, at: performance.now() }
  $('#clock-state').textContent = state.frozen ? 'frozen' : 'running'
  $('#clock-state').className = `pill ${state.frozen ? 'frozen' : ''}`
  $('#clock-freeze').textContent = state.frozen ? 'Release' : 'Freeze'
  tickClock()
  scheduleRender()
  refreshLimiterSoon()
}
function tickClock() {
  $('#clock-now').textContent = new Date(virtualNow()).toISOString()
}
setInterval(() => { if (!clock.frozen) tickClock() }, 250)
// The clock also moves from outside the page (a test, the CLI, another tab): read it now and then.
setInterval(() => {
  if (!$('#main').hidden) api('/clock').then((state) => { if (Math.abs(state.now_ms - virtualNow()) > 100 || state.frozen !== clock.frozen) setClock(state) }, () => {})
}, 1000)

async function moveClock(form, body) {
  clearErrors(form)
  try {
    setClock(await api('/clock', { method: 'POST', body }))
  } catch (err) {
    showError(form, err)
  }
}
$('#clock-advance').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const f = ev.target
  moveClock(f, { advance_ms: Math.round(Number(f.amount.value) * Number(f.unit.value)) })
})
$('#clock-set').addEventListener('submit', (ev) => {
  ev.preventDefault()
  moveClock(ev.target, { now: ev.target.now.value.trim() })
})
$('#clock-freeze').addEventListener('click', () => moveClock($('#clock-set'), { frozen: !clock.frozen }))

// ---- the journal, live ------------------------------------------------------------------------

let entries = []
let lastSeq = 0
let tokenFilter = { text: '', hash: '' }

async function sha16(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16)
}

function statusMatches(status, want) {
  if (want === '') return true
  if (want === 'none') return status === null
  if (want === '429') return status === 429
  return status !== null && String(status)[0] === want[0]
}

function visible() {
  const f = $('#filters')
  const endpoint = f.endpoint.value
  const status = f.status.value
  return entries.filter((e) =>
    (tokenFilter.text === '' || e.token_hash === tokenFilter.hash || e.token_hash === tokenFilter.text) &&
    (endpoint === '' || e.path === endpoint) &&
    statusMatches(e.status, status))
}

let renderQueued = false
function scheduleRender() {
  if (renderQueued) return
  renderQueued = true
  requestAnimationFrame(() => {
    renderQueued = false
    renderJournal()
  })
}

function renderJournal() {
  const shown = visible()
  $('#journal-count').textContent = `${shown.length} of ${entries.length} requests`
  $('#timeline').innerHTML = renderTimeline(shown, virtualNow())
  $('#journal-table tbody').innerHTML = shown.slice().reverse().map((e) => `
    <tr data-seq="${e.seq}" class="${e.early_retry ? 'early' : ''}">
      <td>${e.seq}</td><td>${esc(e.received_at)}</td><td>${esc(e.method)}</td><td>${esc(e.path)}</td>
      <td class="${statusClass(e.status)}">${e.status ?? (e.fault ? esc(e.fault) : '—')}</td>
      <td>${esc(e.error_type ?? '')}</td><td>${esc(e.rule_id ?? '')}</td><td title="sha256 of the token, first 16 hex digits">${esc(e.token_hash ?? '')}</td>
      <td>${e.retry_after === null ? '' : `${e.retry_after} s`}</td>
      <td>${e.early_retry ? '<span class="early-mark">early</span>' : ''}</td><td>${e.duration_ms}</td>
    </tr>`).join('')
  const select = $('#filters').endpoint
  const known = new Set($$('option', select).map((o) => o.value))
  for (const path of new Set(entries.map((e) => e.path))) {
    if (!known.has(path)) select.insertAdjacentHTML('beforeend', `<option>${esc(path)}</option>`)
  }
}

$('#filters').addEventListener('input', async (ev) => {
  if (ev.target.name === 'token') {
    const text = ev.target.value.trim()
    tokenFilter = { text, hash: text === '' ? '' : await sha16(text) }
  }
  scheduleRender()
})
$('#filters').addEventListener('submit', (ev) => ev.preventDefault())
$('#journal-clear').addEventListener('click', () => api('/requests', { method: 'DELETE' }))

function onEvent(event, id, data) {
  if (event === 'clear') entries = []
  else {
    const entry = JSON.parse(data)
    // Numbers only grow within one mock process: a smaller one means the mock was restarted.
    if (Number(id) <= lastSeq) entries = []
    lastSeq = Number(id)
    if (entry.received_at > new Date(virtualNow()).toISOString()) api('/clock').then(setClock, () => {})
    entries.push({ ...entry, seq: lastSeq, at: Date.parse(entry.received_at) })
    if (entries.length > 5000) entries.splice(0, entries.length - 5000)
  }
  scheduleRender()
  refreshLimiterSoon()
}

function live(state) {
  $('#live').textContent = state
  $('#live').className = `pill ${state === 'live' ? 'live' : 'down'}`
}

/** Reads GET /__admin/events; on a drop, reconnects from the last entry it had (Last-Event-ID). */
async function follow() {
  for (;;) {
    try {
      const res = await fetch(`${ADMIN}/events`, { headers: { ...authHeaders(), 'last-event-id': String(lastSeq), accept: 'text/event-stream' } })
      if (res.status === 401) {
        following = false
        return showLogin('the admin token was refused')
      }
      live('live')
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      let buf = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buf += value
        let at
        while ((at = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, at)
          buf = buf.slice(at + 2)
          let event = 'message'
          let id = ''
          let data = ''
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7)
            else if (line.startsWith('id: ')) id = line.slice(4)
            else if (line.startsWith('data: ')) data = line.slice(6)
          }
          if (data !== '') onEvent(event, id, data)
        }
      }
    } catch {
      // The mock stopped or restarted: try again shortly.
    }
    live('reconnecting…')
    await new Promise((r) => setTimeout(r, 1000))
  }
}

// ---- fault rules ------------------------------------------------------------------------------

async function refreshFaults() {
  const { faults } = await api('/faults')
  $('#faults-table tbody').innerHTML = faults.map((f) => `
    <tr data-id="${esc(f.id)}"><td>${esc(f.id)}</td><td>${esc(f.source)}</td><td class="rule">${esc(JSON.stringify(f.rule))}</td>
    <td>${f.matched}</td><td>${f.fired}</td><td><button type="button" data-remove="${esc(f.id)}">Remove</button></td></tr>`).join('') ||
    '<tr><td colspan="6">No fault rules: every request gets its normal answer.</td></tr>'
}

$('#faults-table').addEventListener('click', async (ev) => {
  const id = ev.target.dataset?.remove
  if (!id) return
  await api(`/faults/${encodeURIComponent(id)}`, { method: 'DELETE' })
  refreshFaults()
})

/** The form as a rule: numbers where the API wants numbers, text kept as typed so the API judges it. */
function ruleFromForm(f) {
  const rule = {}
  const value = f.value.value.trim()
  const number = (v) => (v !== '' && Number.isFinite(Number(v)) ? Number(v) : v)
  if (f.kind.value === 'status') rule.status = number(value)
  else if (f.kind.value !== 'delay') rule[f.kind.value] = value
  for (const key of ['retry_after', 'delay_ms', 'after', 'times', 'every', 'probability']) {
    if (f[key].value !== '') rule[key] = number(f[key].value)
  }
  if (f.message.value !== '') rule.message = f.message.value
  const match = {}
  for (const key of ['endpoint', 'method', 'token']) if (f[`match.${key}`].value !== '') match[key] = f[`match.${key}`].value
  if (Object.keys(match).length > 0) rule.match = match
  return rule
}

$('#fault-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const f = ev.target
  clearErrors(f)
  try {
    await api('/faults', { method: 'POST', body: ruleFromForm(f) })
    refreshFaults()
  } catch (err) {
    showError(f, err)
  }
})

// ---- the rate limiter -------------------------------------------------------------------------

async function refreshLimiter() {
  const [state, { tokens }] = await Promise.all([api('/rate-limit'), api('/rate-limit/tokens')])
  const f = $('#limiter-form')
  if (document.activeElement?.form !== f) {
    f.enabled.checked = state.enabled
    if (state.enabled) {
      f.limit.value = state.limit
      f.window_s.value = state.window_ms / 1000
    }
  }
  $('#limiter-table tbody').innerHTML = !state.enabled
    ? '<tr><td colspan="4">The rate limiter is off.</td></tr>'
    : tokens.map((t) => `<tr><td>${esc(t.token_hash ?? 'no token')}</td><td>${t.used}</td><td>${t.remaining} of ${state.limit}</td><td>${esc(t.reset_at)}</td></tr>`).join('') ||
      '<tr><td colspan="4">No token has been counted in this window.</td></tr>'
}
let limiterTimer
function refreshLimiterSoon() {
  clearTimeout(limiterTimer)
  limiterTimer = setTimeout(() => refreshLimiter().catch(() => {}), 200)
}

$('#limiter-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const f = ev.target
  clearErrors(f)
  try {
    if (!f.enabled.checked) await api('/rate-limit', { method: 'DELETE' })
    else await api('/rate-limit', { method: 'PUT', body: { limit: Number(f.limit.value), window_ms: Math.round(Number(f.window_s.value) * 1000) } })
    f.querySelector('button').blur()
    await refreshLimiter()
  } catch (err) {
    showError(f, err)
  }
})

// ---- the corpus -------------------------------------------------------------------------------

async function refreshCorpus() {
  const { sessions, apps } = await api('/corpus/counts')
  $('#corpus-table tbody').innerHTML = apps.map((a) =>
    `<tr><td>${esc(a.version_key)}</td><td>${esc(a.platform)}</td><td>${a.sessions}</td></tr>`).join('') +
    `<tr><th colspan="2">all apps</th><th>${sessions}</th></tr>`
}

function loadRrweb() {
  if (window.rrweb) return Promise.resolve(window.rrweb)
  return new Promise((resolve, reject) => {
    const css = document.createElement('link')
    css.rel = 'stylesheet'
    css.href = `${ADMIN}/ui/vendor/rrweb.css`
    document.head.append(css)
    const script = document.createElement('script')
    script.src = `${ADMIN}/ui/vendor/rrweb.js`
    script.onload = () => resolve(window.rrweb)
    script.onerror = () => reject(new Error('rrweb did not load'))
    document.head.append(script)
  })
}

let replayer
function describe(ev) {
  const at = ev.start_time ?? ev.timestamp ?? ev.time ?? ''
  const what = ev.event_type ?? ev.type ?? ''
  const name = ev.name ?? ev.screen_name ?? ev.page_name ?? ev.value ?? ev.url ?? ev.event_name ?? ''
  return `${at} ${what} ${typeof name === 'string' ? name : JSON.stringify(name)}`
}

$('#session-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const f = ev.target
  clearErrors(f)
  let found
  try {
    found = await api(`/sessions/${encodeURIComponent(f.id.value.trim())}`)
  } catch (err) {
    $('#session').hidden = true
    return showError(f, err)
  }
  const { session, recording, version_key } = found
  $('#session').hidden = false
  $('#session-json').textContent = JSON.stringify({ version_key, ...session }, null, 2)
  const events = recording.recording === 'web_recording' ? recording.timeline_data?.events ?? [] : recording.recording_events_timeline ?? []
  $('#recording-events').innerHTML = events.map((e) => `<li>${esc(describe(e))}</li>`).join('')
  replayer?.pause?.()
  const target = $('#replay')
  target.innerHTML = ''
  target.style.height = ''
  if (recording.recording === 'web_recording' && recording.replay_data?.length) {
    $('#replay-title').textContent = 'Web replay (rrweb)'
    const [rrweb, events] = await Promise.all([loadRrweb(), fetch(recording.replay_data[0].presigned_url).then((r) => r.json())])
    replayer = new rrweb.Replayer(events, { root: target, triggerFocus: false, mouseTail: false, UNSAFE_replayCanvas: false })
    const wrapper = target.querySelector('.replayer-wrapper')
    const meta = events.find((e) => e.type === 4)
    const scale = Math.min(1, target.clientWidth / (meta?.data.width ?? 1024))
    if (wrapper) {
      wrapper.style.transform = `scale(${scale})`
      wrapper.style.transformOrigin = 'top left'
    }
    target.style.height = `${Math.ceil((meta?.data.height ?? 600) * scale)}px`
    replayer.play()
  } else if (recording.video_playback_data?.length) {
    $('#replay-title').textContent = 'Mobile frames'
    const video = recording.video_playback_data[0]
    const base = video.presigned_url.split('?')
    target.innerHTML = video.frames.slice(0, 8).map((frame) =>
      `<img alt="${esc(frame)}" src="${esc(`${base[0]}${video.frame_image_map[frame]}?${base[1]}`)}">`).join('')
  } else $('#replay-title').textContent = 'No replay'
})

// ---- tabs and start-up ------------------------------------------------------------------------

for (const button of $$('nav button[data-tab]')) {
  button.addEventListener('click', () => {
    for (const b of $$('nav button[data-tab]')) b.classList.toggle('active', b === button)
    for (const s of $$('.tab')) s.hidden = s.id !== `tab-${button.dataset.tab}`
  })
}

let following = false
async function start() {
  try {
    setClock(await api('/clock'))
  } catch (err) {
    // Not a refused token (the mock is down?): say so, and try again shortly.
    if (err.status !== 401) {
      showLogin('')
      $('#login-error').textContent = `the mock did not answer: ${err.message}`
      setTimeout(start, 2000)
    }
    return
  }
  $('#login').hidden = true
  $('#main').hidden = false
  $('#clock').hidden = false
  refreshFaults().catch(() => {})
  refreshCorpus().catch(() => {})
  if (!following) {
    following = true
    follow()
  }
}
start()
