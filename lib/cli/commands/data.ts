import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command.ts';
import { optString, optFlag, optNumber, requirePositional } from '../args.ts';
import { dataDir, resolveDatasetArg } from '../../util/paths.ts';
import { HandgapError, InputError } from '../../util/errors.ts';
import { FETCH_SOURCES, findSource } from '../../data/sources.ts';
import { fetchSource, type FetchSource } from '../../data/fetch.ts';
import { readFreihand, freihandSplits } from '../../data/freihand.ts';
import { readDexYcb, type DexYcbSetup, type DexYcbSplit } from '../../data/dexycb.ts';
import { project } from '../../data/geometry.ts';
import { imageSize } from '../../image/io.ts';

const command: Command = {
  name: 'data',
  summary: 'list, fetch (resumable, checksummed) and inspect data sets',
  usage: `handgap data <list | fetch <name> | info <dataset>> [options]

  list             known downloadable sets and whether they are present
  fetch <name>     download (resumes .part files with HTTP range requests), verify size and SHA-256,
                   unpack into <data>/ (HANDGAP_DATA, default ./data)
  info <dataset>   read a FreiHAND-layout folder (or known set name) and summarise it`,
  options: {},
  subcommands: {
    list: { options: {} },
    fetch: { options: {
      url: { type: 'string', value: 'url', description: 'override the source URL (mirrors, local copies)' },
      sha256: { type: 'string', value: 'hex', description: 'expected SHA-256, 64 hex digits (overrides the registry / pinned value)' },
      size: { type: 'integer', min: 1, value: 'bytes', description: 'expected size' },
      dest: { type: 'string', value: 'dir', description: 'data root instead of HANDGAP_DATA' },
      'keep-archive': { type: 'boolean', description: 'keep the downloaded archive under <data>/downloads' },
      retries: { type: 'integer', min: 0, max: 100, default: 3, description: 'automatic resume attempts after an interrupted transfer' },
    } },
    info: { options: {
      split: { type: 'string', value: 'name', description: 'label split', defaultText: 'training if present, else evaluation' },
      dexycb: { type: 'string', value: 'setup/split', description: 'read as Dex-YCB instead, e.g. s0/test' },
    } },
  },
  async run(args) {
    const sub = requirePositional(args, 0, 'subcommand (list, fetch, info)');
    if (sub === 'list') {
      for (const s of FETCH_SOURCES) {
        const dest = path.join(dataDir(), s.into ?? s.name);
        const rec = path.join(dest, '.handgap-fetch.json');
        console.log(`${s.name.padEnd(14)} ${fs.existsSync(rec) ? 'fetched ' : fs.existsSync(dest) ? 'present ' : 'absent  '} ${s.description}${s.manual ? ' [manual download]' : ''}`);
      }
      return;
    }
    if (sub === 'fetch') {
      const name = requirePositional(args, 1, '<name>');
      const known = findSource(name);
      const url = optString(args, 'url');
      if (!known && !url) throw new HandgapError(`unknown data set "${name}" (known: ${FETCH_SOURCES.map((s) => s.name).join(', ')}; or give --url)`);
      const src: FetchSource = { ...(known ?? { name, description: name, url: null }), ...(url ? { url, manual: undefined, archive: path.basename(new URL(url).pathname) } : {}) };
      const sha = optString(args, 'sha256');
      if (sha !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha)) throw new InputError('--sha256', `got "${sha}"; expected 64 hexadecimal digits`);
      if (sha) src.sha256 = sha.toLowerCase();
      const size = optNumber(args, 'size');
      if (size !== undefined) src.size = size;
      const root = path.resolve(optString(args, 'dest') ?? dataDir());
      if (src.manual) throw new HandgapError(`${src.name}: ${src.manual.replaceAll('<data>', root)}`);
      const r = await fetchSource(src, root, { keepArchive: optFlag(args, 'keep-archive'), retries: optNumber(args, 'retries')! });
      console.log(`${r.source}: ${r.size} bytes, sha256 ${r.sha256}${r.pinned ? ' (pinned on first download)' : ' (verified)'}; ${r.files} files unpacked into ${r.dest}`);
      return;
    }
    if (sub === 'info') {
      const arg = requirePositional(args, 1, '<dataset>');
      const dir = resolveDatasetArg(arg);
      const dex = optString(args, 'dexycb');
      if (dex) {
        const [setup, split] = dex.split('/') as [DexYcbSetup, DexYcbSplit];
        const set = readDexYcb(dir, { setup, split, progress: true });
        console.log(`${dir}: Dex-YCB ${setup}/${split}: ${set.samples.length} labelled samples${set.missing.length ? `; subject folders missing: ${set.missing.join(', ')}` : ''}`);
        return;
      }
      const set = readFreihand(dir, { split: optString(args, 'split') });
      const present = Object.entries(set.files).filter(([, f]) => f).map(([k]) => k);
      const first = set.samples[0];
      const size = first ? await imageSize(first.imagePath) : null;
      let inside = 0, total = 0;
      for (const s of set.samples.slice(0, 200)) {
        if (!s.xyz) continue;
        const sz = s === first ? size! : await imageSize(s.imagePath);
        for (const [u, v] of project(s.xyz, s.K)) { total++; if (u >= 0 && v >= 0 && u < sz.width && v < sz.height) inside++; }
      }
      console.log([
        `${dir}`,
        `  splits: ${freihandSplits(dir).join(', ')}; reading "${set.split}": ${set.count} samples, label files: ${present.join(', ')}`,
        `  first image: ${first?.imagePath} (${size?.width}×${size?.height})${first?.maskPath ? ', masks present' : ''}`,
        total ? `  projected joints inside the image (first ${Math.min(200, set.samples.length)} samples): ${((100 * inside) / total).toFixed(1)}%` : '  no 3D labels',
        set.meta ? `  dataset metadata: ${JSON.stringify(set.meta).slice(0, 200)}` : '',
      ].filter(Boolean).join('\n'));
      return;
    }
    throw new HandgapError(`unknown subcommand "${sub}" (list, fetch, info)`);
  },
};
export default command;
