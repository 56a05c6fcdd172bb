"""The hand asset: the WebXR generic-hand mesh (25-joint skin weights) on a rig rebuilt by us.

The imported armature is replaced by a flat rig (no bone parents, bones disconnected) whose bone heads
are the asset's 25 joints and whose +Y axes point at the child joint. Posing then is a per-bone matrix:
    M_b = T(target_b) @ Rdelta_b @ R_rest_b @ S(s, k_b, s)
with Rdelta from a similarity (Kabsch) fit of the palm joints for the wrist and metacarpal roots, and
swing-only rotations down each finger chain; k_b = target bone length / rest bone length (stretch
along the bone), s = global hand scale from the palm fit. The rig joints are read back from the posed rig;
the training labels come from the posed vertices (lib/hand/real-joints.ts). lib/hand/skinning.ts is the
same posing in TypeScript (test/synth/surface-labels.test.ts keeps the two equal).
"""
import bpy
import mathutils
from mathutils import Matrix, Vector

from compat import patch_numpy_for_gltf
from camera import cv_to_blender, blender_to_cv
from constants import PASS_INDEX, JOINTS25, PARENTS25

TIPS25 = (4, 9, 14, 19, 24)
# The joint each bone points at: the next joint down the finger; the wrist bone points at the middle metacarpal.
CHILD25 = [10] + [None if i in TIPS25 else i + 1 for i in range(1, 25)]
# Joints used to fit the wrist orientation and global scale (palm: wrist, metacarpal bases, knuckles).
PALM = [0, 1, 5, 6, 10, 11, 15, 16, 20, 21]

HAND_PASS_INDEX = PASS_INDEX['hand']


