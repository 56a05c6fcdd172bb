/** Texture model from config (procedural or PCA of a folder of maps) and writing synthesized maps. */
import fs from 'node:fs';
import path from 'node:path';
import { readImage, writeImage } from '../image/io.ts';
import { InputError } from '../util/errors.ts';
import { pcaTextureModel, proceduralTextureModel, type TextureModel } from './texture-model.ts';
import { skinFeatureMaps } from './skin-features.ts';
import { genericHandMesh, genericHandRestShape } from '../hand/asset.ts';
import type { RenderConfig } from './config.ts';

const MAP_EXT = /\.(png|jpe?g|webp|tiff?)$/i;

export async function loadTextureModel(cfg: RenderConfig['texture']): Promise<TextureModel> {
  if (cfg.basis === 'procedural') {
    // the built-in basis places nails, creases and palm lines through the asset's UV layout
    const mesh = genericHandMesh('right'), rest = genericHandRestShape('right');
    if (!mesh.uvs) return proceduralTextureModel(cfg.size);
    return proceduralTextureModel(cfg.size, 7, skinFeatureMaps({ positions: mesh.positions, faces: mesh.faces, uvs: mesh.uvs }, { positions: rest.rest, dorsal: rest.dorsal }, cfg.size));
  }
  const dir = path.resolve(cfg.basis);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InputError('config.texture.basis', `"${cfg.basis}" is neither "procedural" nor a folder of texture maps`);
  }
  const files = fs.readdirSync(dir).filter((f) => MAP_EXT.test(f)).sort();
  if (files.length < 2) throw new InputError(dir, `needs at least 2 texture maps (.png/.jpg/.webp/.tif), found ${files.length}`);
  const maps: Float32Array[] = [];
  for (const f of files) {
    const img = await readImage(path.join(dir, f), { width: cfg.size, height: cfg.size });
    maps.push(Float32Array.from(img.data, (v) => v / 255));
  }
  return pcaTextureModel(maps, cfg.size, cfg.size, cfg.components, `pca(${dir}, ${files.length} maps)`);
}

export async function writeTextureMap(file: string, map: Float32Array, width: number, height: number): Promise<void> {
  const data = Uint8Array.from(map, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  await writeImage(file, { data, width, height, channels: 3 });
}
