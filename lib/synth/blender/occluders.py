"""Object occluders, created per sample from the spec and removed afterwards: objects held in the hand (ball,
can, bottle, mug, box, tool handle with procedural wood / plastic / metal / printed-label materials, placed
by lib/synth/grasp.ts: centre and axes in the OpenCV camera frame, sizes in metres), or primitives and a
'scanned-style' lumpy blob placed near a finger (centre, size, Euler rotation)."""
import math
import bmesh
import bpy
from mathutils import Euler, Matrix, Vector

from camera import cv_to_blender
from materials import plain_material
from compat import set_input, input_socket
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
            if spec['kind'] in GRASP_KINDS:
                self.objects.append(grasp_object(i, spec))
                continue
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


# ---- objects held in the hand (lib/synth/grasp.ts places them; sizes in metres, local z = axis) ----------

GRASP_KINDS = ('ball', 'can', 'bottle', 'mug', 'box', 'handle')


def _cylinder(bm, r, z0, z1, segments=32):
    geom = bmesh.ops.create_cone(bm, cap_ends=True, segments=segments, radius1=r, radius2=r, depth=z1 - z0)
    bmesh.ops.translate(bm, verts=geom['verts'], vec=(0.0, 0.0, (z0 + z1) / 2))


def _grasp_mesh(spec):
    kind = spec['kind']
    bm = bmesh.new()
    if kind == 'ball':
        bmesh.ops.create_uvsphere(bm, u_segments=32, v_segments=16, radius=float(spec['radius']))
    elif kind == 'box':
        hx, hy, hz = (float(v) for v in spec['halfExtents'])
        geom = bmesh.ops.create_cube(bm, size=1.0)
        bmesh.ops.scale(bm, verts=geom['verts'], vec=(2 * hx, 2 * hy, 2 * hz))
    else:
        r, L = float(spec['radius']), float(spec['length'])
        _cylinder(bm, r, -L / 2, L / 2)
        if kind == 'bottle':  # shoulder and neck
            geom = bmesh.ops.create_cone(bm, cap_ends=True, segments=32, radius1=r, radius2=0.35 * r, depth=0.12 * L)
            bmesh.ops.translate(bm, verts=geom['verts'], vec=(0.0, 0.0, L / 2 + 0.06 * L))
            _cylinder(bm, 0.35 * r, L / 2 + 0.12 * L, L / 2 + 0.3 * L, 24)
        elif kind == 'mug':  # handle: a torus in the y-z plane on the -y side
            R, t = 0.35 * L, 0.15 * r
            cy = -(r + 0.6 * R)
            seg, ring = 24, 10
            rings = []
            for i in range(seg):
                a = 2 * math.pi * i / seg
                row = []
                for k in range(ring):
                    b = 2 * math.pi * k / ring
                    rr = R + t * math.cos(b)
                    row.append(bm.verts.new((t * math.sin(b), cy + rr * math.cos(a), rr * math.sin(a))))
                rings.append(row)
            for i in range(seg):
                for k in range(ring):
                    bm.faces.new((rings[i][k], rings[(i + 1) % seg][k], rings[(i + 1) % seg][(k + 1) % ring], rings[i][(k + 1) % ring]))
    for f in bm.faces:
        f.smooth = kind in ('ball', 'can', 'bottle', 'mug', 'handle')
    me = bpy.data.meshes.new(f'grasp_{kind}')
    bm.to_mesh(me)
    bm.free()
    return me


