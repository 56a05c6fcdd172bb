"""Optional forearm: a tapered elliptical tube built in the hand's rest frame and moved rigidly with the
wrist (rigid skinning to the wrist bone). Length and girth come from the spec; it starts a little
inside the hand so the two surfaces meet without a gap."""
import math
import bmesh
import bpy
from mathutils import Matrix, Vector
from constants import PASS_INDEX

FOREARM_PASS_INDEX = PASS_INDEX['forearm']


class Forearm:
    def __init__(self, rig, material):
        self.rig = rig
        rest = rig.rest
        wrist = rest[0]
        self.axis = (wrist - rest[10]).normalized()  # from the middle metacarpal back through the wrist
        across = rest[5] - rest[20]
        across = (across - across.dot(self.axis) * self.axis).normalized()
        self.across = across
        self.normal = self.axis.cross(across).normalized()
        # Wrist girth from the mesh: vertices within 1.5 cm of the wrist along the axis.
        half_w, half_t = 0.0, 0.0
        for v in rig.mesh.data.vertices:
            d = v.co - wrist
            if abs(d.dot(self.axis)) < 0.015:
                half_w = max(half_w, abs(d.dot(across)))
                half_t = max(half_t, abs(d.dot(self.normal)))
        self.half_w = half_w or 0.03
        self.half_t = half_t or 0.02
        me = bpy.data.meshes.new('Forearm')
        self.obj = bpy.data.objects.new('Forearm', me)
        bpy.context.scene.collection.objects.link(self.obj)
        self.obj.pass_index = FOREARM_PASS_INDEX
        me.materials.append(material)
        self.key = None

    def _build(self, length, girth, taper):
        me = self.obj.data
        bm = bmesh.new()
        rings, seg = 20, 24
        start = -0.012  # metres into the hand
        verts = []
        for r in range(rings + 1):
            t = (r / rings) ** 1.5  # denser rings near the wrist, where the shape blends
            along = start + t * (length - start)
            # Flush with the hand's wrist where the two meet (no ledge, no dark crease), then blending over
            # 5 cm into the sampled girth and taper.
            w = min(1.0, max(0.0, (along - start) / 0.05))
            w = w * w * (3 - 2 * w)
            g = (1 - w) + w * girth * (1.0 + taper * t)
            ring = []
            for k in range(seg):
                a = 2 * math.pi * k / seg
                p = (self.rig.rest[0] + self.axis * along
                     + self.across * (math.cos(a) * self.half_w * 0.92 * g)
                     + self.normal * (math.sin(a) * self.half_t * 1.05 * g))
                ring.append(bm.verts.new(p))
            verts.append(ring)
        for r in range(rings):
            for k in range(seg):
                a, b = verts[r][k], verts[r][(k + 1) % seg]
                c, d = verts[r + 1][(k + 1) % seg], verts[r + 1][k]
                f = bm.faces.new((a, b, c, d))
                f.smooth = True
        bm.faces.new(list(reversed(verts[-1])))
        bm.normal_update()
        bm.to_mesh(me)
        bm.free()

    def apply(self, spec, pose_rotation, hand_scale, wrist_target):
        if not spec:
            self.obj.hide_render = True
            return
        self.obj.hide_render = False
        key = (float(spec.get('length', 0.25)), float(spec.get('girth', 1.0)), float(spec.get('taper', 0.15)))
        if key != self.key:
            self._build(*key)
            self.key = key
        rest_wrist = self.rig.rest[0]
        m = Matrix.Translation(wrist_target) @ (pose_rotation.to_4x4() @ Matrix.Scale(hand_scale, 4)) @ Matrix.Translation(-rest_wrist)
        self.obj.matrix_world = m
