"""Object occluders: primitives and a 'scanned-style' lumpy blob, each with its own material, created per
sample from the spec (centre in the OpenCV camera frame, size, Euler rotation) and removed afterwards."""
import math
import bmesh
import bpy
from mathutils import Euler, Matrix, Vector

from camera import cv_to_blender
from materials import plain_material
from constants import PASS_INDEX

OBJECT_PASS_INDEX = PASS_INDEX['object']
KINDS = ('sphere', 'cube', 'cylinder', 'cone', 'blob')


def _mesh(kind, seed):
    bm = bmesh.new()
    if kind == 'sphere':
        bmesh.ops.create_uvsphere(bm, u_segments=24, v_segments=12, radius=0.5)
    elif kind == 'cube':
        bmesh.ops.create_cube(bm, size=1.0)
    elif kind == 'cylinder':
        bmesh.ops.create_cone(bm, cap_ends=True, segments=24, radius1=0.5, radius2=0.5, depth=1.0)
    elif kind == 'cone':
        bmesh.ops.create_cone(bm, cap_ends=True, segments=24, radius1=0.5, radius2=0.05, depth=1.0)
    elif kind == 'blob':
        bmesh.ops.create_icosphere(bm, subdivisions=3, radius=0.5)
        # Deterministic low-frequency bumps (a cheap stand-in for a scanned object's irregular shape).
        a, b, c = 1 + seed % 3, 1 + (seed // 3) % 3, 1 + (seed // 9) % 3
        for v in bm.verts:
            x, y, z = v.co
            v.co *= 1.0 + 0.18 * math.sin(a * 3 * x + 1.3) * math.cos(b * 3 * y + 0.7) + 0.12 * math.sin(c * 4 * z)
    else:
        raise ValueError(f'objects[].kind: unknown "{kind}" (allowed: {", ".join(KINDS)})')
    for f in bm.faces:
        f.smooth = kind in ('sphere', 'blob')
    me = bpy.data.meshes.new(f'occ_{kind}')
    bm.to_mesh(me)
    bm.free()
    return me


class Occluders:
    def __init__(self):
        self.objects = []

    def clear(self):
        for o in self.objects:
            me, mats = o.data, list(o.data.materials)
            bpy.data.objects.remove(o, do_unlink=True)
            bpy.data.meshes.remove(me)
            for m in mats:
                if m is not None and m.users == 0:
                    bpy.data.materials.remove(m)
        self.objects = []

    def apply(self, objects):
        self.clear()
        for i, spec in enumerate(objects or []):
            me = _mesh(spec['kind'], int(spec.get('shapeSeed', 0)))
            me.materials.append(plain_material(f'occ_mat_{i}', spec.get('color', [0.5, 0.5, 0.5]),
                                               spec.get('roughness', 0.5), spec.get('metallic', 0.0)))
            o = bpy.data.objects.new(f'occ_{i}', me)
            bpy.context.scene.collection.objects.link(o)
            o.pass_index = OBJECT_PASS_INDEX
            size = spec.get('size', [0.05, 0.05, 0.05])
            if not isinstance(size, list):
                size = [size] * 3
            rot = spec.get('rotation', [0.0, 0.0, 0.0])
            o.matrix_world = (Matrix.Translation(Vector(cv_to_blender(spec['center'])))
                              @ Euler(rot, 'XYZ').to_matrix().to_4x4()
                              @ Matrix.Diagonal((size[0], size[1], size[2], 1.0)))
            self.objects.append(o)

    def set_hidden(self, hidden):
        for o in self.objects:
            o.hide_render = hidden


class Markers:
    """Small emissive spheres at given camera-frame points (for checking the camera model); no label."""

    def __init__(self):
        self.objects = []
        self.mat = plain_material('marker_mat', [0, 0, 0], 1.0, 0.0, emission=[0.8, 0.8, 0.8])

    def apply(self, markers):
        for o in self.objects:
            me = o.data
            bpy.data.objects.remove(o, do_unlink=True)
            bpy.data.meshes.remove(me)
        self.objects = []
        for i, m in enumerate(markers or []):
            bm = bmesh.new()
            bmesh.ops.create_uvsphere(bm, u_segments=16, v_segments=8, radius=float(m.get('radius', 0.002)))
            me = bpy.data.meshes.new(f'marker_{i}')
            bm.to_mesh(me)
            bm.free()
            me.materials.append(self.mat)
            o = bpy.data.objects.new(f'marker_{i}', me)
            bpy.context.scene.collection.objects.link(o)
            o.location = cv_to_blender(m['point'])
            o.pass_index = 0
            self.objects.append(o)
