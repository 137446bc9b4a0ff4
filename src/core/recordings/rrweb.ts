/**
 * Web replays as rrweb event streams (plain JSON; no library needed to write them): per segment of
 * a tab, a meta event and a full snapshot of a simple page (the page's title, a heading, its URL
 * and one element per click), then a mouse move and a click per click, a custom event per console
 * log, network request and custom event, and a closing custom event at the segment's end.
 * Each segment starts with its own snapshot, as rrweb records a page load, so each plays alone.
 */
import type { Segment } from './web.ts'

// rrweb's numeric codes (rrweb-types: EventType, IncrementalSource, MouseInteractions; rrweb-snapshot: NodeType).
const EVENT = { FullSnapshot: 2, IncrementalSnapshot: 3, Meta: 4, Custom: 5 } as const
const SOURCE = { MouseMove: 1, MouseInteraction: 2 } as const
const CLICK = 2
const NODE = { Document: 0, DocumentType: 1, Element: 2, Text: 3 } as const

interface SerializedNode {
  type: number
  id: number
  [key: string]: unknown
}

const STYLE =
  'body{font-family:sans-serif;margin:0;background:#f6f7f9}header{background:#2d3e50;color:#fff;padding:16px}' +
  'main{padding:16px}button,div.static{display:inline-block;margin:4px;padding:8px 12px}'

export function replayEvents(seg: Segment, createdAtMs: number, viewport: { width: number; height: number }): unknown[] {
  let next = 1
  const el = (tagName: string, attributes: Record<string, string>, childNodes: SerializedNode[]): SerializedNode => ({
    type: NODE.Element,
    tagName,
    attributes,
    childNodes,
    id: next++,
  })
  const text = (textContent: string, isStyle = false): SerializedNode => ({ type: NODE.Text, textContent, ...(isStyle ? { isStyle } : {}), id: next++ })
  const doc: SerializedNode = { type: NODE.Document, childNodes: [], id: next++ }
  const doctype: SerializedNode = { type: NODE.DocumentType, name: 'html', publicId: '', systemId: '', id: next++ }
  const head = el('head', {}, [el('meta', { charset: 'utf-8' }, []), el('title', {}, [text(seg.page.name)]), el('style', {}, [text(STYLE, true)])])
  const targets: number[] = []
  const controls = seg.items.flatMap((item) => {
    if (item.click === undefined) return []
    const node = el('button', { type: 'button' }, [text(item.click.label)])
    targets.push(node.id)
    return [node]
  })
  const body = el('body', {}, [
    el('header', {}, [el('h1', {}, [text(seg.page.name)])]),
    el('main', {}, [el('p', { class: 'url' }, [text(seg.page.url)]), el('div', { class: 'controls' }, controls)]),
  ])
  doc.childNodes = [doctype, el('html', { lang: 'en' }, [head, body])]

  const start = createdAtMs + seg.from
  const out: unknown[] = [
    { type: EVENT.Meta, data: { href: seg.page.url, width: viewport.width, height: viewport.height }, timestamp: start },
    { type: EVENT.FullSnapshot, data: { node: doc, initialOffset: { left: 0, top: 0 } }, timestamp: start },
  ]
  let clicked = 0
  for (const item of seg.items) {
    const timestamp = createdAtMs + item.at
    if (item.click !== undefined) {
      const id = targets[clicked++]!
      const { x, y } = item.click
      out.push(
        { type: EVENT.IncrementalSnapshot, data: { source: SOURCE.MouseMove, positions: [{ x, y, id, timeOffset: 0 }] }, timestamp },
        { type: EVENT.IncrementalSnapshot, data: { source: SOURCE.MouseInteraction, type: CLICK, id, x, y }, timestamp },
      )
    } else out.push({ type: EVENT.Custom, data: { tag: item.tag, payload: item.payload }, timestamp })
  }
  out.push({ type: EVENT.Custom, data: { tag: 'segment_end', payload: { url: seg.page.url } }, timestamp: createdAtMs + seg.to })
  return out
}
