/**
 * A small YAML subset reader, enough for Dex-YCB's calibration and meta files: nested mappings by
 * indentation, block lists ("- x"), flow lists ("[a, b]"), numbers, booleans, null, quoted strings.
 * Not a general YAML parser (no anchors, multi-line scalars or flow mappings).
 */
import fs from 'node:fs';
import { InputError } from '../util/errors.ts';

type Y = string | number | boolean | null | Y[] | { [k: string]: Y };

function scalar(s: string): Y {
  const t = s.trim();
  if (t === '' || t === '~' || t === 'null') return null;
  if (t === 'true' || t === 'True') return true;
  if (t === 'false' || t === 'False') return false;
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) return t.slice(1, -1);
  if (t.startsWith('[') && t.endsWith(']')) {
    const inner = t.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((x) => scalar(x));
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

export function parseYamlLite(text: string, where = 'yaml'): Y {
  const lines = text.split(/\r?\n/).map((raw, n) => ({ raw: raw.replace(/\s+#.*$/, '').replace(/^#.*$/, ''), n: n + 1 }))
    .filter((l) => l.raw.trim() !== '' && l.raw.trim() !== '---');
  let i = 0;
  const indentOf = (s: string) => s.length - s.trimStart().length;
  function block(indent: number): Y {
    if (i >= lines.length) return null;
    if (lines[i].raw.trimStart().startsWith('- ') || lines[i].raw.trim() === '-') {
      const list: Y[] = [];
      while (i < lines.length && indentOf(lines[i].raw) === indent && lines[i].raw.trimStart().startsWith('-')) {
        const item = lines[i].raw.trimStart().slice(1).trim();
        i++;
        list.push(item === '' ? block(i < lines.length ? indentOf(lines[i].raw) : indent + 2) : scalar(item));
      }
      return list;
    }
    const obj: Record<string, Y> = {};
    while (i < lines.length && indentOf(lines[i].raw) === indent) {
      const t = lines[i].raw.trim();
      const m = /^("[^"]*"|'[^']*'|[^:]+):(\s+(.*))?$/.exec(t);
      if (!m) throw new InputError(`${where}:${lines[i].n}`, `cannot parse line "${t}"`);
      const key = String(scalar(m[1]));
      i++;
      if (m[3] !== undefined && m[3].trim() !== '') obj[key] = scalar(m[3]);
      else if (i < lines.length && (indentOf(lines[i].raw) > indent || (indentOf(lines[i].raw) === indent && lines[i].raw.trimStart().startsWith('- ')))) obj[key] = block(indentOf(lines[i].raw));
      else obj[key] = null;
    }
    return obj;
  }
  return block(lines.length ? indentOf(lines[0].raw) : 0);
}

export function readYamlLite(file: string): any {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code})`); }
  return parseYamlLite(text, file);
}
