"""World lighting and background: an HDRI (equirectangular .exr/.hdr) with yaw, elevation and strength,
or a flat colour. The HDRI's up axis (+Z) is turned to Blender +Y, which is "up" in our camera frame.
Optionally a fill light: a square area light beside the camera aimed at the hand."""
import math
import bpy

import compat
from assets import load_image


class World:
    def __init__(self, scene):
        w = bpy.data.worlds.new('HandgapWorld')
        scene.world = w
        nt = compat.empty_node_tree(w)
        self.coord = nt.nodes.new('ShaderNodeTexCoord')
        self.mapping = nt.nodes.new('ShaderNodeMapping')
        self.env = nt.nodes.new('ShaderNodeTexEnvironment')
        self.bg = nt.nodes.new('ShaderNodeBackground')
        out = nt.nodes.new('ShaderNodeOutputWorld')
        nt.links.new(self.coord.outputs['Generated'], self.mapping.inputs['Vector'])
        nt.links.new(self.mapping.outputs['Vector'], self.env.inputs['Vector'])
        nt.links.new(self.bg.outputs['Background'], out.inputs['Surface'])
        self.nt = nt
        self.images = {}

    def _link_env(self, on):
        # Only touch the node links when they change: a changed graph makes Cycles rebuild the world.
        linked = bool(self.bg.inputs['Color'].links)
        if on and not linked:
            self.nt.links.new(self.env.outputs['Color'], self.bg.inputs['Color'])
        elif not on and linked:
            for l in list(self.bg.inputs['Color'].links):
                self.nt.links.remove(l)

    def apply(self, hdri, background_color, importance_resolution=1024):
        nt = self.nt
        w = bpy.context.scene.world
        # Importance map for sampling the HDRI as a light; fixed size (the bundled HDRIs are 1024x512) so small
        # bright lamps are found and the map does not depend on the image.
        w.cycles.sampling_method = 'MANUAL'
        w.cycles.sample_map_resolution = int(importance_resolution)
        self._link_env(bool(hdri))
        if hdri:
            path = hdri['path']
            img = self.images.get(path)
            if img is None:
                img = load_image(path, 'HDRI', check_existing=True)
                self.images[path] = img
            if self.env.image is not img:
                self.env.image = img
            yaw = float(hdri.get('yaw', 0.0))
            elev = float(hdri.get('elevation', 0.0))
            self.mapping.inputs['Rotation'].default_value = (math.pi / 2 + elev, 0.0, yaw)
            self.bg.inputs['Strength'].default_value = float(hdri.get('strength', 1.0))
        else:
            c = background_color or [0.05, 0.05, 0.05]
            self.bg.inputs['Color'].default_value = (c[0], c[1], c[2], 1.0)
            self.bg.inputs['Strength'].default_value = 1.0


class FillLight:
    """A square area light (created on first use, hidden when the spec has none)."""

    def __init__(self):
        self.obj = None

    def apply(self, fill):
        from mathutils import Vector
        from camera import cv_to_blender
        if not fill:
            if self.obj is not None:
                self.obj.hide_render = True
            return
        if self.obj is None:
            data = bpy.data.lights.new('HandgapFill', 'AREA')
            self.obj = bpy.data.objects.new('HandgapFill', data)
            bpy.context.scene.collection.objects.link(self.obj)
        self.obj.hide_render = False
        d = self.obj.data
        d.shape = 'SQUARE'
        d.size = float(fill['size'])
        d.energy = float(fill['power'])
        pos = Vector(cv_to_blender(fill['position']))
        target = Vector(cv_to_blender(fill['target']))
        self.obj.location = pos
        # an area light emits along its local -Z
        self.obj.rotation_mode = 'QUATERNION'
        self.obj.rotation_quaternion = (target - pos).to_track_quat('-Z', 'Y')
