/**
 * Video frames of mobile recordings: small real PNG images (pngjs encodes them), one per screen
 * shown, at 1/8 of the device's screen size. Each screen has its own colour (from its name), with an
 * app bar, a content card and a dot where each tap landed; same frame spec, same bytes.
 */
import { createHash } from 'node:crypto'
import { PNG } from 'pngjs'
import type { FrameSpec } from './mobile.ts'

/** Frames are the device's screen divided by this (rounded, at least 1 pixel). */
export const FRAME_SCALE = 8

export function frameSize(screenWidth: number, screenHeight: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(screenWidth / FRAME_SCALE)), height: Math.max(1, Math.round(screenHeight / FRAME_SCALE)) }
}

type Rgb = readonly [number, number, number]

/** A light colour of the screen's own (the launch screen is grey). */
function colourOf(screen: string | null): Rgb {
  if (screen === null) return [224, 224, 224]
  const h = createHash('sha256').update(screen).digest()
  return [128 + (h[0]! >> 1), 128 + (h[1]! >> 1), 128 + (h[2]! >> 1)]
}

export function renderFrame(spec: FrameSpec, screenWidth: number, screenHeight: number): Buffer {
  const { width, height } = frameSize(screenWidth, screenHeight)
  const png = new PNG({ width, height })
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 4
        png.data[i] = r
        png.data[i + 1] = g
        png.data[i + 2] = b
        png.data[i + 3] = 255
      }
    }
  }
  const c = colourOf(spec.screen)
  fill(0, 0, width, height, c)
  fill(0, 0, width, Math.ceil(height / 10), [c[0] >> 1, c[1] >> 1, c[2] >> 1])
  fill(Math.floor(width / 8), Math.floor(height / 4), Math.ceil((width * 7) / 8), Math.ceil(height / 2), [250, 250, 250])
  for (const t of spec.taps) {
    const x = Math.floor(t.x / FRAME_SCALE)
    const y = Math.floor(t.y / FRAME_SCALE)
    fill(x - 1, y - 1, x + 2, y + 2, [20, 20, 20])
  }
  return PNG.sync.write(png, { colorType: 2 })
}