def _grasp_material(name, spec):
    """Procedural everyday materials: wood grain, plastic, brushed metal, a printed label (bands and text-like blocks)."""
    kind = spec.get('material', 'plastic')
    c1 = list(spec.get('color', [0.5, 0.5, 0.5]))
    c2 = list(spec.get('color2', [0.9, 0.9, 0.9]))
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nt = mat.node_tree
    bsdf = next(n for n in nt.nodes if n.type == 'BSDF_PRINCIPLED')
    set_input(bsdf, ['Roughness'], float(spec.get('roughness', 0.5)))
    coords = nt.nodes.new('ShaderNodeTexCoord')
    mix = nt.nodes.new('ShaderNodeMixRGB')
    mix.inputs['Color1'].default_value = (*c1, 1.0)
    mix.inputs['Color2'].default_value = (*c2, 1.0)
    nt.links.new(mix.outputs['Color'], input_socket(bsdf, ['Base Color']))
    if kind == 'wood':
        wood_a = (0.35 + 0.25 * c1[0], 0.2 + 0.12 * c1[1], 0.08 + 0.05 * c1[2])
        mix.inputs['Color1'].default_value = (*wood_a, 1.0)
        mix.inputs['Color2'].default_value = (wood_a[0] * 0.6, wood_a[1] * 0.55, wood_a[2] * 0.5, 1.0)
        wave = nt.nodes.new('ShaderNodeTexWave')
        wave.inputs['Scale'].default_value = 6.0
        wave.inputs['Distortion'].default_value = 8.0
        wave.inputs['Detail'].default_value = 3.0
        nt.links.new(coords.outputs['Object'], wave.inputs['Vector'])
        nt.links.new(wave.outputs['Fac'], mix.inputs['Fac'])
    elif kind == 'metal':
        set_input(bsdf, ['Metallic'], 1.0)
        grey = 0.55 + 0.35 * c1[1]
        mix.inputs['Color1'].default_value = (grey, grey, grey * 0.97, 1.0)
        mix.inputs['Color2'].default_value = (grey * 0.8, grey * 0.8, grey * 0.8, 1.0)
        noise = nt.nodes.new('ShaderNodeTexNoise')
        noise.inputs['Scale'].default_value = 300.0
        nt.links.new(coords.outputs['Object'], noise.inputs['Vector'])
        nt.links.new(noise.outputs['Fac'], mix.inputs['Fac'])
    elif kind == 'label':
        # printed label: a band of colour 2 with dark text-like brick blocks, colour 1 elsewhere
        brick = nt.nodes.new('ShaderNodeTexBrick')
        brick.inputs['Scale'].default_value = 60.0
        brick.inputs['Color1'].default_value = (*c2, 1.0)
        brick.inputs['Color2'].default_value = (*c2, 1.0)
        brick.inputs['Mortar'].default_value = (0.05, 0.05, 0.06, 1.0)
        brick.inputs['Mortar Size'].default_value = 0.3
        nt.links.new(coords.outputs['Object'], brick.inputs['Vector'])
        band = nt.nodes.new('ShaderNodeTexWave')
        band.wave_type = 'BANDS'
        band.bands_direction = 'Z'
        band.inputs['Scale'].default_value = 4.0
        nt.links.new(coords.outputs['Object'], band.inputs['Vector'])
        ramp = nt.nodes.new('ShaderNodeValToRGB')
        ramp.color_ramp.interpolation = 'CONSTANT'
        ramp.color_ramp.elements[1].position = 0.5
        nt.links.new(band.outputs['Fac'], ramp.inputs['Fac'])
        nt.links.new(ramp.outputs['Color'], mix.inputs['Fac'])
        nt.links.new(brick.outputs['Color'], mix.inputs['Color2'])
    else:  # plastic: one colour with a faint mottle
        noise = nt.nodes.new('ShaderNodeTexNoise')
        noise.inputs['Scale'].default_value = 40.0
        nt.links.new(coords.outputs['Object'], noise.inputs['Vector'])
        mix.inputs['Color2'].default_value = (c1[0] * 0.9, c1[1] * 0.9, c1[2] * 0.9, 1.0)
        nt.links.new(noise.outputs['Fac'], mix.inputs['Fac'])
    return mat


def grasp_object(i, spec):
    me = _grasp_mesh(spec)
    me.materials.append(_grasp_material(f'grasp_mat_{i}', spec))
    o = bpy.data.objects.new(f'occ_{i}', me)
    bpy.context.scene.collection.objects.link(o)
    o.pass_index = OBJECT_PASS_INDEX
    A = spec['axes']  # row-major 3x3, columns = local axes in the OpenCV camera frame
    R_cv = Matrix(((A[0], A[1], A[2]), (A[3], A[4], A[5]), (A[6], A[7], A[8])))
    R_bl = Matrix(((1, 0, 0), (0, -1, 0), (0, 0, -1))) @ R_cv
    m = R_bl.to_4x4()
    m.translation = Vector(cv_to_blender(spec['center']))
    o.matrix_world = m
    return o
