import fs from 'node:fs';
import path from 'node:path';
import { assertOutputFile } from '../../util/fsx.ts';
import type { Command } from '../command.ts';
import { optString, requirePositional } from '../args.ts';
import { datasetArrays, exportJson, predictionArrays, writeExport } from '../../data/export.ts';
import { readLabelJson } from '../../data/json-labels.ts';
import { HandgapError, InputError } from '../../util/errors.ts';

const out = { type: 'string', value: 'file.npz', description: 'the .npz to write (CSV files are written beside it)' } as const;

const command: Command = {
  name: 'export',
  summary: 'write datasets, predictions, spectra and experiment results as NumPy .npz / CSV',
  usage: `handgap export dataset <folder> --out set.npz [--split S]
handgap export predictions <pred.json> --out pred.npz
handgap export json <result.json> --out result.npz

dataset      a FreiHAND-layout set: xyz (N,21,3, metres, camera frame), K (N,3,3, pixels), scale (N),
             index (N) in the .npz, and <out>.manifest.csv with each sample's image and mask path
             (relative to the set folder)
predictions  FreiHAND-format predictions [xyz_list, verts_list]: xyz (N,21,3) and verts (N,V,3)
json         any result JSON (handgap spectrum, gap and experiment results, reports): every numeric
             array and number under its path ("a__radial__mean"), every list of records as
             <out>.<path>.csv; strings are left out and listed
Read them with numpy.load(file) (no pickle needed) and pandas.read_csv.`,
  options: {},
  subcommands: {
    dataset: { options: { out, split: { type: 'string', value: 'S', description: 'split (file prefix); default training, else evaluation' } } },
    predictions: { options: { out } },
    json: { options: { out } },
  },
  async run(args) {
    const [sub] = args.positionals;
    const input = requirePositional(args, 1, `the ${sub === 'dataset' ? 'dataset folder' : 'input file'}`);
    const file = optString(args, 'out');
    if (!file) throw new HandgapError('--out file.npz is required');
    assertOutputFile(file, '--out');
    if (!fs.existsSync(input)) throw new InputError(input, 'not found');
    let written: string[];
    if (sub === 'dataset') {
      const d = datasetArrays(input, optString(args, 'split'));
      written = writeExport(file, d.arrays, { manifest: d.manifest });
      console.log(`${d.count} samples; arrays ${Object.entries(d.arrays).map(([k, a]) => `${k} (${a.shape.join(',')})`).join(', ')}`);
    } else if (sub === 'predictions') {
      const arrays = predictionArrays(input);
      written = writeExport(file, arrays);
      console.log(`arrays ${Object.entries(arrays).map(([k, a]) => `${k} (${a.shape.join(',')})`).join(', ')}`);
    } else if (sub === 'json') {
      const e = exportJson(readLabelJson(input));
      if (!Object.keys(e.arrays).length && !Object.keys(e.tables).length) throw new InputError(input, 'holds no numbers or records to export');
      written = writeExport(file, e.arrays, e.tables);
      console.log(`${Object.keys(e.arrays).length} arrays, ${Object.keys(e.tables).length} tables${e.skipped.length ? `; left out (text): ${e.skipped.slice(0, 8).join(', ')}${e.skipped.length > 8 ? ` and ${e.skipped.length - 8} more` : ''}` : ''}`);
    } else throw new HandgapError(sub ? `unknown subcommand "${sub}" (use dataset, predictions or json)` : 'missing subcommand (use dataset, predictions or json)');
    for (const f of written) console.log(`wrote ${path.relative(process.cwd(), f) || f}`);
    return 0;
  },
};
export default command;
