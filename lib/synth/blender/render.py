"""Cycles settings, the image write, the per-pixel label pass (object index -> mask values) and the
auxiliary passes (linear colour, albedo, normal) that handgap's own denoiser (lib/synth/denoise.ts) reads."""
import os
import shutil
import tempfile

import bpy
import numpy as np

import compat
import pngio
from constants import MASK_BYTE, PASS_INDEX, INDEX_DIR_PREFIX, MIXED_INDEX


def _start_ticks():
    """This process's start time in clock ticks after boot (/proc/<pid>/stat field 22), 'x' if unknown."""
    try:
        with open(f'/proc/{os.getpid()}/stat') as f:
            stat = f.read()
        return stat[stat.rindex(')') + 2:].split(' ')[19]
    except (OSError, IndexError, ValueError):
        return 'x'


class Renderer:
    def __init__(self, scene, threads):
        self.scene = scene
        scene.render.engine = 'CYCLES'
        c = scene.cycles
        c.device = 'CPU'
        c.use_denoising = False  # Debian's Blender has no OpenImageDenoise
        c.caustics_reflective = False
        c.caustics_refractive = False
        c.max_bounces = 4
        c.diffuse_bounces = 2
        c.glossy_bounces = 2
        c.transmission_bounces = 0
        c.transparent_max_bounces = 2
        c.volume_bounces = 0
        c.blur_glossy = 1.0
        # Fireflies from small bright HDRI spots (sun, lamps) at low sample counts: clamp both (values
        # above 1 clip in the 8-bit output anyway).
        c.sample_clamp_direct = 4.0
        c.sample_clamp_indirect = 2.0
        r = scene.render
        if threads and threads > 0:
            r.threads_mode = 'FIXED'
            r.threads = int(threads)
        r.use_persistent_data = True
        # No metadata in the image files (render time, date, host...): identical renders give identical bytes.
        r.use_stamp = False
        for attr in dir(r):
            if attr.startswith('use_stamp_'):
                try:
                    setattr(r, attr, False)
                except (AttributeError, TypeError):
                    pass
        r.film_transparent = False
        r.use_compositing = True
        r.use_sequencer = False
        vs = scene.view_settings
        vs.view_transform = 'Standard'
        vs.look = 'None'
        vs.exposure = 0.0
        vs.gamma = 1.0
        scene.display_settings.display_device = 'sRGB'
        vl = scene.view_layers[0]
        vl.use_pass_object_index = True
        # Feature passes for the guided denoiser (Cycles computes them itself; no OpenImageDenoise needed).
        vl.cycles.denoising_store_passes = True
        # No dither noise in 8-bit output: it is pure high-frequency noise (and would differ between
        # the Blender-written and the handgap-written images).
        r.dither_intensity = 0.0
        # named by pid and start time: the Node side (BlenderWorker.start) removes the folders of workers
        # that are gone (SIGKILL skips close()), and a reused pid is not mistaken for the old worker
        self.tmp = tempfile.mkdtemp(prefix=f'{INDEX_DIR_PREFIX}{os.getpid()}-{_start_ticks()}-')
        nt = compat.empty_node_tree(scene)
        rl = nt.nodes.new('CompositorNodeRLayers')
        comp = nt.nodes.new('CompositorNodeComposite')
        nt.links.new(rl.outputs['Image'], comp.inputs['Image'])
        fo = nt.nodes.new('CompositorNodeOutputFile')
        fo.base_path = self.tmp
        fo.format.file_format = 'OPEN_EXR'
        fo.format.color_depth = '32'
        fo.format.exr_codec = 'ZIP'
        fo.format.color_mode = 'RGB'
        fo.file_slots[0].path = 'index_'
        nt.links.new(rl.outputs['IndexOB'], fo.inputs[0])
        # Auxiliary passes, linear floats: slot name -> render-layer output names (3.x, then 4.x).
        self.aux_slots = {'color_': ['Image'], 'albedo_': compat.ALBEDO_PASS, 'normal_': compat.NORMAL_PASS}
        for slot, names in self.aux_slots.items():
            fo.file_slots.new(slot)
            nt.links.new(compat.output_socket(rl, names), fo.inputs[slot])
        self.file_output = fo

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def configure(self, spec):
        c = self.scene.cycles
        c.samples = int(spec.get('samples', 32))
        c.use_adaptive_sampling = bool(spec.get('adaptive', True))
        c.adaptive_threshold = float(spec.get('adaptiveThreshold', 0.02))
        c.seed = int(spec.get('seed', 0)) & 0x7fffffff
        c.use_animated_seed = False
        # Cycles' pixel filter is its own property (scene.render.filter_size is EEVEE's and has no effect here).
        c.filter_width = float(spec.get('filterWidth', 1.5))
        # Supersampling: the scene renders at supersample× the camera's size (same K up to the pixel grid);
        # render() and write_aux() average each block back (see MIXED_INDEX).
        self.supersample = max(1, int(spec.get('supersample', 1)))
        self.scene.render.use_persistent_data = bool(spec.get('persistentData', True))

    def _load_pass(self, prefix, channels):
        files = [f for f in os.listdir(self.tmp) if f.startswith(prefix) and f.endswith('.exr')]
        if not files:
            raise RuntimeError(f'the {prefix[:-1]} pass was not written')
        img = bpy.data.images.load(os.path.join(self.tmp, files[0]), check_existing=False)
        try:
            w, h = img.size
            px = np.empty(w * h * 4, dtype=np.float32)
            img.pixels.foreach_get(px)
        finally:
            bpy.data.images.remove(img)
        return px.reshape(h, w, 4)[::-1, :, :channels]

    def write_aux(self, path, index):
        """HxWx10 float32 .npy (top row first): linear colour (3), albedo (3), normal (3), object index (1)."""
        planes = [self._load_pass(p, 3) for p in ('color_', 'albedo_', 'normal_')]
        if self.supersample > 1:
            planes = [self._blocks(p).mean(axis=(1, 3)) for p in planes]
            index = np.where(self.mixed, MIXED_INDEX, index)
        planes.append(index[:, :, None].astype(np.float32))
        arr = np.ascontiguousarray(np.concatenate(planes, axis=2), dtype=np.float32)
        tmp = f'{path}.{os.getpid()}.tmp.npy'
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        np.save(tmp, arr)
        os.replace(tmp, path)

    def render(self, rgb_path, jpeg_quality=95):
        """Render; write the RGB image (atomically) unless rgb_path is None; return the object-index pass
        as a HxW uint8 array (top row first)."""
        s = self.scene
        self.scene.frame_set(1)
        for f in os.listdir(self.tmp):
            os.remove(os.path.join(self.tmp, f))
        S = self.supersample
        s.render.resolution_percentage = 100 * S
        if rgb_path and S > 1:
            raise ValueError('outputs.rgb with render.supersample > 1: ask for outputs.aux (lib/synth/worker.ts writes the image from it)')
        if rgb_path:
            ext = os.path.splitext(rgb_path)[1].lower()
            fmt = s.render.image_settings
            if ext in ('.jpg', '.jpeg'):
                fmt.file_format = 'JPEG'
                fmt.quality = int(jpeg_quality)
            elif ext == '.png':
                fmt.file_format = 'PNG'
                fmt.color_depth = '8'
                fmt.compression = 15
            else:
                raise ValueError(f'outputs.rgb: unsupported extension {ext} (use .jpg or .png)')
            fmt.color_mode = 'RGB'
            tmp = f'{rgb_path}.{os.getpid()}.tmp{ext}'
            os.makedirs(os.path.dirname(rgb_path) or '.', exist_ok=True)
            s.render.filepath = tmp
            bpy.ops.render.render(write_still=True)
            with open(tmp, 'rb') as f:
                data = f.read()
            with open(tmp, 'wb') as f:
                f.write(pngio.strip_metadata(data))
            os.replace(tmp, rgb_path)
        else:
            bpy.ops.render.render(write_still=False)
        index = np.rint(self._load_pass('index_', 1)[:, :, 0]).astype(np.int32)
        if S == 1:
            self.mixed = None
            return index
        blocks = self._blocks(index)
        # a pixel whose sub-pixels show different objects: for the denoiser (write_aux) it is its own class
        self.mixed = blocks.min(axis=(1, 3)) != blocks.max(axis=(1, 3))
        # The mask and pixel counts: a pixel is the hand if any sub-pixel shows the hand, else the forearm if any
        # shows it, else an object, else what it shows. So switching a factor off (forearm, objects) relabels only
        # that factor's pixels, and the occlusion ratio compares like with like.
        out = blocks[:, 0, :, 0].copy()
        for name in ('object', 'forearm', 'hand'):
            out[(blocks == PASS_INDEX[name]).any(axis=(1, 3))] = PASS_INDEX[name]
        return out.astype(np.int32)

    def _blocks(self, a):
        """HxW[xC] at supersample× → (h, S, w, S[, C]) view of the S×S blocks."""
        S = self.supersample
        h, w = a.shape[0] // S, a.shape[1] // S
        return a.reshape((h, S, w, S) + a.shape[2:])

    @staticmethod
    def mask_bytes(index):
        lut = np.zeros(256, dtype=np.uint8)
        for k, v in MASK_BYTE.items():
            lut[k] = v
        return lut[np.clip(index, 0, 255)].astype(np.uint8)

    @staticmethod
    def write_mask(path, index):
        m = Renderer.mask_bytes(index)
        h, w = m.shape
        pngio.write_atomic(path, pngio.encode_gray8(m.tobytes(), w, h))

    def set_samples(self, n):
        self.scene.cycles.samples = int(n)
