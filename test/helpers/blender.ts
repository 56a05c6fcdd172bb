/**
 * One Blender worker per test file (started before its tests, stopped after them) with a temporary folder
 * for its outputs, and Blender's bundled HDRIs as renders use them.
 */
import { before, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlenderWorker, type WorkerReady } from '../../lib/synth/worker.ts';
import { validateConfig } from '../../lib/synth/config.ts';
import { hdriLibrary } from '../../lib/synth/driver.ts';

export interface BlenderFixture { worker: BlenderWorker; ready: WorkerReady; tmp: string; hdris: string[] }

/** Register the before/after hooks; the returned object is filled once `before` has run. */
export function useBlenderWorker(name: string): BlenderFixture {
  const fx = {} as BlenderFixture;
  before(async () => {
    fx.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `handgap-synth-${name}-`));
    fx.worker = new BlenderWorker({ threads: 2 });
    fx.ready = await fx.worker.start();
    fx.hdris = hdriLibrary(validateConfig({}), fx.ready.datafiles);
  });
  after(async () => { await fx.worker?.stop(); if (fx.tmp) fs.rmSync(fx.tmp, { recursive: true, force: true }); });
  return fx;
}
