"""Materials: the skin (texture model output or flat tone, plus procedural detail) and occluder materials."""
import bpy

import compat
from assets import load_image


def _principled(mat):
    nt = compat.empty_node_tree(mat)
    out = nt.nodes.new('ShaderNodeOutputMaterial')
    bsdf = nt.nodes.new('ShaderNodeBsdfPrincipled')
    nt.links.new(bsdf.outputs['BSDF'], out.inputs['Surface'])
    return nt, bsdf


# Mean free path of light in skin per R, G, B (Jensen et al. 2001, "skin1": 3.67, 1.37, 0.68 mm), metres as the scene.
# Blender 3.x's default (1, 0.2, 0.1) is in scene units: a metre of scattering makes a hand translucent.
SKIN_SCATTER_RADIUS_M = (0.00367, 0.00137, 0.00068)


class SkinMaterial:
    """Principled skin. Base colour = albedo map (UV) or flat tone, modulated by a procedural detail
    noise (pores/creases scale); roughness, specular and subsurface weight from the spec. With
    `color_attribute`, the flat tone is that per-vertex colour attribute of the mesh instead (the forearm)."""

    def __init__(self, name, color_attribute=None):
        self.mat = bpy.data.materials.new(name)
        nt, bsdf = _principled(self.mat)
        self.nt, self.bsdf = nt, bsdf
        self.tex = nt.nodes.new('ShaderNodeTexImage')
        self.tone = nt.nodes.new('ShaderNodeRGB')
        self.pick = nt.nodes.new('ShaderNodeMixRGB')  # 0: flat tone, 1: albedo map
        self.pick.blend_type = 'MIX'
        self.noise = nt.nodes.new('ShaderNodeTexNoise')
        self.noise.inputs['Detail'].default_value = 4.0
        self.detail = nt.nodes.new('ShaderNodeMixRGB')
        self.detail.blend_type = 'MULTIPLY'
        self.ramp_scale = nt.nodes.new('ShaderNodeMapRange')  # noise 0..1 -> 1-a .. 1+a
        if color_attribute:
            attr = nt.nodes.new('ShaderNodeAttribute')
            attr.attribute_name = color_attribute
            nt.links.new(attr.outputs['Color'], self.pick.inputs[1])
        else:
            nt.links.new(self.tone.outputs[0], self.pick.inputs[1])
        nt.links.new(self.tex.outputs['Color'], self.pick.inputs[2])
        nt.links.new(self.noise.outputs['Fac'], self.ramp_scale.inputs['Value'])
        nt.links.new(self.pick.outputs[0], self.detail.inputs[1])
        nt.links.new(self.ramp_scale.outputs[0], self.detail.inputs[2])
        self.detail.inputs[0].default_value = 1.0
        nt.links.new(self.detail.outputs[0], compat.input_socket(bsdf, compat.BASE_COLOR))
        # light scattered under the skin: the skin's own colour over human skin's mean free paths (the
        # "subsurface" weight of the spec says how much; 0 turns it off)
        compat.set_scattering(nt, bsdf, self.detail.outputs[0], SKIN_SCATTER_RADIUS_M)
        self.image_path = None

    def apply(self, skin):
        """skin: {tone: [r,g,b] linear, albedoMap?: png path, roughness, specular, subsurface, detailScale, detailStrength}"""
        tone = skin.get('tone', [0.6, 0.4, 0.3])
        self.tone.outputs[0].default_value = (tone[0], tone[1], tone[2], 1.0)
        path = skin.get('albedoMap')
        if path:
            if path != self.image_path:
                old = self.tex.image
                img = load_image(path, 'skin texture')
                img.colorspace_settings.name = 'sRGB'
                self.tex.image = img
                if old is not None:
                    bpy.data.images.remove(old)
                self.image_path = path
            self.pick.inputs[0].default_value = 1.0
        else:
            self.pick.inputs[0].default_value = 0.0
        a = float(skin.get('detailStrength', 0.1))
        self.noise.inputs['Scale'].default_value = float(skin.get('detailScale', 400.0))
        self.ramp_scale.inputs['To Min'].default_value = 1.0 - a
        self.ramp_scale.inputs['To Max'].default_value = 1.0 + a
        compat.set_input(self.bsdf, compat.ROUGHNESS, float(skin.get('roughness', 0.5)))
        compat.set_input(self.bsdf, compat.SPECULAR, float(skin.get('specular', 0.4)))
        compat.set_input(self.bsdf, compat.SUBSURFACE, float(skin.get('subsurface', 0.0)))


def plain_material(name, color, roughness=0.5, metallic=0.0, emission=None):
    mat = bpy.data.materials.new(name)
    _, bsdf = _principled(mat)
    compat.set_input(bsdf, compat.BASE_COLOR, (color[0], color[1], color[2], 1.0))
    compat.set_input(bsdf, compat.ROUGHNESS, float(roughness))
    compat.set_input(bsdf, compat.METALLIC, float(metallic))
    if emission is not None:
        compat.set_input(bsdf, compat.EMISSION_COLOR, (emission[0], emission[1], emission[2], 1.0))
        compat.set_input(bsdf, compat.EMISSION_STRENGTH, 1.0)
    return mat
