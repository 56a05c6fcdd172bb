"""handgap Blender worker: a persistent process that takes render specs as JSON lines on stdin and answers
with one JSON line per spec on stdout, prefixed by '@@HANDGAP ' (Blender prints its own chatter there).

Run: blender -b --factory-startup -noaudio --python worker.py -- --asset <right.glb> [--threads N]
Requests: {"cmd":"render","spec":{...}} | {"cmd":"info"} | {"cmd":"quit"}
"""
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bpy  # noqa: E402

import compat  # noqa: E402
from camera import setup_camera, intrinsics_from_camera  # noqa: E402
from hand_rig import HandRig  # noqa: E402
from materials import SkinMaterial, plain_material  # noqa: E402
from world import World, FillLight  # noqa: E402
from forearm import Forearm, COLOR_ATTRIBUTE as FOREARM_COLOR  # noqa: E402
from occluders import Occluders, Markers  # noqa: E402
from render import Renderer  # noqa: E402
from constants import PASS_INDEX, MAP_25_TO_21  # noqa: E402
from assets import AssetError  # noqa: E402

PREFIX = '@@HANDGAP '


def reply(obj):
    sys.stdout.write(PREFIX + json.dumps(obj) + '\n')
    sys.stdout.flush()


def parse_args():
    argv = sys.argv[sys.argv.index('--') + 1:] if '--' in sys.argv else []
    opts = {'asset': None, 'threads': 0}
    i = 0
    while i < len(argv):
        if argv[i] == '--asset':
            opts['asset'] = argv[i + 1]; i += 2
        elif argv[i] == '--threads':
            opts['threads'] = int(argv[i + 1]); i += 2
        else:
            i += 1
    return opts


class Scene:
    def __init__(self, asset, threads):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        self.scene = bpy.context.scene
        self.rig = HandRig(asset)
        self.skin = SkinMaterial('Skin')
        self.rig.mesh.data.materials.clear()
        self.rig.mesh.data.materials.append(self.skin.mat)
        self.forearm_mat = SkinMaterial('ForearmSkin', color_attribute=FOREARM_COLOR)
        self.forearm = Forearm(self.rig, self.forearm_mat.mat)
        self.world = World(self.scene)
        self.fill = FillLight()
        self.occluders = Occluders()
        self.markers = Markers()
        self.renderer = Renderer(self.scene, threads)

    def render(self, spec):
        t0 = time.time()
        W, H = int(spec['width']), int(spec['height'])
        setup_camera(self.scene, spec['K'], W, H)
        self.rig.pose(spec['joints25'], float(spec.get('hand', {}).get('girth', 1.0)))
        subdivision = int(spec.get('hand', {}).get('subdivision', 1))
        self.rig.subsurf.render_levels = subdivision
        skin = spec.get('hand', {}).get('skin', {})
        self.skin.apply(skin)
        fa = spec.get('forearm')
        if fa:
            self.forearm_mat.apply({**skin, 'albedoMap': None, 'tone': fa.get('tone', skin.get('tone'))})
        self.forearm.apply(fa, self.skin.tex.image if skin.get('albedoMap') else None, subdivision)
        self.world.apply(spec.get('hdri'), spec.get('backgroundColor'))
        self.fill.apply(spec.get('fill'))
        self.occluders.apply(spec.get('objects'))
        self.markers.apply(spec.get('markers'))
        self.renderer.configure({**spec.get('render', {}), 'seed': spec.get('seed', 0)})
        bpy.context.view_layer.update()
        t1 = time.time()
        out = spec.get('outputs', {})
        index = self.renderer.render(out.get('rgb'), spec.get('render', {}).get('jpegQuality', 95))
        t2 = time.time()
        if out.get('mask'):
            self.renderer.write_mask(out['mask'], index)
        if out.get('aux'):
            self.renderer.write_aux(out['aux'], index)
        counts = {name: int((index == k).sum()) for name, k in PASS_INDEX.items()}
        result = {
            'index': spec.get('index'),
            'joints25': self.rig.joints25(),
            'K': intrinsics_from_camera(self.scene),
            'width': W, 'height': H,
            'handScale': self.rig.hand_scale,
            'maskCounts': counts,
        }
        result['xyz'] = [result['joints25'][i] for i in MAP_25_TO_21]
        if spec.get('objects') and spec.get('computeOcclusion', True):
            # Unoccluded hand silhouette: one cheap index-only render with the objects hidden.
            self.occluders.set_hidden(True)
            self.renderer.set_samples(1)
            free = self.renderer.render(None)
            self.occluders.set_hidden(False)
            unocc = int((free == PASS_INDEX['hand']).sum())
            vis = counts['hand']
            result['occlusion'] = {'handPixelsUnoccluded': unocc, 'handPixelsVisible': vis,
                                   'ratio': (1.0 - vis / unocc) if unocc > 0 else 0.0}
        # The skinned base mesh: the driver derives the labels in the real data's convention from it
        # (lib/hand/real-joints.ts), so they follow the surface exactly as rendered.
        result['verts'] = self.rig.posed_vertices()
        result['timing'] = {'setup': t1 - t0, 'render': t2 - t1, 'total': time.time() - t0}
        return result


def main():
    opts = parse_args()
    crash_file = os.environ.get('HANDGAP_TEST_CRASH_ONCE')
    try:
        scene = Scene(opts['asset'], opts['threads'])
    except Exception as e:  # noqa: BLE001
        reply({'ok': False, 'fatal': True, 'error': f'worker setup failed: {e}', 'trace': traceback.format_exc()})
        return 1
    reply({'ok': True, 'ready': True, 'blender': bpy.app.version_string, 'datafiles': compat.datafiles_dir(), 'pid': os.getpid(),
           'restJoints25': scene.rig.rest_joints_asset_frame()})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
        except Exception as e:  # noqa: BLE001
            reply({'ok': False, 'error': f'bad request JSON: {e}'})
            continue
        cmd = req.get('cmd')
        if cmd == 'quit':
            break
        if cmd == 'info':
            reply({'ok': True, 'blender': bpy.app.version_string, 'datafiles': compat.datafiles_dir()})
            continue
        if cmd != 'render':
            reply({'ok': False, 'error': f'unknown cmd {cmd!r} (allowed: render, info, quit)'})
            continue
        spec = req['spec']
        # Test hooks for the driver's crash/hang recovery: die (or hang) once on a given sample index.
        if crash_file and spec.get('index') == int(os.environ.get('HANDGAP_TEST_CRASH_INDEX', '-1')) and not os.path.exists(crash_file):
            open(crash_file, 'w').close()
            os._exit(17)
        hang_file = os.environ.get('HANDGAP_TEST_HANG_ONCE')
        if hang_file and spec.get('index') == int(os.environ.get('HANDGAP_TEST_HANG_INDEX', '-1')) and not os.path.exists(hang_file):
            open(hang_file, 'w').close()
            time.sleep(3600)
        try:
            reply({'ok': True, 'result': scene.render(spec)})
        except AssetError as e:
            reply({'ok': False, 'kind': 'asset', 'index': spec.get('index'), 'error': str(e)})
        except Exception as e:  # noqa: BLE001
            reply({'ok': False, 'index': spec.get('index'), 'error': str(e), 'trace': traceback.format_exc()})
    scene.renderer.close()
    return 0


if __name__ == '__main__':
    code = main()
    sys.stdout.flush()
    os._exit(code)
