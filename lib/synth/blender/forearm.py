"""Optional forearm: a tapered tube that continues the hand's own wrist surface.

The asset closes the hand with a flat cap at the wrist. Rendered as is, with a separate tube pushed into
it, the cap's rounded rim showed as a ring and the tube's wider ellipse as a ledge, and the flat forearm
colour differed from the textured skin beside it (issue 15, "a continuous skin transition"). So, with a
forearm on, the hand renders without its cap faces (same vertices: labels are unchanged) and the tube
starts exactly on the cap's rim loop, leaves it parallel to the arm's axis and blends into the sampled
elliptical girth and taper over 5 cm. Its first ring copies the rim vertices' skin weights (blending to
the wrist bone alone over 2 cm), so it deforms exactly as the hand's rim does; one extra ring hidden
3 mm inside the hand backs the joint against sub-pixel cracks. Its colour is a per-vertex attribute:
the skin texture sampled just inside the rim on the first ring, blending into the wrist's mean tone
over 3 cm.
"""
import math
from collections import defaultdict

import bmesh
import bpy
from constants import PASS_INDEX

FOREARM_PASS_INDEX = PASS_INDEX['forearm']
COLOR_ATTRIBUTE = 'ForearmColor'
RINGS = 20
SHAPE_BLEND = 0.05   # m from the rim over which the rim's shape becomes the sampled ellipse
WEIGHT_BLEND = 0.02  # m over which the rim's skin weights become the wrist bone's alone
COLOR_BLEND = 0.03   # m over which the rim's texture colour becomes the wrist's mean tone
INSET_BACK, INSET_IN = 0.003, 0.0015  # the hidden ring: metres back into the hand and inward


def _smooth(x):
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def _srgb_to_linear(c):
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