class HandRig:
    def __init__(self, glb_path):
        patch_numpy_for_gltf()
        before = set(bpy.data.objects)
        bpy.ops.import_scene.gltf(filepath=glb_path)
        new = [o for o in bpy.data.objects if o not in before]
        mesh = next(o for o in new if o.type == 'MESH')
        old_arm = next(o for o in new if o.type == 'ARMATURE')
        world = {b.name: old_arm.matrix_world @ b.head_local for b in old_arm.data.bones}
        missing = [n for n in JOINTS25 if n not in world]
        if missing:
            raise RuntimeError(f'{glb_path}: asset lacks joints {missing}')
        # Unparent the mesh (keeping its rest shape), drop the imported armature.
        mw = mesh.matrix_world.copy()
        mesh.parent = None
        mesh.matrix_world = mw
        for m in list(mesh.modifiers):
            mesh.modifiers.remove(m)
        mesh.data.transform(mesh.matrix_world)
        mesh.matrix_world = Matrix.Identity(4)
        for o in new:
            if o is not mesh:
                bpy.data.objects.remove(o, do_unlink=True)
        self.rest = [Vector(world[n]) for n in JOINTS25]  # Blender frame of the import
        self.mesh = mesh
        mesh.name = 'Hand'
        mesh.pass_index = HAND_PASS_INDEX
        for p in mesh.data.polygons:
            p.use_smooth = True
        self.arm = self._build_rig()
        mod = mesh.modifiers.new('Armature', 'ARMATURE')
        mod.object = self.arm
        mod.use_vertex_groups = True
        self.subsurf = mesh.modifiers.new('Subdivision', 'SUBSURF')
        self.subsurf.levels = 0  # viewport/evaluated-for-labels: the base mesh
        self.subsurf.render_levels = 1

    def _build_rig(self):
        data = bpy.data.armatures.new('HandRig')
        arm = bpy.data.objects.new('HandRig', data)
        bpy.context.scene.collection.objects.link(arm)
        bpy.context.view_layer.objects.active = arm
        bpy.ops.object.mode_set(mode='EDIT')
        self.rest_dir = []
        self.rest_len = []
        for i, name in enumerate(JOINTS25):
            eb = data.edit_bones.new(name)
            head = self.rest[i]
            c = CHILD25[i]
            if c is not None:
                d = self.rest[c] - head
            else:  # finger tip: continue the parent's direction
                d = (head - self.rest[PARENTS25[i]]).normalized() * 0.01
            eb.head = head
            eb.tail = head + d
            eb.roll = 0.0
            eb.use_connect = False
            eb.use_deform = True
            self.rest_dir.append(d.normalized())
            self.rest_len.append(d.length)
        bpy.ops.object.mode_set(mode='OBJECT')
        self.rest_rot = [data.bones[n].matrix_local.to_3x3() for n in JOINTS25]
        return arm

    def pose(self, joints25_cv, girth=1.0):
        """Pose the rig so its joints follow `joints25_cv` (25x3, metres, OpenCV camera frame); `girth`
        scales the palm and fingers across their bones (1: the asset's thickness), never the joints."""
        tgt = [Vector(cv_to_blender(p)) for p in joints25_cv]
        s, R = _similarity_fit([self.rest[i] for i in PALM], [tgt[i] for i in PALM])
        deltas = [None] * 25
        for i in range(25):
            p = PARENTS25[i]
            parent_delta = R if p <= 0 else deltas[p]
            if i == 0:
                deltas[i] = R
            else:
                c = CHILD25[i]
                if c is None:
                    deltas[i] = parent_delta
                else:
                    d_t = tgt[c] - tgt[i]
                    if d_t.length < 1e-9:
                        deltas[i] = parent_delta
                    else:
                        d_r = parent_delta @ self.rest_dir[i]
                        deltas[i] = d_r.rotation_difference(d_t.normalized()).to_matrix() @ parent_delta
        for i, name in enumerate(JOINTS25):
            c = CHILD25[i]
            if i == 0 or c is None:
                k = s
            else:
                k = (tgt[c] - tgt[i]).length / self.rest_len[i]
            rot = deltas[i] @ self.rest_rot[i]
            scale = Matrix.Diagonal((girth * s, k, girth * s)).to_3x3()
            m = (rot @ scale).to_4x4()
            m.translation = tgt[i]
            pb = self.arm.pose.bones[name]
            rest_local = self.arm.data.bones[name].matrix_local
            pb.matrix_basis = rest_local.inverted() @ m
        bpy.context.view_layer.update()
        self.hand_scale = s

    def joints25(self):
        """Posed joints read back from the rig: 25x3 metres, OpenCV camera frame."""
        mw = self.arm.matrix_world
        return [blender_to_cv(mw @ self.arm.pose.bones[n].head) for n in JOINTS25]

    def rest_joints_asset_frame(self):
        """Rest joints in the glTF asset's own frame (the importer turned glTF +Y-up into Blender +Z-up)."""
        return [[v.x, v.z, -v.y] for v in self.rest]

    def wrist_matrix(self):
        return self.arm.matrix_world @ self.arm.pose.bones['wrist'].matrix

    def posed_vertices(self):
        """Skinned base-mesh vertices (before subdivision): Vx3 metres, OpenCV camera frame."""
        dg = bpy.context.evaluated_depsgraph_get()
        ev = self.mesh.evaluated_get(dg)
        me = ev.to_mesh()
        try:
            mw = ev.matrix_world
            return [blender_to_cv(mw @ v.co) for v in me.vertices]
        finally:
            ev.to_mesh_clear()


def _similarity_fit(src, dst):
    """Scale s and rotation R minimising sum |s R src_i + t - dst_i|^2 (Umeyama)."""
    n = len(src)
    ms = sum(src, Vector()) / n
    md = sum(dst, Vector()) / n
    cov = Matrix(((0.0,) * 3,) * 3)
    var = 0.0
    for a, b in zip(src, dst):
        a0, b0 = a - ms, b - md
        var += a0.length_squared
        for r in range(3):
            for c in range(3):
                cov[r][c] += b0[r] * a0[c]
    import numpy as np
    C = np.array([[cov[r][c] for c in range(3)] for r in range(3)]) / n
    U, S, Vt = np.linalg.svd(C)
    D = np.eye(3)
    if np.linalg.det(U) * np.linalg.det(Vt) < 0:
        D[2, 2] = -1.0
    Rn = U @ D @ Vt
    s = float(np.trace(np.diag(S) @ D) / (var / n))
    R = Matrix([[float(Rn[r, c]) for c in range(3)] for r in range(3)])
    return s, R
