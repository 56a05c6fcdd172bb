/**
 * The kernel's display channel: tslab's writer for display_data messages of the running cell (null
 * outside the kernel). Kept apart from lib/plot/display.ts so light modules can display markdown.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export type WriteDisplay = (msg: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

export function kernelWriter(): WriteDisplay | null {
  try { return (require('tslab/dist/jupyter.js') as { lastWriteDisplayData: WriteDisplay | null }).lastWriteDisplayData; } catch { return null; }
}

/** Show markdown in the running cell; false outside the kernel. */
export function displayMarkdown(md: string): boolean {
  const write = kernelWriter();
  if (!write) return false;
  write({ data: { 'text/markdown': md, 'text/plain': md }, metadata: {}, transient: {} }, false);
  return true;
}