class Forearm:
    def __init__(self, rig, material):
        self.rig = rig
        rest = rig.rest
        self.wrist = rest[0]
        self.axis = (self.wrist - rest[10]).normalized()  # from the middle metacarpal back through the wrist
        across = rest[5] - rest[20]
        self.across = (across - across.dot(self.axis) * self.axis).normalized()
        self.normal = self.axis.cross(self.across).normalized()
        self.capped = rig.mesh.data
        self.open, rim = self._open_hand(self.capped)
        self._rim_setup(self.capped, rim)
        me = bpy.data.meshes.new('Forearm')
        self.obj = bpy.data.objects.new('Forearm', me)
        bpy.context.scene.collection.objects.link(self.obj)
        self.obj.pass_index = FOREARM_PASS_INDEX
        me.materials.append(material)
        for g in rig.mesh.vertex_groups:  # same names and indices as the hand's groups
            self.obj.vertex_groups.new(name=g.name)
        self.wrist_group = rig.mesh.vertex_groups['wrist'].index
        mod = self.obj.modifiers.new('Armature', 'ARMATURE')
        mod.object = rig.arm
        mod.use_vertex_groups = True
        self.subsurf = self.obj.modifiers.new('Subdivision', 'SUBSURF')
        self.subsurf.levels = 0
        self.key = None
        self.image_key = None
        self.obj.hide_render = True

    def _open_hand(self, capped):
        """A copy of the hand mesh without the wrist cap (faces facing down the arm at the wrist end), and
        the cap's rim as an ordered loop of welded positions. Vertices are kept, so indices do not change."""
        cap = [p.index for p in capped.polygons
               if p.normal.dot(self.axis) > 0.7 and (p.center - self.wrist).dot(self.axis) > 0]
        if not cap:
            raise RuntimeError('hand asset: no wrist cap found (faces facing down the arm at the wrist)')
        opened = capped.copy()
        opened.name = 'HandOpenWrist'
        bm = bmesh.new()
        bm.from_mesh(opened)
        bm.faces.ensure_lookup_table()
        bmesh.ops.delete(bm, geom=[bm.faces[i] for i in cap], context='FACES_ONLY')
        bm.to_mesh(opened)
        bm.free()
        # The rim: edges with one face left once duplicated (UV-seam) vertices are welded by position.
        key = lambda i: tuple(round(c, 6) for c in opened.vertices[i].co)
        count = defaultdict(int)
        for p in opened.polygons:
            for a, b in p.edge_keys:
                count[tuple(sorted((key(a), key(b))))] += 1
        adj = defaultdict(list)
        for (a, b), c in count.items():
            if c == 1:
                adj[a].append(b)
                adj[b].append(a)
        if not adj or any(len(v) != 2 for v in adj.values()):
            raise RuntimeError('hand asset: the wrist cap\'s rim is not one closed loop')
        start = min(adj)
        loop, prev = [start], None
        while True:
            nxt = adj[loop[-1]][0] if adj[loop[-1]][0] != prev else adj[loop[-1]][1]
            if nxt == start:
                break
            prev = loop[-1]
            loop.append(nxt)
        if len(loop) != len(adj):
            raise RuntimeError('hand asset: the wrist cap\'s rim is more than one loop')
        verts_at = defaultdict(list)
        for v in opened.vertices:
            verts_at[key(v.index)].append(v.index)
        return opened, [verts_at[k] for k in loop]

    def _rim_setup(self, me, rim):
        """Per rim point: rest position, direction about the arm's axis, skin weights and texture sample points."""
        self.rim_pos = [me.vertices[ids[0]].co.copy() for ids in rim]
        v0 = self.rim_pos[0] - self.wrist
        v1 = self.rim_pos[len(rim) // 4] - self.wrist
        # Wind the loop counter-clockwise about the axis so the tube's faces point outward.
        if self.axis.dot(v0.cross(v1)) < 0:
            rim = rim[::-1]
            self.rim_pos = self.rim_pos[::-1]
        self.rim_weights = [{g.group: g.weight for g in me.vertices[ids[0]].groups if g.weight > 0} for ids in rim]
        # UVs a little inside each face around the rim vertex (the exact boundary texel may lie outside the UV island).
        uv_layer = me.uv_layers.active.data
        ids_of = {i: k for k, ids in enumerate(rim) for i in ids}
        self.rim_uvs = [[] for _ in rim]
        for p in me.polygons:
            if p.normal.dot(self.axis) > 0.7 and (p.center - self.wrist).dot(self.axis) > 0:
                continue  # a cap face
            centre = sum((uv_layer[li].uv for li in p.loop_indices), uv_layer[p.loop_indices[0]].uv * 0) / len(p.loop_indices)
            for li, vi in zip(p.loop_indices, p.vertices):
                if vi in ids_of:
                    self.rim_uvs[ids_of[vi]].append(uv_layer[li].uv * 0.75 + centre * 0.25)
        rel = [p - self.wrist for p in self.rim_pos]
        self.rim_along = [r.dot(self.axis) for r in rel]
        self.rim_radial = [r - a * self.axis for r, a in zip(rel, self.rim_along)]
        self.half_w = max(abs(q.dot(self.across)) for q in self.rim_radial)
        self.half_t = max(abs(q.dot(self.normal)) for q in self.rim_radial)
        self.end_along = sum(self.rim_along) / len(self.rim_along)

    def _rings(self, length, girth, taper):
        """Ring positions (rest frame) and their distance from the rim, the hidden inset ring first."""
        inset = [p - self.axis * INSET_BACK - q.normalized() * INSET_IN for p, q in zip(self.rim_pos, self.rim_radial)]
        rings, dists = [inset], [-INSET_BACK]
        span = max(length - self.end_along, 0.01)
        for j in range(RINGS + 1):
            t = (j / RINGS) ** 1.5  # denser rings near the wrist, where the shape blends
            d = t * span
            b = _smooth(d / SHAPE_BLEND)
            g = girth * (1.0 + taper * t)
            ring = []
            for a, q in zip(self.rim_along, self.rim_radial):
                u = q.normalized()
                c, s = u.dot(self.across), u.dot(self.normal)
                r_ellipse = 1.0 / math.sqrt((c / self.half_w) ** 2 + (s / self.half_t) ** 2)
                radial = q * (1 - b) + u * (r_ellipse * g * b)
                along = a * (1 - b) + self.end_along * b + d
                ring.append(self.wrist + self.axis * along + radial)
            rings.append(ring)
            dists.append(d)
        return rings, dists

    def _build(self, length, girth, taper):
        rings, dists = self._rings(length, girth, taper)
        self.dists = dists
        me = self.obj.data
        bm = bmesh.new()
        deform = bm.verts.layers.deform.verify()
        verts = []
        for ring, d in zip(rings, dists):
            b = _smooth(d / WEIGHT_BLEND)
            row = []
            for p, weights in zip(ring, self.rim_weights):
                v = bm.verts.new(p)
                w = {g: x * (1 - b) for g, x in weights.items()}
                w[self.wrist_group] = w.get(self.wrist_group, 0.0) + b
                for g, x in w.items():
                    if x > 0:
                        v[deform][g] = x
                row.append(v)
            verts.append(row)
        n = len(self.rim_pos)
        for r in range(len(verts) - 1):
            for k in range(n):
                f = bm.faces.new((verts[r][k], verts[r][(k + 1) % n], verts[r + 1][(k + 1) % n], verts[r + 1][k]))
                f.smooth = True
        bm.faces.new(list(reversed(verts[-1])))
        bm.normal_update()
        bm.to_mesh(me)
        bm.free()
        if COLOR_ATTRIBUTE not in me.attributes:
            me.attributes.new(COLOR_ATTRIBUTE, 'FLOAT_COLOR', 'POINT')
        self.image_key = None

    def _rim_colors(self, image, tone):
        """Linear skin colour just inside each rim point (the mean of its faces' samples); the tone without a map."""
        if image is None:
            return [tuple(tone)] * len(self.rim_pos)
        w, h = image.size
        px = image.pixels[:]  # stored (sRGB) values of the 8-bit map
        out = []
        for uvs in self.rim_uvs:
            acc = [0.0, 0.0, 0.0]
            for uv in uvs:
                x = min(w - 1, max(0, int(uv[0] * w)))
                y = min(h - 1, max(0, int(uv[1] * h)))
                o = 4 * (y * w + x)
                for c in range(3):
                    acc[c] += _srgb_to_linear(px[o + c])
            out.append(tuple(a / max(len(uvs), 1) for a in acc) if uvs else tuple(tone))
        return out

    def _color(self, image, tone):
        key = (image.name if image is not None else None, tuple(tone), self.key)
        if key == self.image_key:
            return
        rim = self._rim_colors(image, tone)
        colors = []
        for d in self.dists:
            b = _smooth(d / COLOR_BLEND)
            for c in rim:
                colors.extend((c[0] * (1 - b) + tone[0] * b, c[1] * (1 - b) + tone[1] * b, c[2] * (1 - b) + tone[2] * b, 1.0))
        self.obj.data.attributes[COLOR_ATTRIBUTE].data.foreach_set('color', colors)
        self.obj.data.update()
        self.image_key = key

    def apply(self, spec, skin_image, subdivision):
        """spec: {length, girth, taper, tone (linear RGB)} or None (no forearm: the hand keeps its wrist cap)."""
        if not spec:
            self.obj.hide_render = True
            self.rig.mesh.data = self.capped
            return
        self.obj.hide_render = False
        self.rig.mesh.data = self.open
        key = (float(spec.get('length', 0.25)), float(spec.get('girth', 1.0)), float(spec.get('taper', 0.15)))
        if key != self.key:
            self._build(*key)
            self.key = key
        self._color(skin_image, spec.get('tone', [0.6, 0.4, 0.3]))
        self.subsurf.render_levels = subdivision
